"""Session tokens and publisher SSO tokens."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any

import jwt

from townhall.errors import InvalidToken

SSO_ALGORITHM = "HS256"
MAX_SSO_TOKEN = 4096
# A publisher token is exchanged for a session at once; one that lives longer than a
# day is a leak waiting to happen, so `exp` may be at most this far after `iat` and now.
MAX_SSO_LIFETIME = 86_400
LEEWAY = 30
# Confirming something as grave as deleting an account takes a token the publisher issued
# this recently (by `iat`; without one, a token that lives no longer than this).
FRESH_SSO_SECONDS = 900
# Imported authors (`townhall import`) are stored under this prefix; SSO subjects are
# kept out of it (see sso_identity), so no publisher token can sign in as one of them.
IMPORT_PREFIX = "import:"
_SSO_ESCAPE = "sso:"


def new_session_token() -> tuple[str, str]:
    """A fresh bearer token and the hash stored in its place."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    """SHA-256 of a session token (tokens are random, so no salt is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class SsoClaims:
    sub: str
    email: str | None
    name: str | None
    premium: bool


def verify_sso_token(token: str, *, secrets_: list[str], audience: str) -> SsoClaims:
    """Verify a publisher JWT strictly: HS256 only, signature, exp, aud; return its claims."""
    if not secrets_:
        raise InvalidToken("single sign-on is not configured for this site")
    if not isinstance(token, str) or len(token) > MAX_SSO_TOKEN:
        raise InvalidToken("token is malformed")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise InvalidToken("token is malformed") from None
    if header.get("alg") != SSO_ALGORITHM:
        raise InvalidToken(f"token algorithm must be {SSO_ALGORITHM}")
    claims: dict[str, Any] | None = None
    error = "token signature is invalid"
    for secret in secrets_:
        try:
            claims = jwt.decode(
                token,
                secret,
                algorithms=[SSO_ALGORITHM],
                audience=audience,
                options={"require": ["exp", "sub", "aud"]},
                leeway=LEEWAY,
            )
            break
        except jwt.ExpiredSignatureError:
            raise InvalidToken("token has expired") from None
        except (jwt.InvalidAudienceError, jwt.MissingRequiredClaimError) as exc:
            raise InvalidToken(f"token refused: {exc}") from None
        except jwt.InvalidSignatureError:
            continue
        except jwt.PyJWTError as exc:
            error = f"token refused: {exc}"
            break
    if claims is None:
        raise InvalidToken(error)
    _check_lifetime(claims)
    if not isinstance(claims.get("aud"), str):
        raise InvalidToken("token audience must be a single string, not a list")
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub or len(sso_identity(sub)) > 255:
        raise InvalidToken("token subject is missing or invalid")
    email = claims.get("email")
    name = claims.get("name")
    return SsoClaims(
        sub=sub,
        email=email if isinstance(email, str) and len(email) <= 320 else None,
        name=name if isinstance(name, str) else None,
        premium=claims.get("premium") is True,
    )


def _check_lifetime(claims: dict[str, Any]) -> None:
    """Refuse a token valid for more than MAX_SSO_LIFETIME (from now, or from `iat`)."""
    exp = claims["exp"]
    now = time.time()
    if exp - now > MAX_SSO_LIFETIME + LEEWAY:
        raise InvalidToken(f"token lifetime must be at most {MAX_SSO_LIFETIME} seconds")
    iat = claims.get("iat")
    if iat is not None:
        if isinstance(iat, bool) or not isinstance(iat, int | float):
            raise InvalidToken("token iat must be a number")
        if exp - iat > MAX_SSO_LIFETIME:
            raise InvalidToken(f"token lifetime must be at most {MAX_SSO_LIFETIME} seconds")


def is_fresh(token: str, seconds: int = FRESH_SSO_SECONDS) -> bool:
    """Whether an already verified publisher token was issued within `seconds`: by its
    `iat`, or, without one, by expiring within `seconds` from now."""
    claims = jwt.decode(token, options={"verify_signature": False})
    now = time.time()
    iat = claims.get("iat")
    if isinstance(iat, int | float) and not isinstance(iat, bool):
        return now - iat <= seconds + LEEWAY
    exp = claims.get("exp")
    return isinstance(exp, int | float) and exp - now <= seconds + LEEWAY


def sso_identity(sub: str) -> str:
    """The stored identity of an SSO subject: never in the imported authors' namespace.

    Subjects that start with a reserved prefix are escaped with "sso:", so the mapping
    is one-to-one and nothing a publisher signs can equal an "import:" identity.
    """
    if sub.startswith((IMPORT_PREFIX, _SSO_ESCAPE)):
        return _SSO_ESCAPE + sub
    return sub


def imported_identity(source: str, ident: str) -> str:
    """The stored identity of an author brought in by `townhall import`."""
    return f"{IMPORT_PREFIX}{source}:{ident}"[:255]

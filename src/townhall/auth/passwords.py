"""Password hashing with argon2id."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from townhall.errors import ValidationFailed

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so timing does not reveal accounts.
_DUMMY = _hasher.hash("townhall-timing-equalizer")
MIN_PASSWORD, MAX_PASSWORD = 10, 256


def check_password_rules(password: str) -> None:
    """Refuse passwords that are too short or absurdly long."""
    if len(password) < MIN_PASSWORD:
        raise ValidationFailed(
            f"password must be at least {MIN_PASSWORD} characters",
            field="password",
            rule="too-short",
        )
    if len(password) > MAX_PASSWORD:
        raise ValidationFailed(
            f"password must be at most {MAX_PASSWORD} characters", field="password", rule="too-long"
        )


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Whether the password matches the stored hash (constant work either way)."""
    try:
        return _hasher.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False

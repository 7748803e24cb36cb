"""Local accounts by e-mail: verifying the address, and resetting a forgotten password by a
single-use link that lasts an hour. Links are signed with the site's key and made when the
e-mail is sent, so the outbox holds no usable token."""

from __future__ import annotations

import hashlib
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from townhall.auth.passwords import check_password_rules, hash_password
from townhall.domain.models import User
from townhall.errors import Forbidden
from townhall.ratelimit import PASSWORD_RESETS_PER_ADDRESS, enforce
from townhall.services.context import DEFAULT_SITE, Context
from townhall.services.notifications import BadLink, enqueue, signing_key
from townhall.storage.protocols import Stores

VERIFY_SALT = "townhall.verify-email"
RESET_SALT = "townhall.password-reset"
VERIFY_MAX_AGE = 7 * 86400
RESET_MAX_AGE = 3600
KINDS = ("verify_email", "password_reset")
RESET_REQUESTED = "If this address has an account, a link to choose a new password is on its way."


def _fingerprint(digest: str | None) -> str:
    """Changes when the password does: a used reset link stops working."""
    return hashlib.sha256((digest or "").encode()).hexdigest()[:16]


async def queue_verification(tx: Stores, user: User, *, now: Any) -> None:
    """Send a new local account a link that proves it reads its address."""
    await enqueue(tx, "verify_email", user, {}, f"verify:{user.id}:{now.isoformat()}", now=now)


async def link(ctx: Context, kind: str, user_id: int, site_id: str) -> str:
    """The signed link of an account e-mail, made as it is sent."""
    key = await signing_key(ctx, site_id)
    base = (ctx.settings.public_url or "").rstrip("/")
    async with ctx.read() as tx:
        user = await tx.users.by_id(user_id)
        digest = await tx.notifications.password_hash(user_id)
    email = (user.email or "").strip().lower() if user else ""
    if kind == "verify_email":
        token = URLSafeTimedSerializer(key, salt=VERIFY_SALT).dumps({"u": user_id, "e": email})
        return f"{base}/auth/verify?token={token}"
    token = URLSafeTimedSerializer(key, salt=RESET_SALT).dumps(
        {"u": user_id, "p": _fingerprint(digest)}
    )
    return f"{base}/auth/reset?token={token}"


def _load(key: str, salt: str, token: str, max_age: int) -> dict[str, Any]:
    try:
        data = URLSafeTimedSerializer(key, salt=salt).loads(token, max_age=max_age)
    except SignatureExpired:
        raise BadLink("this link has expired; ask for a new one", field="token") from None
    except BadSignature:
        raise BadLink("this link is not valid", field="token") from None
    if not isinstance(data, dict):
        raise BadLink("this link is not valid", field="token")
    return data


async def verify_email(ctx: Context, token: str, site_id: str = DEFAULT_SITE) -> None:
    """Apply a verification link."""
    data = _load(await signing_key(ctx, site_id), VERIFY_SALT, token, VERIFY_MAX_AGE)
    async with ctx.write() as tx:
        done = await tx.notifications.verify_email(int(data["u"]), str(data["e"]), ctx.clock())
    if not done:
        raise BadLink("this link is for an address the account no longer has", field="token")


async def request_reset(
    ctx: Context, email: str, *, client: str = "", site_id: str = DEFAULT_SITE
) -> None:
    """E-mail a reset link if the address has a local account; the answer never says."""
    from townhall.services.accounts import normalize_email

    site = await ctx.site(site_id)
    if not site.local_accounts:
        raise Forbidden("this site uses its own sign-in; local accounts are off")
    await enforce(
        ctx.limiter,
        f"reset:{client}",
        limit=PASSWORD_RESETS_PER_ADDRESS.limit,
        window=PASSWORD_RESETS_PER_ADDRESS.window,
        message="too many requests; try again in {seconds} seconds",
        name=PASSWORD_RESETS_PER_ADDRESS.name,
    )
    email_key = normalize_email(email)
    now = ctx.clock()
    async with ctx.write() as tx:
        found = await tx.users.by_email(site_id, email_key)
        if found is None or found[1] is None:
            return
        user = found[0]
        # One link per account per minute, however often it is asked for.
        minute = now.replace(second=0, microsecond=0).isoformat()
        await enqueue(tx, "password_reset", user, {}, f"reset:{user.id}:{minute}", now=now)


async def reset_password(
    ctx: Context, token: str, password: str, site_id: str = DEFAULT_SITE
) -> None:
    """Set a new password from a reset link (once, within the hour); sessions end."""
    data = _load(await signing_key(ctx, site_id), RESET_SALT, token, RESET_MAX_AGE)
    check_password_rules(password)
    digest = hash_password(password)
    async with ctx.write() as tx:
        user_id = int(data["u"])
        current = await tx.notifications.password_hash(user_id)
        user = await tx.users.by_id(user_id)
        if user is None or current is None or user.site_id != site_id:
            raise BadLink("this link is not valid", field="token")
        if _fingerprint(current) != data.get("p"):
            raise BadLink("this link has been used already; ask for a new one", field="token")
        await tx.notifications.set_password(user_id, digest, ctx.clock())
        # Whoever could follow the link reads the address.
        if user.email:
            await tx.notifications.verify_email(user_id, user.email.strip().lower(), ctx.clock())

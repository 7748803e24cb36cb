"""Sign-in (publisher SSO, local accounts), sessions and commenting names."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from townhall.auth import names, throttle
from townhall.auth.passwords import check_password_rules, hash_password, verify_password
from townhall.auth.tokens import hash_token, new_session_token, sso_identity, verify_sso_token
from townhall.domain.changes import SiteChanged
from townhall.domain.models import Role, User, UserState
from townhall.domain.site import SiteConfig
from townhall.errors import (
    Banned,
    Forbidden,
    InvalidCredentials,
    NameInvalid,
    Suspended,
    ValidationFailed,
)
from townhall.ratelimit import REGISTRATIONS_PER_ADDRESS, enforce
from townhall.services import account_mail
from townhall.services.context import DEFAULT_SITE, Context
from townhall.storage.protocols import Stores

_EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[^@\s<>\"']+\.[^@\s<>\"']{2,}$")


def normalize_email(email: str) -> str:
    """Lower-cased, trimmed e-mail, or ValidationFailed."""
    email = (email or "").strip()
    if len(email) > 320 or not _EMAIL.match(email):
        raise ValidationFailed("email is not a valid address", field="email", rule="format")
    return email.lower()


async def _new_session(ctx: Context, tx: Stores, user: User) -> str:
    token, digest = new_session_token()
    now = ctx.clock()
    await tx.users.add_session(
        token_hash=digest,
        user_id=user.id,
        now=now,
        expires_at=now + timedelta(days=ctx.settings.session_days),
    )
    return token


async def sso_sign_in(ctx: Context, token: str, *, site_id: str = DEFAULT_SITE) -> tuple[str, User]:
    """Exchange a publisher JWT for a session; create or update the user from its claims."""
    site = await ctx.site(site_id)
    claims = verify_sso_token(token, secrets_=list(site.sso_secrets), audience=site_id)
    now = ctx.clock()
    async with ctx.write() as tx:
        identity = sso_identity(claims.sub)
        user = await tx.users.by_sso(site_id, identity)
        if user is None:
            email_key = None
            if claims.email:
                try:
                    email_key = normalize_email(claims.email)
                except ValidationFailed:
                    email_key = None
                if email_key and await tx.users.by_email(site_id, email_key):
                    email_key = None  # a local account owns it; don't merge silently
            user = await tx.users.add(
                site_id=site_id,
                sso_sub=identity,
                email=claims.email,
                email_key=email_key,
                is_premium=claims.premium,
                role=Role.COMMENTER.value,
                created_at=now,
            )
            if claims.name:
                user = await _try_claim_name(ctx, tx, user, claims.name, site.name)
        else:
            changed: dict[str, Any] = {}
            if user.is_premium != claims.premium:
                changed["is_premium"] = claims.premium
            # The publisher's login owns the address: notifications follow its changes.
            if claims.email and claims.email != user.email:
                changed["email"] = claims.email
            if changed:
                user = await tx.users.update(user.id, **changed)
        session = await _new_session(ctx, tx, user)
    return session, user


async def _try_claim_name(ctx: Context, tx: Stores, user: User, raw: str, publisher: str) -> User:
    """Adopt the publisher's display name when it passes every rule; else leave it unset."""
    try:
        name, key = await _checked_name(ctx, tx, user, raw, publisher)
    except NameInvalid:
        return user
    return await tx.users.update(user.id, name=name, name_key=key)


REGISTERED = (
    "If this e-mail address can be used, its account is ready: sign in with the address "
    "and your password."
)


async def register(
    ctx: Context,
    *,
    email: str,
    password: str,
    name: str | None = None,
    site_id: str = DEFAULT_SITE,
    client: str = "",
) -> None:
    """Create a local account (argon2 hash); the client signs in next.

    An address that already has an account gets the same answer, after the same
    work (the hash is computed either way), and nothing changes: the answer must not
    tell anyone which addresses have accounts. (Once mail exists, its owner is told.)
    """
    site = await ctx.site(site_id)
    if not site.local_accounts:
        raise Forbidden("this site uses its own sign-in; local accounts are off")
    await enforce(
        ctx.limiter,
        f"register:{client}",
        limit=REGISTRATIONS_PER_ADDRESS.limit,
        window=REGISTRATIONS_PER_ADDRESS.window,
        message="too many registrations; try again in {seconds} seconds",
        name=REGISTRATIONS_PER_ADDRESS.name,
    )
    email_key = normalize_email(email)
    check_password_rules(password)
    digest = hash_password(password)
    try:
        async with ctx.write() as tx:
            values: dict[str, str] = {}
            if name:
                values["name"], values["name_key"] = await _checked_name(
                    ctx, tx, None, name, site.name
                )
            if await tx.users.by_email(site_id, email_key):
                return
            user = await tx.users.add(
                site_id=site_id,
                email=email.strip(),
                email_key=email_key,
                password_hash=digest,
                role=Role.COMMENTER.value,
                created_at=ctx.clock(),
                **values,
            )
            await account_mail.queue_verification(tx, user, now=ctx.clock())
    except IntegrityError:
        return  # taken a moment ago by a concurrent registration: the same answer


async def login(
    ctx: Context, *, email: str, password: str, site_id: str = DEFAULT_SITE, client: str = ""
) -> tuple[str, User]:
    """Check e-mail and password, throttled per (account, address) with growing delays;
    an attack on a staff account is written to the audit log for staff to see."""
    try:
        email_key = normalize_email(email)
    except ValidationFailed:
        raise InvalidCredentials("wrong e-mail or password") from None
    who = {"site_id": site_id, "email_key": email_key, "address": client}
    await throttle.admit(ctx.limiter, **who)
    async with ctx.read() as tx:
        found = await tx.users.by_email(site_id, email_key)
    user, stored = found if found else (None, None)
    if not verify_password(stored, password) or user is None:
        is_staff = user is not None and user.is_staff
        if await throttle.failed(ctx.limiter, **who, is_staff=is_staff):
            assert user is not None
            await _alert_staff(ctx, user, client)
        raise InvalidCredentials("wrong e-mail or password")
    await throttle.succeeded(ctx.limiter, **who)
    async with ctx.write() as tx:
        session = await _new_session(ctx, tx, user)
    return session, user


STAFF_ATTACK = "security.staff_sign_in_attack"


async def _alert_staff(ctx: Context, user: User, address: str) -> None:
    """Audit an attack on a staff account; the dashboard shows these to staff."""
    async with ctx.write() as tx:
        await tx.audit.add(
            site_id=user.site_id,
            actor=None,
            action=STAFF_ATTACK,
            target_type="user",
            target_id=user.id,
            before=None,
            after={
                "failures": throttle.STAFF_ATTACK_ALERT.limit,
                "window_seconds": int(throttle.STAFF_ATTACK_ALERT.window),
                "last_address": address,
                "account": user.name or user.email,
            },
            now=ctx.clock(),
        )


async def logout(ctx: Context, token: str) -> None:
    """Revoke a session token."""
    async with ctx.write() as tx:
        await tx.users.revoke_session(hash_token(token), ctx.clock())


SESSION_EXPIRED = "session is invalid or has expired; sign in again"


async def authenticate(ctx: Context, token: str) -> User | None:
    """The user behind a bearer token, or None."""
    if not token or len(token) > 200:
        return None
    async with ctx.read() as tx:
        return await session_user(tx, token, ctx.clock())


async def session_user(tx: Stores, token: str, now: datetime) -> User | None:
    """The user behind a bearer token, read in an open transaction, or None."""
    if not plausible_token(token):
        return None
    return await tx.users.by_session(hash_token(token), now)


def plausible_token(token: str) -> bool:
    """Whether a bearer token is worth looking up at all."""
    return bool(token) and len(token) <= 200


def name_rule_problem(name: str, site: SiteConfig) -> tuple[str, str] | None:
    """(rule, reason) when a clean name is reserved (staff, the publisher) or profane."""
    problem = names.reserved_problem(name, site.name)
    if problem:
        return "reserved", problem
    from townhall.moderation.pipeline import Rules, name_problem

    profane = name_problem(name, Rules.from_settings(site.moderation))
    if profane:
        return "profane", profane
    return None


async def _checked_name(
    ctx: Context, tx: Stores, user: User | None, raw: str, publisher: str
) -> tuple[str, str]:
    name = names.clean_name(raw)
    site = await ctx.site(user.site_id if user else DEFAULT_SITE)
    refused = name_rule_problem(name, replace(site, name=publisher))
    if refused:
        raise NameInvalid(refused[1], rule=refused[0])
    key = names.name_key(name)
    me = user.id if user else None
    # The key catches look-alikes; the exact check, case variants the key keeps apart.
    exact = await tx.users.name_taken_exact(site.id, name, me)
    if exact or await tx.users.name_key_taken(site.id, key, me):
        rule = "taken" if exact else "confusable"
        msg = (
            "this name is already taken"
            if rule == "taken"
            else "this name is too similar to an existing name"
        )
        raise NameInvalid(msg, rule=rule)
    return name, key


async def set_name(ctx: Context, user: User, raw: str) -> User:
    """Give the user a commenting name that passes every rule."""
    if user.state(ctx.clock()) is not UserState.ACTIVE:
        raise (Banned if user.is_banned else Suspended)(
            "your account cannot change its commenting name while it is "
            + user.state(ctx.clock()).value
        )
    site = await ctx.site(user.site_id)
    async with ctx.write() as tx:
        name, key = await _checked_name(ctx, tx, user, raw, site.name)
        try:
            updated = await tx.users.update(user.id, name=name, name_key=key)
        except IntegrityError:
            raise NameInvalid("this name is already taken", rule="taken") from None
        await tx.audit.add(
            site_id=user.site_id,
            actor=user,
            action="user.name",
            target_type="user",
            target_id=user.id,
            before={"name": user.name},
            after={"name": name},
            now=ctx.clock(),
        )
        if user.name:
            # A renamed author appears on cached pages of any story.
            tx.record(SiteChanged(user.site_id))
    return updated


async def check_name(
    ctx: Context, user: User | None, raw: str, site_id: str = DEFAULT_SITE
) -> tuple[bool, str | None, str]:
    """Whether a name is available: (available, rule, message)."""
    site = await ctx.site(site_id)
    async with ctx.read() as tx:
        try:
            await _checked_name(ctx, tx, user, raw, site.name)
        except NameInvalid as exc:
            return False, str(exc.fields.get("rule")), exc.detail
    return True, None, "available"


async def create_admin(
    ctx: Context,
    *,
    email: str,
    password: str,
    name: str | None = None,
    role: Role = Role.ADMIN,
    site_id: str = DEFAULT_SITE,
) -> User:
    """Create a staff account, or promote and reset an existing one (CLI only)."""
    email_key = normalize_email(email)
    check_password_rules(password)
    digest = hash_password(password)
    site = await ctx.site(site_id)
    async with ctx.write() as tx:
        found = await tx.users.by_email(site_id, email_key)
        values: dict[str, Any] = {"role": role.value, "password_hash": digest}
        if name:
            values["name"], values["name_key"] = names.clean_name(name), names.name_key(name)
            if await tx.users.name_key_taken(
                site.id, values["name_key"], found[0].id if found else None
            ):
                raise NameInvalid("this name is already taken", rule="taken")
        if found:
            user = await tx.users.update(found[0].id, **values)
        else:
            user = await tx.users.add(
                site_id=site_id,
                email=email.strip(),
                email_key=email_key,
                created_at=ctx.clock(),
                **values,
            )
        await tx.audit.add(
            site_id=site_id,
            actor=None,
            action="user.create_staff",
            target_type="user",
            target_id=user.id,
            before=None,
            after={"role": role.value},
            now=ctx.clock(),
        )
    return user

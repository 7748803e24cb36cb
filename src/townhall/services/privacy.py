"""A reader's privacy rights: download my data, delete my account (or staff erase it),
change my password.

The export is one JSON document written as it is read, a batch of rows at a time, so a
reader with 50,000 comments gets it with the memory of one batch. Its JSON Schema is
docs/export.schema.json.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from typing import Any

import orjson

from townhall.auth.passwords import check_password_rules, hash_password, verify_password
from townhall.auth.tokens import (
    FRESH_SSO_SECONDS,
    hash_token,
    is_fresh,
    sso_identity,
    verify_sso_token,
)
from townhall.domain.changes import CommentChanged, SiteChanged, StoryChanged
from townhall.domain.models import Comment, Status, User
from townhall.errors import (
    ConfirmationFailed,
    Forbidden,
    InvalidToken,
    NotFound,
    ValidationFailed,
)
from townhall.presenter import iso
from townhall.services.context import Context
from townhall.services.my_space import _why, comment_link, muted_users
from townhall.services.notifications import get_prefs
from townhall.storage.protocols import Stores

EXPORT_FORMAT = "townhall-export"
EXPORT_VERSION = 1
EXPORT_BATCH = 500
# Up to this many comments, readers watching live see each one change at once; past it,
# each story's counts are sent again and pages reload with the change.
LIVE_CHANGES_MAX = 200


def _dump(value: Any) -> bytes:
    return orjson.dumps(value)


def _account(user: User, ctx: Context) -> dict[str, Any]:
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "premium": user.is_premium,
        "role": user.role.value,
        "sign_in": "publisher" if user.sso_sub else "local",
        "created_at": iso(user.created_at),
        "status": user.state(ctx.clock()).value,
        "suspended_until": iso(user.suspended_until),
    }


def _export_comment(row: dict[str, Any]) -> dict[str, Any]:
    c: Comment = row["comment"]
    return {
        "id": c.id,
        "story": {"id": row["story_key"], "title": row["story_title"], "url": row["story_url"]},
        "stream": c.stream.value,
        "parent_id": c.parent_id,
        "status": c.status.value,
        "body": c.body,
        "created_at": iso(c.created_at),
        "edited_at": iso(c.edited_at),
        "deleted_at": iso(c.deleted_at),
        "like_count": c.like_count,
        "moderation": _why(c.findings, c.status),
        "link": None if c.status is Status.DELETED else comment_link(row["story_url"], c.id),
    }


def _story_ref(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["story_key"], "url": row["story_url"]}


async def _batches(
    ctx: Context, read: Callable[[Stores, int], Awaitable[list[dict[str, Any]]]], key: str
) -> AsyncIterator[list[dict[str, Any]]]:
    """Rows in batches, each batch from its own short read (nothing held between them)."""
    last = 0
    while True:
        async with ctx.read() as tx:
            rows = await read(tx, last)
        if not rows:
            return
        yield rows
        last = rows[-1][key] if key in rows[-1] else rows[-1]["comment"].id
        if len(rows) < EXPORT_BATCH:
            return


async def _array(
    ctx: Context,
    read: Callable[[Stores, int], Awaitable[list[dict[str, Any]]]],
    key: str,
    shape: Callable[[dict[str, Any]], dict[str, Any]],
) -> AsyncIterator[bytes]:
    yield b"["
    first = True
    async for rows in _batches(ctx, read, key):
        parts = [_dump(shape(r)) for r in rows]
        chunk = b",".join(parts)
        yield chunk if first else b"," + chunk
        first = False
    yield b"]"


async def export_data(ctx: Context, user: User) -> AsyncIterator[bytes]:
    """The reader's data as one JSON document, in chunks (see docs/export.schema.json)."""
    async with ctx.read() as tx:
        fresh = await tx.users.by_id(user.id)
    me = fresh or user
    preferences: dict[str, Any] = {
        "muted": (await muted_users(ctx, me))["muted"],
        "notifications": await get_prefs(ctx, me),
    }
    head = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": iso(ctx.clock()),
        "account": _account(me, ctx),
        "preferences": preferences,
    }
    yield _dump(head)[:-1] + b',"comments":'
    uid = me.id

    async def comments(tx: Stores, after: int) -> list[dict[str, Any]]:
        return await tx.readers.export_comments(uid, after, EXPORT_BATCH)

    async def likes(tx: Stores, after: int) -> list[dict[str, Any]]:
        return await tx.readers.export_likes(uid, after, EXPORT_BATCH)

    async def reports(tx: Stores, after: int) -> list[dict[str, Any]]:
        return await tx.readers.export_reports(uid, after, EXPORT_BATCH)

    async for chunk in _array(ctx, comments, "id", _export_comment):
        yield chunk
    yield b',"likes":'
    async for chunk in _array(
        ctx,
        likes,
        "comment_id",
        lambda r: {
            "comment_id": r["comment_id"],
            "story": _story_ref(r),
            "liked_at": iso(r["created_at"]),
        },
    ):
        yield chunk
    yield b',"reports":'
    async for chunk in _array(
        ctx,
        reports,
        "id",
        lambda r: {
            "id": r["id"],
            "comment_id": r["comment_id"],
            "story": _story_ref(r),
            "reason": r["reason"],
            "note": r["note"],
            "reported_at": iso(r["created_at"]),
        },
    ):
        yield chunk
    yield b"}"


# -- deleting an account -------------------------------------------------------------

DELETE_CHOICES = ("delete", "keep")


async def _confirm(
    ctx: Context, tx: Stores, user: User, password: str | None, sso: str | None
) -> None:
    """Refuse unless the reader proved it is them: the password, or a fresh publisher token."""
    stored = await tx.readers.password_hash(user.id)
    if stored is not None:
        if not password:
            raise ValidationFailed(
                "give your password to delete your account", field="password", rule="required"
            )
        if not verify_password(stored, password):
            raise ConfirmationFailed("wrong password")
        return
    if user.sso_sub is None:
        raise Forbidden("this account cannot confirm its deletion; ask the site's staff")
    if not sso:
        raise ValidationFailed(
            "sign in with the publisher again and send its fresh token",
            field="sso_token",
            rule="required",
        )
    site = await ctx.site(user.site_id)
    try:
        claims = verify_sso_token(sso, secrets_=list(site.sso_secrets), audience=site.id)
    except InvalidToken as exc:
        # The session is fine; only the confirmation failed (a 401 would sign the reader out).
        raise ConfirmationFailed(f"the sign-in token was refused: {exc.detail}") from None
    if sso_identity(claims.sub) != user.sso_sub:
        raise ConfirmationFailed("this token belongs to another account")
    if not is_fresh(sso):
        raise ConfirmationFailed(
            "sign in again: the token must have been issued in the last "
            f"{FRESH_SSO_SECONDS} seconds"
        )


async def _erase(
    ctx: Context, tx: Stores, user: User, *, comments: str, actor: User, action: str
) -> int:
    """Erase an account inside a write: its comments (deleted or kept nameless), its
    identities and sessions, and its e-mail wherever the audit log holds it."""
    if comments not in DELETE_CHOICES:
        raise ValidationFailed("comments must be delete or keep", field="comments", rule="choice")
    now = ctx.clock()
    live = await tx.readers.live_comments(user.id)
    changed: list[tuple[Comment, Comment]] = []
    if comments == "delete":
        await tx.readers.tombstone([c.id for c in live], now)
        drops: dict[int, int] = {}
        for c in live:
            if c.parent_id is not None and c.is_public:
                drops[c.parent_id] = drops.get(c.parent_id, 0) + 1
        await tx.readers.drop_replies(drops)
        for c in live:
            after = replace(c, status=Status.DELETED, body="", deleted_at=now, findings=[])
            changed.append((c, after))
    else:
        changed = [(c, c) for c in live if c.is_public]
    await tx.readers.erase_account(user.id, now)
    await _scrub_audit(tx, user)
    await tx.audit.add(
        site_id=user.site_id,
        actor=actor if actor.id != user.id else None,
        action=action,
        target_type="user",
        target_id=user.id,
        before=None,
        after={"comments": comments, "comments_deleted": len(live) if comments == "delete" else 0},
        now=now,
    )
    stories: dict[int, Any] = {}
    for before, _after in changed:
        if before.story_id not in stories:
            stories[before.story_id] = await tx.stories.by_id(before.story_id)
    if len(changed) <= LIVE_CHANGES_MAX:
        for before, after in changed:
            tx.record(CommentChanged(stories[before.story_id], after, before=before))
    else:
        for story in stories.values():
            tx.record(StoryChanged(story, comments_changed=True))
    # The name was shown on pages of any story (and in replies' "in reply to").
    tx.record(SiteChanged(user.site_id))
    return len(live) if comments == "delete" else 0


async def _scrub_audit(tx: Stores, user: User) -> None:
    """Keep who did what, but not the e-mail: take it out of every entry about the user."""
    secrets = {s for s in (user.email, (user.email or "").lower()) if s}
    if not secrets:
        return

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, str) and any(s in value for s in secrets):
            return "(erased)"
        return value

    for entry in await tx.readers.audit_about(user.site_id, user.id):
        before, after = clean(entry["before"]), clean(entry["after"])
        actor = clean(entry["actor_name"])
        if before != entry["before"] or after != entry["after"] or actor != entry["actor_name"]:
            await tx.readers.rewrite_audit(entry["id"], before, after, actor_name=actor)


async def delete_account(
    ctx: Context,
    user: User,
    *,
    comments: str,
    password: str | None = None,
    sso_token: str | None = None,
) -> dict[str, Any]:
    """Delete the reader's own account once they confirmed it is them; sessions end now."""
    if user.is_staff:
        raise Forbidden("staff accounts are removed by an admin, not deleted from the widget")
    async with ctx.write() as tx:
        await _confirm(ctx, tx, user, password, sso_token)
        n = await _erase(ctx, tx, user, comments=comments, actor=user, action="user.delete_account")
    return {"deleted": True, "comments": comments, "comments_deleted": n}


async def erase_user(ctx: Context, staff: User, user_id: int, *, comments: str) -> dict[str, Any]:
    """Staff erase a reader's account on request: the same effects, audited as theirs."""
    async with ctx.write() as tx:
        target = await tx.users.by_id(user_id)
        if (
            target is None
            or target.site_id != staff.site_id
            or await tx.readers.is_deleted(user_id)
        ):
            raise NotFound("user not found")
        if target.is_staff:
            raise Forbidden("staff accounts cannot be erased here; change their role first")
        n = await _erase(ctx, tx, target, comments=comments, actor=staff, action="user.erase")
    return {"deleted": True, "comments": comments, "comments_deleted": n}


# -- password ------------------------------------------------------------------------


async def change_password(
    ctx: Context, user: User, *, token: str, current: str, new: str
) -> dict[str, Any]:
    """Change a local account's password; every other session of the account ends."""
    check_password_rules(new)
    async with ctx.read() as tx:
        stored = await tx.readers.password_hash(user.id)
    if stored is None:
        raise Forbidden("this account signs in through the publisher; it has no password here")
    if not verify_password(stored, current):
        raise ConfirmationFailed("wrong password")
    digest = hash_password(new)
    now = ctx.clock()
    async with ctx.write() as tx:
        await tx.users.update(user.id, password_hash=digest)
        ended = await tx.readers.end_sessions(user.id, now, keep_hash=hash_token(token))
        await tx.audit.add(
            site_id=user.site_id,
            actor=user,
            action="user.password",
            target_type="user",
            target_id=user.id,
            before=None,
            after={"sessions_ended": ended},
            now=now,
        )
    return {"changed": True, "sessions_ended": ended}

"""A reader's own space: their comments on every story, and the commenters they muted.

Muting is private: only the reader who mutes reads their list; nothing anyone else
receives (pages, threads, live events, notifications) says who muted whom. Muted
authors' comments are collapsed by the reader's own client from the list it reads at
`GET /me/muted`, so the shared, cached public pages stay the same for everyone.

Notifications must ask `is_muted(ctx, reader_id=..., author_id=...)` (or
`muted_among` for many readers at once) before telling a reader about a reply: a
muted author's replies send that reader nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from townhall.domain.limits import LIST_LIMIT_MAX
from townhall.domain.models import Sort, Status, User
from townhall.domain.sorting import ORDERS
from townhall.errors import NotFound, ValidationFailed
from townhall.moderation.findings import author_notice
from townhall.presenter import iso
from townhall.render import render_body
from townhall.services.context import Context

# Newest first across stories; the cursor is the newest-first comment cursor.
MINE_ORDER = ORDERS[Sort.NEWEST]
MODERATOR_REASON = "Removed by a moderator for breaking the community guidelines"


def comment_link(story_url: str | None, comment_id: int) -> str | None:
    """Where a comment is read: its story's address with #comment-ID (None when unknown)."""
    if not story_url:
        return None
    return f"{story_url.split('#', 1)[0]}#comment-{comment_id}"


def _why(findings: list[dict[str, Any]], status: Status) -> dict[str, Any] | None:
    """The guideline and reason an author is told for a held or rejected comment."""
    if status not in (Status.PENDING, Status.REJECTED):
        return None
    last = findings[-1] if findings else {}
    if status is Status.REJECTED and last.get("guideline") == "moderator":
        return {"guideline": "moderator", "reason": last.get("reason") or MODERATOR_REASON}
    notice = author_notice(findings)
    if status is Status.REJECTED and notice["guideline"] is None:
        return {"guideline": "moderator", "reason": MODERATOR_REASON}
    return {"guideline": notice["guideline"], "reason": notice["reason"]}


def my_comment_json(row: dict[str, Any]) -> dict[str, Any]:
    """One of the reader's comments as they see it in their own list."""
    c = row["comment"]
    deleted = c.status is Status.DELETED
    # A shadow-banned author sees their comments as published: nothing tells them.
    return {
        "id": c.id,
        "story": {"id": row["story_key"], "title": row["story_title"], "url": row["story_url"]},
        "stream": c.stream.value,
        "parent_id": c.parent_id,
        "status": c.status.value,
        "body_html": "" if deleted else render_body(c.body),
        "created_at": iso(c.created_at),
        "edited_at": iso(c.edited_at),
        "deleted_at": iso(c.deleted_at),
        "like_count": c.like_count,
        "moderation": _why(c.findings, c.status),
        "link": None if deleted else comment_link(row["story_url"], c.id),
    }


async def my_comments(
    ctx: Context, user: User, *, limit: int = 20, cursor: str | None = None
) -> dict[str, Any]:
    """A page of the reader's comments on every story, newest first, in every status."""
    if not 1 <= limit <= LIST_LIMIT_MAX:
        raise ValidationFailed(
            f"limit must be between 1 and {LIST_LIMIT_MAX}", field="limit", rule="range"
        )
    after = MINE_ORDER.decode(cursor) if cursor else None
    async with ctx.read() as tx:
        rows = await tx.readers.comments_of(user.id, key=MINE_ORDER, limit=limit + 1, cursor=after)
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "comments": [my_comment_json(r) for r in rows],
        "next_cursor": MINE_ORDER.encode(rows[-1]["comment"]) if more and rows else None,
    }


async def _commenter(ctx: Context, user: User, user_id: int) -> User:
    """Another live account of the reader's site, or 404 (a deleted one too)."""
    if user_id == user.id:
        raise ValidationFailed("you cannot mute yourself", field="user_id", rule="not-self")
    async with ctx.read() as tx:
        other = await tx.users.by_id(user_id)
    if other is None or other.site_id != user.site_id or other.name is None:
        raise NotFound("no commenter with this id")
    return other


async def mute_user(ctx: Context, user: User, user_id: int) -> dict[str, Any]:
    """Mute a commenter for this reader (idempotent); nobody else learns of it."""
    other = await _commenter(ctx, user, user_id)
    async with ctx.write() as tx:
        await tx.readers.mute(user.id, other.id, ctx.clock())
    return {"id": other.id, "name": other.name, "muted": True}


async def unmute_user(ctx: Context, user: User, user_id: int) -> None:
    """Stop muting a commenter (idempotent)."""
    async with ctx.write() as tx:
        await tx.readers.unmute(user.id, user_id)


async def muted_users(ctx: Context, user: User) -> dict[str, Any]:
    """The commenters this reader muted, with their names as they are now."""
    async with ctx.read() as tx:
        rows = await tx.readers.muted(user.id)
    return {
        "muted": [
            {"id": r["id"], "name": r["name"], "muted_at": iso(r["muted_at"])}
            for r in rows
            if r["name"] is not None
        ]
    }


async def is_muted(ctx: Context, *, reader_id: int, author_id: int) -> bool:
    """Whether `reader_id` muted `author_id`: then nothing the author writes notifies them."""
    async with ctx.read() as tx:
        return await tx.readers.is_muted(reader_id, author_id)


async def muted_among(ctx: Context, *, author_id: int, reader_ids: Sequence[int]) -> set[int]:
    """Which of these readers muted the author (to leave out of a reply's notifications)."""
    async with ctx.read() as tx:
        return await tx.readers.muters_of(author_id, reader_ids)

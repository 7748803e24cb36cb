"""The widget's bell: a reader's notifications, marking them read, following stories."""

from __future__ import annotations

from typing import Any

from townhall.domain import limits
from townhall.domain.models import User
from townhall.errors import NotFound, ValidationFailed
from townhall.presenter import iso
from townhall.services.context import Context

PAGE = 20


def item_json(row: dict[str, Any]) -> dict[str, Any]:
    """One bell item as the API shows it."""
    return {
        "id": row["id"],
        "kind": row["kind"],
        "created_at": iso(row["created_at"]),
        "read": row["read_at"] is not None,
        "data": row["payload"],
    }


async def list_notifications(
    ctx: Context, user: User, *, limit: int = PAGE, before: int | None = None
) -> dict[str, Any]:
    """The reader's latest bell items and how many are unread."""
    if not 1 <= limit <= limits.LIST_LIMIT_MAX:
        raise ValidationFailed(
            f"limit must be between 1 and {limits.LIST_LIMIT_MAX}", field="limit", rule="range"
        )
    async with ctx.read() as tx:
        rows = await tx.notifications.inbox(user.id, limit, before)
        unread = await tx.notifications.unread(user.id)
    return {"notifications": [item_json(r) for r in rows], "unread": unread}


async def mark_read(ctx: Context, user: User, ids: list[int] | None) -> dict[str, Any]:
    """Mark the given items (or all) read; the unread count after."""
    async with ctx.write() as tx:
        await tx.notifications.mark_read(user.id, ids, ctx.clock())
        unread = await tx.notifications.unread(user.id)
    return {"unread": unread}


async def set_follow(ctx: Context, user: User, story_key: str, following: bool) -> dict[str, Any]:
    """Follow or stop following a story (staff replies on it go to the reader's bell)."""
    async with ctx.write() as tx:
        story = await tx.stories.by_key(user.site_id, story_key)
        if story is None:
            raise NotFound("story not found")
        if following:
            await tx.notifications.follow(user.id, story.id, ctx.clock())
        else:
            await tx.notifications.unfollow(user.id, story.id)
    return {"following": following}


async def is_following(ctx: Context, user: User, story_key: str) -> dict[str, Any]:
    """Whether the reader follows the story (false for stories nobody commented on yet)."""
    async with ctx.read() as tx:
        story = await tx.stories.by_key(user.site_id, story_key)
        found = story is not None and await tx.notifications.follows(user.id, story.id)
    return {"following": found}

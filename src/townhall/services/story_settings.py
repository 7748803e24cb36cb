"""Story settings moderators change: open or closed, pre-moderation, Premium, auto-close,
and the title and address readers' first comment gave it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from townhall.domain import urls
from townhall.domain.changes import StoryChanged
from townhall.domain.models import Story, User
from townhall.errors import NotFound, ValidationFailed
from townhall.presenter import iso
from townhall.services import sites
from townhall.services.context import Context

MAX_AUTO_CLOSE_DAYS = 3650
STORY_FIELDS = ("is_closed", "premoderate", "premium_enabled", "auto_close_days", "title", "url")


def story_json(story: Story, now: datetime) -> dict[str, Any]:
    """A story's settings as the dashboard shows them."""
    return {
        "id": story.key,
        "title": story.title,
        "url": story.url,
        "created_at": iso(story.created_at),
        "is_closed": story.is_closed,
        "is_closed_now": story.is_closed_at(now),
        "premoderate": story.premoderate,
        "premium_enabled": story.premium_enabled,
        "auto_close_days": story.auto_close_days,
    }


async def list_stories(ctx: Context, staff: User, text: str | None) -> list[dict[str, Any]]:
    """Stories of the site, newest first, optionally matching a title or id."""
    async with ctx.read() as tx:
        found = await tx.stories.search(staff.site_id, text, limit=50)
    return [story_json(s, ctx.clock()) for s in found]


async def get_story(ctx: Context, staff: User, story_key: str) -> dict[str, Any]:
    """One story's settings."""
    async with ctx.read() as tx:
        story = await tx.stories.by_key(staff.site_id, story_key)
    if story is None:
        raise NotFound("story not found")
    return story_json(story, ctx.clock())


def _check_story_changes(changes: dict[str, Any]) -> dict[str, Any]:
    for key, value in changes.items():
        if key not in STORY_FIELDS:
            raise ValidationFailed(f"unknown story setting '{key}'", field=key, rule="unknown")
        if key == "auto_close_days":
            if value is not None and (
                isinstance(value, bool)
                or not isinstance(value, int)
                or not 1 <= value <= MAX_AUTO_CLOSE_DAYS
            ):
                raise ValidationFailed(
                    f"auto_close_days must be null or 1-{MAX_AUTO_CLOSE_DAYS}",
                    field=key,
                    rule="range",
                )
        elif key == "title":
            if value is not None and (not isinstance(value, str) or not urls.plain_title(value)):
                raise ValidationFailed("title must be non-empty text", field=key, rule="type")
        elif key == "url":
            if value is not None and not isinstance(value, str):
                raise ValidationFailed("url must be text or null", field=key, rule="type")
        elif not isinstance(value, bool):
            raise ValidationFailed(f"{key} must be true or false", field=key, rule="type")
    if not changes:
        raise ValidationFailed("nothing to change", field="body", rule="required")
    return changes


async def update_story(
    ctx: Context,
    staff: User,
    story_key: str,
    changes: dict[str, Any],
    *,
    own_origin: str | None = None,
) -> dict[str, Any]:
    """Open or close a story, pre-moderate it, toggle Premium, set auto-close, correct
    its title and address; audited."""
    clean = _check_story_changes(changes)
    if clean.get("title") is not None:
        clean["title"] = urls.plain_title(clean["title"])
    if clean.get("url") is not None:
        site = await ctx.site(staff.site_id)
        origins = sites.story_origins(ctx, site, own_origin)
        if urls.story_url(clean["url"], origins) is None:
            raise ValidationFailed(
                "url must be an http(s) address on one of the site's embedding origins",
                field="url",
                rule="url",
            )
    now = ctx.clock()
    async with ctx.write() as tx:
        story = await tx.stories.by_key(staff.site_id, story_key)
        if story is None:
            raise NotFound("story not found")
        after = await tx.stories.update(story.id, **clean)
        await tx.audit.add(
            site_id=staff.site_id,
            actor=staff,
            action="story.settings",
            target_type="story",
            target_id=story.key,
            before={k: getattr(story, k) for k in clean},
            after=clean,
            now=now,
        )
        tx.record(StoryChanged(after))
    return story_json(after, now)

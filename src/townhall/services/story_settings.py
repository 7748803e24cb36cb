"""Story settings moderators change: open or closed, pre-moderation, Premium, auto-close,
the title and address readers' first comment gave it, and the editorial ones: a prompt,
a pinned staff comment, likes closed, questions and answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from townhall.domain import urls
from townhall.domain.changes import StoryChanged
from townhall.domain.limits import PROMPT_MAX, is_db_id
from townhall.domain.models import Story, User
from townhall.errors import NotFound, ValidationFailed
from townhall.presenter import iso
from townhall.services import sites
from townhall.services.context import Context
from townhall.storage.protocols import Stores

MAX_AUTO_CLOSE_DAYS = 3650
STORY_FIELDS = (
    "is_closed",
    "premoderate",
    "premium_enabled",
    "auto_close_days",
    "title",
    "url",
    "prompt",
    "pinned_comment_id",
    "likes_closed",
    "qa_mode",
)


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
        "prompt": story.prompt,
        "pinned_comment_id": story.pinned_comment_id,
        "likes_closed": story.likes_closed,
        "qa_mode": story.qa_mode,
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


def _prompt(value: Any) -> str | None:
    """A story's prompt: plain text on one line, at most PROMPT_MAX characters, or none."""
    if value is None:
        return None
    if not isinstance(value, str) or "\x00" in value:
        raise ValidationFailed("prompt must be text or null", field="prompt", rule="type")
    text = " ".join(value.split())
    if len(text) > PROMPT_MAX:
        raise ValidationFailed(
            f"prompt must be at most {PROMPT_MAX} characters", field="prompt", rule="max-length"
        )
    return text or None


async def _check_pin(tx: Stores, story: Story, comment_id: int | None) -> None:
    """Only a published staff comment of this story, seen by every reader, can be pinned."""
    if comment_id is None:
        return
    view = await tx.comments.view(story.site_id, comment_id)
    if (
        view is None
        or view.comment.story_id != story.id
        or not view.comment.is_public
        or not view.author_role.is_staff
    ):
        raise ValidationFailed(
            "pinned_comment_id must be a published staff comment of this story",
            field="pinned_comment_id",
            rule="exists",
        )


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
        elif key == "prompt":
            changes[key] = _prompt(value)
        elif key == "pinned_comment_id":
            if value is not None and not is_db_id(value):
                raise ValidationFailed(
                    "pinned_comment_id must be a comment id or null", field=key, rule="type"
                )
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
        if "pinned_comment_id" in clean:
            await _check_pin(tx, story, clean["pinned_comment_id"])
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

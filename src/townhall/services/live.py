"""Following a story live: who may subscribe to which stream, and from where to resume."""

from __future__ import annotations

from townhall.domain.models import Stream, User
from townhall.errors import PremiumRequired, ValidationFailed
from townhall.live.subscription import Subscription, is_event_id
from townhall.services.context import DEFAULT_SITE, Context

MAX_STORY_KEY = 255


def story_channel(site_id: str, story_key: str) -> str:
    """The live channel of a story (the same name as `Story.channel`)."""
    return f"story:{site_id}:{story_key}"


def check_last_event_id(value: str | None, *, field: str) -> str | None:
    """A resume point as the client sent it, or a validation error naming the field."""
    if value is None or value == "":
        return None
    if len(value) > 41 or not is_event_id(value):
        raise ValidationFailed(
            f"{field} must be an event id like 1732540000000-0", field=field, rule="format"
        )
    return value


async def follow_story(
    ctx: Context,
    viewer: User | None,
    *,
    story_key: str,
    stream: Stream,
    last_event_id: str | None,
    site_id: str = DEFAULT_SITE,
) -> Subscription:
    """Open a live subscription to a story once the viewer may read the stream."""
    if not 1 <= len(story_key) <= MAX_STORY_KEY:
        raise ValidationFailed("story id must be 1-255 characters", field="story_id", rule="length")
    site = await ctx.site(site_id)
    if (
        stream is Stream.PREMIUM
        and site.premium_read_restricted
        and not (viewer and (viewer.is_premium or viewer.is_staff))
    ):
        raise PremiumRequired(
            f"{site.premium_name} comments are for subscribers", learn_more_url=site.learn_more_url
        )
    return await ctx.live.open(story_channel(site.id, story_key), last_event_id)

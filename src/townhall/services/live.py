"""Following a story live: who may subscribe to which stream, from where to resume, and
what a resumed reader is told about comments that changed since."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from townhall.domain.limits import EVENT_ID_MAX, STORY_KEY_MAX, STORY_KEY_MIN
from townhall.domain.models import Status, Stream, User
from townhall.domain.site import SiteConfig
from townhall.domain.views import CommentView
from townhall.errors import PremiumRequired, ValidationFailed
from townhall.live.broker import Event
from townhall.live.subscription import Subscription, is_event_id
from townhall.presenter import present
from townhall.services.context import DEFAULT_SITE, Context

# Events that carry a comment's text: a replay shows what they say now, not then.
TEXT_EVENTS = frozenset({"comment", "updated"})


def story_channel(site_id: str, story_key: str) -> str:
    """The live channel of a story (the same name as `Story.channel`)."""
    return f"story:{site_id}:{story_key}"


def check_last_event_id(value: str | None, *, field: str) -> str | None:
    """A resume point as the client sent it, or a validation error naming the field."""
    if value is None or value == "":
        return None
    if len(value) > EVENT_ID_MAX or not is_event_id(value):
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
    if not STORY_KEY_MIN <= len(story_key) <= STORY_KEY_MAX:
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
    return await ctx.live.open(
        story_channel(site.id, story_key),
        last_event_id,
        rewrite=partial(current_state, ctx, site, story_key),
    )


async def current_state(
    ctx: Context, site: SiteConfig, story_key: str, missed: list[Event]
) -> list[Event]:
    """Missed events as their comments stand now.

    The replay log keeps events as they were published; since then a comment may have
    been deleted by its author, edited, rejected, or hidden by a shadow-ban. A replayed
    `comment` or `updated` event therefore carries the comment's current text, or
    becomes a `deleted` (tombstone) or `removed` event, so text taken down is never
    sent again.
    """
    ids = {e.data.get("id") for e in missed if e.kind in TEXT_EVENTS}
    wanted = [i for i in ids if isinstance(i, int)]
    if not wanted:
        return missed
    async with ctx.read() as tx:
        views = {v.comment.id: v for v in await tx.comments.views(site.id, wanted)}
    now = ctx.clock()
    out = []
    for event in missed:
        if event.kind not in TEXT_EVENTS:
            out.append(event)
            continue
        ident = event.data.get("id")
        view = views.get(ident) if isinstance(ident, int) else None
        if view is not None:
            out.append(_as_now(event, view, site, story_key, now))
    return out


def _as_now(
    event: Event, view: CommentView, site: SiteConfig, story_key: str, now: datetime
) -> Event:
    """One text event rewritten to the comment's current state for the same audience."""
    c = view.comment
    audience = event.audience
    shown = c.is_public or (
        audience is not None
        and audience == c.author_id
        and c.status in (Status.PENDING, Status.PUBLISHED)
    )
    if shown:
        if c.depth == 0:
            view.thread_total = c.reply_count
        data = present(
            view, viewer_id=None, story_key=story_key, edit_window=site.edit_window_seconds, now=now
        )
        return Event(id=event.id, kind=event.kind, data=data, audience=audience)
    if c.status is Status.DELETED:
        gone = {"id": c.id, "tombstone": c.reply_count > 0, "stream": c.stream.value}
        return Event(id=event.id, kind="deleted", data=gone, audience=audience)
    return Event(
        id=event.id, kind="removed", data={"id": c.id, "stream": c.stream.value}, audience=audience
    )

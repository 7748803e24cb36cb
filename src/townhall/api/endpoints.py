"""The hot endpoints' one implementation: comment pages, threads, counts, posting, live events.

The lane (`api/lane.py`) calls these with parameters already validated by the models of
`api/params.py`; FastAPI only documents the same paths. Each returns the JSON document
(or the event stream) and raises TownhallError for the lane to render.
"""

from __future__ import annotations

from typing import Any

from townhall.api.params import (
    CommentPath,
    CountsParams,
    FragmentParams,
    NoParams,
    PageParams,
    RepliesParams,
    StoryPath,
)
from townhall.api.schemas import CommentIn
from townhall.domain.models import Sort, Stream, User
from townhall.errors import Unauthenticated
from townhall.fragment import render_fragment
from townhall.live.sse import EventStream, LiveStreams
from townhall.presenter import present
from townhall.ratelimit import STREAMS_PER_ACCOUNT
from townhall.services import accounts, editorial, reading
from townhall.services import comments as svc
from townhall.services.context import Context
from townhall.services.live import check_last_event_id, follow_story


async def viewer_of(ctx: Context, token: str | None) -> User | None:
    """The reader behind a session token; None for anonymous; 401 for an unknown token."""
    if token is None:
        return None
    user = await accounts.authenticate(ctx, token)
    if user is None:
        raise Unauthenticated(accounts.SESSION_EXPIRED)
    return user


async def page(ctx: Context, viewer: User | None, path: StoryPath, q: PageParams) -> dict[str, Any]:
    """A page of top-level comments with their first replies, the total and site settings."""
    query = reading.PageQuery(
        story_key=path.story_id,
        stream=q.stream,
        sort=q.sort,
        limit=q.limit,
        cursor=q.cursor,
        flat=q.view == "flat",
        answered=q.answered,
    )
    return await reading.list_comments(ctx, viewer, query)


async def fragment(
    ctx: Context, viewer: User | None, path: StoryPath, q: FragmentParams
) -> dict[str, Any]:
    """The first page as every reader without an account sees it, as an HTML fragment."""
    query = reading.PageQuery(story_key=path.story_id, stream=q.stream, limit=q.limit)
    assert query.sort is Sort.NEWEST  # the default order, as the widget first shows it
    page = await reading.list_comments(ctx, None, query)
    return {"html": render_fragment(page, language=q.lang, nosnippet=q.nosnippet)}


async def featured(
    ctx: Context, viewer: User | None, path: StoryPath, q: NoParams
) -> dict[str, Any]:
    """A story's picks, latest first."""
    return await editorial.list_featured(ctx, viewer, path.story_id)


async def replies(
    ctx: Context, viewer: User | None, path: CommentPath, q: RepliesParams
) -> dict[str, Any]:
    """Every reply of a thread, oldest first."""
    return await reading.list_replies(ctx, viewer, path.comment_id, limit=q.limit, cursor=q.cursor)


async def counts(ctx: Context, viewer: User | None, path: None, q: CountsParams) -> dict[str, Any]:
    """Published comment counts of several stories."""
    return {"counts": await reading.counts(ctx, q.story_id)}


async def post(
    ctx: Context,
    user: User | str,
    path: StoryPath,
    payload: CommentIn,
    *,
    client: str,
    origin: str | None,
) -> tuple[dict[str, Any], str]:
    """Post as a user (or the holder of a session token); the author's JSON and its URL.

    `origin` is this server's as the request reached it: a story address on it is
    accepted besides the publisher's origins.
    """
    draft = svc.Draft(
        story_key=path.story_id,
        body=payload.body,
        stream=Stream(payload.stream),
        parent_id=payload.parent_id,
        story_url=payload.story_url,
        story_title=payload.story_title,
        client=client,
        own_origin=origin,
    )
    view = await svc.post_comment(ctx, user, draft)
    site = await ctx.site(view.comment.site_id)
    data = present(
        view,
        viewer_id=view.comment.author_id,
        story_key=path.story_id,
        edit_window=site.edit_window_seconds,
        now=ctx.clock(),
    )
    return data, f"/api/v1/comments/{view.comment.id}"


def stream_owner(viewer: User | None, address: str) -> tuple[str, int | None]:
    """Whom a live stream counts against, and its cap: the account when signed in,
    else the client address (None: the cap of TOWNHALL_SSE_MAX_PER_CLIENT)."""
    if viewer is not None:
        return f"user:{viewer.id}", STREAMS_PER_ACCOUNT
    return address, None


async def events(
    ctx: Context,
    viewer: User | None,
    path: StoryPath,
    *,
    stream: Stream,
    resume_header: str | None,
    resume_query: str | None,
    streams: LiveStreams,
    address: str,
) -> EventStream:
    """Check the resume point, count the stream for its owner, subscribe."""
    header = check_last_event_id(resume_header, field="Last-Event-ID")
    resume = header or check_last_event_id(resume_query, field="last_event_id")
    owner, cap = stream_owner(viewer, address)
    streams.acquire(owner, cap)
    try:
        sub = await follow_story(
            ctx, viewer, story_key=path.story_id, stream=stream, last_event_id=resume
        )
    except BaseException:
        streams.release(owner)
        raise
    return EventStream(
        sub,
        streams=streams,
        address=owner,
        viewer_id=viewer.id if viewer else None,
        stream=stream.value,
    )

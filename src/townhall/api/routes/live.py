"""Live updates: a story's server-sent event stream."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from townhall.api.deps import bearer, client_address, get_ctx
from townhall.api.schemas import PROBLEMS
from townhall.domain.models import Stream, User
from townhall.errors import Unauthenticated
from townhall.live.sse import EventStream, streams_of
from townhall.live.subscription import ID_PATTERN
from townhall.services import accounts
from townhall.services.context import Context
from townhall.services.live import check_last_event_id, follow_story

router = APIRouter(prefix="/api/v1", tags=["live"])

STREAM_DOC = """Server-sent events for one story and stream.

Events (each with an `id:` to resume from): `comment` (a new comment, Comment JSON),
`updated` (an edited or approved comment), `likes` (`{"id", "like_count"}`),
`deleted` (`{"id", "tombstone"}`), `removed` (`{"id"}`, hidden by moderation) and
`count` (`{"total"}`, visible comments in the stream). Payloads are the same for every
viewer (`is_mine` and `liked_by_me` are false). A comment held for review, or written by
a shadow-banned author, goes only to streams opened by its author.

Resume with the `Last-Event-ID` header (browsers send it when they reconnect) or the
`last_event_id` query. Because `EventSource` cannot send headers, a signed-in reader
may pass the session token as `?token=`; this route alone accepts it, and a bearer
header takes precedence. A `: keep-alive` comment is sent when the story is quiet.
"""


async def _viewer(request: Request, ctx: Context, token: str | None) -> User | None:
    """The reader behind the bearer header or the `token` query, if any."""
    if request.headers.get("authorization"):
        token = bearer(request)
        if token is None:
            raise Unauthenticated("authorization header must be 'Bearer <token>'")
    if not token:
        return None
    user = await accounts.authenticate(ctx, token)
    if user is None:
        raise Unauthenticated("session is invalid or has expired; sign in again")
    return user


@router.get(
    "/stories/{story_id}/events",
    description=STREAM_DOC,
    status_code=200,
    response_class=EventStream,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "An event stream"},
        503: PROBLEMS[429],
        **PROBLEMS,
    },
)
async def story_events(
    request: Request,
    story_id: Annotated[str, Path(min_length=1, max_length=255)],
    stream: Stream = Stream.OPEN,
    last_event_id: Annotated[
        str | None, Query(max_length=41, pattern=ID_PATTERN, description="Resume after this id")
    ] = None,
    token: Annotated[
        str | None, Query(max_length=512, description="Session token (EventSource only)")
    ] = None,
    ctx: Context = Depends(get_ctx),
) -> EventStream:
    """Follow a story's comments, likes and deletions as they happen."""
    viewer = await _viewer(request, ctx, token)
    header = check_last_event_id(request.headers.get("last-event-id"), field="Last-Event-ID")
    resume = header or check_last_event_id(last_event_id, field="last_event_id")
    streams = streams_of(
        request.app,
        max_per_client=ctx.settings.sse_max_per_client,
        keepalive=ctx.settings.sse_keepalive_seconds,
    )
    address = client_address(request)
    streams.acquire(address)
    try:
        sub = await follow_story(
            ctx, viewer, story_key=story_id, stream=stream, last_event_id=resume
        )
    except BaseException:
        streams.release(address)
        raise
    return EventStream(
        sub,
        streams=streams,
        address=address,
        viewer_id=viewer.id if viewer else None,
        stream=stream.value,
    )

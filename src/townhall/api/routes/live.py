"""Live updates: a story's server-sent event stream.

The stream is served by a raw ASGI endpoint registered ahead of the documented
FastAPI route for the same path: an open stream then holds no request object or
dependency frames, which roughly halves its memory (see bench/live/README.md).
Errors are still raised as TownhallError and rendered as problem details.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from starlette.routing import Route

from townhall.api.deps import stream_owner
from townhall.api.schemas import PROBLEMS
from townhall.domain.models import Stream, User
from townhall.errors import Unauthenticated, ValidationFailed
from townhall.live.sse import EventStream, streams_of
from townhall.live.subscription import ID_PATTERN
from townhall.services import accounts
from townhall.services.context import Context
from townhall.services.live import check_last_event_id, follow_story

PATH = "/api/v1/stories/{story_id}/events"
MAX_TOKEN = 512

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
header takes precedence. A `: keep-alive` comment is sent when the story is quiet;
signed-in readers may hold a few streams per account, anonymous ones
`TOWNHALL_SSE_MAX_PER_CLIENT` per address; past that the answer is 429.
"""


async def _viewer(request: Request, ctx: Context, token: str | None) -> User | None:
    """The reader behind the bearer header or the `token` query, if any."""
    header = request.headers.get("authorization")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise Unauthenticated("authorization header must be 'Bearer <token>'")
        token = value.strip()
    if not token:
        return None
    if len(token) > MAX_TOKEN:
        raise ValidationFailed(
            f"token must be at most {MAX_TOKEN} characters", field="token", rule="max-length"
        )
    user = await accounts.authenticate(ctx, token)
    if user is None:
        raise Unauthenticated("session is invalid or has expired; sign in again")
    return user


def _stream(value: str | None) -> Stream:
    try:
        return Stream(value or Stream.OPEN.value)
    except ValueError:
        raise ValidationFailed(
            "stream must be 'open' or 'premium'", field="stream", rule="enum"
        ) from None


async def open_event_stream(request: Request) -> EventStream:
    """Check the request, subscribe, and return the streaming response."""
    ctx: Context = request.app.state.ctx
    query = request.query_params
    story_id = request.path_params["story_id"]
    stream = _stream(query.get("stream"))
    viewer = await _viewer(request, ctx, query.get("token"))
    header = check_last_event_id(request.headers.get("last-event-id"), field="Last-Event-ID")
    resume = header or check_last_event_id(query.get("last_event_id"), field="last_event_id")
    streams = streams_of(
        request.app,
        max_per_client=ctx.settings.sse_max_per_client,
        keepalive=ctx.settings.sse_keepalive_seconds,
    )
    address, cap = stream_owner(request, viewer)
    streams.acquire(address, cap)
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


class EventsEndpoint:
    """The stream as a bare ASGI app (an instance, so Starlette does not wrap it)."""

    async def __call__(self, scope, receive, send) -> None:
        """Check and subscribe, then stream; nothing per-request outlives the checks."""
        response = await open_event_stream(Request(scope, receive))
        await response(scope, receive, send)


router = APIRouter(prefix="/api/v1", tags=["live"])
router.routes.append(
    Route(PATH, endpoint=EventsEndpoint(), methods=["GET"], include_in_schema=False)
)


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
        str | None, Query(max_length=MAX_TOKEN, description="Session token (EventSource only)")
    ] = None,
) -> EventStream:
    """Follow a story's comments, likes and deletions as they happen."""
    return await open_event_stream(request)

"""Live updates: a story's server-sent event stream, as the OpenAPI document shows it.

The stream is served by the lane (`api/lane.py`): an open stream then holds no
request object or dependency frames, which roughly halves its memory (see
bench/live/README.md). The route below only documents it and is never reached.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Query

from townhall.api.params import API, STORY_EVENTS, EventsParams, StoryKey
from townhall.api.routes.public import served_by_lane
from townhall.api.schemas import PROBLEMS
from townhall.live.sse import EventStream

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

router = APIRouter(prefix=API, tags=["live"])


@router.get(
    STORY_EVENTS.removeprefix(API),
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
    story_id: Annotated[StoryKey, Path()],
    q: Annotated[EventsParams, Query()],
    last_event_id_header: Annotated[
        str | None, Header(alias="Last-Event-ID", description="Resume after this event id")
    ] = None,
    authorization: Annotated[str | None, Header()] = None,
) -> EventStream:
    """Follow a story's comments, likes and deletions as they happen."""
    served_by_lane()

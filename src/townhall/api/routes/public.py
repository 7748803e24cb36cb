"""Reader and commenter routes: comment pages, threads, counts, posting, likes, reports.

Pages, threads, counts and posting are served by the lane (`api/lane.py`); their
routes here document them in the OpenAPI document with the same parameter models and
are never reached (a test proves it).
"""

from __future__ import annotations

from typing import Annotated, NoReturn

from fastapi import APIRouter, Depends, Header, Path, Query
from starlette.responses import Response

from townhall.api.deps import current_user, get_ctx
from townhall.api.params import (
    API,
    COMMENT_REPLIES,
    COUNTS,
    STORY_COMMENTS,
    STORY_FEATURED,
    STORY_FRAGMENT,
    CountsParams,
    FragmentParams,
    Id,
    PageParams,
    RepliesParams,
    StoryKey,
)
from townhall.api.responses import json_response
from townhall.api.schemas import (
    PROBLEMS,
    CommentEditIn,
    CommentIn,
    CommentOut,
    CommentPageOut,
    CountsOut,
    FeaturedOut,
    LikeOut,
    RepliesOut,
    ReportedOut,
    ReportIn,
)
from townhall.domain.models import User
from townhall.services import comments as svc
from townhall.services.comments import comment_json
from townhall.services.context import Context

router = APIRouter(prefix=API, tags=["comments"], responses=PROBLEMS)
# Outside the API prefix: the page a CMS includes server-side.
pages = APIRouter(tags=["comments"], responses=PROBLEMS)
CommentId = Annotated[Id, Path()]
StoryId = Annotated[StoryKey, Path()]
Authorization = Annotated[
    str | None, Header(description="`Bearer <session token>`; omit to read anonymously")
]


class LaneOnly(RuntimeError):
    """A documentation stub was called: the lane should have answered."""


def served_by_lane() -> NoReturn:
    """Stubs document lane endpoints; reaching one is a bug."""
    raise LaneOnly("this endpoint is served by the lane, before routing")


@router.get(STORY_COMMENTS.removeprefix(API), response_model=CommentPageOut)
async def list_comments(
    story_id: StoryId, q: Annotated[PageParams, Query()], authorization: Authorization = None
) -> Response:
    """A page of top-level comments with their first replies, the total and site settings.

    Anonymous answers are `Cache-Control: public`, signed-in ones `private`; both carry
    an `ETag` and answer `304` to `If-None-Match`.
    """
    served_by_lane()


@router.get(STORY_FEATURED.removeprefix(API), response_model=FeaturedOut)
async def list_featured(story_id: StoryId, authorization: Authorization = None) -> Response:
    """A story's picks (comments staff featured, with their public notes), latest pick
    first; cached and validated like comment pages."""
    served_by_lane()


@pages.get(
    STORY_FRAGMENT,
    response_class=Response,
    responses={200: {"content": {"text/html": {}}, "description": "An HTML fragment"}},
)
async def comments_html(story_id: StoryId, q: Annotated[FragmentParams, Query()]) -> Response:
    """The story's first page as a cacheable HTML fragment for readers without JavaScript,
    search engines and AMP pages: the pinned comment and the picks, then the newest
    comments with their first replies, sanitized as in the API, no scripts. Include it
    server-side inside `<townhall-comments>`; the widget draws over it. `ETag`/`304` as
    for comment pages, and dropped from the cache with them."""
    served_by_lane()


@router.get(COMMENT_REPLIES.removeprefix(API), response_model=RepliesOut)
async def list_replies(
    comment_id: CommentId, q: Annotated[RepliesParams, Query()], authorization: Authorization = None
) -> Response:
    """Every reply of a thread, oldest first."""
    served_by_lane()


@router.get(COUNTS.removeprefix(API), response_model=CountsOut)
async def counts(q: Annotated[CountsParams, Query()]) -> Response:
    """Published comment counts for up to 100 stories."""
    served_by_lane()


@router.post(STORY_COMMENTS.removeprefix(API), status_code=201, response_model=CommentOut)
async def post_comment(
    story_id: StoryId, payload: CommentIn, authorization: Annotated[str, Header()]
) -> Response:
    """Post a comment or reply; 201 with its status (published or pending review)."""
    served_by_lane()


@router.patch("/comments/{comment_id}", response_model=CommentOut)
async def edit_comment(
    comment_id: CommentId,
    payload: CommentEditIn,
    ctx: Context = Depends(get_ctx),
    user: User = Depends(current_user),
) -> Response:
    """Edit your own comment within the edit window; it is moderated again."""
    comment = await svc.edit_comment(ctx, user, comment_id, payload.body)
    return json_response(await comment_json(ctx, comment, viewer=user))


@router.delete("/comments/{comment_id}", status_code=204)
async def delete_comment(
    comment_id: CommentId,
    ctx: Context = Depends(get_ctx),
    user: User = Depends(current_user),
) -> Response:
    """Delete your comment (moderators: any); a tombstone stays when it has replies."""
    await svc.delete_comment(ctx, user, comment_id)
    return Response(status_code=204)


@router.put("/comments/{comment_id}/like", response_model=LikeOut)
async def like_comment(
    comment_id: CommentId,
    ctx: Context = Depends(get_ctx),
    user: User = Depends(current_user),
) -> Response:
    """Like a comment (idempotent; not your own)."""
    count, liked = await svc.set_like(ctx, user, comment_id, True)
    return json_response({"like_count": count, "liked_by_me": liked})


@router.delete("/comments/{comment_id}/like", response_model=LikeOut)
async def unlike_comment(
    comment_id: CommentId,
    ctx: Context = Depends(get_ctx),
    user: User = Depends(current_user),
) -> Response:
    """Withdraw your like (idempotent)."""
    count, liked = await svc.set_like(ctx, user, comment_id, False)
    return json_response({"like_count": count, "liked_by_me": liked})


@router.post("/comments/{comment_id}/reports", status_code=201, response_model=ReportedOut)
async def report_comment(
    comment_id: CommentId,
    payload: ReportIn,
    ctx: Context = Depends(get_ctx),
    user: User = Depends(current_user),
) -> Response:
    """Report a comment as inappropriate, once per user."""
    await svc.report_comment(ctx, user, comment_id, reason=payload.reason, note=payload.note)
    return json_response({"reported": True}, status=201)

"""Reader and commenter routes: comment pages, threads, counts, posting, likes, reports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import Response

from townhall.api import posting
from townhall.api.deps import client_address, current_user, get_ctx, optional_user, own_origin
from townhall.api.responses import cacheable, json_response
from townhall.api.schemas import (
    PROBLEMS,
    CommentEditIn,
    CommentIn,
    CommentOut,
    CommentPageOut,
    CountsOut,
    LikeOut,
    RepliesOut,
    ReportedOut,
    ReportIn,
)
from townhall.domain.models import Sort, Stream, User
from townhall.errors import ValidationFailed
from townhall.services import comments as svc
from townhall.services import reading
from townhall.services.context import Context
from townhall.services.events import view_json

router = APIRouter(prefix="/api/v1", tags=["comments"], responses=PROBLEMS)
StoryKey = Annotated[str, Path(min_length=1, max_length=255, description="Publisher's story id")]
CommentId = Annotated[int, Path(ge=1, le=2**63 - 1)]  # a database id, never wider


@router.get("/stories/{story_id:path}/comments", response_model=CommentPageOut)
async def list_comments(
    request: Request,
    story_id: StoryKey,
    stream: Stream = Stream.OPEN,
    sort: Sort = Sort.NEWEST,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    ctx: Context = Depends(get_ctx),
    viewer: User | None = Depends(optional_user),
) -> Response:
    """A page of top-level comments with their first replies, the total and site settings."""
    data = await reading.list_comments(
        ctx,
        viewer,
        reading.PageQuery(story_key=story_id, stream=stream, sort=sort, limit=limit, cursor=cursor),
    )
    return cacheable(request, data, private=viewer is not None)


@router.get("/comments/{comment_id}/replies", response_model=RepliesOut)
async def list_replies(
    request: Request,
    comment_id: CommentId,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    ctx: Context = Depends(get_ctx),
    viewer: User | None = Depends(optional_user),
) -> Response:
    """Every reply of a thread, oldest first."""
    data = await reading.list_replies(ctx, viewer, comment_id, limit=limit, cursor=cursor)
    return cacheable(request, data, private=viewer is not None)


@router.get("/counts", response_model=CountsOut)
async def counts(
    request: Request,
    story_id: Annotated[list[str], Query(max_length=100)],
    ctx: Context = Depends(get_ctx),
) -> Response:
    """Published comment counts for up to 100 stories."""
    for key in story_id:
        if not 1 <= len(key) <= 255:
            raise ValidationFailed(
                "story_id must be 1-255 characters", field="story_id", rule="length"
            )
    return cacheable(request, {"counts": await reading.counts(ctx, story_id)}, private=False)


@router.post("/stories/{story_id:path}/comments", status_code=201, response_model=CommentOut)
async def post_comment(
    request: Request,
    story_id: StoryKey,
    payload: CommentIn,
    ctx: Context = Depends(get_ctx),
    user: User = Depends(current_user),
) -> Response:
    """Post a comment or reply; 201 with its status (published or pending review)."""
    data, headers = await posting.create(
        ctx, user, story_id, payload, client_address(request), own_origin(request.scope)
    )
    return json_response(data, status=201, headers=headers)


@router.patch("/comments/{comment_id}", response_model=CommentOut)
async def edit_comment(
    comment_id: CommentId,
    payload: CommentEditIn,
    ctx: Context = Depends(get_ctx),
    user: User = Depends(current_user),
) -> Response:
    """Edit your own comment within the edit window; it is moderated again."""
    comment = await svc.edit_comment(ctx, user, comment_id, payload.body)
    return json_response(await view_json(ctx, comment, viewer=user))


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

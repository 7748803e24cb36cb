"""Checking a draft before posting: `POST /api/v1/comments/check`."""

from __future__ import annotations

from fastapi import APIRouter, Body, Depends
from starlette.responses import Response

from townhall.api.deps import current_user, get_ctx
from townhall.api.responses import json_response
from townhall.api.schemas import PROBLEMS, CommentCheckIn, CommentCheckOut
from townhall.domain.models import Stream, User
from townhall.services import checks as svc
from townhall.services.comments import Draft
from townhall.services.context import Context

router = APIRouter(prefix="/api/v1", tags=["comments"], responses=PROBLEMS)

_EXAMPLE = {
    "story_id": "2026/11/rail-fares",
    "body": "His mobile is 07700 900123, ring him and tell him what you think.",
}


@router.post("/comments/check", response_model=CommentCheckOut)
async def check_comment(
    payload: CommentCheckIn = Body(openapi_examples={"held": {"value": _EXAMPLE}}),
    ctx: Context = Depends(get_ctx),
    user: User = Depends(current_user),
) -> Response:
    """Run pre-moderation on a draft without storing it.

    Same body as posting a comment, plus `story_id`; signed in and rate-limited
    like posting. The answer says what posting it now would do (`publish`,
    `hold` for a moderator, or `reject`) and lists every finding with its
    guideline, the passage (`span`: character offsets into `body` as sent, end
    exclusive), a plain-language message and a suggestion. The matched words
    themselves are never returned.
    """
    draft = Draft(
        story_key=payload.story_id,
        body=payload.body,
        stream=Stream(payload.stream),
        parent_id=payload.parent_id,
        story_url=payload.story_url,
        story_title=payload.story_title,
    )
    result = await svc.check_comment(ctx, user, draft)
    return json_response(
        {"action": str(result.action), "findings": [f.for_author() for f in result.findings]}
    )

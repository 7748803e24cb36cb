"""Statements of reasons and appeals: the author's side, and the moderators' review."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from townhall.api import params
from townhall.api.deps import current_user, get_ctx, staff_user
from townhall.api.moderation_schemas import CardOut
from townhall.api.responses import json_response
from townhall.api.schemas import PROBLEMS
from townhall.domain import limits
from townhall.domain.models import User
from townhall.services import appeals as svc
from townhall.services.context import Context

router = APIRouter(tags=["appeals"], responses=PROBLEMS)
Id = Annotated[params.Id, Path()]
Ctx = Annotated[Context, Depends(get_ctx)]
NO_STORE = {"Cache-Control": "no-store"}


class AppealIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    text: str = Field(
        min_length=1, max_length=limits.APPEAL_MAX, description="Why the decision was wrong"
    )


class AppealOut(BaseModel):
    status: Literal["open", "upheld", "overturned"]
    text: str
    created_at: str
    decided_at: str | None
    outcome_reason: str | None


class StatementOut(BaseModel):
    comment_id: int
    decision: Literal["removed"]
    guideline: str = Field(description="The guideline the comment broke")
    facts: str | None = Field(description="What the decision rests on, in words")
    passage: dict[str, int] | None = Field(description="The passage an automatic check found")
    automated: bool = Field(description="Decided by the automatic checks, not a person")
    decided_at: str
    how_to_appeal: str
    can_appeal: bool
    appeal_url: str
    appeal_max: int = Field(description="The longest appeal text, in characters")
    appeal: AppealOut | None


class DecideAppealIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    outcome: Literal["uphold", "overturn"]
    reason: str | None = Field(default=None, max_length=limits.REASON_MAX)


class ReviewedAppealOut(AppealOut):
    id: int
    comment: CardOut


class AppealsOut(BaseModel):
    appeals: list[ReviewedAppealOut]


@router.get("/api/v1/comments/{comment_id}/statement", response_model=StatementOut)
async def statement_of_reasons(
    comment_id: Id, ctx: Ctx, user: Annotated[User, Depends(current_user)]
) -> Response:
    """The author's statement of reasons for a removed comment: guideline, facts, automated
    or human, when, and how to appeal (404 to anyone but the author)."""
    return json_response(await svc.statement_of_reasons(ctx, user, comment_id), headers=NO_STORE)


@router.post("/api/v1/comments/{comment_id}/appeal", response_model=AppealOut, status_code=201)
async def appeal_removal(
    comment_id: Id, payload: AppealIn, ctx: Ctx, user: Annotated[User, Depends(current_user)]
) -> Response:
    """Appeal a removal, once, with a short text; a moderator other than the one who
    decided reviews it."""
    out = await svc.appeal_removal(ctx, user, comment_id, payload.text)
    return json_response(out, status=201, headers=NO_STORE)


@router.get("/api/v1/moderation/appeals", response_model=AppealsOut, tags=["moderation"])
async def list_appeals(
    ctx: Ctx,
    staff: Annotated[User, Depends(staff_user)],
    status: Annotated[Literal["open", "upheld", "overturned"], Query()] = "open",
) -> Response:
    """Appeals to review, oldest first; a moderator never sees appeals against their own
    decisions."""
    return json_response(await svc.list_appeals(ctx, staff, status=status), headers=NO_STORE)


@router.post(
    "/api/v1/moderation/appeals/{appeal_id}/decide",
    response_model=ReviewedAppealOut,
    tags=["moderation"],
)
async def decide_appeal(
    appeal_id: Id,
    payload: DecideAppealIn,
    ctx: Ctx,
    staff: Annotated[User, Depends(staff_user)],
) -> Response:
    """Uphold a removal or overturn it (the comment is published again); 403 to the
    moderator who made the decision under appeal."""
    out = await svc.decide_appeal(
        ctx, staff, appeal_id, outcome=payload.outcome, reason=payload.reason
    )
    return json_response(out, headers=NO_STORE)

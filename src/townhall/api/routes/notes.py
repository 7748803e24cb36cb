"""Moderators' notes on readers, and the warnings readers acknowledge."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from townhall.api import params
from townhall.api.deps import current_user, get_ctx, staff_user
from townhall.api.responses import json_response
from townhall.api.schemas import PROBLEMS
from townhall.domain import limits
from townhall.domain.models import User
from townhall.services import notes as svc
from townhall.services.context import Context

router = APIRouter(responses=PROBLEMS)
Id = Annotated[params.Id, Path()]
Ctx = Annotated[Context, Depends(get_ctx)]
NO_STORE = {"Cache-Control": "no-store"}


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    text: str = Field(min_length=1, max_length=limits.NOTE_TEXT_MAX)
    warning: bool = Field(
        default=False, description="Show it to the reader, who must acknowledge it to post again"
    )


class NoteOut(BaseModel):
    id: int
    kind: Literal["note", "warning"]
    text: str
    by: str | None
    created_at: str
    acknowledged_at: str | None


class NotesOut(BaseModel):
    notes: list[NoteOut]


class WarningOut(BaseModel):
    id: int
    text: str
    created_at: str


class WarningsOut(BaseModel):
    warnings: list[WarningOut]


@router.get(
    "/api/v1/moderation/users/{user_id}/notes", response_model=NotesOut, tags=["moderation"]
)
async def list_notes(
    user_id: Id, ctx: Ctx, staff: Annotated[User, Depends(staff_user)]
) -> Response:
    """Staff's private notes on a reader and the warnings sent to them, newest first."""
    return json_response(await svc.list_notes(ctx, staff, user_id), headers=NO_STORE)


@router.post(
    "/api/v1/moderation/users/{user_id}/notes",
    response_model=NoteOut,
    status_code=201,
    tags=["moderation"],
)
async def add_note(
    user_id: Id, payload: NoteIn, ctx: Ctx, staff: Annotated[User, Depends(staff_user)]
) -> Response:
    """Write a private note on a reader, or (`warning`) a warning they must acknowledge in
    the comment section before they can post again; audited."""
    out = await svc.add_note(ctx, staff, user_id, payload.text, warning=payload.warning)
    return json_response(out, status=201, headers=NO_STORE)


@router.get("/api/v1/me/warnings", response_model=WarningsOut, tags=["me"])
async def my_warnings(ctx: Ctx, user: Annotated[User, Depends(current_user)]) -> Response:
    """The moderators' warnings to this reader that wait to be acknowledged."""
    return json_response(await svc.my_warnings(ctx, user), headers=NO_STORE)


@router.post("/api/v1/me/warnings/{note_id}/acknowledge", status_code=204, tags=["me"])
async def acknowledge_warning(
    note_id: Id, ctx: Ctx, user: Annotated[User, Depends(current_user)]
) -> Response:
    """Acknowledge a warning; posting is possible again once none is left."""
    await svc.acknowledge_warning(ctx, user, note_id)
    return Response(status_code=204)

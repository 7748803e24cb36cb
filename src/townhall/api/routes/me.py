"""A reader's own space: my comments, muting, download my data, delete my account, password.

Every answer here is for one signed-in reader: `Cache-Control: no-store`, never shared.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import Response, StreamingResponse

from townhall.api import params
from townhall.api.deps import bearer, current_user, get_ctx
from townhall.api.me_schemas import (
    DeleteAccountIn,
    ErasedOut,
    MutedListOut,
    MutedOut,
    MyCommentsOut,
    PasswordChangedOut,
    PasswordIn,
)
from townhall.api.responses import json_response
from townhall.api.schemas import PROBLEMS
from townhall.domain import limits
from townhall.domain.models import User
from townhall.services import my_space, privacy
from townhall.services.context import Context

router = APIRouter(prefix="/api/v1/me", tags=["my space"], responses=PROBLEMS)
Me = Annotated[User, Depends(current_user)]
Ctx = Annotated[Context, Depends(get_ctx)]
UserId = Annotated[params.Id, Path()]
NO_STORE = {"Cache-Control": "no-store"}


def _json(data: dict, status: int = 200) -> Response:
    return json_response(data, status=status, headers=NO_STORE)


@router.get("/comments", response_model=MyCommentsOut)
async def my_comments(
    ctx: Ctx,
    user: Me,
    limit: Annotated[int, Query(ge=1, le=limits.LIST_LIMIT_MAX)] = limits.PAGE_LIMIT_DEFAULT,
    cursor: Annotated[str | None, Query(max_length=limits.CURSOR_MAX)] = None,
) -> Response:
    """Your comments on every story, newest first: published, pending (awaiting review),
    rejected (with the guideline and reason) and deleted, each with a link to read it."""
    return _json(await my_space.my_comments(ctx, user, limit=limit, cursor=cursor))


@router.get("/muted", response_model=MutedListOut)
async def muted_users(ctx: Ctx, user: Me) -> Response:
    """The commenters you muted; only you can see this list."""
    return _json(await my_space.muted_users(ctx, user))


@router.put("/muted/{user_id}", response_model=MutedOut)
async def mute_user(user_id: UserId, ctx: Ctx, user: Me) -> Response:
    """Mute a commenter: their comments collapse for you and their replies do not notify
    you. They are not told."""
    return _json(await my_space.mute_user(ctx, user, user_id))


@router.delete("/muted/{user_id}", status_code=204)
async def unmute_user(user_id: UserId, ctx: Ctx, user: Me) -> Response:
    """Stop muting a commenter (idempotent)."""
    await my_space.unmute_user(ctx, user, user_id)
    return Response(status_code=204, headers=NO_STORE)


@router.get(
    "/export",
    responses={
        200: {"content": {"application/json": {}}, "description": "docs/export.schema.json"}
    },
)
async def export_my_data(ctx: Ctx, user: Me) -> Response:
    """Download your data as one JSON document (streamed): account, every comment with its
    story address and status, likes given, reports made, preferences. Its JSON Schema is
    docs/export.schema.json."""
    return StreamingResponse(
        privacy.export_data(ctx, user),
        media_type="application/json",
        headers={
            **NO_STORE,
            "Content-Disposition": 'attachment; filename="townhall-my-data.json"',
        },
    )


@router.delete("", response_model=ErasedOut)
async def delete_my_account(payload: DeleteAccountIn, ctx: Ctx, user: Me) -> Response:
    """Delete your account after confirming it is you (your password, or a fresh token from
    the publisher's sign-in). Every session ends at once; your comments are deleted
    (tombstones keep threads) or kept as a former reader's, without your name."""
    result = await privacy.delete_account(
        ctx,
        user,
        comments=payload.comments,
        password=payload.password,
        sso_token=payload.sso_token,
    )
    return _json(result)


@router.put("/password", response_model=PasswordChangedOut)
async def change_password(request: Request, payload: PasswordIn, ctx: Ctx, user: Me) -> Response:
    """Change your password (accounts with e-mail and password); your other sessions end."""
    token = bearer(request)
    assert token is not None
    result = await privacy.change_password(
        ctx, user, token=token, current=payload.current_password, new=payload.new_password
    )
    return _json(result)

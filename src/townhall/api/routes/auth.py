"""Accounts: SSO exchange, local register/login/logout, me, commenting name."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from townhall.api.deps import bearer, client_address, current_user, get_ctx, optional_user
from townhall.api.responses import json_response
from townhall.api.schemas import (
    PROBLEMS,
    LoginIn,
    NameCheckOut,
    NameIn,
    RegisteredOut,
    RegisterIn,
    SessionOut,
    SsoIn,
    UserOut,
)
from townhall.domain import limits
from townhall.domain.models import User
from townhall.presenter import iso
from townhall.services import accounts
from townhall.services.context import Context

router = APIRouter(prefix="/api/v1", tags=["accounts"], responses=PROBLEMS)


def user_json(user: User, ctx: Context) -> dict:
    """What a user may see of their own account (never the shadow-ban)."""
    state = user.state(ctx.clock())
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role.value,
        "premium": user.is_premium,
        "status": state.value,
        "suspended_until": iso(user.suspended_until) if state.value == "suspended" else None,
    }


@router.post("/auth/sso", response_model=SessionOut)
async def sso(payload: SsoIn, ctx: Context = Depends(get_ctx)) -> Response:
    """Exchange a publisher-signed JWT (HS256, sub/email/name/premium/exp/aud) for a session."""
    token, user = await accounts.sso_sign_in(ctx, payload.token)
    return json_response({"token": token, "user": user_json(user, ctx)})


@router.post("/auth/register", status_code=201, response_model=RegisteredOut)
async def register(
    request: Request, payload: RegisterIn, ctx: Context = Depends(get_ctx)
) -> Response:
    """Create a local account (e-mail + password); then sign in with `/auth/login`.

    An address that already has an account gets exactly the same answer, so the
    route does not reveal who is registered."""
    await accounts.register(
        ctx,
        email=payload.email,
        password=payload.password,
        name=payload.name,
        client=client_address(request),
    )
    return json_response({"registered": True, "detail": accounts.REGISTERED}, status=201)


@router.post("/auth/login", response_model=SessionOut)
async def login(request: Request, payload: LoginIn, ctx: Context = Depends(get_ctx)) -> Response:
    """Sign in with e-mail and password."""
    token, user = await accounts.login(
        ctx, email=payload.email, password=payload.password, client=client_address(request)
    )
    return json_response({"token": token, "user": user_json(user, ctx)})


@router.post("/auth/logout", status_code=204)
async def logout(
    request: Request, ctx: Context = Depends(get_ctx), _user: User = Depends(current_user)
) -> Response:
    """End this session; the token stops working at once."""
    token = bearer(request)
    assert token is not None
    await accounts.logout(ctx, token)
    return Response(status_code=204)


@router.get("/me", response_model=UserOut)
async def me(ctx: Context = Depends(get_ctx), user: User = Depends(current_user)) -> Response:
    """The signed-in user."""
    return json_response(user_json(user, ctx), headers={"Cache-Control": "no-store"})


@router.put("/me/name", response_model=UserOut)
async def set_name(
    payload: NameIn, ctx: Context = Depends(get_ctx), user: User = Depends(current_user)
) -> Response:
    """Choose or change your commenting name."""
    updated = await accounts.set_name(ctx, user, payload.name)
    return json_response(user_json(updated, ctx))


@router.get("/names/check", response_model=NameCheckOut)
async def check_name(
    name: Annotated[str, Query(min_length=1, max_length=limits.NAME_INPUT_MAX)],
    ctx: Context = Depends(get_ctx),
    user: User | None = Depends(optional_user),
) -> Response:
    """Whether a commenting name is available, and which rule refuses it if not."""
    ok, rule, detail = await accounts.check_name(ctx, user, name)
    return json_response({"available": ok, "rule": rule, "detail": detail})

"""Request dependencies: the context, the signed-in user, the client address."""

from __future__ import annotations

from fastapi import Request

from townhall.api.request import bearer_token
from townhall.api.request import client_address as request_client_address
from townhall.domain.models import User
from townhall.errors import Forbidden, Unauthenticated
from townhall.services import accounts
from townhall.services.context import Context


def ctx_of(request: Request) -> Context:
    """The process's service context."""
    return request.app.state.ctx


async def get_ctx(request: Request) -> Context:
    """The service context as a dependency (async: FastAPI would run a plain function
    in its thread pool, a thread hand-off per request)."""
    return request.app.state.ctx


def bearer(request: Request) -> str | None:
    """The bearer token of the request, if any (a malformed header is refused)."""
    return bearer_token(request.scope["headers"])


async def optional_user(request: Request) -> User | None:
    """The signed-in user, or None for anonymous readers.

    A present but unknown token is refused rather than treated as anonymous, so a
    client with an expired session learns it must sign in again.
    """
    token = bearer(request)
    if token is None:
        return None
    user = await accounts.authenticate(ctx_of(request), token)
    if user is None:
        raise Unauthenticated(accounts.SESSION_EXPIRED)
    return user


async def current_user(request: Request) -> User:
    """The signed-in user; 401 otherwise."""
    user = await optional_user(request)
    if user is None:
        raise Unauthenticated("sign in to do this")
    return user


async def staff_user(request: Request) -> User:
    """A moderator or admin; 401 anonymous, 403 commenters."""
    user = await current_user(request)
    if not user.is_staff:
        raise Forbidden("moderators only")
    return user


async def admin_user(request: Request) -> User:
    """An admin; 401 anonymous, 403 everyone else."""
    user = await current_user(request)
    if user.role.value != "admin":
        raise Forbidden("admins only")
    return user


def client_address(request: Request) -> str:
    """The client's address: the peer's, or X-Forwarded-For's when the peer is a proxy
    listed in --forwarded-allow-ips (uvicorn resolves it; see SECURITY.md)."""
    return request_client_address(request.scope)

"""Request dependencies: the context, the signed-in user, the client address."""

from __future__ import annotations

from fastapi import Request

from townhall.domain.models import User
from townhall.errors import Forbidden, Unauthenticated
from townhall.ratelimit import STREAMS_PER_ACCOUNT
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
    """The bearer token of the request, if any."""
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def optional_user(request: Request) -> User | None:
    """The signed-in user, or None for anonymous readers.

    A present but unknown token is refused rather than treated as anonymous, so a
    client with an expired session learns it must sign in again.
    """
    token = bearer(request)
    if token is None:
        if request.headers.get("authorization"):
            raise Unauthenticated("authorization header must be 'Bearer <token>'")
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
    return request.client.host if request.client else "unknown"


def stream_owner(request: Request, viewer: User | None) -> tuple[str, int | None]:
    """Whom a live stream counts against, and its cap: the account when signed in,
    else the client address (the cap of TOWNHALL_SSE_MAX_PER_CLIENT)."""
    if viewer is not None:
        return f"user:{viewer.id}", STREAMS_PER_ACCOUNT
    return client_address(request), None


def own_origin(scope) -> str | None:
    """This server's origin as the request reached it ('scheme://host[:port]')."""
    for name, value in scope.get("headers", ()):
        if name == b"host":
            return f"{scope.get('scheme', 'http')}://{value.decode('latin-1').lower()}"
    return None

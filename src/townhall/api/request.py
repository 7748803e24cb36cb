"""Reading a raw request, once: the bearer token, the body, the client address and origin.

The lane, the edge middleware and FastAPI's dependencies all use these.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

from townhall.errors import Unauthenticated

Receive = Callable[[], Awaitable[dict[str, Any]]]
MALFORMED_AUTHORIZATION = "authorization header must be 'Bearer <token>'"


def bearer_token(headers: Iterable[tuple[bytes, bytes]]) -> str | None:
    """The bearer token of raw ASGI headers; None without an Authorization header.

    A malformed or repeated header is refused rather than read as anonymous, so a
    client with a broken session learns it must sign in again.
    """
    token: str | None = None
    for name, value in headers:
        if name != b"authorization":
            continue
        if token is not None:
            raise Unauthenticated("send one authorization header")
        scheme, _, rest = value.decode("latin-1").partition(" ")
        token = rest.strip()
        if scheme.lower() != "bearer" or not token:
            raise Unauthenticated(MALFORMED_AUTHORIZATION)
    return token


def has_authorization(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    """Whether the request carries credentials (then nothing shared may answer it)."""
    return any(name == b"authorization" for name, _ in headers)


async def read_body(receive: Receive, limit: int) -> bytes | dict[str, Any] | None:
    """The whole request body; None when it passes `limit` bytes, or the first message
    that is not body (a disconnect) as it came."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return message
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    """A receive that hands out the buffered body once, then waits on the real one
    (which reports the disconnect)."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replayed() -> dict[str, Any]:
        if pending:
            return pending.pop()
        return await receive()

    return replayed


def client_address(scope: Mapping[str, Any]) -> str:
    """The client's address: the peer's, or X-Forwarded-For's when the peer is a proxy
    listed in --forwarded-allow-ips (uvicorn resolves it; see SECURITY.md)."""
    client = scope.get("client")
    return client[0] if client else "unknown"


def own_origin(scope: Mapping[str, Any]) -> str | None:
    """This server's origin as the request reached it ('scheme://host[:port]')."""
    for name, value in scope.get("headers", ()):
        if name == b"host":
            return f"{scope.get('scheme', 'http')}://{value.decode('latin-1').lower()}"
    return None

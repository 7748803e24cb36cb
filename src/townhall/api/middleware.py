"""Pure-ASGI middleware: body size limit, CORS for allowed origins, security headers."""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from townhall import metrics
from townhall.api.errors import Problem
from townhall.api.request import read_body, replay
from townhall.services.context import Context

ASGIApp = Callable[..., Awaitable[None]]

API_CSP = "default-src 'none'; frame-ancestors 'none'"
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)
_COMMON = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]
_ALLOW_HEADERS = b"authorization, content-type, if-none-match, last-event-id"
_ALLOW_METHODS = b"GET, POST, PUT, PATCH, DELETE, OPTIONS"
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def _origin_refused(detail: str) -> Problem:
    return Problem(403, "origin-not-allowed", "Origin not allowed", detail)


class EdgeMiddleware:
    """The checks every request passes before routing, and headers every response gets."""

    def __init__(self, app: ASGIApp, ctx: Context) -> None:
        self.app = app
        self.ctx = ctx
        self.max_body = ctx.settings.max_request_bytes

    async def allowed_origin(self, origin: str, host: str | None, scheme: str) -> bool:
        """The server's own origin, configured origins and the site's embedding origins."""
        origin = origin.rstrip("/")
        if host and origin == f"{scheme}://{host}":
            return True
        if self.ctx.settings.public_url and origin == self.ctx.settings.public_url.rstrip("/"):
            return True
        if origin in self.ctx.settings.allowed_origins or "*" in self.ctx.settings.allowed_origins:
            return True
        try:
            site = await self.ctx.site()
        except Exception:
            return False
        return origin in site.allowed_origins

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        path: str = scope["path"]
        method: str = scope["method"]
        origin_raw = headers.get(b"origin")
        cors: list[tuple[bytes, bytes]] = []
        if origin_raw is not None:
            origin = origin_raw.decode("latin-1")
            host = headers.get(b"host", b"").decode("latin-1")
            ok = await self.allowed_origin(origin, host, scope.get("scheme", "http"))
            if ok:
                cors = [
                    (b"access-control-allow-origin", origin_raw),
                    (b"vary", b"Origin"),
                    (b"access-control-expose-headers", b"etag, retry-after, location"),
                ]
            if method == "OPTIONS" and b"access-control-request-method" in headers:
                if not ok:
                    await self._refuse(send, _origin_refused("this origin may not embed comments"))
                    return
                await self._send(
                    send,
                    204,
                    [
                        *cors,
                        (b"access-control-allow-methods", _ALLOW_METHODS),
                        (b"access-control-allow-headers", _ALLOW_HEADERS),
                        (b"access-control-max-age", b"600"),
                    ],
                    b"",
                )
                return
            if not ok and method in _UNSAFE:
                await self._refuse(send, _origin_refused("this origin may not write comments"))
                return
        length = headers.get(b"content-length")
        if length is not None:
            try:
                too_big = int(length) > self.max_body
            except ValueError:
                too_big = True
            if too_big:
                await self._refuse(send, self._too_large())
                return
        if _has_nul(scope):
            await self._refuse_nul(
                send, "path" if b"%00" in scope.get("raw_path", b"") else "query"
            )
            return
        if method in _UNSAFE:
            # Read the body (bounded) before routing: a chunked one has no declared size,
            # and an error raised while the app parses it would turn into a 400.
            first = await read_body(receive, self.max_body)
            if first is None:
                await self._refuse(send, self._too_large())
                return
            if isinstance(first, dict):  # the client left before sending its body
                receive = _replay_message(first, receive)
            else:
                if _NUL_ESCAPE.search(first):
                    await self._refuse_nul(send, "body")
                    return
                receive = replay(first, receive)
        received = 0
        limit = self.max_body

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        is_page = not path.startswith(
            ("/api/", "/static/", "/embed.js", "/metrics", "/healthz", "/readyz")
        )
        extra = [
            *_COMMON,
            *cors,
            (b"content-security-policy", (PAGE_CSP if is_page else API_CSP).encode()),
        ]
        if is_page:
            extra.append((b"x-frame-options", b"SAMEORIGIN"))
        else:
            extra.append((b"cross-origin-resource-policy", b"cross-origin"))

        started = False
        began = time.perf_counter()

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                metrics.REQUESTS.labels(method, f"{message['status'] // 100}xx").inc()
                metrics.LATENCY.observe(time.perf_counter() - began)
                message = dict(message)
                present = {k for k, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *[(k, v) for k, v in extra if k not in present],
                ]
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except _TooLarge:
            if not started:
                await self._refuse(send, self._too_large())

    async def _refuse_nul(self, send, where: str) -> None:
        """PostgreSQL cannot store NUL characters; refuse them wherever they come."""
        detail = f"{where} contains a NUL character"
        problem = Problem(
            422,
            "validation",
            "Invalid input",
            detail,
            errors=[{"field": where, "rule": "characters", "message": detail}],
        )
        await self._refuse(send, problem)

    def _too_large(self) -> Problem:
        detail = f"request body over {self.max_body} bytes"
        return Problem(413, "payload-too-large", "Request body too large", detail)

    @staticmethod
    async def _refuse(send, problem: Problem) -> None:
        await problem.send(send, [*_COMMON, (b"content-security-policy", API_CSP.encode())])

    @staticmethod
    async def _send(send, status: int, headers, body: bytes) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [*_COMMON, (b"content-security-policy", API_CSP.encode()), *headers],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


# A JSON \u0000 escape: preceded by an even number of backslashes (an odd one is text).
_NUL_ESCAPE = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000|\x00")


def _has_nul(scope) -> bool:
    """Whether the path or query carries a NUL, raw or percent-encoded."""
    raw = scope.get("raw_path") or scope["path"].encode()
    query = scope.get("query_string", b"")
    return any(b"%00" in part or b"\x00" in part for part in (raw, query))


def _replay_message(first: dict[str, Any], receive):
    """A receive that hands out one message already taken, then the real stream."""
    pending = [first]

    async def replayed():
        if pending:
            return pending.pop()
        return await receive()

    return replayed

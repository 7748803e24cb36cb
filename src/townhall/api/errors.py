"""Render every error as RFC 9457 problem details, once: for FastAPI routes, the lane and
the edge middleware alike."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from townhall.errors import RateLimited, TownhallError
from townhall.logs import REQUEST_ID

log = logging.getLogger("townhall.api")
PROBLEM_BASE = "/problems/"
PROBLEM_TYPE = b"application/problem+json"
Headers = list[tuple[bytes, bytes]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
_HTTP_CODES = {
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    413: "payload-too-large",
}
_LOCATIONS = ("body", "query", "path", "header")


class Problem:
    """One problem-details answer: status, headers and the encoded document."""

    __slots__ = ("body", "headers", "status")

    def __init__(
        self,
        status: int,
        code: str,
        title: str,
        detail: str,
        instance: str | None = None,
        headers: dict[str, str] | None = None,
        **fields: Any,
    ) -> None:
        doc: dict[str, Any] = {
            "type": PROBLEM_BASE + code,
            "title": title,
            "status": status,
            "detail": detail,
            "code": code,
        }
        if instance:
            doc["instance"] = instance
        doc.update({k: v for k, v in fields.items() if v is not None})
        self.status = status
        self.body = orjson.dumps(doc)
        self.headers: Headers = [
            (b"content-type", PROBLEM_TYPE),
            (b"content-length", str(len(self.body)).encode()),
            *((k.lower().encode("latin-1"), v.encode()) for k, v in (headers or {}).items()),
        ]

    def response(self) -> Response:
        """As a Starlette response (for FastAPI's exception handlers)."""
        return Response(
            self.body,
            status_code=self.status,
            headers={k.decode("latin-1"): v.decode("latin-1") for k, v in self.headers[2:]},
            media_type=PROBLEM_TYPE.decode(),
        )

    async def send(self, send: Send, extra: Iterable[tuple[bytes, bytes]] = ()) -> None:
        """As raw ASGI messages."""
        await send(
            {
                "type": "http.response.start",
                "status": self.status,
                "headers": [*self.headers, *extra],
            }
        )
        await send({"type": "http.response.body", "body": self.body})


def domain_problem(exc: TownhallError, path: str | None) -> Problem:
    """The answer for a domain error raised while serving `path`."""
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
    if exc.status >= 500:
        log.error("server error %s: %s", exc.code, exc.detail)
    return Problem(exc.status, exc.code, exc.title, exc.detail, path, headers=headers, **exc.fields)


def _field_name(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc if p not in _LOCATIONS]
    # A repeated query parameter is validated as a list; name the parameter, not an index.
    while parts and parts[-1].isdigit() and len(parts) > 1:
        parts.pop()
    return ".".join(parts) or str(loc[-1] if loc else "body")


def validation_problem(errors: Sequence[Any], path: str | None) -> Problem:
    """422 naming each field and rule (400 when the body is not JSON at all)."""
    listed = []
    for err in errors:
        if err.get("type") == "json_invalid":
            return Problem(
                400,
                "malformed-json",
                "Malformed JSON",
                "the request body is not valid JSON",
                path,
                errors=[{"field": "body", "rule": "json", "message": str(err.get("msg"))}],
            )
        listed.append(
            {
                "field": _field_name(tuple(err.get("loc", ()))),
                "rule": str(err.get("type", "invalid")).replace("_", "-"),
                "message": str(err.get("msg")),
            }
        )
    first = listed[0] if listed else {"field": "body", "message": "invalid"}
    return Problem(
        422,
        "validation",
        "Invalid input",
        f"{first['field']}: {first['message']}",
        path,
        errors=listed,
    )


def invalid(exc: ValidationError, path: str | None) -> Problem:
    """The answer for a parameter or body model's refusal."""
    return validation_problem(exc.errors(include_url=False, include_context=False), path)


def crash_problem(path: str | None) -> Problem:
    """500 with the request's id (the traceback goes to the log)."""
    rid = REQUEST_ID.get() or uuid.uuid4().hex
    log.exception("unhandled error (request %s)", rid)
    return Problem(
        500,
        "internal",
        "Internal error",
        f"something went wrong on our side (request id {rid})",
        path,
        # Sent past the request-id middleware, so the header is set here.
        headers={"x-request-id": rid},
        request_id=rid,
    )


def install(app: FastAPI) -> None:
    """Attach the handlers."""

    @app.exception_handler(TownhallError)
    async def _townhall(request: Request, exc: TownhallError) -> Response:
        return domain_problem(exc, request.url.path).response()

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        return validation_problem(exc.errors(), request.url.path).response()

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = _HTTP_CODES.get(exc.status_code, "http-error")
        detail = str(exc.detail)
        headers = getattr(exc, "headers", None)
        return Problem(exc.status_code, code, detail, detail, request.url.path, headers).response()

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        return crash_problem(request.url.path).response()

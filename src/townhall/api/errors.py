"""Render every error as RFC 9457 problem details, once."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from townhall.errors import RateLimited, TownhallError
from townhall.logs import REQUEST_ID

log = logging.getLogger("townhall.api")
PROBLEM_BASE = "/problems/"


def problem(
    status: int,
    code: str,
    title: str,
    detail: str,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **fields: Any,
) -> Response:
    """A problem-details response with a stable type derived from the code."""
    body = {
        "type": PROBLEM_BASE + code,
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if instance:
        body["instance"] = instance
    body.update({k: v for k, v in fields.items() if v is not None})
    return Response(
        orjson.dumps(body),
        status_code=status,
        headers=headers,
        media_type="application/problem+json",
    )


def domain_problem(exc: TownhallError, path: str) -> Response:
    """The problem-details answer for a domain error raised while serving `path`."""
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
    if exc.status >= 500:
        log.error("server error %s: %s", exc.code, exc.detail)
    return problem(exc.status, exc.code, exc.title, exc.detail, path, headers=headers, **exc.fields)


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or str(loc[-1] if loc else "body")


def install(app: FastAPI) -> None:
    """Attach the handlers."""

    @app.exception_handler(TownhallError)
    async def _townhall(request: Request, exc: TownhallError) -> Response:
        return domain_problem(exc, request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = []
        for err in exc.errors():
            if err.get("type") == "json_invalid":
                return problem(
                    400,
                    "malformed-json",
                    "Malformed JSON",
                    "the request body is not valid JSON",
                    request.url.path,
                    errors=[{"field": "body", "rule": "json", "message": str(err.get("msg"))}],
                )
            rule = str(err.get("type", "invalid")).replace("_", "-")
            errors.append(
                {
                    "field": _field_name(tuple(err.get("loc", ()))),
                    "rule": rule,
                    "message": str(err.get("msg")),
                }
            )
        first = errors[0] if errors else {"field": "body", "message": "invalid"}
        return problem(
            422,
            "validation",
            "Invalid input",
            f"{first['field']}: {first['message']}",
            request.url.path,
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = {
            404: "not-found",
            405: "method-not-allowed",
            401: "unauthenticated",
            403: "forbidden",
            413: "payload-too-large",
        }.get(exc.status_code, "http-error")
        return problem(
            exc.status_code,
            code,
            str(exc.detail),
            str(exc.detail),
            request.url.path,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        rid = REQUEST_ID.get() or uuid.uuid4().hex
        log.exception("unhandled error (request %s)", rid)
        return problem(
            500,
            "internal",
            "Internal error",
            f"something went wrong on our side (request id {rid})",
            request.url.path,
            # Sent past the request-id middleware, so the header is set here.
            headers={"x-request-id": rid},
            request_id=rid,
        )

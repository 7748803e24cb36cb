"""Fast JSON responses with ETag/304 for cacheable reads."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from fastapi import Request
from starlette.responses import Response


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """orjson-encoded JSON."""
    return Response(
        orjson.dumps(data), status_code=status, headers=headers, media_type="application/json"
    )


def etag_for(body: bytes) -> str:
    """A strong validator for a response body."""
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def cacheable(request: Request, data: Any, *, private: bool) -> Response:
    """JSON with an ETag; answers 304 when the client already has this version."""
    body = orjson.dumps(data)
    tag = etag_for(body)
    headers = {
        "ETag": tag,
        "Cache-Control": "private, no-cache" if private else "public, no-cache",
        "Vary": "Authorization, Origin",
    }
    match = request.headers.get("if-none-match")
    if match and tag in {t.strip().removeprefix("W/") for t in match.split(",")}:
        return Response(status_code=304, headers=headers)
    return Response(body, headers=headers, media_type="application/json")

"""Anonymous comment pages, threads and counts, answered without FastAPI routing.

These three reads are most of a comment server's traffic. For a well-formed
request without credentials this module parses the few query parameters itself,
calls the same reading service the routes call, and builds the same JSON and
headers. Anything it does not recognise exactly (a malformed or repeated
parameter, a service error) returns None, and the request goes through FastAPI
as usual, which answers it, errors included, in the one canonical way.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

import orjson

from townhall.api.responses import etag_for
from townhall.domain.models import Sort, Stream
from townhall.errors import TownhallError
from townhall.services import reading
from townhall.services.context import Context

PAGE = re.compile(r"/api/v1/stories/([^/]+)/comments")
REPLIES = re.compile(r"/api/v1/comments/([0-9]{1,19})/replies")
COUNTS = "/api/v1/counts"

_STREAMS = {s.value: s for s in Stream}
_SORTS = {s.value: s for s in Sort}
_MAX_ID = 2**63 - 1
_MAX_CURSOR = 200
_MAX_KEY = 255
_MAX_COUNT_KEYS = 100
_LIMIT = re.compile(r"[0-9]{1,3}")


class Unusual(Exception):
    """The request is not one this module answers; FastAPI will."""


def _single(query: bytes) -> dict[str, str]:
    """Query parameters, each at most once."""
    out: dict[str, str] = {}
    for key, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
        if key in out:
            raise Unusual
        out[key] = value
    return out


def _limit(params: dict[str, str], default: int) -> int:
    raw = params.get("limit")
    if raw is None:
        return default
    if not _LIMIT.fullmatch(raw) or not 1 <= int(raw) <= reading.MAX_LIMIT:
        raise Unusual
    return int(raw)


def _cursor(params: dict[str, str]) -> str | None:
    cursor = params.get("cursor")
    if cursor is not None and len(cursor) > _MAX_CURSOR:
        raise Unusual
    return cursor


def _choice(params: dict[str, str], name: str, choices: dict[str, Any], default: Any) -> Any:
    raw = params.get(name)
    if raw is None:
        return default
    if raw not in choices:
        raise Unusual
    return choices[raw]


async def _page(ctx: Context, story_key: str, query: bytes) -> dict[str, Any]:
    if not 1 <= len(story_key) <= _MAX_KEY:
        raise Unusual
    params = _single(query)
    q = reading.PageQuery(
        story_key=story_key,
        stream=_choice(params, "stream", _STREAMS, Stream.OPEN),
        sort=_choice(params, "sort", _SORTS, Sort.NEWEST),
        limit=_limit(params, 20),
        cursor=_cursor(params),
    )
    return await reading.list_comments(ctx, None, q)


async def _replies(ctx: Context, comment_id: str, query: bytes) -> dict[str, Any]:
    ident = int(comment_id)
    if not 1 <= ident <= _MAX_ID:
        raise Unusual
    params = _single(query)
    return await reading.list_replies(
        ctx, None, ident, limit=_limit(params, 50), cursor=_cursor(params)
    )


async def _counts(ctx: Context, query: bytes) -> dict[str, Any]:
    keys = [
        v for k, v in parse_qsl(query.decode("latin-1"), keep_blank_values=True) if k == "story_id"
    ]
    if not 1 <= len(keys) <= _MAX_COUNT_KEYS or not all(1 <= len(k) <= _MAX_KEY for k in keys):
        raise Unusual
    return {"counts": await reading.counts(ctx, keys)}


async def answer(ctx: Context, path: str, query: bytes) -> dict[str, Any] | None:
    """The JSON document for an anonymous read, or None to let FastAPI answer."""
    try:
        if path == COUNTS:
            return await _counts(ctx, query)
        if m := PAGE.fullmatch(path):
            return await _page(ctx, m.group(1), query)
        if m := REPLIES.fullmatch(path):
            return await _replies(ctx, m.group(1), query)
    except (Unusual, TownhallError):
        return None
    return None


def encode(data: dict[str, Any]) -> tuple[bytes, list[tuple[bytes, bytes]], bytes]:
    """Body, headers and ETag of a public JSON answer (the same as the routes send)."""
    body = orjson.dumps(data)
    etag = etag_for(body).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"etag", etag),
        (b"cache-control", b"public, no-cache"),
        (b"vary", b"Authorization, Origin"),
    ]
    return body, headers, etag

"""Pure-ASGI layer that answers anonymous comment pages, threads and counts.

It sits inside the edge middleware (which still adds CORS and security headers)
and in front of FastAPI routing. A cache hit costs a dict lookup and a few memory
reads. A miss is rendered by `anonymous.answer` without FastAPI routing, and a
public 200 answer is kept; requests that module does not recognise go through the
normal route (and are kept too). Requests with credentials, other methods and
other paths pass straight through.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qsl

import orjson

from townhall.api import anonymous, posting
from townhall.cache import SITE_EPOCH, WRITE_SEQ, Entry, ResponseCache, story_slot
from townhall.services.context import Context

ASGIApp = Callable[..., Awaitable[None]]

_PAGE = anonymous.PAGE
_REPLIES = anonymous.REPLIES
_COUNTS = anonymous.COUNTS
_MAX_COUNT_KEYS = 100
_KEEP = {b"content-type", b"etag", b"cache-control", b"vary"}


def _tags(header: bytes) -> set[bytes]:
    return {t.strip().removeprefix(b"W/") for t in header.split(b",")}


class FastPath:
    """Serve anonymous reads before routing, from the cache when it is on."""

    def __init__(self, app: ASGIApp, cache: ResponseCache | None, ctx: Context) -> None:
        self.app = app
        self.cache = cache
        self.ctx = ctx
        self._started = False
        self._inflight: dict[str, asyncio.Future] = {}

    async def __call__(self, scope, receive, send) -> None:
        cache = self.cache
        kind = scope["type"]
        if kind != "http":
            if cache is not None and kind == "lifespan":
                await self.app(scope, self._lifespan_receive(receive), send)
                return
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if scope["method"] == "POST" and (m := _PAGE.fullmatch(path)):
            body, replay = await posting.read_body(receive)
            if not await posting.answer(self.ctx, scope, body, m.group(1), send):
                await self.app(scope, replay, send)
            return
        if scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        if not (path == _COUNTS or _PAGE.fullmatch(path) or _REPLIES.fullmatch(path)):
            await self.app(scope, receive, send)
            return
        inm = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                await self.app(scope, receive, send)
                return
            if name == b"if-none-match":
                inm = value
        if cache is None:
            data = await anonymous.answer(self.ctx, path, scope["query_string"])
            if data is None:
                await self.app(scope, receive, send)
                return
            body, headers, etag = anonymous.encode(data)
            await self._serve(send, Entry(body, headers, etag, (), (), 0.0), inm)
            return
        if not self._started:
            self._started = True
            await cache.start()
        key = path + "?" + scope["query_string"].decode("latin-1")
        entry = cache.get(key)
        if entry is None and (leader := self._inflight.get(key)) is not None:
            # One render per key at a time: the others wait for it, then share it.
            await asyncio.shield(leader)
            entry = cache.get(key)
        if entry is not None:
            await self._serve(send, entry, inm)
            return
        slots = self._slots(path, scope["query_string"])
        if slots is None:
            await self.app(scope, receive, send)
            return
        done = asyncio.get_running_loop().create_future()
        self._inflight[key] = done
        try:
            await self._fill(scope, receive, send, key, slots, inm)
        finally:
            if self._inflight.get(key) is done:
                del self._inflight[key]
            done.set_result(None)

    @staticmethod
    def _slots(path: str, query: bytes) -> tuple[int, ...] | None:
        """The version slots a response depends on (WRITE_SEQ when not known yet)."""
        m = _PAGE.fullmatch(path)
        if m:
            return (SITE_EPOCH, story_slot(m.group(1)))
        if path == _COUNTS:
            keys = [v for k, v in parse_qsl(query.decode("latin-1")) if k == "story_id"]
            if not keys or len(keys) > _MAX_COUNT_KEYS:
                return None
            return (SITE_EPOCH, *sorted({story_slot(k) for k in keys}))
        if _REPLIES.fullmatch(path):
            return (SITE_EPOCH, WRITE_SEQ)
        return None

    @staticmethod
    async def _serve(send, entry: Entry, inm: bytes | None) -> None:
        if inm is not None and entry.etag in _tags(inm):
            headers = [(k, v) for k, v in entry.headers if k != b"content-type"]
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    *entry.headers,
                    (b"content-length", str(len(entry.body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": entry.body})

    async def _fill(
        self, scope, receive, send, key: str, slots: tuple[int, ...], inm: bytes | None
    ) -> None:
        cache = self.cache
        assert cache is not None
        before = cache.snapshot(slots)
        data = await anonymous.answer(self.ctx, scope["path"], scope["query_string"])
        if data is not None:
            body, kept, etag = anonymous.encode(data)
            await self._serve(send, Entry(body, kept, etag, (), (), 0.0), inm)
        else:
            captured = await self._through_app(scope, receive, send)
            if captured is None:
                return
            body, kept, etag = captured
        if slots[-1] == WRITE_SEQ:
            slots, before = self._thread_slots(cache, body, before)
            if not slots:
                return
        cache.put(
            key,
            Entry(
                body=body,
                headers=kept,
                etag=etag,
                slots=slots,
                versions=before,
                expires=time.monotonic() + cache.ttl,
            ),
        )

    async def _through_app(
        self, scope, receive, send
    ) -> tuple[bytes, list[tuple[bytes, bytes]], bytes] | None:
        """Let FastAPI answer; what to keep of a public 200 answer."""
        status = 0
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []

        async def capture(message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        if status != 200:
            return None
        kept = [(k.lower(), v) for k, v in headers if k.lower() in _KEEP]
        found = dict(kept)
        etag = found.get(b"etag")
        if etag is None or b"public" not in found.get(b"cache-control", b""):
            return None
        return b"".join(chunks), kept, etag

    @staticmethod
    def _thread_slots(
        cache: ResponseCache, body: bytes, before: tuple[int, ...]
    ) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """For a thread: its story's slot, valid only if nothing was written meanwhile."""
        if cache.snapshot((SITE_EPOCH, WRITE_SEQ)) != before:
            return (), ()
        try:
            comments = orjson.loads(body).get("comments") or []
            story_key = comments[0]["story_id"]
        except (orjson.JSONDecodeError, AttributeError, IndexError, KeyError, TypeError):
            return (), ()
        slots = (SITE_EPOCH, story_slot(story_key))
        return slots, cache.snapshot(slots)

    def _lifespan_receive(self, receive):
        cache = self.cache

        async def wrapped():
            message = await receive()
            if message["type"] == "lifespan.shutdown" and cache is not None:
                await cache.close()
            return message

        return wrapped

"""The lane: the one implementation of the hot endpoints, in front of FastAPI routing.

Comment pages, threads, counts, posting and live events are most of a comment server's
traffic. The lane answers them for every reader, anonymous or signed in, with the
parameter models of `api/params.py` (the same ones FastAPI's documentation stubs
declare), the services, and the one problem-details renderer. Anonymous reads are kept
in the response cache (`cache.py`) under their exact path and query: a request is
cached only after its parameters validated, and unknown or repeated parameters are
refused, so no key ever holds an answer to a different question.

It sits inside the edge middleware (CORS, security headers, body limits). Every other
request goes on to FastAPI untouched.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, NamedTuple
from urllib.parse import parse_qsl

import orjson
from pydantic import ValidationError

from townhall.api import endpoints
from townhall.api.errors import Problem, domain_problem, invalid, validation_problem
from townhall.api.params import (
    COMMENT_REPLIES,
    COUNTS,
    STORY_COMMENTS,
    STORY_EVENTS,
    STORY_FEATURED,
    STORY_FRAGMENT,
    CommentPath,
    CountsParams,
    EventsParams,
    FragmentParams,
    NoParams,
    PageParams,
    Params,
    RepliesParams,
    StoryPath,
    Template,
    query_dict,
)
from townhall.api.request import bearer_token, client_address, own_origin, read_body
from townhall.api.responses import etag_for
from townhall.api.schemas import CommentIn
from townhall.cache import SITE_EPOCH, WRITE_SEQ, Entry, ResponseCache, story_slot
from townhall.errors import TownhallError, Unauthenticated
from townhall.live.sse import streams_of
from townhall.services.context import Context

ASGIApp = Callable[..., Awaitable[None]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
Slots = Callable[[Any, Any], tuple[int, ...]]

PUBLIC = b"public, no-cache"
PRIVATE = b"private, no-cache"
VARY = b"Authorization, Origin"


class Read(NamedTuple):
    """A cacheable read: its path, parameter models, implementation and version slots."""

    template: Template
    path_model: type[Params] | None
    query_model: type[Params]
    handler: Callable[..., Awaitable[dict[str, Any]]]
    slots: Slots
    lists: frozenset[str] = frozenset()
    html: bool = False  # the handler gives {"html": ...}: served as text/html


def _page_slots(path: StoryPath, q: Any) -> tuple[int, ...]:
    return (SITE_EPOCH, story_slot(path.story_id))


def _count_slots(path: None, q: CountsParams) -> tuple[int, ...]:
    return (SITE_EPOCH, *sorted({story_slot(k) for k in q.story_id}))


def _thread_slots(path: CommentPath, q: RepliesParams) -> tuple[int, ...]:
    # A thread's story is known only once it is read (see Lane._settle).
    return (SITE_EPOCH, WRITE_SEQ)


READS = (
    Read(Template(STORY_COMMENTS), StoryPath, PageParams, endpoints.page, _page_slots),
    Read(Template(STORY_FEATURED), StoryPath, NoParams, endpoints.featured, _page_slots),
    Read(
        Template(STORY_FRAGMENT),
        StoryPath,
        FragmentParams,
        endpoints.fragment,
        _page_slots,
        html=True,
    ),
    Read(Template(COMMENT_REPLIES), CommentPath, RepliesParams, endpoints.replies, _thread_slots),
    Read(
        Template(COUNTS),
        None,
        CountsParams,
        endpoints.counts,
        _count_slots,
        frozenset({"story_id"}),
    ),
)
POST = Template(STORY_COMMENTS)
EVENTS = Template(STORY_EVENTS)


def encode(data: dict[str, Any], *, private: bool) -> Entry:
    """A JSON answer with its validator, as the cache keeps it (not yet stored)."""
    body = orjson.dumps(data)
    etag = etag_for(body).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"etag", etag),
        (b"cache-control", PRIVATE if private else PUBLIC),
        (b"vary", VARY),
    ]
    return Entry(body, headers, etag, (), (), 0.0)


def encode_html(data: dict[str, Any], *, private: bool) -> Entry:
    """An HTML fragment with its validator (the same for every reader: never private)."""
    body = data["html"].encode("utf-8")
    etag = etag_for(body).encode()
    headers = [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"etag", etag),
        (b"cache-control", PUBLIC),
        (b"vary", VARY),
    ]
    return Entry(body, headers, etag, (), (), 0.0)


def _encoder(read: Read) -> Callable[..., Entry]:
    return encode_html if read.html else encode


def _tags(header: bytes) -> set[bytes]:
    return {t.strip().removeprefix(b"W/") for t in header.split(b",")}


def _query(scope: dict[str, Any], lists: frozenset[str] = frozenset()) -> Any:
    pairs = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
    return query_dict(pairs, lists=lists)


class Lane:
    """Serve the hot endpoints before routing; anonymous reads from the cache when it is on."""

    def __init__(self, app: ASGIApp, ctx: Context) -> None:
        self.app = app
        self.ctx = ctx
        self.cache: ResponseCache | None = ctx.cache
        self._started = False
        self._inflight: dict[str, asyncio.Future[None]] = {}

    async def __call__(self, scope, receive, send) -> None:
        kind = scope["type"]
        if kind != "http":
            if kind == "lifespan" and self.cache is not None:
                receive = self._lifespan_receive(receive)
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        path: str = scope["path"]
        if method == "GET":
            inm = None
            signed_in = False
            for name, value in scope["headers"]:
                if name == b"authorization":
                    signed_in = True
                elif name == b"if-none-match":
                    inm = value
            cache = self.cache
            if cache is not None and not signed_in and self._started:
                # Only answers the lane validated are kept, so a hit needs no matching.
                entry = cache.peek(path + "?" + scope["query_string"].decode("latin-1"))
                if entry is not None:
                    await _serve(send, entry, inm)
                    return
            for read in READS:
                args = read.template.match(path)
                if args is not None:
                    await self._read(read, args, scope, send, inm=inm, signed_in=signed_in)
                    return
            args = EVENTS.match(path)
            if args is not None:
                await self._events(args, scope, receive, send)
                return
        elif method == "POST":
            args = POST.match(path)
            if args is not None:
                await self._post(args, scope, receive, send)
                return
        await self.app(scope, receive, send)

    # -- reads -----------------------------------------------------------------

    async def _read(
        self,
        read: Read,
        args: dict[str, str],
        scope,
        send: Send,
        *,
        inm: bytes | None,
        signed_in: bool,
    ) -> None:
        cache = None if signed_in else self.cache
        key = ""
        if cache is not None:
            if not self._started:
                self._started = True
                await cache.start()
            key = scope["path"] + "?" + scope["query_string"].decode("latin-1")
            entry = cache.get(key)
            if entry is None and (leader := self._inflight.get(key)) is not None:
                # One render per key at a time: the others wait for it, then share it.
                await asyncio.shield(leader)
                entry = cache.get(key)
            if entry is not None:
                await _serve(send, entry, inm)
                return
        path = scope["path"]
        try:
            params = read.path_model.model_validate(args) if read.path_model else None
            q = read.query_model.model_validate(_query(scope, read.lists))
            viewer = None
            if signed_in:
                viewer = await endpoints.viewer_of(self.ctx, bearer_token(scope["headers"]))
            if cache is None:
                data = await read.handler(self.ctx, viewer, params, q)
                await _serve(send, _encoder(read)(data, private=viewer is not None), inm)
                return
        except (ValidationError, TownhallError) as exc:
            await refuse(send, exc, path)
            return
        done = asyncio.get_running_loop().create_future()
        self._inflight[key] = done
        try:
            await self._fill(cache, read, key, params, q, send, inm)
        finally:
            if self._inflight.get(key) is done:
                del self._inflight[key]
            done.set_result(None)

    async def _fill(
        self, cache: ResponseCache, read: Read, key: str, params, q, send: Send, inm
    ) -> None:
        """Render an anonymous read, answer it, and keep it while its slots are unchanged."""
        slots = read.slots(params, q)
        before = cache.snapshot(slots)
        try:
            data = await read.handler(self.ctx, None, params, q)
        except TownhallError as exc:
            await domain_problem(exc, read.template.path).send(send)
            return
        entry = _encoder(read)(data, private=False)
        await _serve(send, entry, inm)
        if slots[-1] == WRITE_SEQ:
            slots, before = _settle(cache, data, before)
            if not slots:
                return
        entry.slots, entry.versions = slots, before
        entry.expires = time.monotonic() + cache.ttl
        cache.put(key, entry)

    # -- live events -------------------------------------------------------------

    async def _events(self, args: dict[str, str], scope, receive, send: Send) -> None:
        ctx = self.ctx
        headers = scope["headers"]
        try:
            params = StoryPath.model_validate(args)
            q = EventsParams.model_validate(_query(scope))
            # A bearer header takes precedence over the query token (EventSource only).
            token = bearer_token(headers) or q.token or None
            viewer = await endpoints.viewer_of(ctx, token)
            resume = next((v for k, v in headers if k == b"last-event-id"), None)
            response = await endpoints.events(
                ctx,
                viewer,
                params,
                stream=q.stream,
                resume_header=resume.decode("latin-1") if resume is not None else None,
                resume_query=q.last_event_id,
                streams=streams_of(
                    scope["app"],
                    max_per_client=ctx.settings.sse_max_per_client,
                    keepalive=ctx.settings.sse_keepalive_seconds,
                ),
                address=client_address(scope),
            )
        except (ValidationError, TownhallError) as exc:
            await refuse(send, exc, scope["path"])
            return
        await response(scope, receive, send)

    # -- posting -----------------------------------------------------------------

    async def _post(self, args: dict[str, str], scope, receive, send: Send) -> None:
        path = scope["path"]
        body = await read_body(receive, self.ctx.settings.max_request_bytes)
        if body is None:
            await Problem(
                413, "payload-too-large", "Request body too large", "body too large"
            ).send(send)
            return
        if not isinstance(body, bytes):
            return  # the client went away before sending its body
        try:
            token = bearer_token(scope["headers"])
            if token is None:
                raise Unauthenticated("sign in to do this")
            params = StoryPath.model_validate(args)
            problem = _json_problem(scope["headers"], body, path)
            if problem is not None:
                await problem.send(send)
                return
            payload = CommentIn.model_validate_json(body)
            # The session is found in the post's own read snapshot.
            data, location = await endpoints.post(
                self.ctx,
                token,
                params,
                payload,
                client=client_address(scope),
                origin=own_origin(scope),
            )
        except (ValidationError, TownhallError) as exc:
            await refuse(send, exc, path)
            return
        raw = orjson.dumps(data)
        await send(
            {
                "type": "http.response.start",
                "status": 201,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(raw)).encode()),
                    (b"location", location.encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": raw})

    def _lifespan_receive(self, receive):
        cache = self.cache

        async def wrapped():
            message = await receive()
            if message["type"] == "lifespan.shutdown" and cache is not None:
                await cache.close()
            return message

        return wrapped


def _json_problem(headers, body: bytes, path: str) -> Problem | None:
    """Refuse a body that is empty or not sent as JSON, as the body models would."""
    if not body:
        return validation_problem(
            [{"type": "missing", "loc": ("body",), "msg": "Field required"}], path
        )
    for name, value in headers:
        if name == b"content-type":
            kind = value.split(b";")[0].strip().lower()
            if kind != b"application/json" and not kind.endswith(b"+json"):
                return validation_problem(
                    [
                        {
                            "type": "content_type",
                            "loc": ("body",),
                            "msg": "send the body as application/json",
                        }
                    ],
                    path,
                )
    return None


async def refuse(send: Send, exc: ValidationError | TownhallError, path: str) -> None:
    """Answer a refused request with its problem details."""
    problem = invalid(exc, path) if isinstance(exc, ValidationError) else domain_problem(exc, path)
    await problem.send(send)


async def _serve(send: Send, entry: Entry, inm: bytes | None) -> None:
    if inm is not None and entry.etag in _tags(inm):
        headers = [(k, v) for k, v in entry.headers if k != b"content-type"]
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        return
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [*entry.headers, (b"content-length", str(len(entry.body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": entry.body})


def _settle(
    cache: ResponseCache, data: dict[str, Any], before: tuple[int, ...]
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """For a thread: its story's slot, valid only if nothing was written meanwhile."""
    if cache.snapshot((SITE_EPOCH, WRITE_SEQ)) != before:
        return (), ()
    comments = data.get("comments") or []
    if not comments:
        return (), ()
    slots = (SITE_EPOCH, story_slot(comments[0]["story_id"]))
    return slots, cache.snapshot(slots)

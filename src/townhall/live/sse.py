"""Server-sent event streams over raw ASGI, lean enough for many idle connections.

Each open stream costs one request task, one small disconnect-watcher task and one
mailbox; frames are encoded once per event and shared by every stream that shows it.
"""

from __future__ import annotations

import asyncio
import logging
import random
import signal
import threading
from typing import Any

import orjson
from starlette.responses import Response

from townhall import metrics
from townhall.errors import RateLimited, TownhallError
from townhall.live.broker import Event
from townhall.live.subscription import Subscription
from townhall.ratelimit import STREAMS_PER_ACCOUNT_LIMIT, STREAMS_PER_ADDRESS_LIMIT

log = logging.getLogger("townhall.live")

KEEPALIVE_FRAME = b": keep-alive\n\n"
MAX_STREAM_SECONDS = 1800.0  # recycle streams so instances added later get their share
FRAME_CACHE = 2048
HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-cache, no-transform"),
    # nginx and similar proxies would otherwise hold events back in their buffers.
    (b"x-accel-buffering", b"no"),
]

_frames: dict[tuple[str, str, int], bytes] = {}


class TooManyStreams(RateLimited):
    """More open streams from one client address than the cap allows."""

    code, title = "too-many-streams", "Too many live streams"


class ShuttingDown(TownhallError):
    """The instance is draining for shutdown; the client should reconnect elsewhere."""

    code, status, title = "shutting-down", 503, "Server restarting"


def retry_ms() -> int:
    """A reconnection delay with jitter, so a restart does not bring every client back at once."""
    return random.randint(1500, 6000)


def encode(event: Event) -> bytes:
    """One event as an SSE frame."""
    data = orjson.dumps(event.data)
    return b"id: %s\nevent: %s\ndata: %s\n\n" % (event.id.encode(), event.kind.encode(), data)


def frame_for(channel: str, event: Event) -> bytes:
    """The event's frame, encoded once for all streams of this process that show it."""
    if event.audience is not None:
        return encode(event)
    # The object's identity too: two brokers in one process may issue the same id.
    key = (channel, event.id, id(event))
    frame = _frames.get(key)
    if frame is None:
        frame = _frames[key] = encode(event)
        if len(_frames) > FRAME_CACHE:
            del _frames[next(iter(_frames))]
    return frame


def visible(event: Event, *, viewer_id: int | None, stream: str) -> bool:
    """Whether this viewer of this stream may see the event."""
    if event.audience is not None and event.audience != viewer_id:
        return False
    event_stream = event.data.get("stream")
    return event_stream is None or event_stream == stream


class LiveStreams:
    """The streams this process holds open: per-address counts and graceful shutdown."""

    def __init__(self, *, max_per_client: int, keepalive: float) -> None:
        self.max_per_client = max_per_client
        self.keepalive = keepalive
        self.per_client: dict[str, int] = {}
        self.open: set[Subscription] = set()
        self.draining = False
        self._hooked = False

    def acquire(self, address: str, limit: int | None = None) -> None:
        """Count a new stream for this client address (or account key), or refuse it (429)."""
        if self.draining:
            raise ShuttingDown("this server is restarting; reconnect shortly")
        cap = self.max_per_client if limit is None else limit
        count = self.per_client.get(address, 0)
        if count >= cap:
            raise TooManyStreams(
                f"at most {cap} live streams per "
                + ("account" if limit is not None else "client address"),
                retry_after=30,
                limit=STREAMS_PER_ACCOUNT_LIMIT if limit is not None else STREAMS_PER_ADDRESS_LIMIT,
            )
        self.per_client[address] = count + 1
        metrics.SSE_CONNECTIONS.inc()
        if not self._hooked:
            self._hooked = True
            self._hook_shutdown()

    def release(self, address: str) -> None:
        """Forget one stream of this client address."""
        count = self.per_client.get(address, 0) - 1
        if count > 0:
            self.per_client[address] = count
        else:
            self.per_client.pop(address, None)
        metrics.SSE_CONNECTIONS.dec()

    def drain(self) -> None:
        """End every stream now; clients reconnect (elsewhere) with their Last-Event-ID."""
        if not self.draining:
            log.info("ending %d live streams for shutdown", len(self.open))
        self.draining = True
        for sub in list(self.open):
            sub.end()

    def _hook_shutdown(self) -> None:
        """Drain as soon as the server is told to stop.

        uvicorn waits for open responses before it runs the lifespan shutdown, so
        without this every stream would hold the process until the graceful timeout
        and then be cut off. Its handlers are chained, never replaced.
        """
        if threading.current_thread() is not threading.main_thread():
            return
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            previous = signal.getsignal(sig)
            owner = getattr(previous, "__self__", None)
            if not callable(previous) or not hasattr(owner, "should_exit"):
                continue

            def handler(signum: int, frame: Any, previous: Any = previous) -> None:
                """Drain the streams, then let the server's own handler run."""
                loop.call_soon_threadsafe(self.drain)
                previous(signum, frame)

            signal.signal(sig, handler)


class EventStream(Response):
    """A text/event-stream response fed by one subscription."""

    media_type = "text/event-stream"

    def __init__(
        self,
        sub: Subscription,
        *,
        streams: LiveStreams,
        address: str,
        viewer_id: int | None,
        stream: str,
    ) -> None:
        self.status_code = 200
        self.background = None
        self.sub = sub
        self.streams = streams
        self.address = address
        self.viewer_id = viewer_id
        self.stream = stream

    async def __call__(self, scope, receive, send) -> None:
        """Send events until the client leaves, the broker closes or the server drains."""
        sub, streams = self.sub, self.streams
        watcher = asyncio.ensure_future(_watch_disconnect(receive, sub))
        streams.open.add(sub)
        if streams.draining:
            sub.end()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + MAX_STREAM_SECONDS * random.uniform(0.9, 1.1)
        try:
            await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
            await _body(send, b"retry: %d\n: connected\n\n" % retry_ms())
            while True:
                event = await sub.next(streams.keepalive)
                if watcher.done():
                    return
                if event is None:
                    if sub.ended or loop.time() > deadline:
                        break
                    await _body(send, KEEPALIVE_FRAME)
                else:
                    chunk = self._frames(event)
                    if chunk:
                        await _body(send, chunk)
            await _body(send, b"retry: %d\n\n" % retry_ms(), more=False)
        finally:
            watcher.cancel()
            streams.open.discard(sub)
            sub.close()
            streams.release(self.address)

    def _frames(self, first: Event) -> bytes:
        """This event and any queued behind it that the viewer may see, as one chunk."""
        frames = []
        event: Event | None = first
        while event is not None:
            if visible(event, viewer_id=self.viewer_id, stream=self.stream):
                frames.append(frame_for(self.sub.channel, event))
            event = self.sub.pop_nowait()
        return b"".join(frames)


async def _body(send, chunk: bytes, *, more: bool = True) -> None:
    await send({"type": "http.response.body", "body": chunk, "more_body": more})


async def _watch_disconnect(receive, sub: Subscription) -> None:
    """Wake the stream when the client goes away."""
    try:
        while (await receive())["type"] != "http.disconnect":
            pass
    except Exception:  # a broken connection is a disconnect too
        log.debug("receive failed on a live stream", exc_info=True)
    finally:
        sub.wake()


def streams_of(app, *, max_per_client: int, keepalive: float) -> LiveStreams:
    """The app's stream registry, created on first use."""
    streams = getattr(app.state, "live_streams", None)
    if streams is None:
        streams = app.state.live_streams = LiveStreams(
            max_per_client=max_per_client, keepalive=keepalive
        )
    return streams

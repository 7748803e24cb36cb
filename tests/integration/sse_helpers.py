"""Reading server-sent events: from the ASGI app directly, or from a real server over HTTP."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit


@dataclass
class SseEvent:
    """One parsed event (comments and keep-alives are not events)."""

    id: str | None
    event: str
    data: str

    def json(self):
        """The data as JSON."""
        import json

        return json.loads(self.data)


class SseParser:
    """Incremental text/event-stream parser (the subset townhall sends)."""

    def __init__(self) -> None:
        self.buffer = b""
        self.comments: list[str] = []
        self.retry: int | None = None

    def feed(self, chunk: bytes) -> list[SseEvent]:
        """Events completed by this chunk."""
        self.buffer += chunk
        out = []
        while b"\n\n" in self.buffer:
            block, self.buffer = self.buffer.split(b"\n\n", 1)
            fields: dict[str, str] = {}
            for line in block.decode().split("\n"):
                if line.startswith(":"):
                    self.comments.append(line[1:].strip())
                    continue
                name, _, value = line.partition(": ")
                if name == "retry":
                    self.retry = int(value)
                elif name:
                    fields[name] = value
            if "data" in fields:
                out.append(
                    SseEvent(fields.get("id"), fields.get("event", "message"), fields["data"])
                )
        return out


class AsgiStream:
    """Opens one GET on the ASGI app and collects its stream until the test disconnects."""

    def __init__(self, app, url: str, headers: dict[str, str] | None = None) -> None:
        self.app = app
        parts = urlsplit(url)
        raw = [(b"host", b"testserver")]
        raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
        self.scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": unquote(parts.path),
            "raw_path": parts.path.encode(),
            "query_string": parts.query.encode(),
            "root_path": "",
            "headers": raw,
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
        }
        self.status: int | None = None
        self.headers: dict[str, str] = {}
        self.body = b""
        self.parser = SseParser()
        self.events: asyncio.Queue[SseEvent] = asyncio.Queue()
        self.started = asyncio.Event()
        self.finished = asyncio.Event()
        self._leave = asyncio.Event()
        self._sent_request = False

    async def _receive(self):
        if not self._sent_request:
            self._sent_request = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await self._leave.wait()
        return {"type": "http.disconnect"}

    async def _send(self, message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = {k.decode(): v.decode() for k, v in message.get("headers", [])}
            self.started.set()
            return
        chunk = message.get("body", b"")
        self.body += chunk
        if self.status == 200:
            for event in self.parser.feed(chunk):
                self.events.put_nowait(event)
        if not message.get("more_body", False):
            self.finished.set()

    async def __aenter__(self) -> AsgiStream:
        self.task = asyncio.create_task(self.app(self.scope, self._receive, self._send))
        await asyncio.wait_for(self.started.wait(), 5)
        return self

    async def __aexit__(self, *exc) -> None:
        self._leave.set()
        await asyncio.wait_for(self.task, 5)

    async def next(self, within: float = 5.0) -> SseEvent:
        """The next event; fails the test if none arrives in time."""
        return await asyncio.wait_for(self.events.get(), within)

    async def take(self, kinds: set[str], within: float = 5.0) -> list[SseEvent]:
        """Events until one of each kind has arrived (in arrival order)."""
        got: list[SseEvent] = []
        while not kinds <= {e.event for e in got}:
            got.append(await self.next(within))
        return got

    async def quiet(self, seconds: float = 0.3) -> list[SseEvent]:
        """Whatever arrives within `seconds` (usually asserted empty)."""
        await asyncio.sleep(seconds)
        out = []
        while not self.events.empty():
            out.append(self.events.get_nowait())
        return out


async def read_http_stream(
    client, url: str, *, headers=None, until=None, opened=None, within: float = 10.0
):
    """Read a real server's event stream with httpx until `until(events)` is true.

    `opened` (an asyncio.Event) is set once the server answered, i.e. once it subscribed.
    """
    parser = SseParser()
    events: list[SseEvent] = []
    async with asyncio.timeout(within):
        async with client.stream("GET", url, headers=headers or {}) as res:
            assert res.status_code == 200, await res.aread()
            if opened is not None:
                opened.set()
            async for chunk in res.aiter_raw():
                events += parser.feed(chunk)
                if until is not None and until(events):
                    break
    return events

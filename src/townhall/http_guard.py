"""uvicorn's HTTP/1.1 protocol, hardened: slow, idle and bloated clients are dropped early.

uvicorn bounds the idle time between requests (keep-alive), but not the time a client
takes to send its request headers and body, nor the headers' size when httptools
parses them. A few
hundred sockets trickling one header line a minute would otherwise hold every
connection slot (slowloris), and megabytes of headers would be parsed and kept.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_HEADER_BYTES = 32 * 1024
MAX_HEADERS = 100
_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
    b"content-type: text/plain; charset=utf-8\r\n"
    b"content-length: 28\r\n"
    b"connection: close\r\n\r\n"
    b"request headers are too big\n"
)


class _Refused(Exception):
    pass


class GuardedHttpProtocol(HttpToolsProtocol):
    """Closes a connection whose request headers or body are late, or headers too big."""

    header_timeout: float = 10.0
    max_header_bytes: int = MAX_HEADER_BYTES
    max_headers: int = MAX_HEADERS

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the clock: the first request's headers must arrive in time."""
        self._header_timer: asyncio.TimerHandle | None = None
        self._header_bytes = 0
        self._header_count = 0
        self._refused = False
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the clock."""
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(self.header_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.close()

    def on_message_begin(self) -> None:
        """A new request starts: its headers must be complete within the timeout."""
        self._header_bytes = 0
        self._header_count = 0
        self._arm()
        super().on_message_begin()

    def on_url(self, url: bytes) -> None:
        """Count the request line against the header budget."""
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        """Count each header against the size and number budgets."""
        self._header_count += 1
        self._count(len(name) + len(value) + 4)
        super().on_header(name, value)

    def _count(self, size: int) -> None:
        self._header_bytes += size
        if self._header_bytes > self.max_header_bytes or self._header_count > self.max_headers:
            self._refused = True
            self._disarm()
            self.transport.write(_TOO_LARGE)
            self.transport.close()
            raise _Refused  # stops the parser; nothing reaches the app

    def on_headers_complete(self) -> None:
        """Headers are in: the body (at most the app's size limit) gets the same time."""
        self._disarm()
        super().on_headers_complete()
        self._arm()

    def on_message_complete(self) -> None:
        """The whole request is in; a long answer (an event stream) is not timed."""
        self._disarm()
        super().on_message_complete()

    def data_received(self, data: bytes) -> None:
        """Ignore whatever follows a refused request."""
        if not self._refused:
            super().data_received(data)

    def send_400_response(self, msg: str) -> None:
        """Skip the generic 400 when a 431 already went out."""
        if not self._refused:
            super().send_400_response(msg)


def guarded_protocol(*, header_timeout: float) -> Callable[..., GuardedHttpProtocol]:
    """The protocol factory for uvicorn with this site's header timeout.

    A partial of a module-level function, so it pickles into `--workers N` processes.
    """
    return functools.partial(_guarded, header_timeout)


def _guarded(header_timeout: float, *args, **kwargs) -> GuardedHttpProtocol:
    protocol = GuardedHttpProtocol(*args, **kwargs)
    protocol.header_timeout = header_timeout
    return protocol

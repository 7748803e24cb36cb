"""One subscriber's mailbox, shared by both brokers, and the event id rules.

Event ids look like Redis stream ids, `<milliseconds>-<sequence>`, on every broker,
so a browser's `Last-Event-ID` compares the same way whichever broker issued it.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import deque
from collections.abc import AsyncIterator, Callable

from townhall.domain.limits import EVENT_ID_PATTERN
from townhall.live.broker import UNAVAILABLE, Event, LiveUnavailable, Rewrite

MAX_BACKLOG = 1000
ID_PATTERN = EVENT_ID_PATTERN
_ID = re.compile(ID_PATTERN)


def is_event_id(value: str) -> bool:
    """Whether value has the shape of an event id."""
    return bool(_ID.match(value))


def event_key(event_id: str) -> tuple[int, int]:
    """An event id as a comparable (milliseconds, sequence) pair."""
    ms, _, seq = event_id.partition("-")
    return int(ms), int(seq or 0)


class IdClock:
    """Issues increasing `<ms>-<seq>` ids, like Redis does for a stream."""

    __slots__ = ("_last",)

    def __init__(self) -> None:
        self._last = (0, 0)

    def next(self) -> str:
        """The next id, never smaller than the previous one even if the clock steps back."""
        now = time.time_ns() // 1_000_000
        ms, seq = self._last
        self._last = (now, 0) if now > ms else (ms, seq + 1)
        return f"{self._last[0]}-{self._last[1]}"


class Subscription:
    """Events waiting for one stream, in id order, without duplicates.

    A reader that falls `MAX_BACKLOG` events behind is ended rather than buffered
    without bound; its client reconnects with `Last-Event-ID` and replays.
    """

    __slots__ = ("_items", "_release", "_waiter", "channel", "ended", "last_key")

    def __init__(self, channel: str, release: Callable[[Subscription], None]) -> None:
        self.channel = channel
        self.ended = False
        self.last_key: tuple[int, int] | None = None
        self._items: deque[Event] = deque()
        self._waiter: asyncio.Future[None] | None = None
        self._release = release

    def push(self, event: Event) -> None:
        """Queue an event unless it was already queued or the reader fell too far behind."""
        if self.ended:
            return
        key = event_key(event.id)
        if self.last_key is not None and key <= self.last_key:
            return
        self.last_key = key
        if len(self._items) >= MAX_BACKLOG:
            self.end()
            return
        self._items.append(event)
        self.wake()

    def merge_replay(self, after: str, replay: list[Event]) -> None:
        """Put missed events first, keeping live ones that came in meanwhile after them."""
        live = list(self._items)
        self._items.clear()
        self.last_key = event_key(after)
        for event in (*replay, *live):
            self.push(event)

    def end(self) -> None:
        """No more events: the reader drains what is queued, then stops."""
        self.ended = True
        self.wake()

    def wake(self) -> None:
        """Return from a pending `next()` now (new event, shutdown or disconnect)."""
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def next(self, idle: float) -> Event | None:
        """The next event, or None after `idle` quiet seconds or when the reader was woken."""
        if self._items:
            return self._items.popleft()
        if self.ended:
            return None
        loop = asyncio.get_running_loop()
        waiter = self._waiter = loop.create_future()
        timer = loop.call_later(idle, _resolve, waiter)
        try:
            await waiter
        finally:
            timer.cancel()
            self._waiter = None
        return self._items.popleft() if self._items else None

    def pop_nowait(self) -> Event | None:
        """The next queued event without waiting, if any."""
        return self._items.popleft() if self._items else None

    def close(self) -> None:
        """Stop receiving events and unregister from the broker."""
        self.ended = True
        self._items.clear()
        self._release(self)


def _resolve(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


IDLE_WAIT = 3600.0


class LocalSubscribers:
    """This process's open mailboxes per channel, and how one is opened; shared by the
    brokers.

    A subclass sets ``self._subs = {}`` and ``self._closed = False`` and provides
    ``_missed`` (the events after an id, or None when it cannot resume from that id); it
    may also wait for its connection in ``_connected``, start delivering in ``_following``
    and name the errors of its store in ``_store_errors``.
    """

    _subs: dict[str, set[Subscription]]
    _closed: bool
    _store_errors: tuple[type[BaseException], ...] = ()

    async def _connected(self) -> None:
        """Before a mailbox is registered: wait until the broker can deliver."""

    async def _following(self) -> None:
        """Once a mailbox is registered: make sure new events reach it."""

    async def _missed(self, channel: str, last_event_id: str) -> list[Event] | None:
        """The channel's events after `last_event_id`; None if it cannot resume from it."""
        raise NotImplementedError

    async def open(
        self, channel: str, last_event_id: str | None = None, rewrite: Rewrite | None = None
    ) -> Subscription:
        """A mailbox for the channel, pre-filled with the events after last_event_id
        (as `rewrite` shows them to this reader)."""
        sub = Subscription(channel, self._release)
        if self._closed:
            sub.end()
            return sub
        await self._connected()
        self._subs.setdefault(channel, set()).add(sub)
        try:
            await self._following()
            if last_event_id is not None:
                missed = await self._missed(channel, last_event_id)
                if missed is not None:
                    if rewrite is not None and missed:
                        missed = await rewrite(missed)
                    sub.merge_replay(last_event_id, missed)
        except self._store_errors:
            sub.close()
            raise LiveUnavailable(UNAVAILABLE) from None
        except BaseException:
            sub.close()
            raise
        return sub

    async def subscribe(
        self, channel: str, last_event_id: str | None = None
    ) -> AsyncIterator[Event]:
        """Yield missed events after last_event_id, then live ones, until closed."""
        sub = await self.open(channel, last_event_id)
        try:
            while True:
                event = await sub.next(IDLE_WAIT)
                if event is not None:
                    yield event
                elif sub.ended:
                    return
        finally:
            sub.close()

    def _release(self, sub: Subscription) -> None:
        subs = self._subs.get(sub.channel)
        if subs is not None:
            subs.discard(sub)
            if not subs:
                del self._subs[sub.channel]

"""In-process broker for a single instance."""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from collections.abc import AsyncIterator
from typing import Any

from townhall.live.broker import Event

HISTORY = 500


class MemoryBroker:
    """Fan-out to this process's subscribers, with a replay buffer per channel."""

    def __init__(self, history: int = HISTORY) -> None:
        self._history: dict[str, deque[Event]] = {}
        self._subs: dict[str, set[asyncio.Queue[Event | None]]] = {}
        self._seq = itertools.count(1)
        self._size = history
        self._closed = False

    async def publish(
        self, channel: str, kind: str, data: dict[str, Any], audience: int | None = None
    ) -> Event:
        """Record and deliver an event."""
        event = Event(id=str(next(self._seq)), kind=kind, data=data, audience=audience)
        self._history.setdefault(channel, deque(maxlen=self._size)).append(event)
        for queue in list(self._subs.get(channel, ())):
            if queue.qsize() < 1000:  # a stuck reader loses events, not the server's memory
                queue.put_nowait(event)
        return event

    async def history(self, channel: str) -> list[Event]:
        """Events still in the replay buffer."""
        return list(self._history.get(channel, ()))

    async def subscribe(
        self, channel: str, last_event_id: str | None = None
    ) -> AsyncIterator[Event]:
        """Yield missed events after last_event_id, then live ones."""
        queue: asyncio.Queue[Event | None] = asyncio.Queue()
        self._subs.setdefault(channel, set()).add(queue)
        try:
            if last_event_id is not None:
                for event in list(self._history.get(channel, ())):
                    if int(event.id) > int(last_event_id or 0):
                        yield event
            while not self._closed:
                event = await queue.get()
                if event is None:
                    return
                yield event
        finally:
            self._subs.get(channel, set()).discard(queue)

    async def close(self) -> None:
        """Wake every subscriber so streams end cleanly."""
        self._closed = True
        for queues in self._subs.values():
            for queue in queues:
                queue.put_nowait(None)

"""In-process broker for a single instance."""

from __future__ import annotations

from collections import deque
from typing import Any

from townhall.live.broker import Event
from townhall.live.subscription import IdClock, LocalSubscribers, Subscription, event_key

HISTORY = 500


class MemoryBroker(LocalSubscribers):
    """Fan-out to this process's subscribers, with a replay buffer per channel."""

    def __init__(self, history: int = HISTORY) -> None:
        self._history: dict[str, deque[Event]] = {}
        self._subs: dict[str, set[Subscription]] = {}
        self._ids = IdClock()
        self._size = history
        self._closed = False

    async def publish(
        self, channel: str, kind: str, data: dict[str, Any], audience: int | None = None
    ) -> Event:
        """Record and deliver an event."""
        event = Event(id=self._ids.next(), kind=kind, data=data, audience=audience)
        self._history.setdefault(channel, deque(maxlen=self._size)).append(event)
        for sub in list(self._subs.get(channel, ())):
            sub.push(event)
        return event

    async def history(self, channel: str) -> list[Event]:
        """Events still in the replay buffer."""
        return list(self._history.get(channel, ()))

    async def _missed(self, channel: str, last_event_id: str) -> list[Event]:
        after = event_key(last_event_id)
        return [e for e in self._history.get(channel, ()) if event_key(e.id) > after]

    async def close(self) -> None:
        """Wake every subscriber so streams end cleanly."""
        self._closed = True
        for subs in list(self._subs.values()):
            for sub in list(subs):
                sub.end()

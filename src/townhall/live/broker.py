"""The live fan-out protocol: publish story events, subscribe to a story."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from townhall.errors import TownhallError

if TYPE_CHECKING:
    from townhall.live.subscription import Subscription


UNAVAILABLE = "live updates are unavailable; try again shortly"


class LiveUnavailable(TownhallError):
    """The broker cannot take subscribers right now (e.g. Redis is unreachable)."""

    code, status, title = "live-unavailable", 503, "Live updates unavailable"


@dataclass(frozen=True, slots=True)
class Event:
    """One live event; `audience` is None for everyone or the one user id allowed to see it."""

    id: str
    kind: str
    data: dict[str, Any]
    audience: int | None = None


# Turns missed events into what they should say now, before a reconnecting reader gets them.
Rewrite = Callable[[list["Event"]], Awaitable[list["Event"]]]


class Broker(Protocol):
    """Fan-out of story events: in process (MemoryBroker) or through Redis (RedisBroker)."""

    async def publish(
        self, channel: str, kind: str, data: dict[str, Any], audience: int | None = None
    ) -> Event:
        """Record an event with a new id and deliver it to the channel's subscribers."""
        ...

    def subscribe(self, channel: str, last_event_id: str | None = None) -> AsyncIterator[Event]:
        """Missed events after last_event_id, then live ones, until the broker closes."""
        ...

    async def open(
        self, channel: str, last_event_id: str | None = None, rewrite: Rewrite | None = None
    ) -> Subscription:
        """A mailbox for the channel, pre-filled with events after last_event_id (passed
        through `rewrite` first, when given)."""
        ...

    async def history(self, channel: str) -> list[Event]:
        """Events still held for replay."""
        ...

    async def close(self) -> None:
        """End every subscriber's stream and release connections."""
        ...

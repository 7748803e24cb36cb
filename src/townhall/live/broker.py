"""The live fan-out protocol: publish story events, subscribe to a story."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from townhall.errors import TownhallError

if TYPE_CHECKING:
    from townhall.live.subscription import Subscription


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


class Broker(Protocol):
    async def publish(
        self, channel: str, kind: str, data: dict[str, Any], audience: int | None = None
    ) -> Event: ...

    def subscribe(self, channel: str, last_event_id: str | None = None) -> AsyncIterator[Event]: ...

    async def open(self, channel: str, last_event_id: str | None = None) -> Subscription: ...

    async def history(self, channel: str) -> list[Event]: ...

    async def close(self) -> None: ...

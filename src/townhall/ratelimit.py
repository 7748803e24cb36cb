"""Fixed-window rate limits, in process or shared through Redis."""

from __future__ import annotations

import math
import time
from typing import Protocol

from townhall.errors import RateLimited


class RateLimiter(Protocol):
    async def hit(self, key: str, *, limit: int, window: float) -> tuple[bool, int]: ...


class MemoryRateLimiter:
    """Counts per key and window in this process only."""

    def __init__(self, clock=time.monotonic) -> None:
        self._counts: dict[tuple[str, int], int] = {}
        self._clock = clock

    async def hit(self, key: str, *, limit: int, window: float) -> tuple[bool, int]:
        """Count one hit; return (allowed, seconds until the window resets)."""
        now = self._clock()
        slot = int(now // window)
        if len(self._counts) > 100_000:
            self._counts = {k: v for k, v in self._counts.items() if k[1] >= slot}
        count = self._counts.get((key, slot), 0) + 1
        self._counts[(key, slot)] = count
        return count <= limit, max(1, math.ceil((slot + 1) * window - now))


class NoRateLimiter:
    """Never limits (TOWNHALL_RATE_LIMITS=off, for load tests)."""

    async def hit(self, key: str, *, limit: int, window: float) -> tuple[bool, int]:
        """Always allowed."""
        return True, 0


async def enforce(
    limiter: RateLimiter, key: str, *, limit: int, window: float, message: str
) -> None:
    """Raise RateLimited when the key is over its limit."""
    allowed, retry = await limiter.hit(key, limit=limit, window=window)
    if not allowed:
        raise RateLimited(message.format(seconds=retry), retry_after=retry)

"""Rate limits, in process or shared through Redis, and the budgets they enforce.

Every window starts at its key's first hit and lasts `window` seconds (the same in
memory and in Redis). Limits are keyed by account or session wherever the request
has one; only anonymous work is keyed by the client address, and those budgets are
sized for many readers behind one address (an office, a school, a mobile carrier).
Behind a reverse proxy the address is the one the proxy puts in X-Forwarded-For,
trusted only from `--forwarded-allow-ips` (see SECURITY.md, "Behind a reverse proxy").
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Protocol

from townhall.errors import RateLimited


@dataclass(frozen=True, slots=True)
class Budget:
    """At most `limit` events per `window` seconds for one key."""

    limit: int
    window: float
    name: str = ""


# The name of each limit, as a refusal (429 problem+json, field `limit`) gives it.
POSTS_PER_ACCOUNT = "posts-per-account"  # the site's post_rate_per_minute
CHECKS_PER_ACCOUNT = "draft-checks-per-account"
SIGN_IN_TRIES_PER_ACCOUNT_AND_ADDRESS = "sign-in-tries-per-account-and-address"
STREAMS_PER_ACCOUNT_LIMIT = "streams-per-account"
STREAMS_PER_ADDRESS_LIMIT = "streams-per-address"

# Anonymous work, per client address.
REGISTRATIONS_PER_ADDRESS = Budget(
    60, 3600, "registrations-per-address"
)  # a classroom signing up together
PASSWORD_RESETS_PER_ADDRESS = Budget(60, 3600, "password-resets-per-address")
SIGN_IN_FAILURES_PER_ADDRESS = Budget(
    60, 900, "sign-in-failures-per-address"
)  # wrong passwords, all accounts together
# Live streams of anonymous readers per address: TOWNHALL_SSE_MAX_PER_CLIENT (config).
# Per account.
STREAMS_PER_ACCOUNT = 20  # one reader's tabs and devices
# Sign-in throttle per (account, address); see townhall.auth.throttle.
FREE_SIGN_IN_FAILURES = 5
MAX_SIGN_IN_DELAY = 900.0
SIGN_IN_MEMORY = 86_400.0
# Failed sign-ins on one account from anywhere that make an attack worth telling staff.
STAFF_ATTACK_ALERT = Budget(10, 3600, "staff-sign-in-alert")


class RateLimiter(Protocol):
    async def hit(self, key: str, *, limit: int, window: float) -> tuple[bool, int]: ...

    async def peek(self, key: str) -> tuple[int, int]: ...

    async def clear(self, key: str) -> None: ...


class MemoryRateLimiter:
    """Counts per key and window in this process only."""

    MAX_KEYS = 100_000

    def __init__(self, clock=time.monotonic) -> None:
        self._windows: dict[str, tuple[int, float]] = {}
        self._clock = clock

    def _live(self, key: str, now: float) -> tuple[int, float] | None:
        found = self._windows.get(key)
        if found is not None and found[1] <= now:
            del self._windows[key]
            return None
        return found

    async def hit(self, key: str, *, limit: int, window: float) -> tuple[bool, int]:
        """Count one hit; return (allowed, seconds until the window resets)."""
        now = self._clock()
        if len(self._windows) > self.MAX_KEYS:
            self._windows = {k: v for k, v in self._windows.items() if v[1] > now}
        found = self._live(key, now)
        count, reset_at = (found[0] + 1, found[1]) if found else (1, now + window)
        self._windows[key] = (count, reset_at)
        return count <= limit, max(1, math.ceil(reset_at - now))

    async def peek(self, key: str) -> tuple[int, int]:
        """(hits in the key's live window, seconds until it resets); (0, 0) without one."""
        now = self._clock()
        found = self._live(key, now)
        return (found[0], max(1, math.ceil(found[1] - now))) if found else (0, 0)

    async def clear(self, key: str) -> None:
        """Forget the key's window."""
        self._windows.pop(key, None)


class NoRateLimiter:
    """Never limits (TOWNHALL_RATE_LIMITS=off, for load tests)."""

    async def hit(self, key: str, *, limit: int, window: float) -> tuple[bool, int]:
        """Always allowed."""
        return True, 0

    async def peek(self, key: str) -> tuple[int, int]:
        """Nothing is ever counted."""
        return 0, 0

    async def clear(self, key: str) -> None:
        """Nothing to forget."""


async def enforce(
    limiter: RateLimiter, key: str, *, limit: int, window: float, message: str, name: str
) -> None:
    """Raise RateLimited, naming the limit, when the key is over it."""
    allowed, retry = await limiter.hit(key, limit=limit, window=window)
    if not allowed:
        raise RateLimited(message.format(seconds=retry), retry_after=retry, limit=name)

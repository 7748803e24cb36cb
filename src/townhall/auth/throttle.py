"""Password sign-in throttling: per (account, address), with growing delays.

An address that keeps failing on one account waits longer after each further try
(1 s, 2 s, 4 s … up to 15 minutes) once it has used its free tries, while the same
account stays open, with the right password, to every address that has not failed.
Wrong passwords from one address across all accounts share a budget sized for a
shared address. Successful sign-ins clear the pair's record and never count.
"""

from __future__ import annotations

import math

from townhall.errors import RateLimited
from townhall.ratelimit import (
    FREE_SIGN_IN_FAILURES,
    MAX_SIGN_IN_DELAY,
    SIGN_IN_FAILURES_PER_ADDRESS,
    SIGN_IN_MEMORY,
    SIGN_IN_TRIES_PER_ACCOUNT_AND_ADDRESS,
    STAFF_ATTACK_ALERT,
    RateLimiter,
)

MESSAGE = "too many failed sign-in attempts; try again in {seconds} seconds"


def _pair(site_id: str, email_key: str, address: str) -> str:
    return f"{site_id}:{email_key}:{address}"


def delay_after(tries: int) -> float:
    """Seconds an address waits before its next try on an account, after `tries` tries
    since its last success (zero within the free tries)."""
    extra = tries - FREE_SIGN_IN_FAILURES
    if extra <= 0:
        return 0.0
    return min(MAX_SIGN_IN_DELAY, math.pow(2, min(extra - 1, 20)))


async def admit(limiter: RateLimiter, *, site_id: str, email_key: str, address: str) -> None:
    """Let this try be checked, or raise RateLimited with how long to wait."""
    failures, retry = await limiter.peek(f"signin-fail-addr:{address}")
    if failures >= SIGN_IN_FAILURES_PER_ADDRESS.limit:
        raise RateLimited(
            MESSAGE.format(seconds=retry),
            retry_after=retry,
            limit=SIGN_IN_FAILURES_PER_ADDRESS.name,
        )
    pair = _pair(site_id, email_key, address)
    # Every try counts until a success clears it, so parallel guesses cannot all slip
    # in before the first failure is recorded.
    within, _ = await limiter.hit(
        f"signin-try:{pair}", limit=FREE_SIGN_IN_FAILURES, window=SIGN_IN_MEMORY
    )
    if within:
        return
    tries, _ = await limiter.peek(f"signin-try:{pair}")
    # One try per delay window: the first hit of each window goes through.
    allowed, retry = await limiter.hit(f"signin-wait:{pair}", limit=1, window=delay_after(tries))
    if not allowed:
        raise RateLimited(
            MESSAGE.format(seconds=retry),
            retry_after=retry,
            limit=SIGN_IN_TRIES_PER_ACCOUNT_AND_ADDRESS,
        )


async def failed(
    limiter: RateLimiter, *, site_id: str, email_key: str, address: str, is_staff: bool
) -> bool:
    """Record a wrong password; True once per alert window when a staff account is
    under attack (several failures from anywhere), so the caller can tell staff."""
    await limiter.hit(
        f"signin-fail-addr:{address}",
        limit=SIGN_IN_FAILURES_PER_ADDRESS.limit,
        window=SIGN_IN_FAILURES_PER_ADDRESS.window,
    )
    if not is_staff:
        return False
    below, _ = await limiter.hit(
        f"signin-fail-acct:{site_id}:{email_key}",
        limit=STAFF_ATTACK_ALERT.limit - 1,
        window=STAFF_ATTACK_ALERT.window,
    )
    if below:
        return False
    first, _ = await limiter.hit(
        f"signin-alert:{site_id}:{email_key}", limit=1, window=STAFF_ATTACK_ALERT.window
    )
    return first


async def succeeded(limiter: RateLimiter, *, site_id: str, email_key: str, address: str) -> None:
    """Forget the pair's tries: a success proves the address knows the password."""
    pair = _pair(site_id, email_key, address)
    await limiter.clear(f"signin-try:{pair}")
    await limiter.clear(f"signin-wait:{pair}")

"""Behind a reverse proxy, per-address limits use X-Forwarded-For, but only from the
proxies named in --forwarded-allow-ips; from anyone else the header is ignored.

Each server allows one anonymous live stream per address, so which address a
request counts against shows in whether a second stream is accepted.
"""

from __future__ import annotations

from contextlib import ExitStack

import httpx

from tests.reliability.server import fresh_database, running

EVENTS = "/api/v1/stories/proxy-story/events"


def _open(stack: ExitStack, http: httpx.Client, forwarded: str | None) -> int:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    res = stack.enter_context(http.stream("GET", EVENTS, headers=headers))
    return res.status_code


def test_forwarded_addresses_count_only_from_a_trusted_proxy(tmp_path) -> None:
    with fresh_database("sqlite", tmp_path) as db_url:
        # The documented set-up: the proxy runs on this host and is trusted.
        with (
            running(
                db_url,
                tmp_path,
                args=["--forwarded-allow-ips", "127.0.0.1"],
                TOWNHALL_SSE_MAX_PER_CLIENT="1",
            ) as server,
            httpx.Client(base_url=server.base, timeout=10) as http,
            ExitStack() as stack,
        ):
            assert _open(stack, http, "203.0.113.10") == 200
            assert _open(stack, http, "203.0.113.10") == 429  # the same reader again
            assert _open(stack, http, "203.0.113.11") == 200  # another reader, same proxy
            # A client-supplied entry in front of the proxy's own is not believed:
            # the address is the last one the trusted proxy appended.
            assert _open(stack, http, "198.51.100.1, 203.0.113.10") == 429
        # The same headers reaching a server that trusts another proxy are ignored:
        # every request counts against the peer (127.0.0.1).
        with (
            running(
                db_url,
                tmp_path,
                args=["--forwarded-allow-ips", "192.0.2.1"],
                TOWNHALL_SSE_MAX_PER_CLIENT="1",
            ) as server,
            httpx.Client(base_url=server.base, timeout=10) as http,
            ExitStack() as stack,
        ):
            assert _open(stack, http, "203.0.113.20") == 200
            assert _open(stack, http, "203.0.113.21") == 429

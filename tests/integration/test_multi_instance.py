"""Two real `townhall serve` processes over one PostgreSQL database and one Redis."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import PG_URL, REDIS_URL, need, pg_execute
from tests.factories import SSO_SECRET, sso_token
from tests.integration.sse_helpers import SseParser, read_http_stream
from tests.servers import await_ready, free_port, stop
from townhall.live.subscription import event_key

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
ROOT = Path(__file__).resolve().parents[2]


def townhall_bin() -> str:
    """The `townhall` script of this virtualenv."""
    candidate = Path(sys.executable).parent / "townhall"
    return str(candidate if candidate.exists() else ROOT / ".venv" / "bin" / "townhall")


class Instance:
    """One `townhall serve` subprocess on a free loopback port."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        cmd = [townhall_bin(), "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        with log.open("wb") as out:
            self.proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)

    def wait_ready(self, within: float = 60) -> None:
        """Block until /readyz answers 200 (database and Redis reachable)."""
        await_ready(f"{self.base}/readyz", self.proc, self.log, within=within, what="instance")

    def stop(self) -> None:
        """End the process this test started."""
        stop(self.proc, 15)


@pytest.fixture(scope="module")
def empty_database() -> Iterator[str]:
    """A new PostgreSQL database with no schema: the instances migrate it as they start."""
    base = need(PG_URL, "TOWNHALL_TEST_DATABASE_URL (PostgreSQL)")
    name = f"townhall_multi_{uuid.uuid4().hex[:10]}"
    pg_execute(base, f'CREATE DATABASE "{name}"')
    yield base.rsplit("/", 1)[0] + "/" + name
    pg_execute(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def cluster_env(empty_database) -> dict[str, str]:
    """Environment shared by every instance: one database, one Redis namespace, rate limits on."""
    redis_url = need(REDIS_URL, "TOWNHALL_TEST_REDIS_URL (Redis)")
    return {
        **os.environ,
        "TOWNHALL_DATABASE_URL": empty_database,
        "TOWNHALL_REDIS_URL": redis_url,
        "TOWNHALL_REDIS_PREFIX": f"townhall-test-{uuid.uuid4().hex[:10]}:",
        "TOWNHALL_SSO_SECRET": SSO_SECRET,
        "TOWNHALL_RATE_LIMITS": "on",
        "TOWNHALL_LOG_JSON": "false",
        "TOWNHALL_SSE_KEEPALIVE_SECONDS": "2",
    }


@pytest.fixture(scope="module")
def cluster(cluster_env, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """Instances A and B, started together on the empty database.

    Both run the migrations at start-up; the advisory lock lets one migrate while
    the other waits, so both must come up ready.
    """
    logs = tmp_path_factory.mktemp("cluster")
    a = Instance(cluster_env, logs / "a.log")
    b = Instance(cluster_env, logs / "b.log")
    try:
        a.wait_ready()
        b.wait_ready()
        yield a.base, b.base
    finally:
        a.stop()
        b.stop()


async def sign_in(client: httpx.AsyncClient, sub: str, name: str) -> dict[str, str]:
    """SSO sign-in with a commenting name on this instance; returns the headers."""
    res = await client.post("/api/v1/auth/sso", json={"token": sso_token(sub)})
    assert res.status_code == 200, res.text
    headers = {"Authorization": f"Bearer {res.json()['token']}"}
    res = await client.put("/api/v1/me/name", json={"name": name}, headers=headers)
    assert res.status_code == 200, res.text
    return headers


async def post(client: httpx.AsyncClient, headers, story: str, body: str) -> httpx.Response:
    """Post a comment on a story."""
    return await client.post(
        f"/api/v1/stories/{story}/comments", json={"body": body}, headers=headers
    )


def follow(client: httpx.AsyncClient, story: str, until) -> tuple[asyncio.Task, asyncio.Event]:
    """Start reading a story's stream; the event is set once the server has subscribed."""
    opened = asyncio.Event()
    task = asyncio.create_task(
        read_http_stream(client, f"/api/v1/stories/{story}/events", until=until, opened=opened)
    )
    return task, opened


async def subscribed(task: asyncio.Task, opened: asyncio.Event) -> None:
    """Wait until the stream is open (or its reader failed, which the test then reports)."""
    done, _ = await asyncio.wait(
        [task, asyncio.ensure_future(opened.wait())], timeout=10, return_when="FIRST_COMPLETED"
    )
    assert done, "the stream did not open"
    if task in done:
        await task


async def test_comment_posted_on_a_reaches_a_reader_on_b(cluster):
    """Fan-out crosses instances through Redis."""
    a_url, b_url = cluster
    story = f"multi-{uuid.uuid4().hex[:8]}"
    async with httpx.AsyncClient(base_url=a_url) as a, httpx.AsyncClient(base_url=b_url) as b:
        alice = await sign_in(a, "alice-ab", "Alice Ab")
        reader, opened = follow(b, story, lambda evs: any(e.event == "comment" for e in evs))
        await subscribed(reader, opened)
        res = await post(a, alice, story, "Posted on instance A, read on B.")
        assert res.status_code == 201, res.text
        events = await reader
    [comment] = [e for e in events if e.event == "comment"]
    assert comment.json()["id"] == res.json()["id"]
    assert "Posted on instance A" in comment.json()["body_html"]


async def test_reconnect_with_last_event_id_on_either_instance_gets_what_was_missed(cluster):
    """The replay log is shared: any instance resumes a stream from its last id."""
    a_url, b_url = cluster
    story = f"resume-{uuid.uuid4().hex[:8]}"
    async with httpx.AsyncClient(base_url=a_url) as a, httpx.AsyncClient(base_url=b_url) as b:
        alice = await sign_in(a, "alice-resume", "Alice Resume")
        bob = await sign_in(b, "bob-resume", "Bob Resume")
        reader, opened = follow(b, story, lambda evs: any(e.event == "comment" for e in evs))
        await subscribed(reader, opened)
        first = (await post(a, alice, story, "First, seen live.")).json()
        [seen] = [e for e in await reader if e.event == "comment"]
        assert seen.json()["id"] == first["id"]

        missed_b = (await post(b, bob, story, "Second, while the reader was away.")).json()
        missed_a = (await post(a, alice, story, "Third, also missed by the reader.")).json()
        for base in (a, b):
            replay = await read_http_stream(
                base,
                f"/api/v1/stories/{story}/events",
                headers={"Last-Event-ID": seen.id},
                until=lambda evs: sum(e.event == "comment" for e in evs) >= 2,
            )
            comments = [e for e in replay if e.event == "comment"]
            assert [e.json()["id"] for e in comments] == [missed_b["id"], missed_a["id"]]
            keys = [event_key(e.id) for e in replay]
            assert keys == sorted(keys) and keys[0] > event_key(seen.id)


async def test_a_rate_limit_hit_on_a_counts_on_b(cluster):
    """Posting limits are counted in Redis, not per instance."""
    a_url, b_url = cluster
    story = f"limits-{uuid.uuid4().hex[:8]}"
    async with httpx.AsyncClient(base_url=a_url) as a, httpx.AsyncClient(base_url=b_url) as b:
        carol = await sign_in(a, "carol-limits", "Carol Limits")
        statuses = []
        for i in range(6):  # the default site allows 6 comments a minute
            res = await post(a if i % 2 else b, carol, story, f"Point number {i} on fares.")
            statuses.append(res.status_code)
        assert statuses == [201] * 6
        res = await post(b, carol, story, "One more, too fast.")
        assert res.status_code == 429
        assert res.json()["code"] == "rate-limited"
        assert 0 < int(res.headers["retry-after"]) <= 60
        res = await post(a, carol, story, "And again on the other instance.")
        assert res.status_code == 429


def test_sigterm_ends_open_streams_cleanly(cluster_env, tmp_path):
    """A stopping instance closes its streams at once instead of holding them to the timeout."""
    inst = Instance(cluster_env, tmp_path / "c.log")
    try:
        inst.wait_ready()
        with httpx.Client(base_url=inst.base, timeout=20) as client:
            with client.stream("GET", "/api/v1/stories/shutdown-story/events") as res:
                assert res.status_code == 200
                chunks = res.iter_raw()
                assert b"connected" in next(chunks)
                started = time.monotonic()
                inst.proc.send_signal(signal.SIGTERM)
                rest = b"".join(chunks)
                elapsed = time.monotonic() - started
        # uvicorn re-raises the signal once it has shut down cleanly.
        assert inst.proc.wait(timeout=15) in (0, -signal.SIGTERM)
        assert "Application shutdown complete" in inst.log.read_text(errors="replace")
        assert elapsed < 4, f"stream held for {elapsed:.1f}s"
        parser = SseParser()
        parser.feed(rest)
        assert parser.retry is not None and parser.retry >= 1000
    finally:
        inst.stop()


def open_streams_gauge(base: str) -> float:
    """The instance's `townhall_sse_connections` metric."""
    text = httpx.get(f"{base}/metrics", timeout=5).text
    line = next(x for x in text.splitlines() if x.startswith("townhall_sse_connections "))
    return float(line.split()[1])


def test_a_reader_who_leaves_is_noticed_at_once(cluster):
    """Disconnects are detected without waiting for a keep-alive write to fail."""
    a_url, _ = cluster
    before = open_streams_gauge(a_url)
    with httpx.Client(base_url=a_url, timeout=10) as client:
        with client.stream("GET", "/api/v1/stories/leaving/events") as res:
            assert res.status_code == 200
            chunks = res.iter_raw()  # keep it: dropping the iterator closes the response
            assert b"connected" in next(chunks)
            assert open_streams_gauge(a_url) == before + 1
    for _ in range(20):  # well inside the 2 s keep-alive of these instances
        if open_streams_gauge(a_url) == before:
            break
        time.sleep(0.05)
    assert open_streams_gauge(a_url) == before

"""Two instances on one PostgreSQL and one Redis behind HAProxy: one hot story, posted to
through both at once, loses nothing, doubles nothing, deadlocks nowhere, counts exactly, and
every live reader on either instance hears every comment."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from tests.conftest import REDIS_URL, need
from tests.factories import SSO_SECRET
from tests.integration.sse_helpers import read_http_stream
from tests.integration.test_multi_instance import (
    Instance,
    empty_database,  # noqa: F401 - a fixture this module uses
    free_port,
    post,
    sign_in,
)
from tests.servers import await_ready, stop

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
ROOT = Path(__file__).resolve().parents[2]
HAPROXY_CFG = ROOT / "bench" / "scaleout" / "haproxy.cfg"
WRITERS = 8
POSTS_EACH = 5
READERS_PER_INSTANCE = 3


class Balancer:
    """HAProxy in the foreground on a free loopback port, in front of two instances."""

    def __init__(self, a_port: int, b_port: int, workdir: Path) -> None:
        binary = need(shutil.which("haproxy"), "haproxy (apt-get install haproxy)")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        cfg = workdir / "haproxy.cfg"
        cfg.write_text(HAPROXY_CFG.read_text().format(port=self.port, a=a_port, b=b_port))
        self.log = workdir / "haproxy.log"
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                [binary, "-db", "-f", str(cfg)], stdout=out, stderr=subprocess.STDOUT
            )

    def wait_ready(self, within: float = 20) -> None:
        """Block until the instances answer through the balancer."""
        await_ready(f"{self.base}/readyz", self.proc, self.log, within=within, what="haproxy")

    def stop(self) -> None:
        """End the balancer this test started."""
        stop(self.proc)


@pytest.fixture(scope="module")
def balanced(empty_database, tmp_path_factory) -> Iterator[tuple[str, str, str, str]]:  # noqa: F811
    """Instances A and B (rate limits and response cache off) and HAProxy in front:
    (balancer, A, B, database url)."""
    redis_url = need(REDIS_URL, "TOWNHALL_TEST_REDIS_URL (Redis)")
    need(shutil.which("haproxy"), "haproxy (apt-get install haproxy)")
    env = {
        **os.environ,
        "TOWNHALL_DATABASE_URL": empty_database,
        "TOWNHALL_REDIS_URL": redis_url,
        "TOWNHALL_REDIS_PREFIX": f"townhall-scale-{uuid.uuid4().hex[:10]}:",
        "TOWNHALL_SSO_SECRET": SSO_SECRET,
        "TOWNHALL_RATE_LIMITS": "off",
        "TOWNHALL_RESPONSE_CACHE": "off",
        "TOWNHALL_LOG_JSON": "false",
        "TOWNHALL_SSE_KEEPALIVE_SECONDS": "2",
    }
    logs = tmp_path_factory.mktemp("balanced")
    a = Instance(env, logs / "a.log")
    b = Instance(env, logs / "b.log")
    lb = None
    try:
        a.wait_ready()
        b.wait_ready()
        lb = Balancer(a.port, b.port, logs)
        lb.wait_ready()
        yield lb.base, a.base, b.base, empty_database
        for inst in (a, b):
            assert "deadlock" not in inst.log.read_text(errors="replace").lower()
    finally:
        if lb is not None:
            lb.stop()
        a.stop()
        b.stop()


def _published(base: str) -> float:
    """An instance's count of comments it published (its own /metrics)."""
    text = httpx.get(f"{base}/metrics", timeout=5).text
    for line in text.splitlines():
        if line.startswith('townhall_comments_total{status="published"}'):
            return float(line.split()[1])
    return 0.0


async def _in_database(url: str, story: str) -> tuple[int, int, int]:
    """(comment rows, distinct bodies, the story's count with its pending deltas)."""
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        rows = await conn.fetchrow(
            "SELECT count(*), count(DISTINCT c.body),"
            " (SELECT s.published_open + coalesce((SELECT sum(d.d_open)"
            "  FROM story_count_deltas d WHERE d.story_id = s.id), 0)"
            "  FROM stories s WHERE s.key = $1)"
            " FROM comments c JOIN stories s ON s.id = c.story_id WHERE s.key = $1",
            story,
        )
        return int(rows[0]), int(rows[1]), int(rows[2])
    finally:
        await conn.close()


async def test_one_hot_story_posted_to_through_both_instances_stays_exact(balanced) -> None:
    lb_url, a_url, b_url, db_url = balanced
    story = f"hot-{uuid.uuid4().hex[:8]}"
    total = WRITERS * POSTS_EACH
    limits = httpx.Limits(max_connections=100)
    async with (
        httpx.AsyncClient(base_url=lb_url, timeout=30, limits=limits) as lb,
        httpx.AsyncClient(base_url=a_url, timeout=30, limits=limits) as a,
        httpx.AsyncClient(base_url=b_url, timeout=30, limits=limits) as b,
    ):
        writers = [await sign_in(lb, f"hot-{i}", f"Hot Writer {i}") for i in range(WRITERS)]

        def all_comments(events) -> bool:
            return len({e.json()["id"] for e in events if e.event == "comment"}) >= total

        readers = []
        for client in [a] * READERS_PER_INSTANCE + [b] * READERS_PER_INSTANCE:
            opened = asyncio.Event()
            readers.append(
                asyncio.create_task(
                    read_http_stream(
                        client,
                        f"/api/v1/stories/{story}/events",
                        until=all_comments,
                        opened=opened,
                        within=60,
                    )
                )
            )
            await asyncio.wait_for(opened.wait(), 10)
        before = (_published(a_url), _published(b_url))

        async def write(i: int) -> list[int]:
            ids = []
            for n in range(POSTS_EACH):
                res = await post(lb, writers[i], story, f"Writer {i}, point {n}, on the hot story.")
                assert res.status_code == 201, res.text
                ids.append(res.json()["id"])
            return ids

        posted = [i for ids in await asyncio.gather(*map(write, range(WRITERS))) for i in ids]
        heard = await asyncio.wait_for(asyncio.gather(*readers), 60)
        after = (_published(a_url), _published(b_url))
        page = await lb.get(f"/api/v1/stories/{story}/comments", params={"limit": 100})
        counts = await lb.get("/api/v1/counts", params={"story_id": story})

    assert len(posted) == len(set(posted)) == total
    assert after[0] > before[0] and after[1] > before[1], "both instances took posts"
    for events in heard:  # every reader, on either instance, heard every comment once
        ids = [e.json()["id"] for e in events if e.event == "comment"]
        assert sorted(ids) == sorted(posted)
    listed = [c["id"] for c in page.json()["comments"]]
    assert sorted(listed) == sorted(posted)
    assert page.json()["total"] == total
    assert counts.json()["counts"][story] == total
    assert await _in_database(db_url, story) == (total, total, total)
    assert await _folded_row(db_url, story) == total


async def _folded_row(url: str, story: str) -> int:
    """The story row's own count once a running instance has folded every pending change."""
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        async with asyncio.timeout(20):
            while await conn.fetchval("SELECT count(*) FROM story_count_deltas"):  # noqa: ASYNC110
                await asyncio.sleep(0.2)  # the database, not this process, changes
        return int(await conn.fetchval("SELECT published_open FROM stories WHERE key = $1", story))
    finally:
        await conn.close()

"""A steady mix of reads and writes against a real server: no errors, no leak, no slow-down."""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import time

import httpx
import pytest

from tests.reliability.clients import plain_body, sign_in
from tests.reliability.invariants import broken_invariants
from tests.reliability.server import fresh_database, running

pytestmark = pytest.mark.slow

SECONDS = float(os.environ.get("TOWNHALL_SOAK_SECONDS", "60"))
RATE = float(os.environ.get("TOWNHALL_SOAK_RATE", "20"))  # requests per second
WARM_UP = SECONDS / 4
RSS_GROWTH_LIMIT = 30 * 1024 * 1024
STORIES = [f"soak-{i}" for i in range(3)]


class Run:
    """Latencies, failures and memory samples of one soak."""

    def __init__(self) -> None:
        self.samples: list[tuple[float, float]] = []
        self.failures: list[str] = []
        self.rss: list[tuple[float, int]] = []
        self.ids: list[int] = []
        self.by_story: dict[str, list[int]] = {}


async def _one(client: httpx.AsyncClient, users: list[dict], run: Run, rng: random.Random):
    story = rng.choice(STORIES)
    roll = rng.random()
    who = rng.choice(users)
    if roll < 0.10 or not run.ids:
        method, url, body, ok = "POST", f"/api/v1/stories/{story}/comments", None, {201}
        body = {"body": plain_body("soak")}
        siblings = run.by_story.get(story)
        if siblings and rng.random() < 0.3:
            body["parent_id"] = rng.choice(siblings[-50:])
    elif roll < 0.25:
        target = rng.choice(run.ids[-200:])
        method = rng.choice(["PUT", "DELETE"])
        url, body, ok = f"/api/v1/comments/{target}/like", None, {200, 403}
    elif roll < 0.85:
        sort = rng.choice(["newest", "oldest", "most_liked"])
        method, url, body, ok = "GET", f"/api/v1/stories/{story}/comments?sort={sort}", None, {200}
        if rng.random() < 0.5:
            who = {}
    elif roll < 0.95:
        target = rng.choice(run.ids[-200:])
        method, url, body, ok = "GET", f"/api/v1/comments/{target}/replies", None, {200, 404}
    else:
        method, url, body, ok = (
            "GET",
            "/api/v1/counts?" + "&".join(f"story_id={s}" for s in STORIES),
            None,
            {200},
        )
    started = time.monotonic()
    try:
        res = await client.request(method, url, json=body, headers=who)
    except httpx.HTTPError as exc:
        run.failures.append(f"{method} {url}: {type(exc).__name__}")
        return
    run.samples.append((started, time.monotonic() - started))
    if res.status_code not in ok:
        run.failures.append(f"{method} {url}: {res.status_code} {res.text[:200]}")
    elif method == "POST":
        run.ids.append(res.json()["id"])
        run.by_story.setdefault(story, []).append(res.json()["id"])


async def test_a_steady_mixed_load_runs_clean(tmp_path) -> None:
    rng = random.Random(8)
    run = Run()
    with fresh_database("sqlite", tmp_path) as db_url, running(db_url, tmp_path) as server:
        limits = httpx.Limits(max_connections=64, max_keepalive_connections=32)
        async with httpx.AsyncClient(base_url=server.base, timeout=30, limits=limits) as client:
            users = [await sign_in(client, f"soak-{i}", name=f"Soak Reader {i}") for i in range(8)]
            start = time.monotonic()
            tasks: set[asyncio.Task] = set()
            tick = 0
            while (now := time.monotonic()) - start < SECONDS:
                if len(tasks) < 64:
                    task = asyncio.create_task(_one(client, users, run, rng))
                    tasks.add(task)
                    task.add_done_callback(tasks.discard)
                if tick % int(RATE) == 0:
                    run.rss.append((now - start, server.rss()))
                tick += 1
                await asyncio.sleep(max(0.0, start + tick / RATE - time.monotonic()))
            await asyncio.gather(*tasks)
            run.rss.append((time.monotonic() - start, server.rss()))
        assert not run.failures, run.failures[:10]
        assert len(run.samples) >= SECONDS * RATE * 0.8, "the load did not keep its rate"
        warm = [rss for t, rss in run.rss if t >= WARM_UP]
        growth = warm[-1] - warm[0]
        assert growth < RSS_GROWTH_LIMIT, f"RSS grew {growth / 2**20:.1f} MiB after warm-up"
        third = SECONDS / 3
        first = [d for t, d in run.samples if t - start < third]
        last = [d for t, d in run.samples if t - start >= 2 * third]
        p50_first, p50_last = statistics.median(first), statistics.median(last)
        p95_last = statistics.quantiles(last, n=20)[-1]
        print(
            f"soak: {len(run.samples)} requests in {SECONDS:.0f}s, p50 first third "
            f"{p50_first * 1000:.1f} ms, last third {p50_last * 1000:.1f} ms (p95 "
            f"{p95_last * 1000:.1f} ms), RSS {warm[0] / 2**20:.1f} -> {warm[-1] / 2**20:.1f} MiB"
        )
        assert p50_last <= 2 * p50_first + 0.025, "requests got slower as the run went on"
        assert await broken_invariants(db_url) == []

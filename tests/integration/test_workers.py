"""`townhall serve --workers 2` without Redis behaves as one server.

Real server processes on 127.0.0.1, on SQLite and on PostgreSQL: live readers get every
event whichever worker holds their stream and whichever worker took the post, resume
works on either worker, rate limits are counted once for both, and `/metrics` adds up
the requests of both.

Which worker answers a connection is the kernel's choice; each request here goes out on
a fresh connection, and the tests check (from the workers' metric files) that both
workers served some of them.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import statistics
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.mmap_dict import MmapedDict

from tests.conftest import PG_URL, need, pg_execute
from tests.factories import SSO_SECRET, sso_token
from tests.integration.sse_helpers import SseParser
from tests.servers import BIN, await_ready, free_port, stop

READERS = 12
COMMENTS = 3
ROUNDS = 3
WAIT = 15.0


class Workers:
    """One `townhall serve --workers 2` process tree without Redis."""

    def __init__(self, db_url: str, logs: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.metrics_dir = logs / "metrics"
        self.log = logs / "serve.log"
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("TOWNHALL_") or k.startswith("TOWNHALL_TEST_")
        }
        env.update(
            TOWNHALL_DATABASE_URL=db_url,
            TOWNHALL_SSO_SECRET=SSO_SECRET,
            TOWNHALL_RATE_LIMITS="on",
            TOWNHALL_LOG_JSON="false",
            TOWNHALL_SSE_KEEPALIVE_SECONDS="2",
            # The test's own directory, so it can see which worker counted what.
            PROMETHEUS_MULTIPROC_DIR=str(self.metrics_dir),
        )
        self.metrics_dir.mkdir()
        (self.metrics_dir / "counter_1.db").write_bytes(b"stale")  # emptied at start
        cmd = [str(BIN), "serve", "--port", str(self.port), "--workers", "2"]
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)

    def wait_ready(self, within: float = 90) -> None:
        """Until both workers answer /readyz (each has opened its database)."""
        await_ready(
            f"{self.base}/readyz",
            self.proc,
            self.log,
            within=within,
            what="server",
            also=lambda: len(self.worker_files("counter")) >= 2,
        )

    def worker_files(self, kind: str) -> list[Path]:
        """The metric files of each worker (one per process id)."""
        return sorted(self.metrics_dir.glob(f"{kind}_*.db"))

    def per_worker(self, metric: str, kind: str = "counter", **labels: str) -> list[float]:
        """A metric's value in each worker, from the files the workers write."""
        values = []
        for path in self.worker_files(kind):
            total = 0.0
            for key, value, *_ in MmapedDict.read_all_values_from_file(str(path)):
                _name, sample, sample_labels, _help = json.loads(key)
                if sample == metric and all(sample_labels.get(k) == v for k, v in labels.items()):
                    total += value
            values.append(total)
        return values

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it lingers."""
        stop(self.proc, 20)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def workers(request, tmp_path_factory) -> Iterator[Workers]:
    """Two workers over a new database of each kind (migrated by serve at start)."""
    logs = tmp_path_factory.mktemp(f"workers-{request.param}")
    dropped = None
    if request.param == "sqlite":
        db_url = f"sqlite+aiosqlite:///{logs / 'townhall.sqlite3'}"
    else:
        base = need(PG_URL, "TOWNHALL_TEST_DATABASE_URL (PostgreSQL)")
        name = f"townhall_workers_{uuid.uuid4().hex[:10]}"
        pg_execute(base, f'CREATE DATABASE "{name}"')
        db_url = dropped = base.rsplit("/", 1)[0] + "/" + name
    server = Workers(db_url, logs)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()
        if dropped is not None:
            pg_execute(PG_URL or "", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    # The workers' shared directory is named in the log and gone once serve has exited.
    found = re.search(r"through the database and (\S+)", server.log.read_text(errors="replace"))
    assert found, "serve did not say where its workers share state"
    assert not Path(found.group(1)).exists(), "serve left its workers' directory behind"


def fresh(base: str) -> httpx.AsyncClient:
    """A client whose every request opens a new connection (the kernel picks the worker)."""
    return httpx.AsyncClient(
        base_url=base, timeout=WAIT, limits=httpx.Limits(max_keepalive_connections=0)
    )


async def sign_in(base: str, sub: str) -> dict[str, str]:
    """An SSO sign-in with a commenting name; the bearer header."""
    async with fresh(base) as client:
        res = await client.post("/api/v1/auth/sso", json={"token": sso_token(sub)})
        assert res.status_code == 200, res.text
        headers = {"Authorization": f"Bearer {res.json()['token']}"}
        res = await client.put("/api/v1/me/name", json={"name": sub.title()}, headers=headers)
        assert res.status_code == 200, res.text
    return headers


async def post(base: str, headers: dict[str, str], story: str, body: str) -> httpx.Response:
    """Post a comment on a fresh connection."""
    async with fresh(base) as client:
        return await client.post(
            f"/api/v1/stories/{story}/comments", json={"body": body}, headers=headers
        )


class Reader:
    """One live reader: its own connection, every event with the moment it arrived."""

    def __init__(self, base: str, story: str, headers: dict[str, str] | None = None) -> None:
        self.arrived: dict[int, float] = {}  # comment id -> monotonic time
        self.events: list = []
        self.opened = asyncio.Event()
        self.changed = asyncio.Event()
        self._client = fresh(base)
        self._task = asyncio.create_task(self._read(story, headers or {}))

    async def _read(self, story: str, headers: dict[str, str]) -> None:
        parser = SseParser()
        url = f"/api/v1/stories/{story}/events"
        async with self._client.stream("GET", url, headers=headers) as res:
            assert res.status_code == 200, await res.aread()
            self.opened.set()
            async for chunk in res.aiter_raw():
                now = time.monotonic()
                for event in parser.feed(chunk):
                    self.events.append(event)
                    if event.event == "comment":
                        self.arrived.setdefault(event.json()["id"], now)
                self.changed.set()

    async def wait_open(self) -> None:
        """Until the server has subscribed this reader."""
        done, _ = await asyncio.wait(
            [self._task, asyncio.ensure_future(self.opened.wait())],
            timeout=WAIT,
            return_when="FIRST_COMPLETED",
        )
        assert done, "the stream did not open"
        if self._task in done:
            await self._task

    async def wait_for(self, ids: set[int]) -> None:
        """Until every comment in ids has arrived (fails after WAIT seconds)."""
        async with asyncio.timeout(WAIT):
            while not ids <= self.arrived.keys():
                if self._task.done():
                    await self._task
                self.changed.clear()
                await self.changed.wait()

    async def close(self) -> None:
        """Leave."""
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)
        await self._client.aclose()


async def test_every_reader_gets_every_event_whichever_worker_posts(workers, request):
    """12 readers of one story, 3 comments a round, 3 rounds: nothing is missed."""
    story = f"workers-{uuid.uuid4().hex[:8]}"
    authors = [await sign_in(workers.base, f"author{i}-{story}") for i in range(COMMENTS)]
    readers = [Reader(workers.base, story) for _ in range(READERS)]
    latencies: list[float] = []
    answers: list[float] = []
    after_answer: list[float] = []
    try:
        for reader in readers:
            await reader.wait_open()
        streams = workers.per_worker("townhall_sse_connections", kind="gauge_livesum")
        while not all(streams) and len(readers) < 4 * READERS:  # until both workers hold some
            readers.append(Reader(workers.base, story))
            await readers[-1].wait_open()
            streams = workers.per_worker("townhall_sse_connections", kind="gauge_livesum")
        assert sum(streams) == len(readers)
        assert len([n for n in streams if n]) == 2, f"one worker holds every stream: {streams}"
        for rnd in range(ROUNDS):
            sent: dict[int, float] = {}
            answered: dict[int, float] = {}
            for i, author in enumerate(authors):
                began = time.monotonic()
                res = await post(workers.base, author, story, f"Round {rnd}, point {i}.")
                answers.append(time.monotonic() - began)
                assert res.status_code == 201, res.text
                sent[res.json()["id"]] = began
                answered[res.json()["id"]] = began + answers[-1]
            for reader in readers:
                await reader.wait_for(set(sent))
            for reader in readers:
                latencies += [reader.arrived[cid] - began for cid, began in sent.items()]
                after_answer += [reader.arrived[cid] - t for cid, t in answered.items()]
        posts = workers.per_worker("townhall_http_requests_total", method="POST", status="2xx")
        assert len([n for n in posts if n]) == 2, f"one worker took every post: {posts}"
        for reader in readers:  # each comment exactly once, in the order posted
            ids = [e.json()["id"] for e in reader.events if e.event == "comment"]
            assert ids == sorted(ids) and len(ids) == len(set(ids)) == COMMENTS * ROUNDS
    finally:
        for reader in readers:
            await reader.close()
    report = os.environ.get("TOWNHALL_LATENCY_REPORT")
    if report:  # numbers for docs/scaling.md; never asserted
        latencies.sort()
        line = (
            f"{request.node.callspec.id}: {len(latencies)} deliveries, "
            f"median {statistics.median(latencies) * 1000:.1f} ms, "
            f"p99 {latencies[int(len(latencies) * 0.99) - 1] * 1000:.1f} ms, "
            f"max {latencies[-1] * 1000:.1f} ms from sending the post; "
            f"the post itself answered in {statistics.median(answers) * 1000:.1f} ms (median); "
            f"arrival after that answer: median {statistics.median(after_answer) * 1000:.1f} ms, "
            f"max {max(after_answer) * 1000:.1f} ms\n"
        )
        with Path(report).open("a", encoding="utf-8") as out:  # noqa: ASYNC230
            out.write(line)


async def test_resume_with_last_event_id_works_on_either_worker(workers):
    """A reader that comes back gets exactly what it missed, whichever worker answers."""
    story = f"resume-{uuid.uuid4().hex[:8]}"
    author = await sign_in(workers.base, f"resumer-{story}")
    reader = Reader(workers.base, story)
    try:
        await reader.wait_open()
        first = (await post(workers.base, author, story, "Seen live.")).json()
        await reader.wait_for({first["id"]})
    finally:
        await reader.close()
    [seen] = [e for e in reader.events if e.event == "comment"]
    missed = [
        (await post(workers.base, author, story, f"Missed number {i}.")).json()["id"]
        for i in range(2)
    ]
    before = workers.per_worker("townhall_http_requests_total", method="GET", status="2xx")
    # The kernel picks the worker; on a busy machine one may take many in a row, so
    # resume until both have answered (at least 8 times, at most 60).
    for attempt in range(60):
        again = Reader(workers.base, story, headers={"Last-Event-ID": seen.id})
        try:
            await again.wait_open()
            await again.wait_for(set(missed))
        finally:
            await again.close()
        assert [e.json()["id"] for e in again.events if e.event == "comment"] == missed
        after = workers.per_worker("townhall_http_requests_total", method="GET", status="2xx")
        served = [a - b for a, b in zip(after, before, strict=True)]
        if attempt >= 7 and all(served):
            break
    assert len([n for n in served if n]) == 2, f"one worker answered every resume: {served}"


async def test_a_rate_limit_is_counted_once_for_both_workers(workers):
    """The default site allows 6 comments a minute: the 7th is refused, on any worker."""
    story = f"limits-{uuid.uuid4().hex[:8]}"
    author = await sign_in(workers.base, f"limited-{story}")
    statuses = [
        (await post(workers.base, author, story, f"Point number {i}.")).status_code
        for i in range(6)
    ]
    assert statuses == [201] * 6
    refused = workers.per_worker("townhall_http_requests_total", method="POST", status="4xx")
    for _ in range(30):  # until each worker has refused one (the kernel spreads connections)
        res = await post(workers.base, author, story, "One too many.")
        assert res.status_code == 429
        assert res.json()["code"] == "rate-limited"
        assert res.json()["limit"] == "posts-per-account"
        now = workers.per_worker("townhall_http_requests_total", method="POST", status="4xx")
        if all(a > b for a, b in zip(now, refused, strict=True)):
            break
    else:
        pytest.fail(f"one worker answered every post: {now}")


async def test_metrics_count_the_requests_of_both_workers(workers):
    """/metrics, whichever worker answers it, adds up every worker's requests."""

    def total(text: str) -> float:
        return sum(
            float(line.split()[-1])
            for line in text.splitlines()
            if line.startswith('townhall_http_requests_total{method="GET",status="2xx"}')
        )

    async with fresh(workers.base) as client:
        start = total((await client.get("/metrics")).text)
        for _ in range(20):
            assert (await client.get("/healthz")).status_code == 200
        # Each answer counts the requests before it: the 20, then the /metrics ones.
        seen = [total((await client.get("/metrics")).text) - start for _ in range(6)]
    assert seen == [21, 22, 23, 24, 25, 26]
    gets = workers.per_worker("townhall_http_requests_total", method="GET", status="2xx")
    assert len([n for n in gets if n]) == 2, f"one worker answered every request: {gets}"

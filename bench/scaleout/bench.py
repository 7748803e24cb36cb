"""Scale-out bench: two townhall instances on one PostgreSQL and one Redis behind HAProxy.

wrk posts to one hot story through the balancer while live readers hold streams on each
instance directly; afterwards the script checks that nothing was lost or doubled, that the
story's count is exact and that every reader heard every comment, and prints throughput,
latency and the instances' CPU per post.

Usage: python bench/scaleout/bench.py [--seconds 10] [--connections 32] [--readers 10]
Loopback only; every process it starts is stopped at the end (its own process groups).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "http"))

import asyncpg  # noqa: E402
import httpx  # noqa: E402
import seed  # noqa: E402
import wrk  # noqa: E402
from procs import cpu_seconds, free_port, server, tree  # noqa: E402
from run import SECRET, drop_pg, fresh_pg, townhall_env  # noqa: E402

VENV_BIN = Path(sys.executable).parent
LOGS = HERE.parent / "results" / "logs"
STORY = "hot"


def instance_argv(port: int, db: str) -> list[str]:
    """One instance, one worker: two instances make the pair the balancer spreads over."""
    return [
        str(VENV_BIN / "townhall"), "serve", "--host", "127.0.0.1", "--port", str(port),
        "--workers", "1", "--db", db,
    ]  # fmt: skip


async def read_stream(base: str, seen: list[int], opened: asyncio.Event) -> None:
    """Collect the ids of comment events of the hot story until cancelled."""
    async with httpx.AsyncClient(base_url=base, timeout=httpx.Timeout(10, read=None)) as client:
        async with client.stream("GET", f"/api/v1/stories/{STORY}/events") as res:
            opened.set()
            event = None
            async for line in res.aiter_lines():
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: ") and event == "comment":
                    seen.append(json.loads(line[6:])["id"])
                elif not line:
                    event = None


async def in_database(url: str) -> tuple[set[int], int, int]:
    """(ids of the hot story's comments, rows, the story's count with pending deltas)."""
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        ids = await conn.fetch(
            "SELECT c.id FROM comments c JOIN stories s ON s.id = c.story_id"
            " WHERE s.key = $1 AND c.status = 'published'",
            STORY,
        )
        count = await conn.fetchval(
            "SELECT s.published_open + coalesce((SELECT sum(d.d_open) FROM story_count_deltas d"
            " WHERE d.story_id = s.id), 0) FROM stories s WHERE s.key = $1",
            STORY,
        )
        return {r[0] for r in ids}, len(ids), int(count or 0)
    finally:
        await conn.close()


async def server_costs(db: str, redis_url: str) -> dict[str, int]:
    """Cumulative WAL bytes, commits and statements of PostgreSQL, and Redis commands."""
    import redis.asyncio as aioredis

    conn = await asyncpg.connect(db.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        wal = await conn.fetchval("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")
        commits = await conn.fetchval(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
        )
    finally:
        await conn.close()
    r = aioredis.from_url(redis_url)
    try:
        stats = await r.info("commandstats")
    finally:
        await r.aclose()
    calls = sum(int(v["calls"]) for v in stats.values() if isinstance(v, dict))
    return {"wal": int(wal), "commits": int(commits), "redis": calls}


async def drive(opts, lb: str, instances: list[tuple[str, int]], db: str, tmp: Path) -> int:
    """Readers on, wrk through the balancer, readers drained; checks and a report."""
    async with httpx.AsyncClient(base_url=lb, timeout=30) as client:
        tokens = await seed.townhall_sessions(client, SECRET, 20, "poster")
    script = wrk.post_script(tmp / "post.lua", tokens=tokens, body_key="body")
    heard: list[list[int]] = []
    tasks = []
    for base, _pid in instances:
        for _ in range(opts.readers):
            seen: list[int] = []
            opened = asyncio.Event()
            heard.append(seen)
            tasks.append(asyncio.create_task(read_stream(base, seen, opened)))
            await asyncio.wait_for(opened.wait(), 10)
    pids = [p for _, pid in instances for p in tree(pid)]
    costs_before = await server_costs(db, opts.redis_url)
    cpu_before = cpu_seconds(pids)
    res = await asyncio.to_thread(
        wrk.run, lb + f"/api/v1/stories/{STORY}/comments", instances[0][1],
        seconds=opts.seconds, connections=opts.connections, script=script,
    )  # fmt: skip
    cpu = cpu_seconds(pids) - cpu_before
    costs = await server_costs(db, opts.redis_url)
    ids, rows, count = await in_database(db)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(len(s) < rows for s in heard):  # noqa: ASYNC110
        await asyncio.sleep(0.2)  # the readers' lists fill from other tasks
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    problems = []
    if res.errors:
        problems.append(f"{res.errors} posts failed")
    if count != rows:
        problems.append(f"story count {count} but {rows} comments")
    for i, seen in enumerate(heard):
        if len(seen) != len(set(seen)):
            problems.append(f"reader {i} heard a comment twice")
        if set(seen) != ids:
            problems.append(f"reader {i} heard {len(set(seen))} of {rows}")
    logs = "".join(p.read_text(errors="replace") for p in LOGS.glob("scaleout-*.log"))
    if "deadlock" in logs.lower():
        problems.append("a deadlock in the instances' logs")
    n = max(res.requests, rows, 1)
    print(
        f"\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · {os.cpu_count()} cores · "
        f"load {os.getloadavg()[0]:.1f} · 2 instances × 1 worker behind HAProxy · "
        f"wrk -c{opts.connections} -d{opts.seconds}s\n"
        f"posts to one story: {res.rps:,.0f}/s, p50 {res.p50_ms:.1f} ms, p99 {res.p99_ms:.1f} ms,"
        f" {res.requests} answered in time, {rows} published, errors {res.errors}\n"
        f"per post: instances' CPU {1000 * cpu / n:.2f} ms; WAL "
        f"{(costs['wal'] - costs_before['wal']) / n:,.0f} bytes; PostgreSQL transactions "
        f"{(costs['commits'] - costs_before['commits']) / n:.1f} (a read is one); Redis commands "
        f"{(costs['redis'] - costs_before['redis']) / n:.1f} (Redis shared with other users)\n"
        f"live readers: {len(heard)} ({opts.readers} per instance), each heard "
        f"{min(len(set(s)) for s in heard)}–{max(len(set(s)) for s in heard)} of {rows}"
    )
    print("checks: " + ("all passed" if not problems else "; ".join(problems)))
    return 1 if problems else 0


def main() -> int:
    """Start the cluster, run, stop everything this script started."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=32, help="concurrent writers")
    ap.add_argument("--readers", type=int, default=10, help="live readers per instance")
    ap.add_argument("--pg-url", default=os.environ.get(
        "BENCH_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"))  # fmt: skip
    ap.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL",
                                                          "redis://127.0.0.1:6379/0"))  # fmt: skip
    opts = ap.parse_args()
    haproxy = shutil.which("haproxy")
    if haproxy is None or not Path(wrk.WRK).exists():
        print("needs haproxy and wrk: apt-get install haproxy wrk", file=sys.stderr)
        return 2
    LOGS.mkdir(parents=True, exist_ok=True)
    db, name = fresh_pg(opts.pg_url)
    env = {
        **townhall_env(True),
        "TOWNHALL_REDIS_URL": opts.redis_url,
        "TOWNHALL_REDIS_PREFIX": f"townhall-bench-{uuid.uuid4().hex[:8]}:",
    }
    try:
        with (
            tempfile.TemporaryDirectory(prefix="townhall-scaleout-") as tmp_name,
            ExitStack() as st,
        ):
            tmp = Path(tmp_name)
            subprocess.run(  # one instance migrates the new database before both start
                [str(VENV_BIN / "townhall"), "migrate", "--db", db],
                check=True, env={**os.environ, **env}, capture_output=True,
            )  # fmt: skip
            instances = []
            for label in ("a", "b"):
                port = free_port()
                base = f"http://127.0.0.1:{port}"
                p = st.enter_context(server(
                    instance_argv(port, db), ready_url=base + "/readyz", env=env,
                    cwd=str(tmp), log=LOGS / f"scaleout-{label}.log",
                ))  # fmt: skip
                instances.append((base, p.pid, port))
            lb_port = free_port()
            cfg = tmp / "haproxy.cfg"
            cfg.write_text((HERE / "haproxy.cfg").read_text().format(
                port=lb_port, a=instances[0][2], b=instances[1][2]))  # fmt: skip
            lb = f"http://127.0.0.1:{lb_port}"
            st.enter_context(server(
                [haproxy, "-db", "-f", str(cfg)], ready_url=lb + "/readyz", env={},
                cwd=str(tmp), log=LOGS / "haproxy.log",
            ))  # fmt: skip
            pairs = [(base, pid) for base, pid, _ in instances]
            return asyncio.run(drive(opts, lb, pairs, db, tmp))
    finally:
        drop_pg(opts.pg_url, name)


if __name__ == "__main__":
    sys.exit(main())

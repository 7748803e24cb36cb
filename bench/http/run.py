"""HTTP benchmark: townhall vs Isso (gunicorn, 4 workers) vs a bare ASGI ceiling, with wrk.

Usage: python bench/http/run.py [--db sqlite|postgres|both] [--seconds 10] [--workers 2]
    [--post-connections 32] [--skip-isso]
Loopback only; every server it starts is stopped at the end (its own process groups).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict
from pathlib import Path

import httpx
import seed
import wrk
from procs import free_port, server

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
VENV_BIN = Path(sys.executable).parent
ISSO_VENV = ROOT / "bench" / ".venv-isso"
SECRET = "bench-sso-secret-0123456789abcdef-0123"  # noqa: S105 (loopback-only bench)
POSTERS = 20
LOGS = ROOT / "bench" / "results" / "logs"

ISSO_CFG = """[general]
dbpath = {db}
host = http://127.0.0.1:{port}/
[moderation]
enabled = false
[guard]
enabled = false
[server]
listen = http://127.0.0.1:{port}/
"""


def ensure_isso() -> Path:
    """The Isso virtualenv (created on first use) and its gunicorn."""
    gunicorn = ISSO_VENV / "bin" / "gunicorn"
    if not gunicorn.exists() or not (ISSO_VENV / "bin" / "isso").exists():
        subprocess.run([sys.executable, "-m", "venv", str(ISSO_VENV)], check=True)
        pip = str(ISSO_VENV / "bin" / "pip")
        subprocess.run([pip, "install", "-q", "isso", "gunicorn"], check=True)
    return gunicorn


def _pg_run(url: str, sql: str) -> None:
    """Run one statement on a PostgreSQL database, in a connection of its own."""
    import asyncpg

    async def go():
        conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(go())


def fresh_pg(base: str) -> tuple[str, str]:
    """Create an empty PostgreSQL database for this run; (url, name)."""
    name = f"townhall_bench_{uuid.uuid4().hex[:8]}"
    _pg_run(base, f'CREATE DATABASE "{name}"')
    return base.rsplit("/", 1)[0] + "/" + name, name


def analyze_pg(url: str) -> None:
    """Gather the planner's statistics after seeding, as autovacuum would within a minute
    on a default installation. This machine's PostgreSQL runs with autovacuum off, and
    without statistics the planner guesses: some plans come out better than they would
    in production, some worse (docs/scaling.md, "Generic plans, and statistics")."""
    _pg_run(url, "ANALYZE")


def drop_pg(base: str, name: str) -> None:
    """Drop the run's database."""
    _pg_run(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench_isso(tmp: Path, opts, results: dict) -> None:
    """Seed Isso and measure it."""
    gunicorn = ensure_isso()
    port = free_port()
    cfg = tmp / "isso.cfg"
    cfg.write_text(ISSO_CFG.format(db=tmp / "isso.db", port=port))
    base = f"http://127.0.0.1:{port}"
    argv = [str(gunicorn), "-b", f"127.0.0.1:{port}", "-w", "4", "--preload", "isso.run"]
    env = {"ISSO_SETTINGS": str(cfg)}
    with server(
        argv, ready_url=base + "/config", env=env, cwd=str(tmp), log=LOGS / "isso.log"
    ) as p:
        print("seeding Isso ...", flush=True)
        results["seed"]["isso"] = asyncio.run(seed.seed_isso(base, big=opts.threads))
        counts = json.dumps([f"/{k}" for k in seed.small_stories()])
        post = wrk.post_script(
            tmp / "isso-post.lua",
            tokens=[],
            body_key="text",
            extra=', "author": "Poster", "title": "bench-post"',
        )
        plan = [
            ("first page", base + "/?uri=%2Fbig&limit=20&nested_limit=3", None),
            ("50-comment story", base + "/?uri=%2Fmedium", None),
            ("counts, 10 stories", base + "/count", wrk.static_post_script(tmp / "c.lua", counts)),
            ("post a comment", base + "/new?uri=%2Fbench-post", post),
        ]
        measure("isso", p.pid, plan, opts, results)


def townhall_argv(opts, port: int, db: str) -> list[str]:
    """`townhall serve` with the bench's worker count."""
    return [
        str(VENV_BIN / "townhall"),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(opts.workers),
        "--db",
        db,
    ]


def townhall_env(cache: bool) -> dict[str, str]:
    """Settings for the bench server: rate limits off, pre-moderation as shipped."""
    return {
        "TOWNHALL_RATE_LIMITS": "off",
        "TOWNHALL_SSO_SECRET": SECRET,
        "TOWNHALL_LOG_LEVEL": "warning",
        "TOWNHALL_RESPONSE_CACHE": "on" if cache else "off",
        "TOWNHALL_CONFIG": "",
    }


def bench_townhall(tmp: Path, db: str, opts, results: dict, label: str = "") -> bytes:
    """Seed townhall, measure it with and without the response cache; the first page body.

    `label` names the database in the results when one run measures both."""
    name = f"townhall {label}".strip()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    api = base + "/api/v1"
    counts = "&".join(f"story_id={k}" for k in seed.small_stories())
    log = LOGS / "townhall.log"
    with server(
        townhall_argv(opts, port, db), ready_url=base + "/healthz", env=townhall_env(True),
        cwd=str(tmp), log=log,
    ) as p:  # fmt: skip
        print("seeding townhall ...", flush=True)
        results["seed"][name] = asyncio.run(seed.seed_townhall(base, SECRET, big=opts.threads))
        if db.startswith("postgresql"):
            analyze_pg(db)
        first_page = httpx.get(api + "/stories/big/comments").content
        tokens = asyncio.run(_posters(base))
        post = wrk.post_script(tmp / "th-post.lua", tokens=tokens, body_key="body")
        plan = [
            ("first page", api + "/stories/big/comments", None),
            ("first page, HTML", base + "/stories/big/comments.html", None),
            ("50-comment story", api + "/stories/medium/comments?limit=50", None),
            ("counts, 10 stories", api + "/counts?" + counts, None),
            ("post a comment", api + "/stories/bench-post/comments", post),
        ]
        measure(name, p.pid, plan, opts, results)
    with server(
        townhall_argv(opts, port, db), ready_url=base + "/healthz", env=townhall_env(False),
        cwd=str(tmp), log=log,
    ) as p:  # fmt: skip
        plan = [
            ("first page", api + "/stories/big/comments", None),
            ("first page, HTML", base + "/stories/big/comments.html", None),
            ("50-comment story", api + "/stories/medium/comments?limit=50", None),
            ("counts, 10 stories", api + "/counts?" + counts, None),
        ]
        measure(f"{name} uncached", p.pid, plan, opts, results)
    return first_page


async def _posters(base: str) -> list[str]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        return await seed.townhall_sessions(client, SECRET, POSTERS, "poster")


def bench_ceiling(tmp: Path, body: bytes, opts, results: dict) -> None:
    """The same first-page bytes from a bare ASGI app under uvicorn, same worker count."""
    path = tmp / "first-page.json"
    path.write_bytes(body)
    port = free_port()
    argv = [
        str(VENV_BIN / "uvicorn"), "ceiling:app", "--app-dir", str(HERE),
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(opts.workers),
        "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    env = {"BENCH_CEILING_BODY": str(path)}
    with server(argv, ready_url=base + "/", env=env, cwd=str(tmp), log=LOGS / "ceiling.log") as p:
        measure("ceiling", p.pid, [("first page", base + "/", None)], opts, results)


def measure(name: str, pid: int, plan, opts, results: dict) -> None:
    """Run each scenario of the plan once against one server (those of --only, if given)."""
    for scenario, url, script in plan:
        if opts.only and scenario not in opts.only:
            continue
        conns = opts.connections
        if scenario == "post a comment" and opts.post_connections:
            conns = opts.post_connections
        res = wrk.run(url, pid, seconds=opts.seconds, connections=conns, script=script)
        results["runs"].setdefault(scenario, {})[name] = asdict(res)
        print(
            f"  {name:<18} {scenario:<20} {res.rps:>9.0f} req/s  p99 {res.p99_ms:.1f} ms  "
            f"errors {res.errors}",
            flush=True,
        )


def table(results: dict) -> str:
    """The Markdown table of a run, with ratios."""
    lines = [
        "| scenario | server | req/s | p50 ms | p99 ms | errors | CPU ms/req | peak RSS MB "
        "| townhall/Isso | townhall/ceiling |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for scenario, by in results["runs"].items():
        isso = by.get("isso", {}).get("rps")
        ceiling = by.get("ceiling", {}).get("rps")
        for name, r in by.items():
            vs_isso = vs_ceiling = ""
            if name.startswith("townhall"):
                vs_isso = f"{r['rps'] / isso:.1f}×" if isso else ""
                vs_ceiling = f"{r['rps'] / ceiling:.2f}" if ceiling else ""
            lines.append(
                f"| {scenario} | {name} | {r['rps']:,.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} "
                f"| {r['errors']} | {r['cpu_ms_per_req']:.2f} | {r['peak_rss_mb']:.0f} "
                f"| {vs_isso} | {vs_ceiling} |"
            )
    return "\n".join(lines)


def main() -> int:
    """Parse options, run every server in turn, print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite",
                    help="both: SQLite, then PostgreSQL, in one run")  # fmt: skip
    ap.add_argument("--pg-url", default=os.environ.get(
        "BENCH_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"))  # fmt: skip
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--workers", type=int, default=2, help="townhall and ceiling workers")
    ap.add_argument("--skip-isso", action="store_true")
    ap.add_argument("--post-connections", type=int, default=0,
                    help="concurrent writers when posting (default: --connections)")  # fmt: skip
    ap.add_argument("--threads", type=int, default=seed.BIG, help="threads on the big story")
    ap.add_argument(
        "--only", action="append", metavar="SCENARIO", help="run only this scenario (repeatable)"
    )
    opts = ap.parse_args()
    if not Path(wrk.WRK).exists():
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    results: dict = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
        "db": opts.db,
        "workers": opts.workers,
        "wrk": f"-t2 -c{opts.connections} -d{opts.seconds}s",
        "seed": {},
        "runs": {},
    }
    LOGS.mkdir(parents=True, exist_ok=True)
    for old in LOGS.glob("*.log"):
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="townhall-bench-") as tmp_name:
        tmp = Path(tmp_name)
        if not opts.skip_isso:
            bench_isso(tmp, opts, results)
        bodies = []
        for kind in ["sqlite", "postgres"] if opts.db == "both" else [opts.db]:
            label = kind if opts.db == "both" else ""
            bodies.append(bench_db(tmp, kind, opts, results, label))
        body = bodies[0]
        if not opts.only or "first page" in opts.only:
            bench_ceiling(tmp, body, opts, results)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"http-{opts.db}-{int(time.time())}.json").write_text(json.dumps(results, indent=1))
    print(f"\n{results['date']} · {results['machine']} · db={opts.db} · "
          f"townhall workers={opts.workers} · wrk {results['wrk']}")  # fmt: skip
    print(f"seeded: {results['seed']}\n")
    print(table(results))
    if opts.db == "both":
        print("\nPostgreSQL / SQLite in this run (req/s; p99 ms of each):")
        for line in ratios(results):
            print("  " + line)
    print("\nresident memory after each run (MB), in run order:")
    for name, values in memory_trail(results).items():
        print(f"  {name:<18} " + " → ".join(f"{v:.0f}" for v in values))
    return 0


def bench_db(tmp: Path, kind: str, opts, results: dict, label: str) -> bytes:
    """Measure townhall on a new SQLite file or a new PostgreSQL database (dropped after)."""
    if kind == "sqlite":
        return bench_townhall(tmp, str(tmp / "townhall.sqlite3"), opts, results, label)
    db, pg_name = fresh_pg(opts.pg_url)
    try:
        return bench_townhall(tmp, db, opts, results, label)
    finally:
        drop_pg(opts.pg_url, pg_name)


def ratios(results: dict) -> list[str]:
    """PostgreSQL against SQLite, scenario by scenario, from one run."""
    out = []
    for scenario, by in results["runs"].items():
        for suffix in ("", " uncached"):
            lite, pg = by.get(f"townhall sqlite{suffix}"), by.get(f"townhall postgres{suffix}")
            if lite and pg:
                out.append(
                    f"{scenario + suffix:<28} {pg['rps'] / lite['rps']:.2f}×  "
                    f"(PostgreSQL {pg['rps']:,.0f} req/s, p99 {pg['p99_ms']:.1f} ms; "
                    f"SQLite {lite['rps']:,.0f} req/s, p99 {lite['p99_ms']:.1f} ms; "
                    f"CPU {pg['cpu_ms_per_req']:.2f} vs {lite['cpu_ms_per_req']:.2f} ms/req)"
                )
    return out


def memory_trail(results: dict) -> dict[str, list[float]]:
    """Each server's RSS after each of its runs: flat means no growth under load."""
    trail: dict[str, list[float]] = {}
    for by in results["runs"].values():
        for name, r in by.items():
            trail.setdefault(name, []).append(r["rss_after_mb"])
    return trail


if __name__ == "__main__":
    sys.exit(main())

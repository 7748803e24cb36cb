"""Import a generated Disqus export of N comments (default 200,000) into a new SQLite file
(or PostgreSQL database) with `townhall import`, and report its wall time, CPU time, peak
memory and rate, with the machine's load average before and after (`make bench-import`).

The import runs as its own process, exactly as an operator runs it; its peak memory is
the child's maximum resident set size. Files go to a temporary folder, removed at the end.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from make_disqus import write  # noqa: E402

BIN = str(Path(sys.executable).parent / "townhall")


def _pg(base: str, sql: str) -> None:
    import asyncio

    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(base.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--comments", type=int, default=200_000)
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument(
        "--pg-url",
        default=os.environ.get(
            "BENCH_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
        ),
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="townhall-import-bench-") as tmp:
        export = Path(tmp) / "disqus.xml"
        threads = max(1, args.comments // 100)
        write(
            export, args.comments, threads=threads, authors=max(1, args.comments // 10), seed=2026
        )
        size = export.stat().st_size
        pg_name = None
        if args.db == "sqlite":
            url = str(Path(tmp) / "bench.sqlite3")
        else:
            pg_name = f"townhall_import_bench_{uuid.uuid4().hex[:8]}"
            _pg(args.pg_url, f'CREATE DATABASE "{pg_name}"')
            url = args.pg_url.rsplit("/", 1)[0] + "/" + pg_name
        env = {**os.environ, "TOWNHALL_LOG_JSON": "off"}
        try:
            subprocess.run([BIN, "migrate", "--db", url], check=True, env=env, capture_output=True)
            load_before = os.getloadavg()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.monotonic()
            done = subprocess.run(
                [BIN, "import", "disqus", str(export), "--db", url],
                env=env,
                stdout=subprocess.PIPE,
                text=True,
                check=False,
            )
            wall = time.monotonic() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            load_after = os.getloadavg()
        finally:
            if pg_name:
                _pg(args.pg_url, f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
    if done.returncode != 0:
        print("the import failed", file=sys.stderr)
        return 1
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(done.stdout.strip().splitlines()[0])
    print(f"file: {size / 1e6:,.0f} MB Disqus XML, {args.comments:,} comments, {threads:,} threads")
    print(f"database: {args.db}")
    print(f"wall time: {wall:.1f} s ({args.comments / wall:,.0f} comments/s)")
    print(f"CPU time: {cpu:.1f} s (user {after.ru_utime - before.ru_utime:.1f} s)")
    print(f"peak memory (max RSS of the import): {after.ru_maxrss / 1024:,.0f} MB")
    print(
        f"load average before / after: {load_before[0]:.1f} / {load_after[0]:.1f} "
        f"on {os.cpu_count()} cores"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

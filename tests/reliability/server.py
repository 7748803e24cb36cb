"""A real `townhall serve` process on a loopback port, for crash, load and limit tests."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.conftest import PG_URL, SSO_SECRET, need, pg_execute

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """An unused loopback TCP port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def townhall_executable() -> str:
    """The `townhall` script of the running virtualenv."""
    candidate = Path(sys.executable).parent / "townhall"
    return str(candidate if candidate.exists() else ROOT / ".venv" / "bin" / "townhall")


class Server:
    """One `townhall serve` process; can be killed with SIGKILL and started again."""

    def __init__(self, db_url: str, workdir: Path, *, args=(), **env: str) -> None:
        self.db_url = db_url
        self.workdir = workdir
        self.args = list(args)
        self.env = {
            **os.environ,
            "TOWNHALL_SSO_SECRET": SSO_SECRET,
            "TOWNHALL_RATE_LIMITS": "off",
            "TOWNHALL_LOG_LEVEL": "warning",
            "TOWNHALL_LOG_JSON": "false",
            **env,
        }
        self.env.pop("TOWNHALL_CONFIG", None)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.log = workdir / f"server-{self.port}.log"

    def start(self, timeout: float = 60) -> str:
        """Start the process and wait until /healthz answers; return the base URL."""
        cmd = [
            townhall_executable(),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--db",
            self.db_url,
            *self.args,
        ]
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                cmd, env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=self.workdir
            )
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"townhall serve exited early:\n{self.output()}")
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return self.base
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"townhall serve did not start:\n{self.output()}")
            time.sleep(0.1)

    def output(self) -> str:
        """What the server printed so far."""
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self) -> None:
        """SIGKILL: no shutdown hooks, no flushing, like a power-cut of the process."""
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        """A graceful stop (SIGTERM), then SIGKILL if it lingers."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def rss(self) -> int:
        """Resident memory of the server process in bytes."""
        assert self.proc is not None
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        raise RuntimeError("no VmRSS")


@contextmanager
def running(db_url: str, workdir: Path, **kw) -> Iterator[Server]:
    """A started server, stopped at the end whatever happens."""
    server = Server(db_url, workdir, **kw)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def fresh_database(backend: str, workdir: Path) -> Iterator[str]:
    """An empty database URL (the server migrates it): a SQLite file or a new PG database."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{workdir / f'db-{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    base = need(PG_URL, "TOWNHALL_TEST_DATABASE_URL (PostgreSQL)")
    name = f"townhall_rel_{uuid.uuid4().hex[:10]}"
    _off_loop(pg_execute, base, f'CREATE DATABASE "{name}"')
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        _off_loop(pg_execute, base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _off_loop(fn, *args):
    """Run a blocking helper that starts its own event loop, even from async tests."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(fn, *args).result()


async def sql_rows(db_url: str, query: str, **params) -> list[tuple]:
    """Run one read query directly on the database, bypassing the server."""
    from sqlalchemy import text

    from townhall.storage.sql.engine import Database

    db = Database(db_url)
    try:
        async with db.read() as conn:
            return [tuple(r) for r in (await conn.execute(text(query), params)).all()]
    finally:
        await db.dispose()


async def gather_bounded(coros, limit: int = 20):
    """Run coroutines with at most `limit` in flight."""
    sem = asyncio.Semaphore(limit)

    async def one(c):
        async with sem:
            return await c

    return await asyncio.gather(*(one(c) for c in coros))

"""Async engine set-up for SQLite (WAL) and PostgreSQL."""

from __future__ import annotations

import asyncio
import fcntl
import os
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import Connection, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from townhall.storage.sql import raw

BUSY_TIMEOUT_MS = 30000


def normalize_url(url: str) -> str:
    """Accept plain driver-less URLs and pick the async driver."""
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    if url.startswith(("postgres://", "postgresql://")):
        return "postgresql+asyncpg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str) -> AsyncEngine:
    """Create the engine; SQLite gets WAL, foreign keys and explicit BEGIN control."""
    url = normalize_url(url)
    if url.startswith("sqlite"):
        engine = create_async_engine(url, connect_args={"timeout": 30})
        _sqlite_setup(engine.sync_engine)
        return engine
    return create_async_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def _sqlite_setup(sync, *, driver_begin: bool = False) -> None:
    """Per-connection PRAGMAs and explicit BEGIN control for a SQLite engine."""

    @event.listens_for(sync, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy, not the driver, decide when transactions begin, so
        # writers can take the lock up front (BEGIN IMMEDIATE) and never
        # fail to upgrade a read lock under concurrency.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA mmap_size=268435456")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.close()

    @event.listens_for(sync, "begin")
    def _on_begin(conn):
        begin = conn.get_execution_options().get("sqlite_begin", "BEGIN")
        if driver_begin:  # the sqlite3 connection itself: no statement through SQLAlchemy
            conn.connection.driver_connection.execute(begin)
        else:
            conn.exec_driver_sql(begin)


def make_inline_engine(url: str):
    """A synchronous engine on the same SQLite file, for reads run on the event loop.

    WAL readers never wait for locks, so a read costs only the query itself, without
    the thread hand-offs of the async driver (several per statement). The pool may
    grow without bound, so a nested read can never block the loop waiting for a slot.
    """
    url = normalize_url(url)
    path = url.split(":///", 1)[1] if ":///" in url else ""
    if not url.startswith("sqlite") or not path or ":memory:" in path or "mode=memory" in path:
        return None
    engine = create_engine(
        "sqlite:///" + path,
        connect_args={"timeout": 30, "check_same_thread": False},
        pool_size=5,
        max_overflow=-1,
        # The most recently used connection first: its page cache is the warm one.
        pool_use_lifo=True,
    )
    _sqlite_setup(engine, driver_begin=True)
    return engine


def _begin_now(conn: Connection):
    """BEGIN IMMEDIATE without waiting: the transaction, or None if the file is locked."""
    raw = conn.connection.dbapi_connection
    raw.execute("PRAGMA busy_timeout=0")
    try:
        return conn.begin()
    except (OperationalError, sqlite3.OperationalError) as exc:
        # The driver's own error when BEGIN ran on the driver (the inline engine).
        reason = str(getattr(exc, "orig", exc))
        if "locked" not in reason and "busy" not in reason:
            raise
        return None
    finally:
        raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def _close_quietly(conn: Connection) -> None:
    try:
        conn.close()  # rolls back whatever the connection had begun
    except Exception:  # noqa: S110 - nothing more can be done for an abandoned connection
        pass


class InlineConnection:
    """The part of AsyncConnection the stores use, over a sync connection (no thread hop).

    Statements marked hot (storage/sql/raw.py) run straight on the sqlite3 driver.
    """

    __slots__ = ("dialect", "driver", "sync_connection")

    def __init__(self, conn: Connection) -> None:
        self.sync_connection = conn
        self.dialect = conn.dialect
        self.driver = conn.connection.driver_connection

    async def execute(self, statement, parameters=None, **kwargs):
        """Run a statement now, on this thread."""
        if parameters is not None and not kwargs and (plan := raw.plan_for(statement)):
            result = plan.run(self.driver, self.dialect, parameters)
            if result is not None:
                return result
        return self.sync_connection.execute(statement, parameters, **kwargs)

    async def scalar(self, statement, parameters=None, **kwargs):
        """The first column of the first row."""
        return self.sync_connection.scalar(statement, parameters, **kwargs)


class FileLock:
    """Writers of every process on one SQLite file queue here. A waiting writer retries
    at once or within a millisecond of a release (SQLite's own busy handler sleeps up
    to 100 ms), and its event loop keeps serving other requests meanwhile.

    Waiting by polling on the loop, rather than blocking in a thread, matters with
    several workers: a thread per wait cost a hand-off and GIL contention on every
    contended write, more than the retries do.
    """

    SPIN_SECONDS = 0.0002  # retry at every turn of the loop this long, then sleep
    SLEEP = 0.001

    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)

    async def acquire(self) -> None:
        """Take the lock: at once when free, else retry at each turn of the event loop
        (other requests run in between), and after a moment every millisecond."""
        loop = asyncio.get_running_loop()
        spin_until = None
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                pass
            now = loop.time()
            if spin_until is None:
                spin_until = now + self.SPIN_SECONDS
            await asyncio.sleep(0 if now < spin_until else self.SLEEP)

    def release(self) -> None:
        """Let the next writer in."""
        fcntl.flock(self.fd, fcntl.LOCK_UN)

    def close(self) -> None:
        """Close the lock file."""
        os.close(self.fd)


class Database:
    """Owns the engine; hands out read connections and write transactions."""

    def __init__(self, url: str) -> None:
        self.url = normalize_url(url)
        self.engine = make_engine(self.url)
        self.is_sqlite = self.url.startswith("sqlite")
        # One writer at a time per process on SQLite: waiting on an asyncio lock
        # is cheaper than spinning on SQLITE_BUSY in worker threads.
        self._write_lock = asyncio.Lock() if self.is_sqlite else None
        self.inline = make_inline_engine(self.url) if self.is_sqlite else None
        self._file_lock = (
            FileLock(self.url.split(":///", 1)[1] + "-writelock") if self.inline else None
        )

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """A connection for reads (one snapshot per call)."""
        async with self.engine.connect() as conn:
            async with conn.begin():
                yield conn

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[AsyncConnection | InlineConnection]:
        """A read snapshot for the stores: inline on SQLite files, else like read()."""
        if self.inline is None:
            async with self.read() as conn:
                yield conn
            return
        with self.inline.connect() as conn, conn.begin():
            yield InlineConnection(conn)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction, committed on success and rolled back on error."""
        if self._write_lock is None:
            async with self.engine.begin() as conn:
                yield conn
            return
        async with self._write_lock:
            if self.inline is not None:
                async with self._inline_write() as conn:
                    yield conn
                return
            async with self.engine.connect() as conn:
                conn = await conn.execution_options(sqlite_begin="BEGIN IMMEDIATE")
                async with conn.begin():
                    yield conn

    @asynccontextmanager
    async def _inline_write(self) -> AsyncIterator[InlineConnection]:
        """Take the file's write lock in a thread (it may wait for another process), then
        run the statements and the commit on the loop: nothing in them waits in WAL mode."""
        assert self.inline is not None and self._file_lock is not None
        await self._file_lock.acquire()
        try:
            conn = self.inline.connect()
            conn.execution_options(sqlite_begin="BEGIN IMMEDIATE")
            trans = _begin_now(conn)
            if trans is None:  # a writer outside townhall's queue holds the file
                begun = asyncio.ensure_future(asyncio.to_thread(conn.begin))
                try:
                    trans = await asyncio.shield(begun)
                except BaseException:
                    # The thread may still take the lock: give it back once it has.
                    begun.add_done_callback(lambda _f: _close_quietly(conn))
                    raise
            try:
                yield InlineConnection(conn)
            except BaseException:
                trans.rollback()
                raise
            else:
                trans.commit()
            finally:
                conn.close()
        finally:
            self._file_lock.release()

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()
        if self.inline is not None:
            self.inline.dispose()
        if self._file_lock is not None:
            self._file_lock.close()
            self._file_lock = None

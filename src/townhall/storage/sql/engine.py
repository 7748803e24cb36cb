"""Async engine set-up for SQLite (WAL) and PostgreSQL."""

from __future__ import annotations

import asyncio
import fcntl
import os
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, RootTransaction, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from townhall.storage.sql import pg, raw

BUSY_TIMEOUT_MS = 30000
DEFAULT_POOL_SIZE = 4  # PostgreSQL connections each process keeps (TOWNHALL_DB_POOL_SIZE)


def normalize_url(url: str) -> str:
    """Accept plain driver-less URLs and pick the async driver."""
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    if url.startswith(("postgres://", "postgresql://")):
        return "postgresql+asyncpg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str, pool_size: int = DEFAULT_POOL_SIZE) -> AsyncEngine:
    """Create the engine; SQLite gets WAL, foreign keys and explicit BEGIN control;
    PostgreSQL keeps `pool_size` connections per process."""
    url = normalize_url(url)
    if url.startswith("sqlite"):
        engine = create_async_engine(url, connect_args={"timeout": 30})
        _sqlite_setup(engine.sync_engine)
        return engine
    # No pre-ping: a round trip on every checkout. Dead connections are caught at
    # checkout when the driver saw them close, else retried (storage/sql/pg.py).
    # A few kept connections and no overflow: requests past them wait for one (an asyncio
    # wait costs nothing), so PostgreSQL runs a few statements at a time instead of one
    # backend per request in flight. On this 2-core machine (the database on it too), 4
    # per worker against 20 (+10 overflow): uncached first page 1,154-1,347 against 658
    # req/s, posting 514-579/s (p99 109-121 ms) against 440/s (222 ms). Overflow is no
    # help: past the pool every checkout opens a connection and closes it again.
    # Generic plans: townhall's statements take their values as parameters and are
    # written for index lookups whatever the values. Left to itself ("auto"), PostgreSQL
    # compares the generic plan with the first five custom ones and, once statistics show
    # one story far bigger than the rest, kept planning the first page's statement anew
    # on every execution: 1.39 ms of backend CPU per page against 0.46 with the generic
    # plan (the bench's database after a posting run, ANALYZEd).
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=0,
        pool_use_lifo=True,
        pool_timeout=30,
        connect_args={"server_settings": {"plan_cache_mode": "force_generic_plan"}},
    )
    pg.install(engine)
    return engine


def _sqlite_setup(sync: Any, *, driver_begin: bool = False) -> None:
    """Per-connection PRAGMAs and explicit BEGIN control for a SQLite engine."""

    @event.listens_for(sync, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
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
    def _on_begin(conn: Any) -> None:
        begin = conn.get_execution_options().get("sqlite_begin", "BEGIN")
        if driver_begin:  # the sqlite3 connection itself: no statement through SQLAlchemy
            conn.connection.driver_connection.execute(begin)
        else:
            conn.exec_driver_sql(begin)


def make_inline_engine(url: str) -> Engine | None:
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


def _begin_now(conn: Connection) -> RootTransaction | None:
    """BEGIN IMMEDIATE without waiting: the transaction, or None if the file is locked."""
    raw: Any = conn.connection.dbapi_connection
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


class SqlConnection(Protocol):
    """What the stores use of a connection: AsyncConnection, or InlineConnection on SQLite."""

    @property
    def dialect(self) -> Any:
        """The SQL dialect (sqlite or postgresql)."""
        ...

    async def execute(self, statement: Any, parameters: Any = None) -> Any:
        """Run a statement."""
        ...

    async def scalar(self, statement: Any, parameters: Any = None) -> Any:
        """The first column of the first row."""
        ...


class InlineConnection:
    """The part of AsyncConnection the stores use, over a sync connection (no thread hop).

    Statements marked hot (storage/sql/raw.py) run straight on the sqlite3 driver.
    """

    __slots__ = ("dialect", "driver", "sync_connection")

    def __init__(self, conn: Connection) -> None:
        self.sync_connection = conn
        self.dialect = conn.dialect
        self.driver = conn.connection.driver_connection

    async def execute(self, statement: Any, parameters: Any = None, **kwargs: Any) -> Any:
        """Run a statement now, on this thread."""
        if parameters is not None and not kwargs and (plan := raw.plan_for(statement)):
            result = plan.run(self.driver, self.dialect, parameters)
            if result is not None:
                return result
        return self.sync_connection.execute(statement, parameters, **kwargs)

    async def scalar(self, statement: Any, parameters: Any = None, **kwargs: Any) -> Any:
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


MAX_BATCH = 64  # writes per shared commit at most


class _Batch:
    """One shared write transaction and the writers waiting for its commit."""

    __slots__ = ("conn", "driver", "size", "trans", "waiting")

    def __init__(self, conn: Connection, trans: RootTransaction) -> None:
        self.conn = conn
        self.trans = trans
        self.driver: Any = conn.connection.driver_connection
        self.size = 0
        self.waiting: list[asyncio.Future[None]] = []

    def finish(self) -> None:
        """Commit (rolled back when nothing was kept) and tell every writer."""
        error: BaseException | None = None
        try:
            if self.waiting:
                self.trans.commit()
            else:
                self.trans.rollback()
        except BaseException as exc:  # every writer of the batch learns it failed
            error = exc
        finally:
            _close_quietly(self.conn)
        for fut in self.waiting:
            if not fut.done():
                if error is None:
                    fut.set_result(None)
                else:
                    fut.set_exception(error)


class Database:
    """Owns the engine; hands out read connections and write transactions."""

    def __init__(self, url: str, pool_size: int = DEFAULT_POOL_SIZE) -> None:
        self.url = normalize_url(url)
        self.engine = make_engine(self.url, pool_size)
        self.is_sqlite = self.url.startswith("sqlite")
        # One writer at a time per process on SQLite: waiting on an asyncio lock
        # is cheaper than spinning on SQLITE_BUSY in worker threads.
        self._write_lock = asyncio.Lock() if self.is_sqlite else None
        self.inline = make_inline_engine(self.url) if self.is_sqlite else None
        self._file_lock = (
            FileLock(self.url.split(":///", 1)[1] + "-writelock") if self.inline else None
        )
        self._batch: _Batch | None = None
        self._queued = 0

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """A connection for reads (one snapshot per call)."""
        async with self.engine.connect() as conn:
            async with conn.begin():
                yield conn

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[SqlConnection]:
        """A read snapshot for the stores: inline on SQLite files, else like read()."""
        if self.inline is None:
            if self.is_sqlite:
                async with self.read() as conn:
                    yield conn
            else:
                async with pg.snapshot(self.engine) as pgconn:
                    yield pgconn
            return
        with self.inline.connect() as sync, sync.begin():
            yield InlineConnection(sync)

    @asynccontextmanager
    async def write(self, *, alone: bool = False) -> AsyncIterator[SqlConnection]:
        """A write transaction, committed on success and rolled back on error.

        `alone`: the caller will run exactly one statement; PostgreSQL then runs it in a
        transaction of its own, with no BEGIN and COMMIT round trips (SQLite ignores it)."""
        if self._write_lock is None:
            async with (pg.alone if alone else pg.write)(self.engine) as pgconn:
                yield pgconn
            return
        if self.inline is not None:
            async with self._grouped_write() as inline:
                yield inline
            return
        async with self._write_lock:
            async with self.engine.connect() as conn:
                conn = await conn.execution_options(sqlite_begin="BEGIN IMMEDIATE")
                async with conn.begin():
                    yield conn

    @asynccontextmanager
    async def _grouped_write(self) -> AsyncIterator[InlineConnection]:
        """A write on the SQLite file, committed together with the writes queued behind it.

        Writers of this process run one at a time, each inside a SAVEPOINT of a shared
        transaction (BEGIN IMMEDIATE, under the file lock). The writer that finds nobody
        queued behind it commits for all; each writer returns only once the commit that
        holds its changes is done, and a writer that fails rolls back to its savepoint
        alone. Under load one commit (and one turn at the file lock) serves many writes.
        """
        assert self._write_lock is not None
        self._queued += 1
        try:
            await self._write_lock.acquire()
        except BaseException:
            self._queued -= 1
            # Cancelled while queued: if the writers before were counting on this one
            # to commit for them, commit now.
            if self._queued == 0 and not self._write_lock.locked():
                self._finish_batch()
            raise
        self._queued -= 1
        committed: asyncio.Future[None] | None = None
        try:
            if self._batch is None:
                self._batch = await self._open_batch()
            batch = self._batch
            name = f"w{batch.size}"
            batch.size += 1
            batch.driver.execute(f"SAVEPOINT {name}")
            try:
                yield InlineConnection(batch.conn)
            except BaseException:
                batch.driver.execute(f"ROLLBACK TO {name}")
                batch.driver.execute(f"RELEASE {name}")
                raise
            else:
                batch.driver.execute(f"RELEASE {name}")
                committed = asyncio.get_running_loop().create_future()
                batch.waiting.append(committed)
        finally:
            if self._queued == 0 or (self._batch is not None and self._batch.size >= MAX_BATCH):
                self._finish_batch()
            self._write_lock.release()
        if committed is not None:
            await asyncio.shield(committed)

    def _finish_batch(self) -> None:
        """Commit the open batch, if any, and let other processes write."""
        batch, self._batch = self._batch, None
        if batch is not None:
            assert self._file_lock is not None
            try:
                batch.finish()
            finally:
                self._file_lock.release()

    async def _open_batch(self) -> _Batch:
        """Take the file's write lock (it may wait for another process) and BEGIN IMMEDIATE;
        the statements and the commit then run on the loop: nothing in them waits in WAL mode."""
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
        except BaseException:
            self._file_lock.release()
            raise
        return _Batch(conn, trans)

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()
        if self.inline is not None:
            self.inline.dispose()
        if self._file_lock is not None:
            self._file_lock.close()
            self._file_lock = None

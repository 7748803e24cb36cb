"""Async engine set-up for SQLite (WAL) and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine


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
        sync = engine.sync_engine

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
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(sync, "begin")
        def _on_begin(conn):
            conn.exec_driver_sql(conn.get_execution_options().get("sqlite_begin", "BEGIN"))

        return engine
    return create_async_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


class Database:
    """Owns the engine; hands out read connections and write transactions."""

    def __init__(self, url: str) -> None:
        self.url = normalize_url(url)
        self.engine = make_engine(self.url)
        self.is_sqlite = self.url.startswith("sqlite")
        # One writer at a time per process on SQLite: waiting on an asyncio lock
        # is cheaper than spinning on SQLITE_BUSY in worker threads.
        self._write_lock = asyncio.Lock() if self.is_sqlite else None

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """A connection for reads (one snapshot per call)."""
        async with self.engine.connect() as conn:
            async with conn.begin():
                yield conn

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction, committed on success and rolled back on error."""
        if self._write_lock is None:
            async with self.engine.begin() as conn:
                yield conn
            return
        async with self._write_lock:
            async with self.engine.connect() as conn:
                conn = await conn.execution_options(sqlite_begin="BEGIN IMMEDIATE")
                async with conn.begin():
                    yield conn

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()

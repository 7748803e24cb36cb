"""Live fan-out through the database, for workers (or instances) that share no Redis.

Publishing inserts a row into `live_events`; the row id is the SSE id, so a reader that
reconnects to any worker resumes from the log. Every process runs one tail task while
it has readers: it reads the rows after the last one it handed out and gives each to
the local subscribers of its channel. It reads only when something may be new:

- SQLite: after its commit the publisher sends a one-byte datagram to the Unix socket
  of every process on the same file (a directory per database file, in /dev/shm);
  each hears it through its event loop, so a quiet log costs nothing.
- PostgreSQL: the inserting transaction sends a NOTIFY; each process LISTENs on one
  connection of its own.

Both also read once a second whatever they heard, which bounds the delay of an event
whose signal was lost. Ids follow commit order, so a tail that has read id 11 never
finds a 10 later: SQLite has one writer at a time, and on PostgreSQL the inserting
transaction first takes a transaction-level advisory lock (held for a few statements).
The log keeps the events of the last day, at most `keep_rows` of them; each process
prunes it now and then.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import random
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from townhall.live.broker import Event
from townhall.live.subscription import LocalSubscribers, Subscription, event_key
from townhall.shared import WakeSockets
from townhall.storage.protocols import Stores
from townhall.storage.sql.engine import Database
from townhall.storage.sql.live_events import INSERT as _INSERT
from townhall.storage.sql.live_events import PG_APPEND, pg_append_params

log = logging.getLogger("townhall.live")

NOTIFY_CHANNEL = "townhall_live"
LOCK_KEY = 0x74686C6976  # the advisory lock that orders inserts on PostgreSQL
FALLBACK_INTERVAL = 1.0  # a tail reads at least this often while it has readers
READ_BATCH = 1000
REPLAY_MAX = 1000
KEEP_ROWS = 50_000
KEEP_SECONDS = 24 * 3600
PRUNE_INTERVAL = 60.0

_AFTER = (
    "SELECT id, channel, kind, data, audience FROM live_events "
    "WHERE id > :after ORDER BY id LIMIT :n"
)
_REPLAY = (
    "SELECT id, channel, kind, data, audience FROM live_events "
    "WHERE channel = :channel AND id > :after ORDER BY id LIMIT :n"
)
_HEAD = "SELECT max(id) FROM live_events"
_PRUNE = text("DELETE FROM live_events WHERE id <= :below OR created_ms < :before")


def wake_path(database_url: str, worker_dir: str | None) -> Path | None:
    """Where the processes on one SQLite file wake each other: a directory named after
    the file (every process that opens it finds it; short, as socket paths must be),
    else in the workers' directory; None on PostgreSQL, which notifies by itself."""
    if not database_url.startswith("sqlite"):
        return None
    db = database_url.split(":///", 1)[-1]
    if db and ":memory:" not in db and "mode=memory" not in db:
        digest = hashlib.blake2b(str(Path(db).resolve()).encode(), digest_size=8).hexdigest()
        shm = Path("/dev/shm")  # noqa: S108 (tmpfs; the directory is created 0700)
        base = shm if shm.is_dir() and os.access(shm, os.W_OK) else Path(tempfile.gettempdir())
        return base / f"townhall-live-{digest}"
    return Path(worker_dir) / "live-wake" if worker_dir else None


def _row(channel: str, kind: str, data: dict[str, Any], audience: int | None) -> dict[str, Any]:
    return {
        "channel": channel,
        "kind": kind,
        "data": orjson.dumps(data).decode(),
        "audience": audience,
        "created_ms": int(time.time() * 1000),
    }


def _event(row: Any) -> Event:
    return Event(id=str(row[0]), kind=row[2], data=orjson.loads(row[3]), audience=row[4])


class DatabaseBroker(LocalSubscribers):
    """Fan-out through the `live_events` table, tailed by every process."""

    def __init__(
        self,
        db: Database,
        *,
        wake: Path | None = None,
        keep_rows: int = KEEP_ROWS,
        keep_seconds: float = KEEP_SECONDS,
    ) -> None:
        self._db = db
        self._is_pg = not db.is_sqlite
        self._bell = WakeSockets(wake) if wake is not None else None
        path = db.url.split(":///", 1)[1] if db.inline is not None else None
        # Autocommit: each read is its own snapshot (WAL readers never wait).
        self._reader = (
            sqlite3.connect(path, timeout=30, check_same_thread=False, isolation_level=None)
            if path
            else None
        )
        self._keep_rows = keep_rows
        self._keep_seconds = keep_seconds
        self._subs: dict[str, set[Subscription]] = {}
        self._last: int | None = None
        self._tail: asyncio.Task[None] | None = None
        self._news: asyncio.Event | None = None
        self._listener: Any = None
        self._next_prune = time.monotonic() + random.uniform(0, PRUNE_INTERVAL)
        self._pruning: asyncio.Task[None] | None = None
        self._outbox: list[dict[str, Any]] = []
        self._writer: asyncio.Task[None] | None = None
        self._outbox_written: asyncio.Future[None] | None = None
        self._closed = False

    # -- publishing ----------------------------------------------------------

    async def publish(
        self, channel: str, kind: str, data: dict[str, Any], audience: int | None = None
    ) -> Event:
        """Append the event to the log; return once it is written.

        A background writer puts everything queued meanwhile into one transaction, so
        the events of many concurrent requests share one commit. The returned event
        has no id (the row id becomes its id when a tail reads it). Live updates are
        best effort: the change they announce is committed already, so a failed write
        is logged, and readers see the change on their next load.
        """
        self._outbox.append(_row(channel, kind, data, audience))
        if self._outbox_written is None:
            self._outbox_written = asyncio.get_running_loop().create_future()
        written = self._outbox_written
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(
                self._write_queued(), name="townhall-live-writer"
            )
        # Written before the request answers: a reader who connects after the answer
        # must not be told of it again.
        await asyncio.shield(written)
        return Event(id="", kind=kind, data=data, audience=audience)

    @property
    def stages_in_transaction(self) -> bool:
        """Whether events go into the log inside the write that causes them (SQLite).

        On SQLite that costs one insert and no commit of its own; on PostgreSQL the
        advisory lock that orders the log would be held for the whole write, so events
        are written just after it instead.
        """
        return not self._is_pg

    async def stage(
        self, tx: Stores, events: list[tuple[str, str, dict[str, Any], int | None]]
    ) -> None:
        """Append events (channel, kind, data, audience) in the caller's transaction;
        call `staged_committed()` once it has committed."""
        await tx.live_events.append([_row(*event) for event in events])

    def staged_committed(self) -> None:
        """Tell every process to read the log (after a commit that appended to it)."""
        if self._bell is not None:
            self._bell.ring()
        if self._news is not None:
            self._news.set()
        self._maybe_prune()

    async def flush(self) -> None:
        """Wait until every event queued so far is in the log (at shutdown)."""
        while self._writer is not None and not self._writer.done():
            await asyncio.shield(self._writer)

    async def _write_queued(self) -> None:
        while self._outbox:
            batch, self._outbox = self._outbox, []
            written, self._outbox_written = self._outbox_written, None
            try:
                if self._is_pg:
                    async with self._db.write(alone=True) as conn:
                        params = pg_append_params(batch, LOCK_KEY, NOTIFY_CHANNEL)
                        await conn.execute(PG_APPEND, params)
                else:
                    async with self._db.write() as conn:
                        await conn.execute(_INSERT, batch)
            except Exception as exc:  # what it announces is committed whatever happens here
                log.warning("%d live events not published: %s", len(batch), exc)
            else:
                self.staged_committed()
            finally:
                if written is not None and not written.done():
                    written.set_result(None)

    def _maybe_prune(self) -> None:
        """Now and then, prune the log in the background (never on a request's time)."""
        now = time.monotonic()
        if now < self._next_prune or (self._pruning is not None and not self._pruning.done()):
            return
        self._next_prune = now + PRUNE_INTERVAL * random.uniform(0.8, 1.2)
        self._pruning = asyncio.get_running_loop().create_task(self._prune_quietly())

    async def _prune_quietly(self) -> None:
        try:
            await self.prune()
        except Exception as exc:  # the next turn tries again
            log.warning("live event log not pruned: %s", exc)

    async def prune(self) -> int:
        """Drop events older than `keep_seconds` and all but the newest `keep_rows`."""
        head = (await self._query(_HEAD, {}))[0][0]
        if head is None:
            return 0
        before = int((time.time() - self._keep_seconds) * 1000)
        async with self._db.write() as conn:
            result = await conn.execute(
                _PRUNE, {"below": int(head) - self._keep_rows, "before": before}
            )
        return int(result.rowcount or 0)

    # -- reading -------------------------------------------------------------

    async def history(self, channel: str) -> list[Event]:
        """Events of the channel still in the log."""
        return await self._replay(channel, 0)

    async def _query(self, sql: str, params: dict[str, Any]) -> list[Any]:
        """Rows of a read: on SQLite straight on a connection of the broker's own (a
        tail reads often, and the driver is several times cheaper than the layers)."""
        if self._reader is not None:
            return self._reader.execute(sql, params).fetchall()
        async with self._db.read() as conn:
            return list((await conn.execute(text(sql), params)).all())

    async def _replay(self, channel: str, after: int) -> list[Event]:
        rows = await self._query(_REPLAY, {"channel": channel, "after": after, "n": REPLAY_MAX})
        return [_event(row) for row in rows]

    async def _head(self) -> int:
        return int((await self._query(_HEAD, {}))[0][0] or 0)

    _store_errors = (SQLAlchemyError, sqlite3.Error, OSError)

    async def _following(self) -> None:
        if self._last is None:
            head = await self._head()
            if self._last is None:
                self._last = head
        await self._start_tail()

    async def _missed(self, channel: str, last_event_id: str) -> list[Event] | None:
        assert self._last is not None  # set by _following
        after = event_key(last_event_id)
        # An id this log never issued (another broker's, or from before the log was
        # reset) cannot be resumed from: the reader starts afresh.
        if after[1] != 0 or after[0] > self._last:
            return None
        return await self._replay(channel, after[0])

    async def _start_tail(self) -> None:
        if self._tail is not None and not self._tail.done():
            return
        self._news = asyncio.Event()
        self._tail = asyncio.get_running_loop().create_task(
            self._run_tail(), name="townhall-live-tail"
        )

    async def _listen(self) -> None:
        """LISTEN on a connection of this process's own (PostgreSQL)."""
        import asyncpg

        dsn = "postgresql://" + self._db.url.split("://", 1)[1]
        try:
            conn = await asyncpg.connect(dsn)
        except (OSError, asyncpg.PostgresError) as exc:
            log.warning("live notifications unavailable (%s); reading every second", exc)
            return
        try:
            await conn.add_listener(NOTIFY_CHANNEL, self._notified)
            conn.add_termination_listener(self._listener_lost)
        except BaseException:
            conn.terminate()
            raise
        self._listener = conn

    def _notified(self, *_args: Any) -> None:
        if self._news is not None:
            self._news.set()

    def _listener_lost(self, *_args: Any) -> None:
        if self._closed:
            return
        log.warning("live notification connection lost; listening again")
        self._listener = None
        self._notified()

    async def _run_tail(self) -> None:
        """Read and hand out new events while this process has readers.

        It reads at once when it starts (after LISTEN, on PostgreSQL), so nothing
        published between the reader's arrival and the first signal is missed.
        """
        while not self._closed:
            if not self._subs:
                # Nobody to read for: forget the position; the next reader sets it.
                self._last = None
                return
            try:
                if self._is_pg and self._listener is None:
                    await self._listen()
                await self._read_new()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a database hiccup must not stop live updates
                log.warning("live event log not read: %s", exc)
                await asyncio.sleep(FALLBACK_INTERVAL)
            await self._wait_for_news()

    async def _wait_for_news(self) -> None:
        assert self._news is not None
        if self._bell is not None:
            self._bell.listen(self._notified)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(FALLBACK_INTERVAL):
                await self._news.wait()
        self._news.clear()

    async def _read_new(self) -> None:
        while self._subs and self._last is not None:
            rows = await self._query(_AFTER, {"after": self._last, "n": READ_BATCH})
            if not rows:
                return
            for row in rows:
                self._last = max(self._last, int(row[0]))
                subs = self._subs.get(row[1])
                if not subs:
                    continue
                event = _event(row)
                for sub in list(subs):
                    sub.push(event)
            if len(rows) < READ_BATCH:
                return

    async def close(self) -> None:
        """Write what is queued, end every local stream, stop tailing, drop connections."""
        with contextlib.suppress(Exception):
            await self.flush()
        self._closed = True
        for subs in list(self._subs.values()):
            for sub in list(subs):
                sub.end()
        if self._pruning is not None:
            with contextlib.suppress(Exception):
                await self._pruning
        if self._tail is not None:
            self._tail.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._tail
            self._tail = None
        if self._listener is not None:
            with contextlib.suppress(Exception):
                await self._listener.close()
            self._listener = None
        if self._bell is not None:
            self._bell.close()
        if self._reader is not None:
            self._reader.close()
            self._reader = None

"""Rendered-response cache for anonymous reads, invalidated per story on every write.

Entries live in each process. What makes them stale is a table of version slots:
one slot per story (by a stable hash of its key) plus a site-wide epoch. Every
committed change that readers can see writes a fresh value into the story's slot;
an entry is served only while the slots it was built under still hold the same
values, and never after `ttl` seconds (which bounds staleness from changes nobody
announces, such as a story's closing time passing).

The slot table is a small memory-mapped file, so all worker processes of one host
that serve the same database see each other's bumps at the cost of a memory read.
With Redis configured, bumps are also published on a channel that every instance
subscribes to, so instances on other hosts drop their entries within milliseconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import mmap
import os
import random
import struct
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("townhall.cache")

SLOTS = 8192
WRITE_SEQ = 0  # bumped by every write; guards renders whose story is not known up front
SITE_EPOCH = 1  # bumped when site settings change; every entry depends on it
FIRST_STORY_SLOT = 2
CHANNEL = "cache:invalidate"  # under the installation's Redis prefix
ALL = "*"
_WORD = struct.Struct("<Q")


class VersionTable:
    """Version slots shared by the processes that map the same file (or private memory)."""

    def __init__(self, path: str | Path | None) -> None:
        size = SLOTS * _WORD.size
        self.path = Path(path) if path else None
        if self.path is None:
            self._mem = mmap.mmap(-1, size)
        else:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                if os.fstat(fd).st_size < size:
                    os.ftruncate(fd, size)
                self._mem = mmap.mmap(fd, size)
            finally:
                os.close(fd)
        self._rand = random.Random(os.urandom(16))

    def get(self, slot: int) -> int:
        """The slot's current value."""
        return _WORD.unpack_from(self._mem, slot * 8)[0]

    def bump(self, slot: int) -> None:
        """Give the slot a value it has (almost surely) never held."""
        _WORD.pack_into(self._mem, slot * 8, self._rand.getrandbits(64))

    def close(self) -> None:
        """Unmap the table."""
        with contextlib.suppress(BufferError, ValueError):
            self._mem.close()


def story_slot(story_key: str) -> int:
    """The version slot of a story (stable across processes and hosts)."""
    return FIRST_STORY_SLOT + zlib.crc32(story_key.encode("utf-8")) % (SLOTS - FIRST_STORY_SLOT)


def default_table_path(database_url: str) -> Path:
    """Where the workers serving this database share their version slots."""
    if database_url.startswith("sqlite"):
        db = database_url.split(":///", 1)[-1]
        if db and ":memory:" not in db:
            return Path(db + "-cache-versions")
    digest = hashlib.blake2b(database_url.encode(), digest_size=8).hexdigest()
    shm = Path("/dev/shm")  # noqa: S108 (tmpfs shared memory; the file is created 0600)
    base = shm if shm.is_dir() and os.access(shm, os.W_OK) else Path(tempfile.gettempdir())
    return base / f"townhall-cache-{digest}.versions"


@dataclass(slots=True)
class Entry:
    """One cached response: body, headers and the slot values it was rendered under."""

    body: bytes
    headers: list[tuple[bytes, bytes]]
    etag: bytes
    slots: tuple[int, ...]
    versions: tuple[int, ...]
    expires: float


class ResponseCache:
    """Bounded in-process response cache with shared per-story invalidation."""

    def __init__(
        self,
        table: VersionTable,
        *,
        ttl: float = 2.0,
        max_entries: int = 4096,
        max_bytes: int = 64 * 1024 * 1024,
        redis_url: str | None = None,
        prefix: str = "townhall:",
    ) -> None:
        self.table = table
        # Installations sharing a Redis hear only their own invalidations.
        self.channel = prefix + CHANNEL
        self.ttl = ttl
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.redis_url = redis_url
        self._entries: dict[str, Entry] = {}
        self._bytes = 0
        self._redis: Any = None
        self._listener: asyncio.Task | None = None
        self._pending: set[asyncio.Task] = set()
        self._ready: asyncio.Event | None = None
        self.hits = 0
        self.misses = 0

    # -- reading -------------------------------------------------------------

    def snapshot(self, slots: tuple[int, ...]) -> tuple[int, ...]:
        """Current values of these slots (taken before rendering)."""
        get = self.table.get
        return tuple(get(s) for s in slots)

    def get(self, key: str) -> Entry | None:
        """A fresh entry for this key, or None."""
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        if entry.expires < time.monotonic() or self.snapshot(entry.slots) != entry.versions:
            self._drop(key)
            self.misses += 1
            return None
        self.hits += 1
        return entry

    def peek(self, key: str) -> Entry | None:
        """A fresh entry for this key, or None (a miss is not counted: the caller may not
        be asking for a cached kind of answer at all)."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.expires < time.monotonic() or self.snapshot(entry.slots) != entry.versions:
            return None
        self.hits += 1
        return entry

    def put(self, key: str, entry: Entry) -> bool:
        """Store an entry if the slots still hold the values it was rendered under."""
        if len(entry.body) > self.max_bytes // 16:
            return False
        if self.snapshot(entry.slots) != entry.versions:
            return False
        self._drop(key)
        while self._entries and (
            len(self._entries) >= self.max_entries or self._bytes + len(entry.body) > self.max_bytes
        ):
            self._drop(next(iter(self._entries)))
        self._entries[key] = entry
        self._bytes += len(entry.body)
        return True

    def _drop(self, key: str) -> None:
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= len(old.body)

    def __len__(self) -> int:
        return len(self._entries)

    # -- invalidation --------------------------------------------------------

    def bump_local(self, story_key: str) -> None:
        """Invalidate a story's entries in every process of this host."""
        if story_key == ALL:
            self.table.bump(SITE_EPOCH)
        else:
            self.table.bump(story_slot(story_key))
        self.table.bump(WRITE_SEQ)

    async def invalidate(self, story_key: str) -> None:
        """Invalidate a story's entries here and, through Redis, on every instance."""
        self.bump_local(story_key)
        if self.redis_url:
            try:
                client = await self._client()
                await client.publish(self.channel, story_key.encode("utf-8"))
            except Exception:  # a lost message is bounded by the TTL
                log.warning("cache invalidation not published", exc_info=True)

    def invalidate_all_soon(self) -> None:
        """Invalidate every entry (site settings changed); publishes in the background."""
        self.bump_local(ALL)
        if self.redis_url:
            with contextlib.suppress(RuntimeError):
                task = asyncio.get_running_loop().create_task(self.invalidate(ALL))
                self._pending.add(task)
                task.add_done_callback(self._pending.discard)

    async def _client(self) -> Any:
        if self._redis is None:
            import redis.asyncio as aioredis

            assert self.redis_url is not None
            self._redis = aioredis.from_url(self.redis_url)
        return self._redis

    async def start(self) -> None:
        """Subscribe to invalidations from other instances (once, when Redis is set)."""
        if not self.redis_url or self._listener is not None:
            return
        self._ready = asyncio.Event()
        self._listener = asyncio.get_running_loop().create_task(self._listen())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._ready.wait(), timeout=2.0)

    async def _listen(self) -> None:
        import redis.asyncio as aioredis

        assert self.redis_url is not None
        while True:
            client = aioredis.from_url(self.redis_url)
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(self.channel)
                    # Anything cached while unsubscribed may have missed a bump.
                    self.bump_local(ALL)
                    assert self._ready is not None
                    self._ready.set()
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            data = message["data"]
                            key = data.decode("utf-8") if isinstance(data, bytes) else str(data)
                            self.bump_local(key)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("cache invalidation channel lost; retrying", exc_info=True)
                await asyncio.sleep(1.0)
            finally:
                with contextlib.suppress(Exception):
                    await client.aclose()

    async def close(self) -> None:
        """Stop listening and close connections."""
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._listener
            self._listener = None
        if self._redis is not None:
            with contextlib.suppress(Exception):
                await self._redis.aclose()
            self._redis = None
        self._entries.clear()
        self._bytes = 0


def build_cache(settings) -> ResponseCache | None:
    """The response cache for these settings, or None when it is switched off."""
    if not settings.response_cache:
        return None
    where = settings.cache_versions_file
    if where == "private" or settings.database_url.endswith(":memory:"):
        table = VersionTable(None)
    else:
        table = VersionTable(where or default_table_path(settings.database_url))
    return ResponseCache(
        table,
        ttl=settings.cache_ttl_seconds,
        redis_url=settings.redis_url,
        prefix=settings.redis_prefix,
    )

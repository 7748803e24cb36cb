"""State shared by the worker processes of one host, in small memory-mapped files.

`townhall serve --workers N` creates a private directory for its workers
(`TOWNHALL_WORKER_DIR`, emptied at start and removed at exit). Its files cost a memory
read or write per use, no system call on the hot path but the lock of a rate-limit hit:

- `live-wake`: a word every publisher of a live event changes after its commit, so the
  other workers know to read the event log (see townhall.live.database);
- `rate-limits`: the fixed windows of every rate-limit key (SharedRateLimiter);
- `metrics/`: Prometheus multiprocess files (PROMETHEUS_MULTIPROC_DIR).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import math
import mmap
import os
import random
import struct
import time
from pathlib import Path

_WORD = struct.Struct("<Q")


def _mapped(path: Path, size: int) -> mmap.mmap:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if os.fstat(fd).st_size < size:
            os.ftruncate(fd, size)
        return mmap.mmap(fd, size)
    finally:
        os.close(fd)


class WakeWord:
    """A word that changes whenever some process says so; others notice by reading it."""

    def __init__(self, path: str | Path) -> None:
        self._mem = _mapped(Path(path), _WORD.size)
        self._rand = random.Random(os.urandom(16))

    def read(self) -> int:
        """The word now."""
        return _WORD.unpack_from(self._mem, 0)[0]

    def ring(self) -> None:
        """Change the word to a value it has (almost surely) never held.

        A random value rather than an increment: two processes ringing at once must
        still each change it, or a reader could miss the second ring.
        """
        _WORD.pack_into(self._mem, 0, self._rand.getrandbits(64) or 1)

    def close(self) -> None:
        """Unmap the word."""
        with contextlib.suppress(BufferError, ValueError):
            self._mem.close()


# One rate-limit window: key digest, hits, and the wall-clock millisecond it ends.
_SLOT = struct.Struct("<QQq")
SLOTS = 1 << 16  # 1.5 MiB; keys of expired windows are reused
PROBES = 16


def _digest(key: str) -> int:
    value = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little")
    return value or 1  # 0 marks an empty slot


class SharedRateLimiter:
    """Fixed-window counters in one file mapped by every worker of the host.

    A hit takes an exclusive lock on the file (one `flock` each way, a few microseconds),
    finds the key's slot by open addressing and counts. Windows are wall-clock
    milliseconds, so a restart of the workers keeps them. When all slots a key may use
    hold live windows of other keys, the window closest to its end is given up: under
    a flood of distinct keys some window may end early, never late.
    """

    def __init__(self, path: str | Path, *, clock=time.time, slots: int = SLOTS) -> None:
        self._slots = slots
        self._mem = _mapped(Path(path), slots * _SLOT.size)
        self._fd = os.open(path, os.O_RDWR)
        self._clock = clock

    def _find(self, digest: int, now_ms: int, *, claim: bool) -> int | None:
        """The slot holding the key's window, or (claim) one it may take."""
        start = digest % self._slots
        spare: int | None = None
        spare_end = math.inf
        for i in range(PROBES):
            slot = (start + i) % self._slots
            held, _, end = _SLOT.unpack_from(self._mem, slot * _SLOT.size)
            if held == digest:
                return slot
            if not claim:
                if held == 0:
                    return None
                continue
            if held == 0 or end <= now_ms:
                if spare is None or spare_end > -1:
                    spare, spare_end = slot, -1
                if held == 0:
                    break
            elif spare_end > end:
                spare, spare_end = slot, end
        return spare

    async def hit(self, key: str, *, limit: int, window: float) -> tuple[bool, int]:
        """Count one hit; return (allowed, seconds until the window resets)."""
        digest = _digest(key)
        now_ms = int(self._clock() * 1000)
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            slot = self._find(digest, now_ms, claim=True)
            assert slot is not None
            held, count, end = _SLOT.unpack_from(self._mem, slot * _SLOT.size)
            if held != digest or end <= now_ms:
                count, end = 0, now_ms + max(1, int(window * 1000))
            count += 1
            _SLOT.pack_into(self._mem, slot * _SLOT.size, digest, count, end)
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        return count <= limit, max(1, math.ceil((end - now_ms) / 1000))

    async def peek(self, key: str) -> tuple[int, int]:
        """(hits in the key's live window, seconds until it resets); (0, 0) without one."""
        digest = _digest(key)
        now_ms = int(self._clock() * 1000)
        slot = self._find(digest, now_ms, claim=False)
        if slot is None:
            return 0, 0
        held, count, end = _SLOT.unpack_from(self._mem, slot * _SLOT.size)
        if held != digest or end <= now_ms:
            return 0, 0
        return count, max(1, math.ceil((end - now_ms) / 1000))

    async def clear(self, key: str) -> None:
        """Forget the key's window (its slot stays taken, as an ended window)."""
        digest = _digest(key)
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            slot = self._find(digest, 0, claim=False)
            if slot is not None:
                _SLOT.pack_into(self._mem, slot * _SLOT.size, digest, 0, 0)
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    async def close(self) -> None:
        """Unmap the table."""
        with contextlib.suppress(OSError):
            os.close(self._fd)
        with contextlib.suppress(BufferError, ValueError):
            self._mem.close()

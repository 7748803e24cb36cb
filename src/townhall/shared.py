"""State shared by the worker processes of one host, in small memory-mapped files.

`townhall serve --workers N` creates a private directory for its workers
(`TOWNHALL_WORKER_DIR`, emptied at start and removed at exit). Its files cost a memory
read or write per use, no system call on the hot path but the lock of a rate-limit hit:

- `rate-limits`: the fixed windows of every rate-limit key (SharedRateLimiter);
- `metrics/`: Prometheus multiprocess files (PROMETHEUS_MULTIPROC_DIR).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import math
import mmap
import os
import random
import socket
import struct
import time
from collections.abc import Callable
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


class WakeSockets:
    """Wakes the processes of a host that listen in one directory: a datagram each.

    Each process binds a Unix datagram socket there; `ring()` sends one byte to every
    socket it finds (the listing is refreshed each second), and a process hears it
    through its event loop: no polling, nothing spent while nothing happens. The socket
    of a process that died refuses the datagram and is removed.
    """

    RELIST_SECONDS = 1.0

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.path = self.directory / f"{os.getpid()}-{random.getrandbits(32):08x}.sock"
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._sock.bind(str(self.path))
        self._sock.setblocking(False)
        self._out = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._out.setblocking(False)
        self._peers: list[str] = []
        self._listed = -math.inf
        self._loop: asyncio.AbstractEventLoop | None = None

    def listen(self, woken: Callable[[], None]) -> None:
        """Call `woken` on this loop whenever some process rings (several rings may
        make one call)."""
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
            self._loop.add_reader(self._sock.fileno(), self._drain, woken)

    def _drain(self, woken: Callable[[], None]) -> None:
        with contextlib.suppress(BlockingIOError, InterruptedError):
            while self._sock.recv(64):
                pass
        woken()

    def ring(self) -> None:
        """Wake every listening process (this one included)."""
        now = time.monotonic()
        if now - self._listed > self.RELIST_SECONDS:
            self._peers = [str(p) for p in self.directory.glob("*.sock")]
            self._listed = now
        for peer in self._peers:
            try:
                self._out.sendto(b"!", peer)
            except (BlockingIOError, InterruptedError):
                pass  # its queue is full: a wake-up is waiting for it already
            except (ConnectionRefusedError, FileNotFoundError):
                with contextlib.suppress(OSError):
                    os.unlink(peer)  # its process is gone
                self._listed = -math.inf
            except OSError:
                self._listed = -math.inf

    def close(self) -> None:
        """Stop listening and remove this process's socket."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.remove_reader(self._sock.fileno())
        self._loop = None
        self._sock.close()
        self._out.close()
        with contextlib.suppress(OSError):
            self.path.unlink()
        with contextlib.suppress(OSError):
            self.directory.rmdir()  # only when no other process listens here


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

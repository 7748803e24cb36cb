"""Opening import files: plain or gzip-compressed, read in a stream, with how far along the
reading is (for the progress display)."""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

GZIP_MAGIC = b"\x1f\x8b"


@dataclass
class Tracker:
    """How much of an input has been read, in the unit of `total` (bytes or rows)."""

    total: int | None = None
    done: int = 0
    unit: str = "B"

    @property
    def fraction(self) -> float | None:
        """Share read so far, when the total is known."""
        if not self.total:
            return None
        return min(1.0, self.done / self.total)


class _Counting(io.RawIOBase):
    """A raw file that reports its position to a tracker as it is read."""

    def __init__(self, raw: io.BufferedReader, tracker: Tracker) -> None:
        self.raw = raw
        self.tracker = tracker

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self.raw.readinto(buffer)
        self.tracker.done += n or 0
        return n or 0

    def close(self) -> None:
        self.raw.close()
        super().close()


@contextmanager
def open_input(path: Path, tracker: Tracker | None = None) -> Iterator[IO[bytes]]:
    """The file's bytes, decompressed when it is gzip (by its first bytes, not its name)."""
    tracker = tracker if tracker is not None else Tracker()
    raw = path.open("rb")
    try:
        tracker.total = path.stat().st_size
        tracker.unit = "B"
        magic = raw.read(2)
        raw.seek(0)
        stream: IO[bytes] = io.BufferedReader(_Counting(raw, tracker), buffer_size=1 << 16)
        if magic == GZIP_MAGIC:
            stream = gzip.GzipFile(fileobj=stream, mode="rb")  # type: ignore[assignment]
        yield stream
    finally:
        raw.close()

"""A hard CPU-time budget for one review.

Every pattern the checks run is meant to be linear (see ``regex.py`` and the
property test in tests/unit/moderation/test_linear_time.py), but a review runs
while the server's event loop waits, so a mistake there would stall everyone.

The review is charged only its own work: the CPU time of the thread it runs on
(``time.thread_time``), less the time the garbage collector spent on that thread
meanwhile (a full pass walks the whole process heap, which is not the comment's
cost). Other threads of the process (the database driver's, a busy neighbour's)
never spend it.

On the main thread (where the server's event loop runs) a virtual-time timer
interrupts the review: the standard library has no per-thread CPU timer, so the
process-wide ``ITIMER_VIRTUAL`` stands in for one. It can only fire early (the
process's CPU time is at least the thread's), so its handler looks at what the
review itself has spent and either sets the timer again for what is left or
raises ``OutOfTime``, which Python's regular-expression engine and the
interpreter both honour between steps. Elsewhere (a worker thread cannot take
signals) the budget is checked between checks.
"""

from __future__ import annotations

import gc
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

_HAS_TIMER = hasattr(signal, "setitimer") and hasattr(signal, "SIGVTALRM")
# Finalizers run whenever the garbage collector does, and an exception raised inside one is
# swallowed. When the timer fires inside one (a `__del__` anywhere on the stack, or any
# frame of an installed library, whose finalizers may be plain functions), it fires again
# this much later; the same short wait is the least the timer is ever set for.
_LIBRARIES = ("site-packages", "dist-packages")
_RETRY_SECONDS = 0.002


def _in_finalizer(frame: FrameType | None) -> bool:
    if frame is None or any(part in frame.f_code.co_filename for part in _LIBRARIES):
        return True
    while frame is not None:
        if frame.f_code.co_name == "__del__":
            return True
        frame = frame.f_back
    return False


class OutOfTime(Exception):
    """The review used up its time budget."""


class Deadline:
    """What one review may still spend, on the thread that runs it."""

    __slots__ = ("_collected", "_collecting_since", "_seconds", "_start", "_thread")

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._thread = threading.get_ident()
        self._collected = 0.0
        self._collecting_since: float | None = None
        self._start = time.thread_time()

    def spent(self) -> float:
        """CPU seconds this review's thread used since it started, collector passes left out."""
        now = time.thread_time()
        collecting = 0.0 if self._collecting_since is None else now - self._collecting_since
        return now - self._start - self._collected - collecting

    def left(self) -> float:
        """CPU seconds still to spend; negative once the budget is gone."""
        return self._seconds - self.spent()

    def check(self) -> None:
        """Raise OutOfTime once the budget is spent."""
        if self.left() < 0:
            raise OutOfTime

    def collector(self, phase: str, info: dict[str, Any]) -> None:
        """A ``gc.callbacks`` entry: time the collector's passes on this review's thread."""
        if threading.get_ident() != self._thread:
            return
        if phase == "start":
            self._collecting_since = time.thread_time()
        elif self._collecting_since is not None:
            self._collected += time.thread_time() - self._collecting_since
            self._collecting_since = None


class _State:
    armed: Deadline | None = None
    installed = False


def _expire(signum: int, frame: FrameType | None) -> None:
    deadline = _State.armed
    if deadline is None:
        return
    # The signal can arrive while a finalizer runs (the garbage collector calls them at
    # any allocation); an exception there is swallowed and the review would go on without
    # its budget. Not there, then: a moment later.
    if _in_finalizer(frame):
        signal.setitimer(signal.ITIMER_VIRTUAL, _RETRY_SECONDS)
        return
    left = deadline.left()
    if left > 0:
        # Other threads or the collector used the process's time: the review has not.
        signal.setitimer(signal.ITIMER_VIRTUAL, max(left, _RETRY_SECONDS))
        return
    _State.armed = None
    raise OutOfTime


@contextmanager
def cpu_budget(seconds: float) -> Iterator[Deadline]:
    """Run the body with at most ``seconds`` of CPU; OutOfTime is raised when it runs out."""
    deadline = Deadline(seconds)
    gc.callbacks.append(deadline.collector)
    try:
        if _armed_timer(deadline):
            try:
                yield deadline
            finally:
                _State.armed = None
                signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        else:
            yield deadline
    finally:
        gc.callbacks.remove(deadline.collector)


def _armed_timer(deadline: Deadline) -> bool:
    """Set the timer for this review, if this thread may own it; False when it may not."""
    if not _HAS_TIMER or _State.armed is not None:
        return False
    if threading.current_thread() is not threading.main_thread():
        return False
    if not _State.installed:
        if signal.getsignal(signal.SIGVTALRM) not in (signal.SIG_DFL, None):
            return False  # someone else owns the timer: fall back to checks between steps
        signal.signal(signal.SIGVTALRM, _expire)
        _State.installed = True
    _State.armed = deadline
    signal.setitimer(signal.ITIMER_VIRTUAL, max(deadline.left(), _RETRY_SECONDS))
    return True

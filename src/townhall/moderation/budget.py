"""A hard CPU-time budget for one review.

Every pattern the checks run is meant to be linear (see ``regex.py`` and the
property test in tests/unit/moderation/test_linear_time.py), but a review runs
while the server's event loop waits, so a mistake there would stall everyone.
On the main thread (where the server's event loop runs) a virtual-time timer
interrupts the review once it has used ``seconds`` of CPU: the signal handler
raises ``OutOfTime``, which Python's regular-expression engine and the
interpreter both honour between steps. Elsewhere (a worker thread cannot take
signals) the budget is checked between checks.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

_HAS_TIMER = hasattr(signal, "setitimer") and hasattr(signal, "SIGVTALRM")
# Finalizers run whenever the garbage collector does, and an exception raised inside one is
# swallowed. When the timer fires inside one (a `__del__` anywhere on the stack, or any
# frame of an installed library, whose finalizers may be plain functions), it fires again
# this much later.
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


class _State:
    armed = False
    installed = False


def _expire(signum: int, frame: FrameType | None) -> None:
    if not _State.armed:
        return
    # The signal can arrive while a finalizer runs (the garbage collector calls them at
    # any allocation); an exception there is swallowed and the review would go on without
    # its budget. Not there, then: a moment later.
    if _in_finalizer(frame):
        signal.setitimer(signal.ITIMER_VIRTUAL, _RETRY_SECONDS)
        return
    _State.armed = False
    raise OutOfTime


@contextmanager
def cpu_budget(seconds: float) -> Iterator[Deadline]:
    """Run the body with at most ``seconds`` of CPU; OutOfTime is raised when it runs out."""
    deadline = Deadline(seconds)
    use_timer = (
        _HAS_TIMER and not _State.armed and threading.current_thread() is threading.main_thread()
    )
    if not use_timer:
        yield deadline
        return
    if not _State.installed:
        if signal.getsignal(signal.SIGVTALRM) not in (signal.SIG_DFL, None):
            yield deadline  # someone else owns the timer: fall back to checks between steps
            return
        signal.signal(signal.SIGVTALRM, _expire)
        _State.installed = True
    _State.armed = True
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield deadline
    finally:
        _State.armed = False
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)


class Deadline:
    """The same budget, checked by hand between steps."""

    __slots__ = ("_until",)

    def __init__(self, seconds: float) -> None:
        self._until = time.process_time() + seconds

    def check(self) -> None:
        """Raise OutOfTime once the budget is spent."""
        if time.process_time() > self._until:
            raise OutOfTime

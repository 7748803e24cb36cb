"""Progress of a long import or restore: a bar on a terminal (tqdm), plain lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from tqdm import tqdm

from townhall.porting.files import Tracker

PLAIN_EVERY_SECONDS = 5.0


class Progress:
    """Shows how far reading has come and how many comments went where, with the rate."""

    def __init__(
        self,
        tracker: Tracker,
        label: str,
        *,
        out: TextIO | None = None,
        interactive: bool | None = None,
    ) -> None:
        self.tracker = tracker
        self.label = label
        self.out = out or sys.stderr
        self.interactive = self.out.isatty() if interactive is None else interactive
        self.started = time.monotonic()
        self.last_line = self.started
        self.bar: tqdm | None = None
        if self.interactive:
            self.bar = tqdm(
                total=tracker.total,
                desc=label,
                unit=tracker.unit,
                unit_scale=tracker.unit == "B",
                file=self.out,
                dynamic_ncols=True,
                leave=True,
            )

    def rate(self, count: int) -> float:
        """Per second since the start."""
        return count / max(time.monotonic() - self.started, 1e-6)

    def update(self, count: int, detail: str, *, final: bool = False) -> None:
        """`count` things done so far (comments, rows); `detail` says what became of them."""
        if self.bar is not None:
            if self.tracker.total and self.bar.total != self.tracker.total:
                self.bar.total = self.tracker.total
            self.bar.n = self.tracker.done
            self.bar.set_postfix_str(f"{detail}, {self.rate(count):,.0f}/s", refresh=True)
            return
        now = time.monotonic()
        if not final and now - self.last_line < PLAIN_EVERY_SECONDS:
            return
        self.last_line = now
        fraction = self.tracker.fraction
        done = f"{fraction:.0%} read, " if fraction is not None else ""
        print(
            f"{self.label}: {done}{detail}, {self.rate(count):,.0f}/s",
            file=self.out,
            flush=True,
        )

    def close(self) -> None:
        """Finish the bar (the plain output needs no closing)."""
        if self.bar is not None:
            self.bar.n = self.tracker.done
            self.bar.close()

"""The change feed: writes record what they changed; listeners run after the commit.

A service never calls the response cache, the live broker or any other effect
itself. It records a `Change` on its transaction (`tx.record(...)`); when the
transaction has committed, `Context.write` hands the changes, in order, to every
registered listener. Nothing is announced for a transaction that rolled back, and
one failing listener neither stops the others nor fails the committed write.

A listener that must write in the same transaction (an outbox of notifications or
webhooks, delivered later) also has `staged(tx, changes)`: it runs inside the
transaction, just before the commit, and its failure rolls the write back.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from townhall.domain.changes import Change
from townhall.storage.protocols import Stores

log = logging.getLogger("townhall.feed")


class Listener(Protocol):
    """Something that reacts to committed changes (cache, live broker, later mail, webhooks)."""

    @property
    def name(self) -> str:
        """What the logs call this listener."""
        ...

    async def committed(self, changes: Sequence[Change]) -> None:
        """React to one transaction's changes, in the order they were recorded."""
        ...


@dataclass(frozen=True, slots=True)
class NewComment:
    """What a write that only adds one comment is known to change before it runs."""

    site_id: str
    reply: bool
    public: bool
    by_staff: bool


class Stager(Protocol):
    """A listener that also writes, inside the transaction, what the changes call for."""

    async def staged(self, tx: Stores, changes: Sequence[Change]) -> None:
        """Write alongside the changes; raising rolls the whole transaction back."""
        ...

    def quiet_for(self, new: NewComment) -> bool:
        """Whether `staged` writes nothing for such a new comment (known without reading)."""
        ...


class ChangeFeed:
    """The listeners of one process, in the order they were registered."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def register(self, listener: Listener) -> None:
        """Add a listener; it runs after those registered before it."""
        self._listeners.append(listener)

    @property
    def listeners(self) -> tuple[Listener, ...]:
        """The registered listeners, in order."""
        return tuple(self._listeners)

    def quiet_for(self, new: NewComment) -> bool:
        """Whether no listener writes inside the transaction that adds this comment."""
        for listener in self._listeners:
            if getattr(listener, "staged", None) is None:
                continue
            quiet = getattr(listener, "quiet_for", None)
            if quiet is None or not quiet(new):
                return False
        return True

    async def stage(self, tx: Stores, changes: Sequence[Change]) -> None:
        """Let listeners that write do so inside the transaction, before it commits."""
        for listener in self._listeners:
            staged = getattr(listener, "staged", None)
            if staged is not None:
                await staged(tx, changes)

    async def publish(self, changes: Sequence[Change]) -> None:
        """Hand committed changes to every listener."""
        if not changes:
            return
        for listener in self._listeners:
            try:
                await listener.committed(changes)
            except Exception:  # the write is committed; the others still get it
                log.exception("listener %s failed", listener.name)

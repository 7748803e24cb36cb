"""Stories' public comment counts on PostgreSQL: row plus pending deltas, folded in the background.

The count trigger (migration 0012) appends each change to `story_count_deltas` instead of
updating the story row, so concurrent posts to one story never wait for each other's
commit. A story's count is its row's value plus the sum of its pending deltas, read in one
statement (one snapshot: a fold commits the deletion of deltas and the row's update at
once, so a reader sees either both or neither). `fold` moves the deltas into the rows in a
short transaction of its own; one process of the installation folds at a time (an advisory
lock), the others skip their turn. On SQLite the 0005 triggers update the row directly.

Every read of a count sums the story's pending deltas, so the deltas table must stay small:
the process that folded also vacuums it at once (a few pages; autovacuum would leave the
dead rows of a busy minute for every count to step over), and again on its next turns
while a transaction older than the fold kept some of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from sqlalchemy import func, select, text

from townhall.storage.sql.tables import stories
from townhall.storage.sql.tables import story_count_deltas as deltas

log = logging.getLogger(__name__)

COUNT_COLUMNS = ("published_open", "published_premium")
FOLD_EVERY_SECONDS = 0.5
_FOLD_LOCK = 0x746F776E68616C6C  # advisory lock key: "townhall" in ASCII

_FOLD = text(
    "WITH gone AS (DELETE FROM story_count_deltas RETURNING story_id, d_open, d_premium), "
    "d AS (SELECT story_id, sum(d_open) AS o, sum(d_premium) AS p FROM gone GROUP BY story_id) "
    "UPDATE stories SET published_open = published_open + d.o, "
    "published_premium = published_premium + d.p FROM d WHERE stories.id = d.story_id"
)


def _pending(col: Any) -> Any:
    return func.coalesce(
        select(func.sum(col)).where(deltas.c.story_id == stories.c.id).scalar_subquery(), 0
    )


def counted(name: str, *, pg: bool) -> Any:
    """A story's count column as readers must read it (on PostgreSQL: row plus deltas)."""
    col = stories.c[name]
    if not pg:
        return col
    return (col + _pending(deltas.c["d_" + name.removeprefix("published_")])).label(name)


def story_columns(*, pg: bool) -> list[Any]:
    """Every column of a story, its counts read as `counted` does."""
    return [counted(c.name, pg=pg) if c.name in COUNT_COLUMNS else c for c in stories.c]


_DEAD = text("SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'story_count_deltas'")


async def vacuum(engine: Any) -> int:
    """Reclaim the deltas table's dead rows (outside a transaction, as VACUUM must be);
    how many it had to leave (a transaction older than their deletion can still see
    them)."""
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("VACUUM (TRUNCATE false) story_count_deltas"))
        return int((await conn.execute(_DEAD)).scalar() or 0)


async def fold(conn: Any) -> int | None:
    """Fold pending deltas into the story rows, unless another process is folding now
    (None); how many stories' counts moved. `conn` is a PostgreSQL connection inside a
    transaction."""
    got = (await conn.execute(text(f"SELECT pg_try_advisory_xact_lock({_FOLD_LOCK})"))).scalar()
    if not got:
        return None
    return int((await conn.execute(_FOLD)).rowcount)


class CountFolder:
    """Folds the deltas of a PostgreSQL database every second, in the background."""

    def __init__(self, db: Any, every: float = FOLD_EVERY_SECONDS) -> None:
        self.db = db
        self.every = every
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Begin folding (PostgreSQL only; SQLite keeps its counts on the row)."""
        if not self.db.is_sqlite and self._task is None:
            self._task = asyncio.create_task(self._run(), name="townhall-count-fold")

    async def _run(self) -> None:
        # Dead rows the last vacuum had to leave: it runs again on the next turns, folded
        # or not, until none are left (else they would wait for the next post).
        left = 0
        while True:
            await asyncio.sleep(self.every)
            try:
                async with self.db.engine.begin() as conn:
                    folded = await fold(conn)
                if folded or left:
                    left = await vacuum(self.db.engine)
            except Exception:  # a lost connection or a restart of the database: next turn
                log.warning("folding story counts failed; retrying", exc_info=True)

    async def stop(self) -> None:
        """Stop folding (what is pending stays exact and is folded by the next process)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

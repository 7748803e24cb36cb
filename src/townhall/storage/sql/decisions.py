"""Moderators' decisions on held comments, kept as labelled examples, on SQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from townhall.storage.sql.engine import SqlConnection
from townhall.storage.sql.tables import moderation_decisions as d

BATCH = 1000
COLUMNS = (
    "id",
    "site_id",
    "comment_id",
    "body",
    "findings",
    "guideline",
    "decision",
    "moderator_id",
    "decided_at",
)


class SqlDecisionStore:
    """Labelled examples: one row per approval or rejection of a held comment."""

    def __init__(self, conn: SqlConnection) -> None:
        self.conn = conn

    async def add(
        self,
        *,
        site_id: str,
        comment_id: int,
        body: str,
        findings: list[dict[str, Any]],
        guideline: str | None,
        decision: str,
        moderator_id: int,
        now: datetime,
    ) -> None:
        """Record one decision (in the transaction that makes it)."""
        await self.conn.execute(
            d.insert().values(
                site_id=site_id,
                comment_id=comment_id,
                body=body,
                findings=findings,
                guideline=guideline,
                decision=decision,
                moderator_id=moderator_id,
                decided_at=now,
            )
        )

    async def forget(self, comment_id: int) -> None:
        """Delete the examples taken from a comment (its author deleted it)."""
        await self.conn.execute(d.delete().where(d.c.comment_id == comment_id))

    async def tally(self, site_id: str, since: datetime) -> list[dict[str, Any]]:
        """Per automatic guideline since a time: decided, approved and rejected holds."""
        rejected = func.sum(case((d.c.decision == "reject", 1), else_=0))
        q = (
            select(d.c.guideline, func.count().label("decided"), rejected.label("rejected"))
            .where(d.c.site_id == site_id, d.c.decided_at >= since, d.c.guideline.is_not(None))
            .group_by(d.c.guideline)
            .order_by(d.c.guideline)
        )
        return [
            {
                "guideline": g,
                "decided": int(n),
                "rejected": int(r or 0),
                "approved": int(n) - int(r or 0),
            }
            for g, n, r in (await self.conn.execute(q)).all()
        ]


async def stream_decisions(
    conn: AsyncConnection, *, site_id: str | None, since: datetime | None
) -> AsyncIterator[dict[str, Any]]:
    """Every example, oldest first, read from the database in batches."""
    q = select(*(d.c[name] for name in COLUMNS)).order_by(d.c.decided_at, d.c.id)
    if site_id is not None:
        q = q.where(d.c.site_id == site_id)
    if since is not None:
        q = q.where(d.c.decided_at >= since)
    result = await conn.stream(q.execution_options(yield_per=BATCH))
    async for row in result:
        yield dict(row._mapping)

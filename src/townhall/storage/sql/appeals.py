"""Authors' appeals against rejections, on SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update

from townhall.storage.sql.engine import SqlConnection
from townhall.storage.sql.tables import appeals as a


class SqlAppealStore:
    """Appeals: filed once per comment, reviewed by someone other than the decider."""

    def __init__(self, conn: SqlConnection) -> None:
        self.conn = conn

    async def add(self, values: dict[str, Any]) -> dict[str, Any]:
        """File an appeal; the stored row."""
        res = await self.conn.execute(a.insert().values(**values).returning(*a.c))
        return dict(res.one()._mapping)

    async def by_comment(self, comment_id: int) -> dict[str, Any] | None:
        """The appeal against a comment's rejection, if any."""
        row = (await self.conn.execute(select(a).where(a.c.comment_id == comment_id))).first()
        return dict(row._mapping) if row else None

    async def by_id(self, site_id: str, appeal_id: int) -> dict[str, Any] | None:
        """One appeal of a site."""
        q = select(a).where(a.c.site_id == site_id, a.c.id == appeal_id)
        if self.conn.dialect.name == "postgresql":
            q = q.with_for_update()
        row = (await self.conn.execute(q)).first()
        return dict(row._mapping) if row else None

    async def listing(
        self, site_id: str, *, status: str, reviewer: int, limit: int
    ) -> list[dict[str, Any]]:
        """Appeals in a status, oldest first, leaving out those this reviewer decided."""
        q = (
            select(a)
            .where(
                a.c.site_id == site_id,
                a.c.status == status,
                or_(a.c.decider_id.is_(None), a.c.decider_id != reviewer),
            )
            .order_by(a.c.created_at, a.c.id)
            .limit(limit)
        )
        return [dict(r._mapping) for r in (await self.conn.execute(q)).all()]

    async def decide(
        self, appeal_id: int, *, status: str, reviewer: int, reason: str | None, now: datetime
    ) -> None:
        """Record an appeal's outcome."""
        await self.conn.execute(
            update(a)
            .where(a.c.id == appeal_id)
            .values(status=status, reviewer_id=reviewer, outcome_reason=reason, decided_at=now)
        )

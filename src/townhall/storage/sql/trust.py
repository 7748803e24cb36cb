"""A reader's record for earned trust, and staff's hand-set level, on SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, select, type_coerce, update

from townhall.domain.models import Status
from townhall.domain.trust import Facts, Override
from townhall.storage.sql.engine import SqlConnection
from townhall.storage.sql.tables import UTCDateTime, users
from townhall.storage.sql.tables import comments as c

_setter = users.alias("trust_setter")


class SqlTrustStore:
    """What earned trust reads and what staff set."""

    def __init__(self, conn: SqlConnection) -> None:
        self.conn = conn

    async def facts(
        self,
        author_id: int,
        *,
        joined_at: datetime,
        published_total: int,
        recent_since: datetime,
        premod_since: datetime,
    ) -> Facts:
        """The author's published and rejected comments in the two windows (the published
        total, bounded by the probation count, is the caller's: posting has read it already)."""
        rejected_at = func.coalesce(c.c.decided_at, c.c.created_at)
        is_published = c.c.status == Status.PUBLISHED.value
        is_rejected = c.c.status == Status.REJECTED.value

        def count(cond: Any) -> Any:
            return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

        q = select(
            count(and_(is_published, c.c.created_at >= recent_since)),
            count(and_(is_rejected, rejected_at >= recent_since)),
            count(and_(is_rejected, rejected_at >= premod_since)),
            type_coerce(func.max(case((is_rejected, rejected_at))), UTCDateTime),
        ).where(c.c.author_id == author_id)
        row = (await self.conn.execute(q)).one()
        return Facts(
            joined_at=joined_at,
            published_total=published_total,
            published_recent=int(row[0]),
            rejected_recent=int(row[1]),
            rejected_premod=int(row[2]),
            last_rejected_at=row[3],
        )

    async def override(self, user_id: int) -> Override | None:
        """The level staff set for this reader, if any."""
        q = (
            select(
                users.c.trust_level,
                users.c.trust_until,
                users.c.trust_reason,
                _setter.c.name,
            )
            .outerjoin(_setter, _setter.c.id == users.c.trust_set_by)
            .where(users.c.id == user_id)
        )
        row = (await self.conn.execute(q)).first()
        if row is None or row[0] is None:
            return None
        return Override(level=row[0], until=row[1], reason=row[2], by=row[3])

    async def set_override(
        self,
        user_id: int,
        *,
        level: str | None,
        until: datetime | None,
        reason: str | None,
        by: int | None,
    ) -> None:
        """Set (or, with level None, clear) staff's level for a reader."""
        await self.conn.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(trust_level=level, trust_until=until, trust_reason=reason, trust_set_by=by)
        )

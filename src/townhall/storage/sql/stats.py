"""Moderation figures on SQL: counts grouped in the database, percentiles by rank."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, literal_column, select

from townhall.domain.models import Status
from townhall.storage.sql.engine import SqlConnection
from townhall.storage.sql.tables import appeals, stories, users
from townhall.storage.sql.tables import comments as c


class SqlStatsStore:
    """Read-only aggregates for the moderators' statistics and the public transparency page."""

    def __init__(self, conn: SqlConnection) -> None:
        self.conn = conn

    @property
    def _pg(self) -> bool:
        return bool(self.conn.dialect.name == "postgresql")

    def _bucket(self, column: Any, unit: str) -> Any:
        """A UTC hour ('2026-12-01T13:00') or month ('2026-12') label of a timestamp."""
        if self._pg:
            fmt = 'YYYY-MM-DD"T"HH24:00' if unit == "hour" else "YYYY-MM"
            return func.to_char(func.timezone("UTC", column), fmt)
        return func.strftime("%Y-%m-%dT%H:00" if unit == "hour" else "%Y-%m", column)

    def _seconds(self, start: Any, end: Any) -> Any:
        """Seconds from start to end."""
        if self._pg:
            return func.extract("epoch", end - start)
        return (func.julianday(end) - func.julianday(start)) * 86400.0

    async def per_hour(self, site_id: str, since: datetime) -> dict[str, int]:
        """Comments written per UTC hour since a time (hours with none are left out)."""
        hour = self._bucket(c.c.created_at, "hour").label("hour")
        q = (
            select(hour, func.count())
            .where(c.c.site_id == site_id, c.c.created_at >= since)
            .group_by(literal_column("hour"))
        )
        return {str(h): int(n) for h, n in (await self.conn.execute(q)).all()}

    async def by_guideline(self, site_id: str, since: datetime) -> dict[str, dict[str, int]]:
        """Comments written since a time now held or rejected, per guideline that held them."""
        q = (
            select(c.c.guideline, c.c.status, func.count())
            .where(
                c.c.site_id == site_id,
                c.c.created_at >= since,
                c.c.status.in_([Status.PENDING.value, Status.REJECTED.value]),
            )
            .group_by(c.c.guideline, c.c.status)
        )
        out: dict[str, dict[str, int]] = {}
        for guideline, status, n in (await self.conn.execute(q)).all():
            row = out.setdefault(guideline or "other", {"held": 0, "rejected": 0})
            row["held" if status == Status.PENDING.value else "rejected"] += int(n)
        return out

    async def pending_ages(self, site_id: str, now: datetime, ranks: list[float]) -> dict[str, Any]:
        """How many comments are pending, and their age in seconds at each percentile
        (nearest rank, oldest last)."""
        cond = [c.c.site_id == site_id, c.c.status == Status.PENDING.value]
        total = int((await self.conn.execute(select(func.count()).where(*cond))).scalar_one())
        out: dict[str, Any] = {"count": total}
        for p in ranks:
            if not total:
                out[f"p{int(p * 100)}"] = None
                continue
            # The k-th youngest, k = ceil(p * n): its age is the p-th percentile.
            k = max(1, math.ceil(round(p * total, 6)))
            q = (
                select(c.c.created_at)
                .where(*cond)
                .order_by(c.c.created_at.desc(), c.c.id.desc())
                .offset(k - 1)
                .limit(1)
            )
            when = (await self.conn.execute(q)).scalar_one()
            out[f"p{int(p * 100)}"] = round((now - when).total_seconds())
        return out

    async def decisions(self, site_id: str, since: datetime) -> list[dict[str, Any]]:
        """Per moderator: comments whose standing decision they made since a time."""
        approved = func.sum(case((c.c.status == Status.PUBLISHED.value, 1), else_=0))
        rejected = func.sum(case((c.c.status == Status.REJECTED.value, 1), else_=0))
        q = (
            select(users.c.id, users.c.name, approved, rejected)
            .join(users, users.c.id == c.c.decided_by)
            .where(c.c.site_id == site_id, c.c.decided_at >= since)
            .group_by(users.c.id, users.c.name)
            .order_by(users.c.name, users.c.id)
        )
        return [
            {"id": int(i), "name": name, "approved": int(a or 0), "rejected": int(r or 0)}
            for i, name, a, r in (await self.conn.execute(q)).all()
        ]

    async def appeal_outcomes(self, site_id: str, since: datetime) -> dict[str, int]:
        """Appeals filed and decided since a time."""
        q = (
            select(appeals.c.status, func.count())
            .where(
                appeals.c.site_id == site_id,
                func.coalesce(appeals.c.decided_at, appeals.c.created_at) >= since,
            )
            .group_by(appeals.c.status)
        )
        seen = {s: int(n) for s, n in (await self.conn.execute(q)).all()}
        return {k: seen.get(k, 0) for k in ("open", "upheld", "overturned")}

    async def top_stories(self, site_id: str, since: datetime, limit: int) -> list[dict[str, Any]]:
        """The stories with the most comments written since a time."""
        n = func.count().label("n")
        held = func.sum(case((c.c.status == Status.PENDING.value, 1), else_=0))
        rejected = func.sum(case((c.c.status == Status.REJECTED.value, 1), else_=0))
        q = (
            select(stories.c.key, stories.c.title, n, held, rejected)
            .join(stories, stories.c.id == c.c.story_id)
            .where(c.c.site_id == site_id, c.c.created_at >= since)
            .group_by(stories.c.id, stories.c.key, stories.c.title)
            .order_by(n.desc(), stories.c.key)
            .limit(limit)
        )
        return [
            {
                "id": key,
                "title": title,
                "comments": int(total),
                "held": int(h or 0),
                "rejected": int(r or 0),
            }
            for key, title, total, h, r in (await self.conn.execute(q)).all()
        ]

    async def monthly(self, site_id: str, since: datetime) -> dict[str, dict[str, Any]]:
        """Per UTC month since a time: removals and holds per guideline, decisions made and
        the median seconds to a decision, and appeal outcomes (counts only)."""
        month = self._bucket(c.c.created_at, "month").label("month")
        q = (
            select(month, c.c.guideline, c.c.status, func.count())
            .where(
                c.c.site_id == site_id,
                c.c.created_at >= since,
                c.c.status.in_([Status.PENDING.value, Status.REJECTED.value]),
            )
            .group_by(literal_column("month"), c.c.guideline, c.c.status)
        )
        out: dict[str, dict[str, Any]] = {}

        def row(m: str) -> dict[str, Any]:
            return out.setdefault(
                m,
                {
                    "guidelines": {},
                    "decisions": 0,
                    "median_seconds_to_decision": None,
                    "appeals": {"upheld": 0, "overturned": 0},
                },
            )

        for m, guideline, status, n in (await self.conn.execute(q)).all():
            g = row(str(m))["guidelines"].setdefault(
                guideline or "other", {"held": 0, "removed": 0}
            )
            g["held" if status == Status.PENDING.value else "removed"] += int(n)
        decided = self._bucket(c.c.decided_at, "month").label("month")
        cond = and_(c.c.site_id == site_id, c.c.decided_at >= since)
        counts = select(decided, func.count()).where(cond).group_by(literal_column("month"))
        for m, n in (await self.conn.execute(counts)).all():
            r = row(str(m))
            r["decisions"] = int(n)
            seconds = self._seconds(c.c.created_at, c.c.decided_at)
            median = (
                select(seconds)
                .where(cond, self._bucket(c.c.decided_at, "month") == str(m))
                .order_by(seconds, c.c.id)
                .offset((int(n) - 1) // 2)
                .limit(1)
            )
            value = (await self.conn.execute(median)).scalar_one()
            r["median_seconds_to_decision"] = round(float(value))
        outcome = self._bucket(appeals.c.decided_at, "month").label("month")
        q = (
            select(outcome, appeals.c.status, func.count())
            .where(
                appeals.c.site_id == site_id,
                appeals.c.decided_at >= since,
                appeals.c.status.in_(["upheld", "overturned"]),
            )
            .group_by(literal_column("month"), appeals.c.status)
        )
        for m, status, n in (await self.conn.execute(q)).all():
            row(str(m))["appeals"][status] = int(n)
        return dict(sorted(out.items()))

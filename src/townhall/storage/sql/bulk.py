"""Bulk decisions over a filtered queue, set-based on SQL (SQLite and PostgreSQL).

A preview copies the matching comments' ids and decision columns into `bulk_items` with one
INSERT ... SELECT; acting and undoing are one UPDATE each over that set, whatever its size.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, func, literal, not_, or_, select, text, update
from sqlalchemy.sql.elements import ColumnElement

from townhall.domain.models import Status
from townhall.domain.queues import QueueFilter
from townhall.storage.sql.engine import SqlConnection
from townhall.storage.sql.moderation import queue_condition, queue_filters
from townhall.storage.sql.tables import UTCDateTime
from townhall.storage.sql.tables import bulk_actions as b
from townhall.storage.sql.tables import bulk_items as bi
from townhall.storage.sql.tables import comments as c
from townhall.storage.sql.tables import moderation_decisions as md

_COPIED = ("status", "report_count", "reports_cleared_at", "decided_by", "decided_at", "findings")


def _actionable(action: str) -> ColumnElement[bool]:
    """Comments the action would change (approving a published, unreported one does nothing)."""
    if action == "approve":
        return and_(
            c.c.status != Status.DELETED.value,
            not_(and_(c.c.status == Status.PUBLISHED.value, c.c.report_count == 0)),
        )
    return c.c.status.notin_([Status.REJECTED.value, Status.DELETED.value])


def _acted(bulk_id: int) -> Any:
    return select(bi.c.comment_id).where(bi.c.bulk_id == bulk_id, bi.c.acted.is_(True))


class SqlBulkStore:
    """Previews, acts on and undoes moderators' bulk decisions."""

    def __init__(self, conn: SqlConnection) -> None:
        self.conn = conn

    async def count(self, f: QueueFilter, action: str) -> int:
        """How many comments of the filtered queue the action would change."""
        q = select(func.count()).where(queue_condition(f.queue), *queue_filters(f))
        return int((await self.conn.execute(q.where(_actionable(action)))).scalar_one())

    async def create(self, values: dict[str, Any]) -> int:
        """A new bulk action row (previewed); its id."""
        res = await self.conn.execute(b.insert().values(**values).returning(b.c.id))
        return int(res.scalar_one())

    async def snapshot(self, bulk_id: int, f: QueueFilter, action: str) -> int:
        """Copy the filtered queue's actionable comments into the bulk's set; how many."""
        rows = select(
            literal(bulk_id), c.c.id, c.c.story_id, *(c.c[name] for name in _COPIED)
        ).where(queue_condition(f.queue), *queue_filters(f), _actionable(action))
        cols = ["bulk_id", "comment_id", "story_id", *_COPIED]
        await self.conn.execute(bi.insert().from_select(cols, rows))
        q = select(func.count()).where(bi.c.bulk_id == bulk_id)
        return int((await self.conn.execute(q)).scalar_one())

    async def by_token(self, site_id: str, column: str, token: str) -> dict[str, Any] | None:
        """A bulk action by its preview (`token`) or undo (`undo_token`) token."""
        q = select(b).where(b.c.site_id == site_id, b.c[column] == token)
        if self.conn.dialect.name == "postgresql":
            q = q.with_for_update()
        row = (await self.conn.execute(q)).first()
        return dict(row._mapping) if row else None

    async def update(self, bulk_id: int, **values: Any) -> None:
        """Change a bulk action's row."""
        await self.conn.execute(update(b).where(b.c.id == bulk_id).values(**values))

    def _append_finding(self, finding: dict[str, Any]) -> Any:
        """`findings` with one more entry, computed by the database for every row at once."""
        doc = json.dumps([finding])
        if self.conn.dialect.name == "postgresql":
            return text(
                "(COALESCE(comments.findings::jsonb, '[]'::jsonb) || CAST(:finding AS jsonb))::json"
            ).bindparams(finding=doc)
        return func.json_insert(
            func.coalesce(c.c.findings, "[]"), "$[#]", func.json(json.dumps(finding))
        )

    async def act(
        self,
        bulk_id: int,
        *,
        action: str,
        by: int,
        now: datetime,
        finding: dict[str, Any] | None,
    ) -> tuple[int, list[int]]:
        """Decide every previewed comment still as it was previewed; (how many, story ids)."""
        unchanged = exists().where(c.c.id == bi.c.comment_id, c.c.status == bi.c.status)
        await self.conn.execute(
            update(bi).where(bi.c.bulk_id == bulk_id, unchanged).values(acted=True)
        )
        values: dict[str, Any] = {"decided_by": by, "decided_at": now}
        if action == "approve":
            values.update(status=Status.PUBLISHED.value, report_count=0, reports_cleared_at=now)
        else:
            values["status"] = Status.REJECTED.value
            if finding is not None:
                values["findings"] = self._append_finding(finding)
        res = await self.conn.execute(update(c).where(c.c.id.in_(_acted(bulk_id))).values(**values))
        done = int(res.rowcount or 0)
        await self._keep_examples(bulk_id, action=action, by=by, now=now)
        await self._recount_parents(bulk_id)
        return done, await self._stories(bulk_id)

    async def _keep_examples(self, bulk_id: int, *, action: str, by: int, now: datetime) -> None:
        """Each decided comment that pre-moderation held becomes a labelled example, as a
        single decision would make it (text and findings as they were previewed)."""
        rows = (
            select(
                c.c.site_id,
                c.c.id,
                c.c.body,
                bi.c.findings,
                c.c.guideline,
                literal(action),
                literal(by),
                literal(now, type_=UTCDateTime()),
            )
            .join(bi, bi.c.comment_id == c.c.id)
            .where(
                bi.c.bulk_id == bulk_id,
                bi.c.acted.is_(True),
                bi.c.status == Status.PENDING.value,
                or_(c.c.guideline.is_(None), c.c.guideline != "reports"),
            )
        )
        cols = [
            "site_id",
            "comment_id",
            "body",
            "findings",
            "guideline",
            "decision",
            "moderator_id",
            "decided_at",
        ]
        await self.conn.execute(md.insert().from_select(cols, rows))

    async def undo(
        self, bulk_id: int, *, status: str, by: int, acted_at: datetime
    ) -> tuple[int, list[int]]:
        """Put back every acted comment nobody decided since; (how many, story ids)."""
        before = {
            name: select(bi.c[name])
            .where(bi.c.bulk_id == bulk_id, bi.c.comment_id == c.c.id)
            .scalar_subquery()
            for name in _COPIED
        }
        res = await self.conn.execute(
            update(c)
            .where(
                c.c.id.in_(_acted(bulk_id)),
                c.c.status == status,
                c.c.decided_by == by,
                c.c.decided_at == acted_at,
            )
            .values(**before)
        )
        done = int(res.rowcount or 0)
        await self.conn.execute(
            md.delete().where(
                md.c.comment_id.in_(_acted(bulk_id)),
                md.c.moderator_id == by,
                md.c.decided_at == acted_at,
            )
        )
        await self._recount_parents(bulk_id)
        return done, await self._stories(bulk_id)

    async def _recount_parents(self, bulk_id: int) -> None:
        """Parents' counts of public replies, recounted where a child may have changed."""
        child = c.alias("bulk_child")
        kid = c.alias("bulk_kid")
        public = (
            select(func.count())
            .where(
                child.c.parent_id == c.c.id,
                child.c.status == Status.PUBLISHED.value,
                child.c.is_shadowed.is_(False),
            )
            .scalar_subquery()
        )
        parents = select(kid.c.parent_id).where(
            kid.c.id.in_(_acted(bulk_id)), kid.c.parent_id.is_not(None)
        )
        await self.conn.execute(update(c).where(c.c.id.in_(parents)).values(reply_count=public))

    async def _stories(self, bulk_id: int) -> list[int]:
        q = select(bi.c.story_id).where(bi.c.bulk_id == bulk_id, bi.c.acted.is_(True)).distinct()
        return sorted(int(s) for s in (await self.conn.execute(q)).scalars())

    async def expire(self, site_id: str, before: datetime) -> None:
        """Forget previews and undo windows that ended before this time."""
        await self.conn.execute(
            b.delete().where(
                b.c.site_id == site_id,
                b.c.expires_at < before,
                (b.c.undo_until.is_(None)) | (b.c.undo_until < before),
            )
        )

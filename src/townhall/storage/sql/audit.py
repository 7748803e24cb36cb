"""The append-only audit log on SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from townhall.domain.models import User
from townhall.storage.sql.engine import SqlConnection
from townhall.storage.sql.tables import audit_log


class SqlAuditStore:
    """The append-only audit log."""

    def __init__(self, conn: SqlConnection) -> None:
        self.conn = conn

    async def add(
        self,
        *,
        site_id: str,
        actor: User | None,
        action: str,
        target_type: str,
        target_id: object,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        now: datetime,
    ) -> None:
        """Append one entry."""
        await self.conn.execute(
            audit_log.insert().values(
                site_id=site_id,
                actor_id=actor.id if actor else None,
                actor_name=(actor.name or actor.email) if actor else "system",
                action=action,
                target_type=target_type,
                target_id=None if target_id is None else str(target_id),
                before=before,
                after=after,
                created_at=now,
            )
        )

    async def list(
        self,
        site_id: str,
        *,
        action: str | None = None,
        actor_id: int | None = None,
        target_type: str | None = None,
        target_id: str | None = None,
        before_id: int | None = None,
        limit: int = 100,
    ) -> list[dict[str, Any]]:
        """Entries newest first, filtered."""
        q = select(audit_log).where(audit_log.c.site_id == site_id)
        if action:
            q = q.where(audit_log.c.action == action)
        if actor_id is not None:
            q = q.where(audit_log.c.actor_id == actor_id)
        if target_type:
            q = q.where(audit_log.c.target_type == target_type)
        if target_id:
            q = q.where(audit_log.c.target_id == target_id)
        if before_id:
            q = q.where(audit_log.c.id < before_id)
        rows = await self.conn.execute(q.order_by(audit_log.c.id.desc()).limit(limit))
        return [dict(r._mapping) for r in rows]

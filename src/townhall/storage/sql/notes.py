"""Staff's notes on readers and warnings readers acknowledge, on SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update

from townhall.storage.sql.engine import SqlConnection
from townhall.storage.sql.raw import hot
from townhall.storage.sql.tables import user_notes as n
from townhall.storage.sql.tables import users

_author = users.alias("note_author")


def open_warnings_of(user_id: Any) -> Any:
    """Warnings the reader has not acknowledged, oldest first."""
    return (
        select(n.c.id, n.c.text, n.c.created_at)
        .where(n.c.user_id == user_id, n.c.kind == "warning", n.c.acknowledged_at.is_(None))
        .order_by(n.c.created_at, n.c.id)
    )


_OPEN_WARNINGS = hot(open_warnings_of(bindparam("user_id")))


class SqlNoteStore:
    """Notes and warnings on a reader."""

    def __init__(self, conn: SqlConnection) -> None:
        self.conn = conn

    async def add(self, values: dict[str, Any]) -> int:
        """A new note or warning; its id."""
        res = await self.conn.execute(n.insert().values(**values).returning(n.c.id))
        return int(res.scalar_one())

    async def of_user(self, user_id: int) -> list[dict[str, Any]]:
        """A reader's notes and warnings, newest first, with their authors' names."""
        q = (
            select(n, _author.c.name.label("author_name"))
            .outerjoin(_author, _author.c.id == n.c.author_id)
            .where(n.c.user_id == user_id)
            .order_by(n.c.created_at.desc(), n.c.id.desc())
        )
        return [dict(r._mapping) for r in (await self.conn.execute(q)).all()]

    async def open_warnings(self, user_id: int) -> list[dict[str, Any]]:
        """Warnings the reader has not acknowledged, oldest first."""
        rows = (await self.conn.execute(_OPEN_WARNINGS, {"user_id": user_id})).all()
        return [{"id": r.id, "text": r.text, "created_at": r.created_at} for r in rows]

    async def acknowledge(self, user_id: int, note_id: int, now: datetime) -> bool:
        """Mark the reader's warning read; False when there is no such open warning."""
        res = await self.conn.execute(
            update(n)
            .where(
                n.c.id == note_id,
                n.c.user_id == user_id,
                n.c.kind == "warning",
                n.c.acknowledged_at.is_(None),
            )
            .values(acknowledged_at=now)
        )
        return bool(res.rowcount)

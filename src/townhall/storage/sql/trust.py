"""A reader's record for earned trust, and staff's hand-set level, on SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, case, func, literal_column, select, true, type_coerce, update

from townhall.domain.models import Status
from townhall.domain.trust import Override, Record
from townhall.storage.sql.engine import SqlConnection
from townhall.storage.sql.raw import hot
from townhall.storage.sql.tables import UTCDateTime, users
from townhall.storage.sql.tables import comments as c

_setter = users.alias("trust_setter")
# Literals, not parameters: the planner matches the partial index only on the literal.
PUBLISHED: Any = literal_column(f"'{Status.PUBLISHED.value}'")
REJECTED: Any = literal_column(f"'{Status.REJECTED.value}'")


def counts_of(author_id: Any) -> Any:
    """The author's comments in the two windows (bound parameters `recent_since`,
    `premod_since`), as one row, reading only what the rules can use: published comments
    newest first up to `enough` (the trust threshold; more changes nothing), and rejected
    ones through the partial index of rejections (migration 0017), however long ago they
    were written. Neither grows with a prolific author's history."""
    recent = bindparam("recent_since", type_=UTCDateTime)
    premod = bindparam("premod_since", type_=UTCDateTime)
    pub = c.alias("published")
    newest = (
        select(pub.c.id)
        .where(pub.c.author_id == author_id, pub.c.status == PUBLISHED, pub.c.created_at >= recent)
        .order_by(pub.c.created_at.desc())
        .limit(bindparam("enough"))
        .subquery("newest")
    )
    rejected_at = func.coalesce(c.c.decided_at, c.c.created_at)

    def count(cond: Any, label: str) -> Any:
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0).label(label)

    return select(
        select(func.count()).select_from(newest).scalar_subquery().label("published_recent"),
        count(rejected_at >= recent, "rejected_recent"),
        count(rejected_at >= premod, "rejected_premod"),
        type_coerce(func.max(rejected_at), UTCDateTime).label("last_rejected_at"),
    ).where(c.c.author_id == author_id, c.c.status == REJECTED)


def setter_name(user: Any) -> Any:
    """The name of the staff member who set this user's level by hand."""
    return (
        select(_setter.c.name).where(_setter.c.id == user.c.trust_set_by).scalar_subquery()
    ).label("trust_setter_name")


def override_of(row: Any) -> Override | None:
    """Staff's level from a row with the user's trust columns and setter_name."""
    m = row._mapping
    if m["trust_level"] is None:
        return None
    return Override(
        level=m["trust_level"],
        until=m["trust_until"],
        reason=m["trust_reason"],
        by=m["trust_setter_name"],
    )


def to_record(row: Any) -> Record:
    """A row with the columns of counts_of, the user's trust columns and setter_name."""
    m = row._mapping
    return Record(
        published_recent=int(m["published_recent"]),
        rejected_recent=int(m["rejected_recent"]),
        rejected_premod=int(m["rejected_premod"]),
        last_rejected_at=m["last_rejected_at"],
        override=override_of(row),
    )


_OVERRIDE_COLUMNS = (users.c.trust_level, users.c.trust_until, users.c.trust_reason)


def _record() -> Any:
    counts = counts_of(bindparam("author_id")).subquery("counts")
    return hot(
        select(*_OVERRIDE_COLUMNS, setter_name(users), *counts.c)
        .select_from(users.join(counts, true()))
        .where(users.c.id == bindparam("author_id"))
    )


_RECORD = _record()


class SqlTrustStore:
    """What earned trust reads and what staff set."""

    def __init__(self, conn: SqlConnection) -> None:
        self.conn = conn

    async def record(
        self, author_id: int, *, recent_since: datetime, premod_since: datetime, enough: int
    ) -> Record:
        """The reader's comments in the two windows (published ones counted up to `enough`)
        and staff's choice, in one statement."""
        params = {
            "author_id": author_id,
            "recent_since": recent_since,
            "premod_since": premod_since,
            "enough": enough,
        }
        return to_record((await self.conn.execute(_RECORD, params)).one())

    async def override(self, user_id: int) -> Override | None:
        """The level staff set for this reader, if any."""
        q = select(*_OVERRIDE_COLUMNS, setter_name(users)).where(users.c.id == user_id)
        row = (await self.conn.execute(q)).first()
        return override_of(row) if row is not None else None

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

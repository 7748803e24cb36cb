"""Rows written in bulk by `townhall import`: a batch of comments, authors and counters at a
time, with one statement per kind of row rather than one per comment."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import bindparam, func, select, text, update

from townhall.storage.protocols import ImportedRow
from townhall.storage.sql.engine import SqlConnection
from townhall.storage.sql.tables import comments as c
from townhall.storage.sql.tables import stories, users

# Bound parameters per statement stay far below SQLite's and asyncpg's limits (32,766).
CHUNK = 500
T = TypeVar("T")


def _chunks(values: Sequence[T]) -> Iterable[Sequence[T]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


_BY_KEYS = select(
    c.c.import_key,
    c.c.id,
    c.c.root_id,
    c.c.depth,
    c.c.story_id,
    stories.c.key,
    c.c.created_at,
    c.c.stream,
).join(stories, stories.c.id == c.c.story_id)
_ADD_REPLIES = (
    update(c)
    .where(c.c.id == bindparam("comment_id"))
    .values(reply_count=c.c.reply_count + bindparam("n"))
)
_REKEY = update(c).where(c.c.id == bindparam("comment_id")).values(import_key=bindparam("key"))


class SqlImportStore:
    """Bulk reads and writes of an import run."""

    def __init__(self, conn: SqlConnection) -> None:
        self.conn = conn

    async def prepare(self) -> None:
        """Set the connection up for bulk writes. On SQLite, reads of the growing file go
        through the page cache rather than a memory map, so a long import does not map
        the whole database into its own memory."""
        if self.conn.dialect.name == "sqlite":
            await self.conn.execute(text("PRAGMA mmap_size=0"))

    async def comments_by_keys(self, site_id: str, keys: Sequence[str]) -> dict[str, ImportedRow]:
        """The comments earlier imports wrote under these keys, by key."""
        found: dict[str, ImportedRow] = {}
        for part in _chunks(keys):
            q = _BY_KEYS.where(c.c.site_id == site_id, c.c.import_key.in_(part))
            for r in await self.conn.execute(q):
                found[r[0]] = ImportedRow(r[1], r[2], r[3], r[4], r[5], r[6], r[7])
        return found

    async def rekey(self, pairs: Sequence[tuple[int, str]]) -> None:
        """Give comments new import keys (comment id, key)."""
        if pairs:
            await self.conn.execute(_REKEY, [{"comment_id": i, "key": k} for i, k in pairs])

    async def reserve_comment_ids(self, n: int) -> list[int]:
        """Ids for n new comments, ascending, so a batch can name parents and roots before it
        is written. On SQLite the write transaction holds the file, so the ids after the
        highest are free; on PostgreSQL they come from the table's sequence."""
        if n <= 0:
            return []
        if self.conn.dialect.name == "postgresql":
            q = text(
                "SELECT nextval(pg_get_serial_sequence('comments', 'id')) "
                "FROM generate_series(1, :n)"
            )
            return sorted(int(i) for (i,) in await self.conn.execute(q, {"n": n}))
        top = (await self.conn.execute(select(func.max(c.c.id)))).scalar()
        start = int(top or 0) + 1
        return list(range(start, start + n))

    async def add_comments(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert comment rows (with their ids), parents before replies."""
        for part in _chunks(rows):
            await self.conn.execute(c.insert(), list(part))

    async def add_replies(self, counts: dict[int, int]) -> None:
        """Add to the reply counts of parents (comment id → new public replies)."""
        if counts:
            params = [{"comment_id": i, "n": n} for i, n in counts.items()]
            await self.conn.execute(_ADD_REPLIES, params)

    async def users_by_subs(self, site_id: str, subs: Sequence[str]) -> dict[str, int]:
        """Ids of the users with these identities, by identity."""
        found: dict[str, int] = {}
        for part in _chunks(subs):
            q = select(users.c.sso_sub, users.c.id).where(
                users.c.site_id == site_id, users.c.sso_sub.in_(part)
            )
            for sub, user_id in await self.conn.execute(q):
                found[sub] = int(user_id)
        return found

    async def taken_name_keys(self, site_id: str, keys: Sequence[str]) -> set[str]:
        """Which of these name keys users of the site already hold."""
        taken: set[str] = set()
        for part in _chunks(keys):
            q = select(users.c.name_key).where(
                users.c.site_id == site_id, users.c.name_key.in_(part)
            )
            taken.update(k for (k,) in await self.conn.execute(q))
        return taken

    async def add_users(self, rows: Sequence[dict[str, Any]]) -> list[int]:
        """Insert user rows; their ids, in the order given."""
        ids: list[int] = []
        for part in _chunks(rows):
            stmt = users.insert().returning(users.c.id, sort_by_parameter_order=True)
            res = await self.conn.execute(stmt, list(part))
            ids.extend(int(r[0]) for r in res.all())
        return ids

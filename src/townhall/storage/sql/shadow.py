"""What a shadow-banned author's own view adds to the public counts."""

from __future__ import annotations

from sqlalchemy import func, select

from townhall.domain.models import Status, Stream
from townhall.storage.sql.engine import SqlConnection
from townhall.storage.sql.tables import comments as c

_OWN = (c.c.status == Status.PUBLISHED.value, c.c.is_shadowed.is_(True))


class SqlShadowStore:
    """Counts of an author's shadowed comments (read only for that author's pages)."""

    def __init__(self, conn: SqlConnection) -> None:
        self.conn = conn

    async def in_stream(self, story_id: int, stream: Stream, author_id: int) -> int:
        """The author's shadowed comments in one stream of a story."""
        q = select(func.count()).where(
            c.c.story_id == story_id, c.c.stream == stream.value, c.c.author_id == author_id, *_OWN
        )
        return int((await self.conn.execute(q)).scalar() or 0)

    async def children(self, parent_ids: list[int], author_id: int) -> dict[int, int]:
        """The author's shadowed direct replies, per parent."""
        if not parent_ids:
            return {}
        q = (
            select(c.c.parent_id, func.count())
            .where(c.c.parent_id.in_(parent_ids), c.c.author_id == author_id, *_OWN)
            .group_by(c.c.parent_id)
        )
        return {parent: int(n) for parent, n in await self.conn.execute(q)}

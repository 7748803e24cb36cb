"""Stories, found by the publisher's key, and their kept counts, on SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, or_, select, update

from townhall.domain.models import Story, Stream
from townhall.storage.sql.counts import counted, story_columns
from townhall.storage.sql.dialect import insert_for
from townhall.storage.sql.engine import SqlConnection
from townhall.storage.sql.raw import hot
from townhall.storage.sql.rows import to_story
from townhall.storage.sql.tables import stories


def _statements(pg: bool) -> dict[str, Any]:
    """The hot statements, built once per database kind: building a select costs more
    than running it. On PostgreSQL counts add the story's pending deltas (counts.py)."""
    cols = story_columns(pg=pg)
    both = counted("published_open", pg=pg) + counted("published_premium", pg=pg)
    return {
        "by_key": hot(
            select(*cols).where(
                stories.c.site_id == bindparam("site_id"), stories.c.key == bindparam("key")
            )
        ),
        "by_id": hot(select(*cols).where(stories.c.id == bindparam("story_id"))),
        "counts_by_id": hot(
            select(counted("published_open", pg=pg), counted("published_premium", pg=pg)).where(
                stories.c.id == bindparam("story_id")
            )
        ),
        "public_counts": hot(
            select(stories.c.key, both).where(
                stories.c.site_id == bindparam("site_id"),
                stories.c.key.in_(bindparam("keys", expanding=True)),
            )
        ),
    }


_SQLITE = _statements(pg=False)
_PG = _statements(pg=True)


class SqlStoryStore:
    """Stories, found by the publisher's key."""

    def __init__(self, conn: SqlConnection) -> None:
        self.conn = conn
        self.pg = conn.dialect.name == "postgresql"
        self.q = _PG if self.pg else _SQLITE

    async def by_key(self, site_id: str, key: str) -> Story | None:
        """A story by the publisher's story id."""
        row = (await self.conn.execute(self.q["by_key"], {"site_id": site_id, "key": key})).first()
        return to_story(row) if row else None

    async def by_id(self, story_id: int) -> Story | None:
        """A story by its row id."""
        row = (await self.conn.execute(self.q["by_id"], {"story_id": story_id})).first()
        return to_story(row) if row else None

    async def get_or_create(
        self, site_id: str, key: str, *, url: str | None, title: str | None, now: datetime
    ) -> Story:
        """The story, created on first use (race-safe)."""
        story = await self.by_key(site_id, key)
        if story is not None and (story.url or not url) and (story.title or not title):
            return story
        stmt = (
            insert_for(self.conn)(stories)
            .values(
                site_id=site_id,
                key=key,
                url=url,
                title=title,
                created_at=now,
            )
            .on_conflict_do_nothing()
        )
        await self.conn.execute(stmt)
        story = await self.by_key(site_id, key)
        assert story is not None
        if (url and not story.url) or (title and not story.title):
            await self.conn.execute(
                update(stories)
                .where(stories.c.id == story.id)
                .values(url=story.url or url, title=story.title or title)
            )
            story = await self.by_key(site_id, key)
            assert story is not None
        return story

    async def update(self, story_id: int, **values: Any) -> Story:
        """Change a story's settings."""
        res = await self.conn.execute(
            update(stories).where(stories.c.id == story_id).values(**values).returning(*stories.c)
        )
        if self.pg:  # the counts with their pending deltas
            story = await self.by_id(story_id)
            assert story is not None
            return story
        return to_story(res.one())

    async def add_picks(self, story_id: int, delta: int) -> None:
        """Count a comment of the story picked (+1) or unpicked (-1)."""
        await self.conn.execute(
            update(stories)
            .where(stories.c.id == story_id)
            .values(pick_count=stories.c.pick_count + delta)
        )

    async def public_counts(self, site_id: str, keys: list[str]) -> dict[str, int]:
        """Public comment counts of stories by publisher id (unknown keys left out)."""
        rows = await self.conn.execute(
            self.q["public_counts"], {"site_id": site_id, "keys": list(keys)}
        )
        return {key: int(n) for key, n in rows}

    async def public_count(self, story_id: int, stream: Stream | None = None) -> int:
        """A story's public comments (one stream, or both), as the triggers keep them."""
        row = (await self.conn.execute(self.q["counts_by_id"], {"story_id": story_id})).first()
        if row is None:
            return 0
        if stream is None:
            return int(row.published_open + row.published_premium)
        return int(row.published_open if stream is Stream.OPEN else row.published_premium)

    async def search(self, site_id: str, text: str | None, limit: int = 50) -> list[Story]:
        """Stories of a site, newest first, optionally matching a title or key."""
        q = select(*story_columns(pg=self.pg)).where(stories.c.site_id == site_id)
        if text:
            like = f"%{text.lower()}%"
            q = q.where(
                or_(func.lower(stories.c.title).like(like), func.lower(stories.c.key).like(like))
            )
        rows = await self.conn.execute(q.order_by(stories.c.created_at.desc()).limit(limit))
        return [to_story(r) for r in rows]

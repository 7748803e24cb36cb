"""Migration 0017 counts the picks a story already has, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.reliability.server import fresh_database
from townhall.storage.migrate import upgrade


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_existing_picks_are_counted_on_their_stories(backend, tmp_path):
    with fresh_database(backend, tmp_path) as url:
        upgrade(url, "0016")
        engine = create_async_engine(url)
        now = datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None)
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO sites (id, name, settings, created_at)"
                    " VALUES ('default', 'L', '{}', :now)"
                ),
                {"now": now},
            )
            await conn.execute(
                text(
                    "INSERT INTO users (id, site_id, name, role, created_at)"
                    " VALUES (1, 'default', 'Ann', 'commenter', :now)"
                ),
                {"now": now},
            )
            for sid in (1, 2):
                await conn.execute(
                    text(
                        "INSERT INTO stories (id, site_id, key, created_at)"
                        " VALUES (:id, 'default', :key, :now)"
                    ),
                    {"id": sid, "key": f"s{sid}", "now": now},
                )
            for cid, story, picked in ((1, 1, True), (2, 1, True), (3, 1, False), (4, 2, False)):
                await conn.execute(
                    text(
                        "INSERT INTO comments (id, site_id, story_id, stream, depth, author_id,"
                        " body, status, created_at, featured_at)"
                        " VALUES (:id, 'default', :story, 'open', 0, 1, 'x', 'published',"
                        " :now, :picked)"
                    ),
                    {"id": cid, "story": story, "now": now, "picked": now if picked else None},
                )
        await engine.dispose()
        upgrade(url)
        engine = create_async_engine(url)
        async with engine.connect() as conn:
            rows = (await conn.execute(text("SELECT id, pick_count FROM stories"))).all()
        await engine.dispose()
        assert dict(rows) == {1: 2, 2: 0}

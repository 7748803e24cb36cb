"""Stories' public counts stay exact under concurrent posts, deletions and folds, and on
PostgreSQL a post never waits for another open transaction on the same story."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select, text

from tests.conftest import _client, _truncate
from tests.factories import post, sign_in
from townhall.storage.sql import counts
from townhall.storage.sql.tables import comments, story_count_deltas

STORY = "busy-story"


@pytest.fixture
def pg_url(pg_database) -> str:
    """The session's PostgreSQL database, emptied."""
    _truncate(pg_database)
    return pg_database


@pytest.fixture
async def pg_client(pg_url, make_settings):
    """An app client on PostgreSQL alone."""
    async with _client(make_settings(pg_url)) as client:
        yield client


async def _visible(client, stream: str) -> int:
    """The public comments of the story, counted from the comments themselves."""
    async with client.ctx.db.engine.connect() as conn:
        q = select(func.count()).where(
            comments.c.stream == stream,
            comments.c.status == "published",
            comments.c.is_shadowed.is_(False),
        )
        return int((await conn.execute(q)).scalar_one())


async def _shown(client, stream: str) -> int:
    res = await client.get(f"/api/v1/stories/{STORY}/comments", params={"stream": stream})
    assert res.status_code == 200, res.text
    return res.json()["total"]


async def _fold_until_stopped(client, stop: asyncio.Event) -> int:
    folds = 0
    while not stop.is_set():
        async with client.ctx.db.engine.begin() as conn:
            folds += await counts.fold(conn) is not None
        await asyncio.sleep(0)
    return folds


async def test_counts_stay_exact_under_concurrent_posts_deletes_and_folds(app_client) -> None:
    c = app_client
    readers = [await sign_in(c, f"busy-{i}", name=f"Busy Reader {i}") for i in range(8)]
    subscriber = await sign_in(c, "busy-premium", name="Paying Reader", premium=True)
    first = [
        await post(c, readers[i % 8], f"Early point number {i} on the ferry.", story=STORY)
        for i in range(8)
    ]
    stop = asyncio.Event()
    is_pg = not c.ctx.db.is_sqlite
    folder = asyncio.create_task(_fold_until_stopped(c, stop)) if is_pg else None

    async def delete(comment: dict, headers: dict) -> None:
        res = await c.delete(f"/api/v1/comments/{comment['id']}", headers=headers)
        assert res.status_code == 204, res.text

    work = [
        post(c, readers[i % 8], f"Concurrent point {i} about the harbour dues.", story=STORY)
        for i in range(24)
    ]
    work += [
        post(c, subscriber, f"Subscriber view {i} on the timetable.", story=STORY, stream="premium")
        for i in range(6)
    ]
    work += [delete(first[i], readers[i % 8]) for i in range(0, 8, 2)]
    await asyncio.gather(*work)
    if folder is not None:
        stop.set()
        assert await folder > 0
    assert await _shown(c, "open") == await _visible(c, "open") == 8 - 4 + 24
    assert await _shown(c, "premium") == await _visible(c, "premium") == 6
    counted = (await c.get("/api/v1/counts", params={"story_id": STORY})).json()
    assert counted["counts"][STORY] == 34
    if is_pg:  # every pending change folds into the row, which then holds the truth alone
        async with c.ctx.db.engine.begin() as conn:
            assert await counts.fold(conn) is not None
            left = await conn.execute(select(func.count()).select_from(story_count_deltas))
            assert left.scalar_one() == 0
        assert await _shown(c, "open") == 28


async def test_a_post_does_not_wait_for_an_open_post_on_the_same_story(pg_client) -> None:
    c = pg_client
    ann = await sign_in(c, "open-ann", name="Ann Open")
    bo = await sign_in(c, "open-bo", name="Bo Open")
    await post(c, ann, "The first word on the matter.", story=STORY)
    me = (await c.get("/api/v1/me", headers=ann)).json()
    async with c.ctx.write() as tx:
        story = await tx.stories.by_key("default", STORY)
        assert story is not None
        held = dict(
            site_id="default",
            story_id=story.id,
            stream="open",
            depth=0,
            author_id=me["id"],
            body="Held open in a transaction.",
            status="published",
            created_at=story.created_at,
            is_shadowed=False,
        )
        await tx.comments.add(held)
        # The 0005 trigger locked the story row here until this transaction ended.
        other = await asyncio.wait_for(post(c, bo, "Not waiting for Ann.", story=STORY), 15)
        assert other["id"]
        assert await _shown(c, "open") == 2  # the open transaction's comment is not public yet
    async with c.ctx.read() as tx:  # the response cache never heard of the held comment
        assert await tx.stories.public_count(story.id) == 3


async def _delta_rows(c) -> tuple[int, int, int]:
    """(live, dead, vacuums) of the deltas table, as PostgreSQL's statistics have them."""
    async with c.ctx.db.engine.connect() as conn:
        await conn.execute(text("SELECT pg_stat_force_next_flush()"))
        row = (
            await conn.execute(
                text(
                    "SELECT n_live_tup, n_dead_tup, vacuum_count FROM pg_stat_user_tables"
                    " WHERE relname = 'story_count_deltas'"
                )
            )
        ).one()
    return int(row[0]), int(row[1]), int(row[2])


async def test_the_folder_reclaims_the_dead_delta_rows_it_leaves(pg_client) -> None:
    """Each count reads the story's pending deltas, so the rows a fold deletes must not
    linger for autovacuum: the folding process vacuums the table at once."""
    c = pg_client
    readers = [await sign_in(c, f"fold-{i}", name=f"Fold Reader {i}") for i in range(4)]
    for i in range(20):
        await post(c, readers[i % 4], f"Point {i} about the night buses.", story=STORY)
    folder = counts.CountFolder(c.ctx.db, every=0.05)
    folder.start()
    try:
        for _ in range(200):
            live, dead, vacuums = await _delta_rows(c)
            if live == 0 and dead == 0 and vacuums > 0:
                break
            await asyncio.sleep(0.05)
    finally:
        await folder.stop()
    assert (live, dead) == (0, 0) and vacuums > 0
    assert await _shown(c, "open") == 20


async def test_dead_delta_rows_an_older_snapshot_kept_are_reclaimed_once_it_ends(
    pg_client, pg_url
) -> None:
    """A vacuum cannot remove rows a transaction that began before the fold can still see
    (another process's fold turn, a long report): once that transaction ends, the folder
    vacuums again even though nothing new was folded."""
    import asyncpg

    c = pg_client
    readers = [await sign_in(c, f"old-{i}", name=f"Old Snapshot {i}") for i in range(4)]
    for i in range(20):
        await post(c, readers[i % 4], f"Remark {i} on the ferry timetable.", story=STORY)
    older = await asyncpg.connect(pg_url.replace("postgresql+asyncpg://", "postgresql://"))
    await older.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
    await older.fetchval("SELECT count(*) FROM story_count_deltas")  # its snapshot, now
    folder = counts.CountFolder(c.ctx.db, every=0.05)
    folder.start()
    try:
        for _ in range(100):  # the fold, and a vacuum that must leave the rows
            live, _dead, vacuums = await _delta_rows(c)
            if live == 0 and vacuums > 0:
                break
            await asyncio.sleep(0.05)
        assert live == 0 and vacuums > 0
        await older.execute("COMMIT")
        for _ in range(200):
            live, dead, vacuums = await _delta_rows(c)
            if (live, dead) == (0, 0):
                break
            await asyncio.sleep(0.05)
    finally:
        await folder.stop()
        await older.close()
    assert (live, dead) == (0, 0)
    assert await _shown(c, "open") == 20

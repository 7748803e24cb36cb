"""PostgreSQL's hot statements on asyncpg: the same rows as through SQLAlchemy and as on
SQLite, errors as SQLAlchemy raises them, and reads and writes that survive a killed backend."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from typing import Any

import asyncpg
import pytest
from sqlalchemy import exc, text
from sqlalchemy.dialects import postgresql

from tests.conftest import _client, _truncate
from tests.factories import post, sign_in
from tests.integration.test_raw_statements import WRITES, _bind_names, _samples, _world
from townhall.domain.models import Sort, Stream, utcnow
from townhall.services.accounts import hash_token
from townhall.storage.sql import comments as cs
from townhall.storage.sql import listings, raw, stories
from townhall.storage.sql.engine import Database, InlineConnection
from townhall.storage.sql.pg import PgConnection, _Shape
from townhall.storage.sql.tx import Tx


@pytest.fixture
def pg_url(pg_database) -> str:
    """The session's PostgreSQL database, emptied."""
    _truncate(pg_database)
    return pg_database


# Columns computed from the moment a row was written (the Best order's decayed rank).
_TIMED = {"best_rank"}


def _plain(rows) -> list[tuple]:
    """Rows with times, and what is computed from them, left out (each database's world
    was written at its own moments)."""
    return [
        tuple(
            "<time>" if isinstance(v, datetime) or k in _TIMED else v for k, v in r._mapping.items()
        )
        for r in rows
    ]


async def _every_hot_read(c) -> dict[object, list[tuple]]:
    """Each hot read statement's rows on this database, by statement; of the statements
    built per database kind (the stories' counts), those this database uses."""
    top, reply, token = await _world(c)
    mine = stories._SQLITE if c.ctx.db.is_sqlite else stories._PG
    theirs = stories._PG if c.ctx.db.is_sqlite else stories._SQLITE
    names = {id(st): name for name, st in mine.items()}
    foreign = {id(st) for st in theirs.values()}
    out: dict[object, list[tuple]] = {}
    async with c.ctx.read() as tx:
        story = await tx.stories.by_key("default", "raw-story")
        bob = await tx.users.by_session(hash_token(token), utcnow())
        assert story is not None and bob is not None
        samples = _samples(top, reply, token, story, bob.id)
        for statement in raw.registered():
            if id(statement) in WRITES or id(statement) in foreign:
                continue
            if c.ctx.db.is_sqlite and id(statement) in raw.postgresql_only():
                continue
            params = {name: samples[name] for name in _bind_names(statement)}
            ours = (await tx.conn.execute(statement, params)).all()
            if isinstance(tx.conn, PgConnection):
                theirs = (await tx.conn.conn.execute(statement, params)).all()
                assert [tuple(r) for r in ours] == [tuple(r) for r in theirs], statement
                for mine, sa_row in zip(ours, theirs, strict=True):
                    assert mine._mapping == dict(sa_row._mapping)
            else:
                assert isinstance(tx.conn, InlineConnection)
            if id(statement) not in raw.postgresql_only():
                out[names.get(id(statement), id(statement))] = _plain(ours)
    return out


async def test_hot_reads_give_the_same_rows_on_asyncpg_sqlalchemy_and_sqlite(
    pg_url, sqlite_url, make_settings
) -> None:
    async with _client(make_settings(pg_url)) as c:
        on_pg = await _every_hot_read(c)
    async with _client(make_settings(sqlite_url)) as c:
        on_sqlite = await _every_hot_read(c)
    assert sum(len(rows) for rows in on_pg.values()) > 0
    assert on_pg == on_sqlite


async def test_hot_writes_on_asyncpg_commit_roll_back_and_raise_like_sqlalchemy(
    pg_url, make_settings
) -> None:
    async with _client(make_settings(pg_url)) as c:
        await _world(c)
        async with c.ctx.read() as tx:
            story = await tx.stories.by_key("default", "raw-story")
        values = {
            "site_id": "default", "story_id": story.id, "stream": "open", "parent_id": None,
            "root_id": None, "depth": 0, "author_id": 1, "body": "Through the driver.",
            "status": "published", "created_at": utcnow(), "is_shadowed": False,
            "findings": [{"guideline": None, "action": "publish"}], "guideline": None,
            "score": None,
            "best_rank": 0.0,
        }  # fmt: skip
        async with c.ctx.write() as tx:
            added = await tx.comments.add(values)
            res = await tx.conn.execute(cs._SET_ROOT, {"comment_id": added.id})
            assert res.rowcount == 1
        async with c.ctx.read() as tx:
            again = await tx.comments.by_id("default", added.id)
            assert again is not None and again.root_id == added.id
            assert again.findings == values["findings"] and again.created_at.tzinfo is not None
        with pytest.raises(exc.IntegrityError):
            async with c.ctx.write() as tx:
                await tx.comments.add({**values, "body": "Kept? No."})
                await tx.comments.add({**values, "story_id": 10**9})  # no such story
        async with c.ctx.read() as tx:
            assert await tx.stories.public_count(story.id) == 4  # the world's three, one here
        # One statement as its own transaction: the row, its thread root and the new count.
        async with c.ctx.db.write(alone=True) as conn:
            added_counted = await Tx(conn).comments.add_counted({**values, "body": "Alone."})
        assert added_counted is not None
        alone, count = added_counted
        assert alone.root_id == alone.id and alone.body == "Alone." and count == 5
        hidden = {**values, "body": "Shadowed.", "is_shadowed": True}
        async with c.ctx.db.write(alone=True) as conn:
            added_counted = await Tx(conn).comments.add_counted(hidden)
        assert added_counted is not None and added_counted[1] == 5
        with pytest.raises(exc.IntegrityError):
            async with c.ctx.db.write(alone=True) as conn:
                await Tx(conn).comments.add_counted({**values, "story_id": 10**9})
        async with c.ctx.read() as tx:
            again = await tx.comments.by_id("default", alone.id)
            assert again is not None and again.root_id == alone.id
            assert await tx.stories.public_count(story.id) == 5
            assert await tx.stories.public_count(story.id, Stream.PREMIUM) == 0


async def _pid(conn) -> int:
    """The backend process behind a connection."""
    return int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def _backend(db: Database) -> int:
    async with db.snapshot() as conn:
        return await _pid(conn)


async def _terminate(url: str, pid: int) -> None:
    """End one backend this test's own pool opened."""
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        assert await conn.fetchval("SELECT pg_terminate_backend($1)", pid)
    finally:
        await conn.close()


async def _pooled_driver(db: Database) -> tuple[int, Any]:
    """The backend pid and driver connection a snapshot takes from the pool next."""
    async with db.snapshot() as conn:
        pid = await _pid(conn)
        fairy = await conn.conn.get_raw_connection()
        return pid, fairy.driver_connection


async def _heard_closed(driver: Any) -> None:
    """Wait until this process has read the end of that connection (on a busy machine the
    backend's farewell may sit unread for a moment: the one case a lone write cannot
    survive, by design)."""
    for _ in range(200):
        if driver.is_closed():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the pool never heard its backend end")


async def test_reads_and_writes_go_on_after_their_pooled_backend_is_killed(
    pg_url, make_settings
) -> None:
    async with _client(make_settings(pg_url)) as c:
        await _world(c)
        db = c.ctx.db
        first = await _backend(db)
        await _terminate(pg_url, first)
        async with c.ctx.read() as tx:  # the pool's only connection is the dead one
            assert (await tx.stories.by_key("default", "raw-story")) is not None
        second = await _backend(db)
        assert second != first
        await _terminate(pg_url, second)
        async with c.ctx.write() as tx:
            await tx.stories.update(
                (await tx.stories.by_key("default", "raw-story")).id, title="Still writing"
            )
        async with c.ctx.read() as tx:
            story = await tx.stories.by_key("default", "raw-story")
            assert story is not None and story.title == "Still writing"
        res = await c.get("/api/v1/stories/raw-story/comments")
        assert res.status_code == 200 and res.json()["total"] == 3
        # A lone write (no BEGIN to find the dead connection first) goes on: the pool
        # drops the connection whose backend it has heard end.
        third, driver = await _pooled_driver(db)
        await _terminate(pg_url, third)
        await _heard_closed(driver)
        values = {
            "site_id": "default", "story_id": story.id, "stream": "open", "parent_id": None,
            "root_id": None, "depth": 0, "author_id": 1, "body": "After the kill.",
            "status": "published", "created_at": utcnow(), "is_shadowed": False,
            "findings": [], "guideline": None, "score": None, "best_rank": 0.0,
        }  # fmt: skip
        async with c.ctx.db.write(alone=True) as conn:
            added = await Tx(conn).comments.add_counted(values)
        assert added is not None and added[1] == 4
        async with c.ctx.read() as tx:
            assert await tx.stories.public_count(story.id) == 4


async def test_a_post_reads_everything_it_judges_by_in_one_statement(pg_url, make_settings):
    """A reader's published top-level comment on a known story: one read (session, story,
    history, trust record, open warning) and one write, each sent once, with the site's
    rules as the read guessed them; a warning or staff's level read with it still count."""
    from sqlalchemy import event

    from tests.conftest import _client
    from tests.factories import make_staff, sign_in

    sent: list[str] = []
    async with _client(make_settings(pg_url)) as c:

        @event.listens_for(c.ctx.db.engine.sync_engine, "connect")
        def _log(dbapi_conn, _record):
            dbapi_conn.driver_connection.add_query_logger(lambda q: sent.append(q.query))

        await c.ctx.db.engine.dispose()  # new connections, each with the logger
        mod = await sign_in(c, "mod", name="Helen Ward")
        await make_staff(c, mod)
        ann = await sign_in(c, "ann", name="Ann Reader")
        url = "/api/v1/stories/one-read/comments"
        assert (
            await c.post(url, json={"body": "Opening this up."}, headers=mod)
        ).status_code == 201
        assert (await c.post(url, json={"body": "A first view."}, headers=ann)).status_code == 201

        await asyncio.sleep(0.1)  # the logger hears of statements a moment later
        sent.clear()
        res = await c.post(url, json={"body": "And a second, different view."}, headers=ann)
        assert res.status_code == 201 and res.json()["status"] == "published"
        await asyncio.sleep(0.1)
        assert len(sent) == 2, [q[:60] for q in sent]  # the read; the insert with its count
        read, write = sent
        assert "user_notes" in read and "trust_level" in read and "INSERT" not in read
        assert "INSERT INTO comments" in write

        # What that one read brings still decides: an open warning refuses the next post.
        ann_id = (await c.get("/api/v1/me", headers=ann)).json()["id"]
        res = await c.post(
            f"/api/v1/moderation/users/{ann_id}/notes",
            json={"text": "Keep it civil.", "warning": True},
            headers=mod,
        )
        assert res.status_code == 201, res.text
        res = await c.post(url, json={"body": "A third view, calmly."}, headers=ann)
        assert res.status_code == 403 and res.json()["warning_text"] == "Keep it civil."


async def test_requests_past_the_pool_wait_for_a_connection_instead_of_opening_more(pg_url):
    """`TOWNHALL_DB_POOL_SIZE` connections and no overflow: a third reader on a pool of two
    waits until one is given back, then goes on the same backend."""
    db = Database(pg_url, pool_size=2)
    try:
        async with db.snapshot() as one, db.snapshot() as two:
            pids = {await _pid(one), await _pid(two)}
            third = asyncio.ensure_future(_backend(db))
            await asyncio.sleep(0.3)
            assert not third.done()  # waiting, not connecting anew
        assert await asyncio.wait_for(third, 10) in pids
        assert db.engine.pool.size() == 2 and db.engine.pool.overflow() <= 0
    finally:
        await db.dispose()


def _nodes(plan: dict) -> list[dict]:
    """Every node of an EXPLAIN (FORMAT JSON) plan."""
    nodes = [plan]
    for child in plan.get("Plans", []):
        nodes.extend(_nodes(child))
    return nodes


async def _story_beside_a_big_one(c, pg_url: str) -> None:
    """story-1 with ten threads of a few replies; story-2 with 3,000 threads of two; then
    the planner's statistics, as autovacuum gathers them."""
    readers = [await sign_in(c, f"reader{n}", name=f"Reader {n}") for n in range(5)]
    topics = ["the bridge", "bus fares", "the library", "school hours", "the market"]
    for n in range(10):
        top = await post(c, readers[n % 5], f"My view on {topics[n % 5]}, take {n}.")
        if top["status"] != "published":
            continue
        for m in range(1, 5):
            await post(c, readers[(n + m) % 5], f"Answering {n}: point {m}.", parent_id=top["id"])
    elsewhere = await post(c, readers[0], "Over on another story.", story="story-2")
    conn = await asyncpg.connect(pg_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute(
            "INSERT INTO comments (site_id, story_id, stream, depth, author_id, body, status,"
            " created_at, is_shadowed, findings, best_rank)"
            " SELECT site_id, story_id, stream, 0, author_id, body || g, status, created_at,"
            " is_shadowed, findings, best_rank"
            " FROM comments, generate_series(1, 3000) AS g WHERE id = $1",
            elsewhere["id"],
        )
        await conn.execute(
            "INSERT INTO comments (site_id, story_id, stream, parent_id, root_id, depth,"
            " author_id, body, status, created_at, is_shadowed, findings, best_rank)"
            " SELECT c.site_id, c.story_id, c.stream, c.id, c.id, 1, c.author_id, 'A reply.',"
            " c.status, c.created_at, c.is_shadowed, c.findings, c.best_rank"
            " FROM comments c, generate_series(1, 2) WHERE c.depth = 0"
            " AND c.story_id = (SELECT story_id FROM comments WHERE id = $1)",
            elsewhere["id"],
        )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


_PAGE_PARAMS = {"site_id": "default", "key": "story-1", "stream": "open", "limit": 21, "cap": 201}


async def test_a_pages_replies_are_read_thread_by_thread_whatever_the_statistics(
    pg_url, make_settings
) -> None:
    # The first page's statement is prepared once and then runs on PostgreSQL's generic
    # plan. Written as `root_id IN (the page)`, that plan could walk the whole thread
    # index and merge once the table had statistics (as autovacuum gathers them), reading
    # every reply of the story for each page. Each thread must be an index range of its own.
    async with _client(make_settings(pg_url)) as c:
        await _story_beside_a_big_one(c, pg_url)
    conn = await asyncpg.connect(pg_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute("SET plan_cache_mode = force_generic_plan")
        dialect = postgresql.asyncpg.dialect()
        statement = listings._whole_page(Sort.NEWEST, False, False)
        shape = _Shape(statement.compile(dialect=dialect), dialect)
        args = shape.args(_PAGE_PARAMS)
        await conn.execute(f"PREPARE page AS {shape.sql}")
        literal = ", ".join(f"'{a}'" if isinstance(a, str) else str(a) for a in args)
        [(plan,)] = await conn.fetch(f"EXPLAIN (FORMAT JSON) EXECUTE page({literal})")
        rows = await conn.fetch(f"EXECUTE page({literal})")
        published = await conn.fetchval(
            "SELECT count(*) FROM comments WHERE status = 'published' AND story_id = $1",
            rows[0]["story__id"],
        )
    finally:
        await conn.close()
    assert published > 20 and len(rows) == 1 + published  # the story, threads and replies
    nodes = _nodes(json.loads(plan)[0]["Plan"])
    thread_reads = [n for n in nodes if n.get("Index Name") == "ix_comments_thread"]
    assert thread_reads, "the replies are read through the thread index"
    for node in thread_reads:
        assert "root_id = " in node.get("Index Cond", ""), node
    assert not [n for n in nodes if "Merge" in n["Node Type"]]


async def test_hot_statements_keep_their_generic_plans(pg_url, make_settings) -> None:
    # Planning the first page's statement costs more than running it (about 0.9 ms
    # against 0.46 on the bench's data). With statistics that show one story far bigger
    # than the rest, PostgreSQL's own choice ("auto") kept planning it anew for every
    # execution. The connections townhall opens use the generic plan, planned once.
    async with _client(make_settings(pg_url)) as c:
        await _story_beside_a_big_one(c, pg_url)
        async with c.ctx.read() as tx:
            for _ in range(12):
                story, views, _next = await tx.comments.story_page(
                    site_id="default", story_key="story-1", stream=Stream.OPEN,
                    sort=Sort.NEWEST, limit=20, cursor=None, viewer_id=None,
                )  # fmt: skip
                assert story is not None and len(views) >= 5
            plans = (
                await tx.conn.execute(
                    text(
                        "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
                        " WHERE statement LIKE 'WITH s AS%'"
                    )
                )
            ).all()
    assert plans, "the page statement is prepared on the connection that ran it"
    generic, custom = plans[0]
    assert custom == 0 and generic >= 12, plans

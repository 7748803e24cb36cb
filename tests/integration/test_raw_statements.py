"""Hot statements give the same rows on the sqlite3 driver path as through SQLAlchemy."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Select

from tests.factories import make_staff, post, sign_in
from townhall.domain.models import utcnow
from townhall.services.accounts import hash_token
from townhall.storage.sql import comments as cs
from townhall.storage.sql import live_events, raw
from townhall.storage.sql import reactions as rs
from townhall.storage.sql.engine import InlineConnection
from townhall.storage.sql.listings import SMALL_THREADS_ROWS
from townhall.storage.sql.tables import comments as comments_table

MOD_NAME = "Harriet Vane"


async def _world(client):
    mod = await sign_in(client, "raw-mod", name=MOD_NAME)
    await make_staff(client, mod)
    ann = await sign_in(client, "raw-ann", name="Ann Row")
    bob = await sign_in(client, "raw-bob", name="Bob Row", premium=True)
    top = await post(client, ann, "First, on the ferry timetable.", story="raw-story")
    await post(client, bob, "Second, on the harbour dues.", story="raw-story")
    reply = await post(client, bob, "A reply about the ferry.", story="raw-story",
                       parent_id=top["id"])  # fmt: skip
    await client.put(f"/api/v1/comments/{top['id']}/like", headers=bob)
    await client.post(f"/api/v1/comments/{top['id']}/reports",
                      json={"reason": "spam"}, headers=bob)  # fmt: skip
    token = bob["Authorization"].split()[1]
    return top["id"], reply["id"], token


def _samples(top: int, reply: int, token: str, story: Any, author_id: int) -> dict[str, Any]:
    """A value for every bound parameter name the hot statements use."""
    return {
        "story_id": story.id,
        "stream": "open",
        "limit": 10,
        "viewer_id": author_id,
        "after_created_at": story.created_at + timedelta(days=1),
        "after_id": 10**6,
        "after_like_count": 10**6,
        "after_best_rank": 10.0**6,
        "root_ids": [top, reply],
        "cap": 201,
        "comment_id": reply,
        "site_id": "default",
        "user_id": author_id,
        "ids": [top, reply],
        "author_id": author_id,
        "since": utcnow() - timedelta(hours=1),
        "recent_since": utcnow() - timedelta(days=90),
        "premod_since": utcnow() - timedelta(days=30),
        "enough": 10,
        "at_most": 5,
        "key": "raw-story",
        "story_key": "raw-story",
        "keys": ["raw-story", "nothing-here"],
        "token_hash": hash_token(token),
        "now": utcnow(),
    }


def _bind_names(statement) -> set[str]:
    """The parameters a caller must give (not the literals SQLAlchemy binds itself)."""
    return {name for name, bind in statement.compile().binds.items() if bind.required}


# The hot writes, checked by test_hot_writes_match_sqlalchemy.
# The live log's PostgreSQL append is checked by the live tests (test_live_database.py).
WRITES = {id(cs._INSERT), id(cs._SET_ROOT), id(cs._ADD_COUNTED), id(live_events.PG_APPEND)}


async def test_every_hot_statement_in_the_registry_matches_sqlalchemy(sqlite_client) -> None:
    """Every statement marked hot, listed from the registry itself, runs the same both ways."""
    c = sqlite_client
    top, reply, token = await _world(c)
    statements = raw.registered()
    assert len(statements) >= 30
    async with c.ctx.read() as tx:
        conn = tx.conn
        assert isinstance(conn, InlineConnection), "SQLite files read inline"
        story = await tx.stories.by_key("default", "raw-story")
        bob = await tx.users.by_session(hash_token(token), utcnow())
        assert story is not None and bob is not None
        samples = _samples(top, reply, token, story, bob.id)
        rows_seen = 0
        for statement in statements:
            if id(statement) in WRITES or id(statement) in raw.postgresql_only():
                continue
            assert isinstance(statement, Select), f"a hot write nobody checks: {statement}"
            names = _bind_names(statement)
            assert names <= samples.keys(), f"give a sample for {names - samples.keys()}"
            params = {name: samples[name] for name in names}
            ours = raw.plan_for(statement).run(conn.driver, conn.dialect, params)
            theirs = conn.sync_connection.execute(statement, params).all()
            assert ours is not None
            assert [tuple(r) for r in ours.all()] == [tuple(r) for r in theirs], statement
            for mine, sa_row in zip(ours.all(), theirs, strict=True):
                assert mine._mapping == dict(sa_row._mapping)
            rows_seen += len(theirs)
        assert rows_seen > 0
        # An empty IN list is left to SQLAlchemy, which renders it its own way.
        assert (
            raw.plan_for(rs._LIKED).run(conn.driver, conn.dialect, {**samples, "ids": []}) is None
        )


async def test_hot_writes_match_sqlalchemy(sqlite_client) -> None:
    c = sqlite_client
    top, _reply, _token = await _world(c)
    values = {
        "site_id": "default",
        "story_id": 1,
        "stream": "open",
        "parent_id": None,
        "root_id": None,
        "depth": 0,
        "author_id": 1,
        "body": "Inserted twice, once each way.",
        "status": "published",
        "created_at": utcnow(),
        "is_shadowed": False,
        "findings": [{"guideline": None, "action": "publish"}],
        "guideline": None,
    }
    async with c.ctx.write() as tx:
        conn = tx.conn
        ours = raw.plan_for(cs._INSERT).run(conn.driver, conn.dialect, values).one()
        theirs = conn.sync_connection.execute(comments_table.insert().returning(
            *comments_table.c), values).one()  # fmt: skip
        skip = {"id"}
        assert {k: v for k, v in ours._mapping.items() if k not in skip} == {
            k: v for k, v in dict(theirs._mapping).items() if k not in skip
        }
        assert ours.findings == [{"guideline": None, "action": "publish"}]
        assert ours.created_at.tzinfo is not None
        res = raw.plan_for(cs._SET_ROOT).run(conn.driver, conn.dialect, {"comment_id": ours.id})
        assert res.rowcount == 1
        assert (await tx.comments.by_id("default", ours.id)).root_id == ours.id
        assert (await tx.comments.by_id("default", top)).like_count == 1


async def test_pages_without_the_response_cache_show_every_change_at_once(
    sqlite_url, make_settings
) -> None:
    """Presented comments are reused by row content: a change is a new row, never stale."""
    from tests.conftest import _client

    async with _client(make_settings(sqlite_url, response_cache=False)) as c:
        assert c.ctx.cache is None
        top, reply, _token = await _world(c)
        ann = await sign_in(c, "raw-ann")

        async def page() -> dict:
            data = (await c.get("/api/v1/stories/raw-story/comments?sort=oldest")).json()
            return {x["id"]: x for x in data["comments"]}

        first = (await page())[top]
        assert first["like_count"] == 1 and first["reply_count"] == 1
        assert [r["id"] for r in first["replies"]] == [reply]
        res = await c.patch(f"/api/v1/comments/{top}", json={"body": "Edited: the ferry."},
                            headers=ann)  # fmt: skip
        assert res.status_code == 200, res.text
        again = (await page())[top]
        assert again["edited"] is True and "Edited: the ferry." in again["body_html"]
        await post(c, ann, "One more reply.", story="raw-story", parent_id=top)
        assert (await page())[top]["reply_count"] == 2
        res = await c.put("/api/v1/me/name", json={"name": "Ann Renamed"}, headers=ann)
        assert res.status_code == 200, res.text
        assert (await page())[top]["author"]["name"] == "Ann Renamed"


async def test_a_page_with_a_big_thread_reads_its_first_replies_and_its_size(app_client) -> None:
    """Past SMALL_THREADS_ROWS replies, sizes come from a count and each thread's first few."""
    c = app_client
    ann = await sign_in(c, "big-ann", name="Ann Big")
    small = await post(c, ann, "A quiet thread.", story="big-thread")
    big = await post(c, ann, "A busy thread.", story="big-thread")
    await post(c, ann, "The only reply here.", story="big-thread", parent_id=small["id"])
    n = SMALL_THREADS_ROWS + 5
    async with c.ctx.write() as tx:
        root = await tx.comments.by_id("default", big["id"])
        start = utcnow()
        for i in range(n):
            await tx.comments.add(
                {
                    "site_id": "default",
                    "story_id": root.story_id,
                    "stream": "open",
                    "parent_id": root.id,
                    "root_id": root.id,
                    "depth": 1,
                    "author_id": root.author_id,
                    "body": f"Reply {i}",
                    "status": "published",
                    "created_at": start + timedelta(seconds=i),
                    "is_shadowed": False,
                    "findings": [],
                    "guideline": None,
                }
            )
    for headers in ({}, ann):  # anonymous and signed-in readers take the same two paths
        page = (await c.get("/api/v1/stories/big-thread/comments", headers=headers)).json()
        by_id = {x["id"]: x for x in page["comments"]}
        assert by_id[big["id"]]["reply_count"] == n
        assert [r["body_html"] for r in by_id[big["id"]]["replies"]] == [
            "<p>Reply 0</p>",
            "<p>Reply 1</p>",
            "<p>Reply 2</p>",
        ]
        assert by_id[small["id"]]["reply_count"] == 1
        assert len(by_id[small["id"]]["replies"]) == 1

"""Hot statements give the same rows on the sqlite3 driver path as through SQLAlchemy."""

from __future__ import annotations

from datetime import timedelta

from tests.factories import make_staff, post, sign_in
from townhall.domain.models import Sort, utcnow
from townhall.services.accounts import hash_token
from townhall.storage.sql import comments as cs
from townhall.storage.sql import others as os_
from townhall.storage.sql import raw
from townhall.storage.sql.engine import InlineConnection
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


def _cases(top: int, reply: int, token: str, story_id: int, author_id: int):
    since = utcnow() - timedelta(hours=1)
    for sort in Sort:
        yield cs._anon_top_level(sort), {"story_id": story_id, "stream": "open", "limit": 10}
    yield cs._thread_sizes_query(False), {"root_ids": [top, reply]}
    yield cs._all_replies_query(False), {"root_ids": [top], "cap": 201}
    yield cs._thread_sizes_query(True), {"root_ids": [top, reply], "viewer_id": author_id}
    yield cs._all_replies_query(True), {"root_ids": [top], "cap": 201, "viewer_id": author_id}
    yield cs._view_by_id(), {"comment_id": reply, "site_id": "default"}
    yield cs._BY_ID, {"comment_id": top, "site_id": "default"}
    yield cs._LIKED, {"user_id": author_id, "ids": [top, reply]}
    yield cs._REPORTED, {"user_id": author_id, "ids": [top]}
    yield cs._LIKED, {"user_id": author_id, "ids": []}  # empty IN: the ordinary path
    yield cs._RECENT_BY_AUTHOR, {"author_id": author_id, "since": since, "limit": 20}
    yield cs._PUBLISHED_BY_AUTHOR, {"author_id": author_id, "at_most": 5}
    yield os_._STORY_BY_KEY, {"site_id": "default", "key": "raw-story"}
    yield os_._STORY_BY_ID, {"story_id": story_id}
    yield os_._COUNTS_BY_ID, {"story_id": story_id}
    yield os_._PUBLIC_COUNTS, {"site_id": "default", "keys": ["raw-story", "nothing-here"]}
    yield os_._STAFF_NAMES, {"site_id": "default"}
    yield os_._USER_BY_SESSION, {"token_hash": hash_token(token), "now": utcnow()}


async def test_every_hot_read_matches_sqlalchemy(sqlite_client) -> None:
    c = sqlite_client
    top, reply, token = await _world(c)
    async with c.ctx.read() as tx:
        conn = tx.conn
        assert isinstance(conn, InlineConnection), "SQLite files read inline"
        story = await tx.stories.by_key("default", "raw-story")
        bob = await tx.users.by_session(hash_token(token), utcnow())
        assert story is not None and bob is not None
        checked = 0
        for statement, params in _cases(top, reply, token, story.id, bob.id):
            plan = raw.plan_for(statement)
            assert plan is not None, f"not marked hot: {statement}"
            ours = plan.run(conn.driver, conn.dialect, params)
            theirs = conn.sync_connection.execute(statement, params).all()
            if not params.get("ids", True):
                assert ours is None  # left to SQLAlchemy
                continue
            assert ours is not None
            assert [tuple(r) for r in ours.all()] == [tuple(r) for r in theirs], statement
            for mine, sa_row in zip(ours.all(), theirs, strict=True):
                assert mine._mapping == dict(sa_row._mapping)
            checked += 1
        assert checked == 19


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
    n = cs.SMALL_THREADS_ROWS + 5
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

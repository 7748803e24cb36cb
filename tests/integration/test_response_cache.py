"""The anonymous response cache: every visible change shows on the next read, on both backends."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from tests.conftest import REDIS_URL, _client, need
from tests.factories import make_staff, post, sign_in

PAGE = "/api/v1/stories/story-1/comments"
MOD = "/api/v1/moderation"


async def page(client, headers=None, url: str = PAGE) -> dict:
    """An anonymous (or signed-in) read that must succeed."""
    res = await client.get(url, headers=headers or {})
    assert res.status_code == 200, res.text
    return res.json()


async def warm(client, url: str = PAGE) -> dict:
    """Read twice so the second answer comes from the cache, and check it did."""
    first = await client.get(url)
    hits = client.ctx.cache.hits
    second = await client.get(url)
    assert client.ctx.cache.hits == hits + 1, "second anonymous read was not a cache hit"
    assert second.content == first.content and second.headers["etag"] == first.headers["etag"]
    return second.json()


async def test_cache_hit_answers_the_same_bytes_and_304_for_a_known_etag(app_client):
    alice = await sign_in(app_client, "alice", name="Alice")
    await post(app_client, alice, "A first, careful point.")
    await warm(app_client)
    tag = (await app_client.get(PAGE)).headers["etag"]
    res = await app_client.get(PAGE, headers={"If-None-Match": tag})
    assert res.status_code == 304 and res.content == b"" and res.headers["etag"] == tag
    res = await app_client.get(PAGE, headers={"If-None-Match": '"stale", W/' + tag})
    assert res.status_code == 304
    res = await app_client.get(PAGE, headers={"If-None-Match": '"other"'})
    assert res.status_code == 200 and res.headers["cache-control"].startswith("public")
    assert res.headers["x-content-type-options"] == "nosniff"  # edge headers still added


async def test_new_edited_liked_and_deleted_comments_show_on_the_next_read(app_client):
    alice = await sign_in(app_client, "alice", name="Alice")
    bob = await sign_in(app_client, "bob", name="Bob")
    first = await post(app_client, alice, "The first view on the budget.")
    assert [c["id"] for c in (await warm(app_client))["comments"]] == [first["id"]]

    second = await post(app_client, bob, "A second view on the rail plan.")
    data = await page(app_client)
    assert [c["id"] for c in data["comments"]] == [second["id"], first["id"]]
    assert data["total"] == 2

    await warm(app_client)
    res = await app_client.patch(
        f"/api/v1/comments/{second['id']}", json={"body": "A revised view on trams."}, headers=bob
    )
    assert res.status_code == 200, res.text
    assert "revised view on trams" in (await page(app_client))["comments"][0]["body_html"]

    await warm(app_client)
    res = await app_client.put(f"/api/v1/comments/{first['id']}/like", headers=bob)
    assert res.status_code == 200
    liked = {c["id"]: c["like_count"] for c in (await page(app_client))["comments"]}
    assert liked[first["id"]] == 1

    await warm(app_client)
    reply = await post(app_client, bob, "Replying to the budget view.", parent_id=first["id"])
    data = await page(app_client)
    top = next(c for c in data["comments"] if c["id"] == first["id"])
    assert [r["id"] for r in top["replies"]] == [reply["id"]] and top["reply_count"] == 1

    await warm(app_client)
    res = await app_client.delete(f"/api/v1/comments/{second['id']}", headers=bob)
    assert res.status_code == 204
    assert [c["id"] for c in (await page(app_client))["comments"]] == [first["id"]]


async def test_replies_and_counts_are_invalidated_too(app_client):
    alice = await sign_in(app_client, "alice", name="Alice")
    bob = await sign_in(app_client, "bob", name="Bob")
    top = await post(app_client, alice, "Where should the new clinic go?")
    await post(app_client, bob, "Near the harbour, surely.", parent_id=top["id"])
    replies = f"/api/v1/comments/{top['id']}/replies"
    counts = "/api/v1/counts?story_id=story-1&story_id=story-2"
    assert len((await warm(app_client, replies))["comments"]) == 1
    assert (await warm(app_client, counts))["counts"] == {"story-1": 2, "story-2": 0}

    await post(app_client, alice, "Or by the tram depot.", parent_id=top["id"])
    await post(app_client, bob, "Another story's comment.", story="story-2")
    assert len((await page(app_client, url=replies))["comments"]) == 2
    assert (await page(app_client, url=counts))["counts"] == {"story-1": 3, "story-2": 1}


async def test_moderation_decisions_and_story_settings_show_at_once(app_client):
    mod = await sign_in(app_client, "mod", name="Helen Ward")
    await make_staff(app_client, mod)
    alice = await sign_in(app_client, "alice", name="Alice")
    keep = await post(app_client, alice, "A fair point about school places.")
    gone = await post(app_client, alice, "Another point about bus routes.")
    assert len((await warm(app_client))["comments"]) == 2

    res = await app_client.post(
        f"{MOD}/comments/{gone['id']}/reject", json={"reason": "off-topic"}, headers=mod
    )
    assert res.status_code == 200, res.text
    assert [c["id"] for c in (await page(app_client))["comments"]] == [keep["id"]]

    await warm(app_client)
    res = await app_client.patch(f"{MOD}/stories/story-1", json={"is_closed": True}, headers=mod)
    assert res.status_code == 200, res.text
    assert (await page(app_client))["story"]["is_closed"] is True


async def test_signed_in_readers_never_get_a_cached_or_foreign_view(app_client):
    alice = await sign_in(app_client, "alice", name="Alice")
    bob = await sign_in(app_client, "bob", name="Bob")
    mine = await post(app_client, alice, "My own view on the ferry timetable.")
    await app_client.put(f"/api/v1/comments/{mine['id']}/like", headers=bob)
    anon = (await warm(app_client))["comments"][0]
    assert anon["is_mine"] is False and anon["liked_by_me"] is False

    hits = app_client.ctx.cache.hits
    res = await app_client.get(PAGE, headers=alice)
    assert res.headers["cache-control"].startswith("private")
    as_alice = res.json()["comments"][0]
    as_bob = (await page(app_client, bob))["comments"][0]
    assert as_alice["is_mine"] is True and as_alice["editable_until"] is not None
    assert as_bob["is_mine"] is False and as_bob["liked_by_me"] is True
    assert app_client.ctx.cache.hits == hits  # no signed-in read touched the cache
    # and nothing personal leaked into what anonymous readers get
    anon = (await page(app_client))["comments"][0]
    assert anon["is_mine"] is False and anon["liked_by_me"] is False

    res = await app_client.get(PAGE, headers={"Authorization": "Bearer not-a-session"})
    assert res.status_code == 401


async def test_errors_and_bad_input_are_not_cached(app_client):
    res = await app_client.get(PAGE + "?limit=0")
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "limit"
    res = await app_client.get("/api/v1/counts")
    assert res.status_code == 422
    assert len(app_client.ctx.cache) == 0
    res = await app_client.get("/api/v1/comments/999/replies")
    assert res.status_code == 404
    assert len(app_client.ctx.cache) == 0


async def test_cache_can_be_switched_off(sqlite_url, make_settings):
    async with _client(make_settings(sqlite_url, response_cache=False)) as client:
        assert client.ctx.cache is None
        assert (await client.get(PAGE)).status_code == 200


async def test_two_instances_sharing_redis_see_each_others_writes(sqlite_url, make_settings):
    redis_url = need(REDIS_URL, "TOWNHALL_TEST_REDIS_URL (Redis)")
    # A namespace of its own: other tests and processes share this Redis.
    base = make_settings(
        sqlite_url, redis_url=redis_url, redis_prefix=f"test-{uuid.uuid4().hex[:8]}:"
    )
    # Private version tables: only Redis can carry invalidations between the two.
    # A long TTL, so only an invalidation (not expiry) can make the change visible.
    private = {"cache_versions_file": "private", "cache_ttl_seconds": 60}
    one = base.model_copy(update=private)
    two = base.model_copy(update=private)
    async with _client(one) as a, _client(two) as b:
        alice = await sign_in(a, "alice", name="Alice")
        first = await post(a, alice, "Seen from the first instance.")
        await warm(a)
        await warm(b)

        second = await post(a, alice, "Posted through the first instance.")
        await _eventually(b, lambda d: d["comments"][0]["id"] == second["id"])
        res = await b.put(f"/api/v1/comments/{first['id']}/like", headers=alice)
        assert res.status_code == 403  # own comment; now like through another user
        bob = await sign_in(b, "bob", name="Bob")
        await warm(a)
        assert (await b.put(f"/api/v1/comments/{first['id']}/like", headers=bob)).status_code == 200
        await _eventually(
            a, lambda d: next(c for c in d["comments"] if c["id"] == first["id"])["like_count"] == 1
        )


async def _eventually(client, check, within: float = 3.0) -> None:
    """Poll anonymous reads until check(page) holds (Redis delivery takes milliseconds)."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        data = await page(client)
        if check(data):
            return
        if asyncio.get_running_loop().time() > deadline:
            pytest.fail(f"change not visible on the other instance: {data['comments'][:2]}")
        await asyncio.sleep(0.02)


async def test_sqlite_writer_waits_for_an_outside_lock_without_stalling_readers(sqlite_client):
    import sqlite3

    alice = await sign_in(sqlite_client, "alice", name="Alice")
    await post(sqlite_client, alice, "Before the outside writer.")
    path = sqlite_client.ctx.settings.database_url.split(":///", 1)[1]
    outside = sqlite3.connect(path, isolation_level=None)
    outside.execute("BEGIN IMMEDIATE")  # e.g. an import run holding the file
    try:
        writing = asyncio.create_task(
            sqlite_client.post(PAGE, json={"body": "Posted while locked."}, headers=alice)
        )
        await asyncio.sleep(0.3)
        assert not writing.done()  # waiting for the lock ...
        res = await sqlite_client.get("/api/v1/counts?story_id=story-1")
        assert res.json()["counts"]["story-1"] == 1  # ... while reads go on
    finally:
        outside.execute("COMMIT")
        outside.close()
    res = await asyncio.wait_for(writing, 10)
    assert res.status_code == 201, res.text
    assert (await page(sqlite_client))["total"] == 2


async def test_a_renamed_author_shows_on_the_next_anonymous_read(app_client):
    from tests.factories import post, sign_in

    author = await sign_in(app_client, "renamer", name="Oldname")
    await post(app_client, author, "a comment under the old name", story="renamed")
    first = (await app_client.get("/api/v1/stories/renamed/comments")).json()
    assert first["comments"][0]["author"]["name"] == "Oldname"
    res = await app_client.put("/api/v1/me/name", json={"name": "Newname"}, headers=author)
    assert res.status_code == 200
    again = (await app_client.get("/api/v1/stories/renamed/comments")).json()
    assert again["comments"][0]["author"]["name"] == "Newname"


async def test_installations_sharing_a_redis_keep_their_invalidations_apart(
    sqlite_url, make_settings
):
    """Two installations on one Redis under different prefixes: a write in one never
    reaches the other's cache, and each hears its own."""
    from townhall.cache import ResponseCache, VersionTable, story_slot

    redis_url = need(REDIS_URL, "TOWNHALL_TEST_REDIS_URL (Redis)")
    tag = uuid.uuid4().hex[:8]
    prefixes = {"ours": f"ours-{tag}:", "ours-too": f"ours-{tag}:", "theirs": f"theirs-{tag}:"}
    caches = {
        name: ResponseCache(VersionTable(None), redis_url=redis_url, prefix=prefix)
        for name, prefix in prefixes.items()
    }
    for cache in caches.values():
        await cache.start()
    try:

        def version(name: str) -> int:
            return caches[name].table.get(story_slot("story-x"))

        before = {name: version(name) for name in caches}
        await caches["ours"].invalidate("story-x")
        for _ in range(100):
            if version("ours-too") != before["ours-too"]:
                break
            await asyncio.sleep(0.02)
        assert version("ours-too") != before["ours-too"]
        await asyncio.sleep(0.2)
        assert version("theirs") == before["theirs"]
    finally:
        for cache in caches.values():
            await cache.close()

"""Live updates: a story's event stream on the ASGI app, on SQLite and PostgreSQL (and Redis)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import uuid
from contextlib import asynccontextmanager

import httpx
import pytest

from tests.conftest import REDIS_URL, need
from tests.factories import post, sign_in
from tests.integration.sse_helpers import AsgiStream
from townhall.live.subscription import event_key

TOXIC = "You are a pathetic idiot and a moron, nobody wants you here."
STORY = "story-1"
EVENTS = f"/api/v1/stories/{STORY}/events"


def bearer_token(headers: dict[str, str]) -> str:
    """The session token inside Authorization headers."""
    return headers["Authorization"].removeprefix("Bearer ")


async def user_id(client, headers) -> int:
    """The id of the signed-in user."""
    return (await client.get("/api/v1/me", headers=headers)).json()["id"]


@asynccontextmanager
async def app_with(url: str, make_settings, **overrides):
    """An httpx client on an app built with these settings."""
    from townhall.app import create_app
    from townhall.services.sites import bootstrap_site

    app = create_app(make_settings(url, **overrides))
    ctx = app.state.ctx
    await bootstrap_site(ctx)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
    client.app, client.ctx = app, ctx
    try:
        yield client
    finally:
        await client.aclose()
        await ctx.live.close()
        for part in (ctx.limiter, getattr(ctx, "cache", None)):
            close = getattr(part, "close", None)
            if close is not None:
                await close()
        await ctx.db.dispose()


async def test_new_comment_reaches_an_anonymous_reader_with_the_new_count(app_client):
    alice = await sign_in(app_client, "alice", name="Alice")
    async with AsgiStream(app_client.app, EVENTS) as reader:
        assert reader.status == 200
        assert reader.headers["content-type"].startswith("text/event-stream")
        assert reader.headers["cache-control"] == "no-cache, no-transform"
        assert reader.headers["x-accel-buffering"] == "no"
        sent = await post(app_client, alice, "Rail fares are too high this year.")
        comment, count = await reader.take({"comment", "count"})
    assert comment.event == "comment"
    data = comment.json()
    assert data["id"] == sent["id"] and data["status"] == "published"
    assert data["body_html"] == sent["body_html"] and data["author"]["name"] == "Alice"
    assert count.event == "count" and count.json() == {"total": 1, "stream": "open"}
    assert event_key(count.id) > event_key(comment.id)


async def test_each_stream_only_gets_its_own_comments(app_client):
    alice = await sign_in(app_client, "alice", name="Alice", premium=True)
    async with (
        AsgiStream(app_client.app, EVENTS + "?stream=premium") as premium,
        AsgiStream(app_client.app, EVENTS + "?stream=open") as open_,
    ):
        opened = await post(app_client, alice, "An open point about fares.")
        paid = await post(app_client, alice, "A subscriber's view on fares.", stream="premium")
        got_open = await open_.take({"comment", "count"})
        got_paid = await premium.take({"comment", "count"})
        assert await open_.quiet() == [] and await premium.quiet() == []
    assert [e.json()["id"] for e in got_open if e.event == "comment"] == [opened["id"]]
    assert [e.json()["id"] for e in got_paid if e.event == "comment"] == [paid["id"]]


async def test_held_comment_reaches_only_its_author(app_client):
    alice = await sign_in(app_client, "alice", name="Alice")
    bob = await sign_in(app_client, "bob", name="Bob")
    mine_url = f"{EVENTS}?token={bearer_token(alice)}"
    async with (
        AsgiStream(app_client.app, EVENTS) as anonymous,
        AsgiStream(app_client.app, EVENTS, headers=bob) as other,
        AsgiStream(app_client.app, mine_url) as mine,
    ):
        res = await app_client.post(
            f"/api/v1/stories/{STORY}/comments", json={"body": TOXIC}, headers=alice
        )
        assert res.status_code == 201 and res.json()["status"] == "pending"
        event = await mine.next()
        assert event.event == "comment" and event.json()["id"] == res.json()["id"]
        assert event.json()["status"] == "pending"
        assert await anonymous.quiet() == [] and await other.quiet() == []
        assert await mine.quiet(0.05) == []  # the public count did not change


async def test_shadow_banned_authors_comment_reaches_only_themselves(app_client):
    alice = await sign_in(app_client, "alice", name="Alice")
    bob = await sign_in(app_client, "bob", name="Bob")
    alice_id = await user_id(app_client, alice)  # a request: not while a write is held
    async with app_client.ctx.write() as tx:
        await tx.users.update(alice_id, is_shadowbanned=True)
    async with (
        AsgiStream(app_client.app, EVENTS) as anonymous,
        AsgiStream(app_client.app, EVENTS, headers=bob) as other,
        AsgiStream(app_client.app, EVENTS, headers=alice) as mine,
    ):
        sent = await post(app_client, alice, "Nobody listens to me about fares.")
        assert sent["status"] == "published"
        event = await mine.next()
        assert event.event == "comment" and event.json()["id"] == sent["id"]
        assert await anonymous.quiet() == [] and await other.quiet() == []


async def test_likes_and_deletions_are_announced(app_client):
    alice = await sign_in(app_client, "alice", name="Alice")
    bob = await sign_in(app_client, "bob", name="Bob")
    sent = await post(app_client, alice, "Buses should run all night.")
    async with AsgiStream(app_client.app, EVENTS) as reader:
        res = await app_client.put(f"/api/v1/comments/{sent['id']}/like", headers=bob)
        assert res.status_code == 200
        likes = await reader.next()
        assert likes.event == "likes"
        assert likes.json() == {"id": sent["id"], "like_count": 1, "stream": "open"}
        res = await app_client.delete(f"/api/v1/comments/{sent['id']}", headers=alice)
        assert res.status_code == 204
        deleted, count = await reader.take({"deleted", "count"})
    assert deleted.event == "deleted" and deleted.json()["id"] == sent["id"]
    assert "Buses" not in deleted.data
    assert count.json() == {"total": 0, "stream": "open"}


async def test_reconnecting_with_last_event_id_replays_only_what_was_missed(app_client):
    alice = await sign_in(app_client, "alice", name="Alice")
    bob = await sign_in(app_client, "bob", name="Bob")
    async with AsgiStream(app_client.app, EVENTS) as first:
        seen = await post(app_client, alice, "First point about the budget.")
        last = (await first.take({"comment", "count"}))[-1]
    missed = await post(app_client, alice, "Second point about the budget.")
    await app_client.put(f"/api/v1/comments/{seen['id']}/like", headers=bob)

    for how in ({"headers": {"Last-Event-ID": last.id}}, {"query": last.id}):
        url = EVENTS + (f"?last_event_id={how['query']}" if "query" in how else "")
        async with AsgiStream(app_client.app, url, headers=how.get("headers")) as again:
            replay = await again.take({"comment", "count", "likes"})
            assert await again.quiet() == []
        assert [(e.event, e.json().get("id")) for e in replay] == [
            ("comment", missed["id"]),
            ("count", None),
            ("likes", seen["id"]),
        ]
        keys = [event_key(e.id) for e in replay]
        assert keys == sorted(keys) and keys[0] > event_key(last.id)


@pytest.mark.parametrize(
    ("where", "field"), [("header", "Last-Event-ID"), ("query", "last_event_id")]
)
async def test_malformed_last_event_id_is_refused_naming_the_field(sqlite_client, where, field):
    if where == "header":
        res = await sqlite_client.get(EVENTS, headers={"Last-Event-ID": "x' OR 1=1"})
    else:
        res = await sqlite_client.get(EVENTS, params={"last_event_id": "x' OR 1=1"})
    assert res.status_code == 422
    problem = res.json()
    assert problem["code"] == "validation" and problem["errors"][0]["field"] == field


async def test_bad_input_is_a_problem_not_a_stream(sqlite_client):
    res = await sqlite_client.get(EVENTS, params={"stream": "vip"})
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "stream"
    res = await sqlite_client.get(EVENTS, params={"token": "not-a-session"})
    assert res.status_code == 401 and res.json()["code"] == "unauthenticated"
    res = await sqlite_client.get("/api/v1/stories/" + "k" * 256 + "/events")
    assert res.status_code == 422


async def test_connections_per_client_address_are_capped(sqlite_url, make_settings):
    async with app_with(sqlite_url, make_settings, sse_max_per_client=2) as client:
        async with AsgiStream(client.app, EVENTS) as one, AsgiStream(client.app, EVENTS):
            assert one.status == 200
            async with AsgiStream(client.app, EVENTS) as third:
                assert third.status == 429
                await asyncio.wait_for(third.finished.wait(), 2)
            assert b'"code":"too-many-streams"' in third.body
            assert b'"limit":"streams-per-address"' in third.body
            assert int(third.headers["retry-after"]) > 0
        async with AsgiStream(client.app, EVENTS) as later:
            assert later.status == 200
        assert client.app.state.live_streams.per_client == {}


async def test_a_quiet_stream_gets_keep_alive_comments(sqlite_url, make_settings):
    async with app_with(sqlite_url, make_settings, sse_keepalive_seconds=0.05) as client:
        async with AsgiStream(client.app, EVENTS) as reader:
            await asyncio.sleep(0.3)
            assert reader.parser.comments.count("keep-alive") >= 2
            assert reader.parser.retry is not None and reader.parser.retry >= 1000


async def test_broker_close_and_drain_end_streams_cleanly(sqlite_url, make_settings):
    async with app_with(sqlite_url, make_settings) as client:
        async with AsgiStream(client.app, EVENTS) as reader:
            client.app.state.live_streams.drain()
            await asyncio.wait_for(reader.finished.wait(), 2)
            assert reader.body.endswith(b"\n\n") and b"retry: " in reader.body.split(b"\n\n")[-2]
        res = await client.get(EVENTS)
        assert res.status_code == 503 and res.json()["code"] == "shutting-down"
    async with app_with(sqlite_url, make_settings) as client:
        async with AsgiStream(client.app, EVENTS) as reader:
            await client.ctx.live.close()
            await asyncio.wait_for(reader.finished.wait(), 2)


async def test_events_go_through_redis_when_configured(db_url, make_settings):
    url = need(REDIS_URL, "TOWNHALL_TEST_REDIS_URL (Redis)")
    prefix = f"townhall-test-{uuid.uuid4().hex[:8]}:"
    async with app_with(db_url, make_settings, redis_url=url, redis_prefix=prefix) as client:
        assert type(client.ctx.live).__name__ == "RedisBroker"
        alice = await sign_in(client, "alice", name="Alice")
        async with AsgiStream(client.app, EVENTS) as reader:
            sent = await post(client, alice, "Redis carries this one.")
            comment, _ = await reader.take({"comment", "count"})
        assert comment.json()["id"] == sent["id"]
        history = await client.ctx.live.history(f"story:default:{STORY}")
        assert history[0].id == comment.id
        async with AsgiStream(client.app, EVENTS, headers={"Last-Event-ID": comment.id}) as again:
            count = await again.next()
        assert count.event == "count" and count.json()["total"] == 1
        res = await client.get("/readyz")
        assert res.json()["checks"]["redis"] == "ok"


async def test_an_unreachable_redis_degrades_live_updates_without_failing_writes():
    from townhall.live.broker import LiveUnavailable
    from townhall.live.redis import RedisBroker, RedisRateLimiter

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"redis://127.0.0.1:{s.getsockname()[1]}/0"
    broker = RedisBroker(dead, ready_timeout=0.5)
    limiter = RedisRateLimiter(dead)
    try:
        event = await broker.publish("story:default:x", "comment", {"id": 1})
        assert event.id == "0-0" and event.kind == "comment"
        with pytest.raises(LiveUnavailable):
            await broker.open("story:default:x")
        assert await limiter.hit("post:1", limit=1, window=60) == (True, 0)
    finally:
        await broker.close()
        await limiter.close()


async def test_the_stream_is_documented_in_openapi(sqlite_client):
    spec = (await sqlite_client.get("/api/openapi.json")).json()
    op = spec["paths"]["/api/v1/stories/{story_id}/events"]["get"]
    assert "text/event-stream" in op["responses"]["200"]["content"]
    assert {p["name"] for p in op["parameters"]} >= {"stream", "last_event_id", "token"}


async def test_restricted_premium_stream_is_only_for_subscribers_and_staff(app_client):
    from tests.factories import make_staff

    admin = await sign_in(app_client, "admin", name="Vikram Rao")
    await make_staff(app_client, admin, "admin")
    res = await app_client.patch(
        "/api/v1/admin/site", json={"premium_read_restricted": True}, headers=admin
    )
    assert res.status_code == 200, res.text
    app_client.ctx.forget_site("default")
    reader = await sign_in(app_client, "reader", name="Plain Reader")
    subscriber = await sign_in(app_client, "sub", name="Paying Reader", premium=True)
    url = EVENTS + "?stream=premium"
    for headers in (None, reader):
        async with AsgiStream(app_client.app, url, headers=headers) as refused:
            assert refused.status == 403
        assert b'"code":"premium-required"' in refused.body
    for headers in (subscriber, admin):
        async with AsgiStream(app_client.app, url, headers=headers) as allowed:
            assert allowed.status == 200
    async with AsgiStream(app_client.app, EVENTS) as open_stream:
        assert open_stream.status == 200


async def test_an_allowed_embedding_origin_may_read_the_stream(sqlite_url, make_settings):
    allowed = "https://news.example"
    async with app_with(sqlite_url, make_settings, allowed_origins=allowed) as client:
        async with AsgiStream(client.app, EVENTS, headers={"Origin": allowed}) as ok:
            assert ok.status == 200
            assert ok.headers["access-control-allow-origin"] == allowed
        async with AsgiStream(client.app, EVENTS, headers={"Origin": "https://evil.example"}) as no:
            assert "access-control-allow-origin" not in no.headers


async def test_redis_fan_out_survives_a_dropped_subscription():
    from townhall.live.redis import RedisBroker

    url = need(REDIS_URL, "TOWNHALL_TEST_REDIS_URL (Redis)")
    prefix = f"townhall-test-{uuid.uuid4().hex[:8]}:"
    a, b = RedisBroker(url, prefix=prefix), RedisBroker(url, prefix=prefix)
    channel = "story:default:drop"
    try:
        sub = await b.open(channel)
        quiet = await b.open("story:default:quiet")  # has not received anything yet
        first = await a.publish(channel, "comment", {"id": 1})
        assert (await sub.next(5)).id == first.id
        await b._pubsub.connection.disconnect()  # the network drops the subscriber
        missed = await a.publish(channel, "comment", {"id": 2})
        missed_quiet = await a.publish("story:default:quiet", "comment", {"id": 3})
        got = await sub.next(10)
        assert got is not None and got.id == missed.id and got.data == {"id": 2}
        got = await quiet.next(5)
        assert got is not None and got.id == missed_quiet.id
        quiet.close()
        later = await a.publish(channel, "likes", {"id": 2, "like_count": 1})
        assert (await sub.next(5)).id == later.id
        sub.close()
    finally:
        await a.close()
        await b.close()


async def test_a_malformed_message_on_the_live_channels_is_ignored():
    import redis.asyncio as aioredis

    from townhall.live.redis import RedisBroker

    url = need(REDIS_URL, "TOWNHALL_TEST_REDIS_URL (Redis)")
    prefix = f"townhall-test-{uuid.uuid4().hex[:8]}:"
    broker = RedisBroker(url, prefix=prefix)
    raw = aioredis.from_url(url)
    channel = "story:default:noise"
    try:
        sub = await broker.open(channel)
        for junk in (b"not json at all", b"12-0 {oops", b"x-y {}", b"\xff\xfe"):
            await raw.publish(f"{prefix}live:{channel}", junk)
        good = await broker.publish(channel, "comment", {"id": 7})
        got = await sub.next(5)
        assert got is not None and got.id == good.id
        sub.close()
    finally:
        await raw.aclose()
        await broker.close()


async def test_signed_in_streams_count_per_account_not_per_address(sqlite_url, make_settings):
    from townhall.ratelimit import STREAMS_PER_ACCOUNT

    async with app_with(sqlite_url, make_settings, sse_max_per_client=1) as client:
        reader = await sign_in(client, "tabs", name="Many Tabs")
        other = await sign_in(client, "colleague", name="Colleague")
        async with AsgiStream(client.app, EVENTS) as anon:
            assert anon.status == 200  # the address's one anonymous stream
            async with contextlib.AsyncExitStack() as stack:
                mine = [
                    await stack.enter_async_context(AsgiStream(client.app, EVENTS, reader))
                    for _ in range(STREAMS_PER_ACCOUNT)
                ]
                assert {s.status for s in mine} == {200}
                async with AsgiStream(client.app, EVENTS, reader) as extra:
                    assert extra.status == 429
                    await asyncio.wait_for(extra.finished.wait(), 2)
                assert b'"limit":"streams-per-account"' in extra.body
                async with AsgiStream(client.app, EVENTS, other) as theirs:
                    assert theirs.status == 200  # same address, another account
        assert client.app.state.live_streams.per_client == {}

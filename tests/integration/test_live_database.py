"""The database broker and the shared rate-limit table, as two worker processes use them.

Two brokers (or limiters) over one database (or file) stand for two workers; each has
its own engine and connections, as separate processes would.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from tests.integration.sse_helpers import AsgiStream
from townhall.live.database import DatabaseBroker, wake_path
from townhall.live.subscription import event_key
from townhall.shared import SharedRateLimiter
from townhall.storage.sql.engine import Database


@pytest.fixture
async def two_workers(db_url, tmp_path):
    """Two brokers on one database, each with its own connections."""
    dbs = [Database(db_url), Database(db_url)]
    brokers = [DatabaseBroker(db, wake=wake_path(db_url, str(tmp_path))) for db in dbs]
    yield brokers
    for broker, db in zip(brokers, dbs, strict=True):
        await broker.close()
        await db.dispose()


async def _next(sub, within: float = 5.0):
    async with asyncio.timeout(within):
        while True:
            event = await sub.next(within)
            if event is not None:
                return event


async def _published(broker, channel: str, kind: str, **data) -> str:
    """Publish, wait for the write, and return the event's id (its row id)."""
    await broker.publish(channel, kind, data)
    await broker.flush()
    return (await broker.history(channel))[-1].id


async def test_an_event_published_by_one_worker_reaches_readers_of_both(two_workers):
    a, b = two_workers
    on_a, on_b = await a.open("story:default:s1"), await b.open("story:default:s1")
    other = await b.open("story:default:elsewhere")
    sent = [await _published((a, b)[i % 2], "story:default:s1", "comment", n=i) for i in range(6)]
    for sub in (on_a, on_b):
        got = [await _next(sub) for _ in sent]
        assert [e.data["n"] for e in got] == list(range(6))
        assert [e.id for e in got] == sent
    assert other.pop_nowait() is None
    keys = [event_key(i) for i in sent]
    assert keys == sorted(keys) and len(set(keys)) == 6


async def test_events_queued_together_are_written_and_delivered_in_order(two_workers):
    a, b = two_workers
    sub = await b.open("story:default:burst")
    for n in range(50):
        await a.publish("story:default:burst", "count", {"n": n})
    assert [(await _next(sub)).data["n"] for _ in range(50)] == list(range(50))


async def test_a_reader_resumes_on_the_other_worker_from_its_last_id(two_workers):
    a, b = two_workers
    first = await _published(a, "story:default:r", "comment", n=1)
    await _published(a, "story:default:other", "comment", n=99)
    missed = [await _published(a, "story:default:r", "comment", n=n) for n in (2, 3)]
    sub = await b.open("story:default:r", first)
    assert [(await _next(sub)).id for _ in missed] == missed
    later = await _published(a, "story:default:r", "likes", n=4)
    assert (await _next(sub)).id == later


async def test_a_resume_point_the_log_never_issued_starts_afresh(two_workers):
    """An id of another broker (a millisecond clock) must not silence the stream."""
    a, b = two_workers
    await _published(a, "story:default:x", "comment", n=1)
    sub = await b.open("story:default:x", "1764590000000-0")
    assert sub.pop_nowait() is None
    fresh = await _published(a, "story:default:x", "comment", n=2)
    assert (await _next(sub)).id == fresh


async def test_the_log_is_pruned_by_size_and_age(db_url, tmp_path):
    db = Database(db_url)
    broker = DatabaseBroker(db, wake=wake_path(db_url, str(tmp_path)), keep_rows=3)
    try:
        sent = [await _published(broker, "story:default:p", "count", n=n) for n in range(5)]
        await broker.prune()
        assert [e.id for e in await broker.history("story:default:p")] == sent[2:]
        aged = DatabaseBroker(db, keep_seconds=0)
        await asyncio.sleep(0.01)
        await aged.prune()
        assert await broker.history("story:default:p") == []
        await broker.publish("story:default:p", "count", {"n": 9})
        await broker.flush()
        [after] = await broker.history("story:default:p")
        assert event_key(after.id) > event_key(sent[-1])  # ids never go back
        await aged.close()
    finally:
        await broker.close()
        await db.dispose()


async def test_database_broker_serves_the_app_stream(db_url, make_settings, tmp_path):
    """With live_broker=database the ASGI app's streams and posts go through the log."""
    import httpx

    from tests.factories import post, sign_in
    from townhall.app import create_app

    app = create_app(make_settings(db_url, live_broker="database"))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            assert type(app.state.ctx.live).__name__ == "DatabaseBroker"
            author = await sign_in(client, "db-broker", name="Dana Broker")
            async with AsgiStream(app, "/api/v1/stories/db-story/events") as reader:
                res = await post(client, author, "Through the log.", story="db-story")
                got = await reader.take({"comment", "count"})
            [comment] = [e for e in got if e.event == "comment"]
            assert comment.json()["id"] == res["id"]


async def test_shared_rate_limits_count_once_across_processes(tmp_path):
    first, second = SharedRateLimiter(tmp_path / "rl"), SharedRateLimiter(tmp_path / "rl")
    results = [await (first, second)[i % 2].hit("post:7", limit=3, window=60) for i in range(4)]
    assert [ok for ok, _ in results] == [True, True, True, False]
    assert 58 <= results[-1][1] <= 60
    assert (await second.peek("post:7"))[0] == 4
    assert await first.peek("post:8") == (0, 0)
    await second.clear("post:7")
    assert await first.peek("post:7") == (0, 0)
    assert (await first.hit("post:7", limit=3, window=60))[0]
    await first.close()
    await second.close()


async def test_shared_rate_limit_windows_end(tmp_path):
    now = [1000.0]
    limiter = SharedRateLimiter(tmp_path / "rl", clock=lambda: now[0])
    assert (await limiter.hit("k", limit=1, window=10))[0]
    assert not (await limiter.hit("k", limit=1, window=10))[0]
    now[0] += 10
    assert (await limiter.hit("k", limit=1, window=10)) == (True, 10)
    await limiter.close()


async def test_a_full_neighbourhood_gives_up_the_window_closest_to_its_end(tmp_path):
    """With every slot a key may use taken by live windows, the soonest-ending goes."""
    limiter = SharedRateLimiter(tmp_path / "rl", slots=4, clock=time.time)
    for n in range(4):
        await limiter.hit(f"k{n}", limit=5, window=100 + n)
    assert (await limiter.hit("newcomer", limit=5, window=60)) == (True, 60)
    assert await limiter.peek("k0") == (0, 0)  # the shortest window was given up
    assert (await limiter.peek("k3"))[0] == 1
    await limiter.close()


async def test_a_ring_wakes_every_listening_process_and_clears_dead_ones(tmp_path):
    import socket

    from townhall.shared import WakeSockets

    here = tmp_path / "bells"
    first, second = WakeSockets(here), WakeSockets(here)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    dead.bind(str(here / "1-dead.sock"))
    dead.close()  # its process is gone; the file stays behind
    woken = asyncio.Event()
    second.listen(woken.set)
    first.ring()
    await asyncio.wait_for(woken.wait(), 2)
    assert not (here / "1-dead.sock").exists()
    first.close()
    second.close()
    assert not here.exists()

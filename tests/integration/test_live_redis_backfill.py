"""After Redis drops the live subscription, every stream gets what it missed."""

from __future__ import annotations

import uuid

from tests.conftest import REDIS_URL, need


async def test_a_stream_with_no_events_yet_gets_one_missed_in_the_same_millisecond():
    """Stream ids are per channel: another channel's event can carry the very id this
    process saw last. A subscriber that had received nothing must still get it."""
    import orjson
    import redis.asyncio as aioredis

    from townhall.live.redis import RedisBroker

    url = need(REDIS_URL, "TOWNHALL_TEST_REDIS_URL (Redis)")
    prefix = f"townhall-test-{uuid.uuid4().hex[:8]}:"
    a, b = RedisBroker(url, prefix=prefix), RedisBroker(url, prefix=prefix)
    raw = aioredis.from_url(url)
    try:
        busy = await b.open("story:default:busy")
        quiet = await b.open("story:default:quiet")
        first = await a.publish("story:default:busy", "comment", {"id": 1})
        assert (await busy.next(5)).id == first.id
        await b._pubsub.connection.disconnect()
        # Missed while disconnected, in the same millisecond as `first` on another channel.
        payload = orjson.dumps({"k": "comment", "d": {"id": 2}})
        await raw.xadd(prefix + "stream:story:default:quiet", {"e": payload}, id=first.id)
        got = await quiet.next(10)
        assert got is not None and got.id == first.id and got.data == {"id": 2}
    finally:
        await raw.aclose()
        await a.close()
        await b.close()

"""Live fan-out and rate limits shared by every instance through Redis.

Each event is appended to a capped Redis Stream per channel (its stream id becomes
the SSE id, so reconnecting clients replay what they missed from any instance) and
published on a pub/sub channel, both in one Lua call so ids and delivery order agree.
Every process holds ONE pub/sub connection, pattern-subscribed to all live channels,
and hands each message to the local subscribers of its channel.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from typing import Any

import orjson
import redis.asyncio as aioredis
from redis.exceptions import RedisError

from townhall.live.broker import UNAVAILABLE, Event, LiveUnavailable
from townhall.live.subscription import LocalSubscribers, Subscription, event_key, is_event_id

log = logging.getLogger("townhall.live")

PREFIX = "townhall:"
HISTORY = 500
HISTORY_TTL_MS = 24 * 3600 * 1000
REPLAY_MAX = 1000
READY_TIMEOUT = 5.0

_PUBLISH = """
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'e', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', ARGV[4], id .. ' ' .. ARGV[2])
return id
"""

_HIT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}
"""


def _encode(kind: str, data: dict[str, Any], audience: int | None) -> bytes:
    body: dict[str, Any] = {"k": kind, "d": data}
    if audience is not None:
        body["a"] = audience
    return orjson.dumps(body)


def _decode(event_id: str, raw: bytes) -> Event:
    body = orjson.loads(raw)
    return Event(id=event_id, kind=body["k"], data=body["d"], audience=body.get("a"))


class RedisBroker(LocalSubscribers):
    """Fan-out across instances via Redis pub/sub, with a replay log per channel."""

    def __init__(
        self,
        url: str,
        *,
        history: int = HISTORY,
        prefix: str = PREFIX,
        ready_timeout: float = READY_TIMEOUT,
    ) -> None:
        self._url = url
        self._ready_timeout = ready_timeout
        self._history = history
        self._stream_prefix = f"{prefix}stream:"
        self._live_prefix = f"{prefix}live:"
        self._client: aioredis.Redis | None = None
        self._publish_script: Any = None
        self._subs: dict[str, set[Subscription]] = {}
        self._listener: asyncio.Task[None] | None = None
        self._pubsub: Any = None
        self._watermark: str | None = None
        self._ready: asyncio.Event | None = None
        self._closed = False

    def _redis(self) -> aioredis.Redis:
        if self._client is None:
            self._client = aioredis.from_url(self._url, health_check_interval=30)
            self._publish_script = self._client.register_script(_PUBLISH)
        return self._client

    async def ping(self) -> None:
        """Raise when Redis does not answer."""
        await self._redis().ping()

    async def publish(
        self, channel: str, kind: str, data: dict[str, Any], audience: int | None = None
    ) -> Event:
        """Append to the channel's log and announce to every instance.

        Live updates are best effort: the change is already committed, so a Redis
        failure is logged and readers see the change on their next load.
        """
        payload = _encode(kind, data, audience)
        self._redis()
        try:
            raw_id = await self._publish_script(
                keys=[self._stream_prefix + channel],
                args=[self._history, payload, HISTORY_TTL_MS, self._live_prefix + channel],
            )
        except RedisError as exc:
            log.warning("live event not published on %s: %s", channel, exc)
            return Event(id="0-0", kind=kind, data=data, audience=audience)
        event_id = raw_id.decode() if isinstance(raw_id, bytes) else str(raw_id)
        return Event(id=event_id, kind=kind, data=data, audience=audience)

    async def history(self, channel: str) -> list[Event]:
        """Events still in the channel's replay log."""
        return await self._range(channel, "-")

    async def _range(self, channel: str, start: str) -> list[Event]:
        rows: Any = await self._redis().xrange(
            self._stream_prefix + channel, min=start, max="+", count=REPLAY_MAX
        )
        return [_decode(rid.decode(), fields[b"e"]) for rid, fields in rows]

    _store_errors = (RedisError, OSError)

    async def _connected(self) -> None:
        try:
            await self._wait_ready()
        except TimeoutError:
            raise LiveUnavailable(UNAVAILABLE) from None

    async def _missed(self, channel: str, last_event_id: str) -> list[Event]:
        return await self._range(channel, "(" + last_event_id)

    async def _wait_ready(self) -> None:
        if self._listener is None or self._listener.done():
            self._ready = asyncio.Event()
            self._listener = asyncio.create_task(self._listen(), name="townhall-live-redis")
        assert self._ready is not None
        async with asyncio.timeout(self._ready_timeout):
            await self._ready.wait()

    async def _listen(self) -> None:
        """Keep one pattern subscription; after any re-subscription, backfill from the logs.

        A confirmation after the first one means the connection was re-established
        (by us after an error, or by the client library itself), so events published
        meanwhile are read back from the replay logs of the channels followed here.
        """
        delay = 0.2
        confirmed = False
        while not self._closed:
            pubsub = self._pubsub = self._redis().pubsub()
            try:
                await pubsub.psubscribe(self._live_prefix + "*")
                async for message in pubsub.listen():
                    kind = message["type"]
                    if kind == "pmessage":
                        self._dispatch(message["channel"], message["data"])
                    elif kind == "psubscribe":
                        assert self._ready is not None
                        self._ready.set()
                        delay = 0.2
                        if confirmed:
                            await self._backfill()
                        confirmed = True
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as exc:
                log.warning("live subscription to Redis lost (%s); retrying", exc)
            except Exception:  # never let one bad moment stop live updates for good
                log.exception("live subscription failed; retrying")
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)

    def _dispatch(self, raw_channel: bytes, data: bytes) -> None:
        raw_id, _, body = data.partition(b" ")
        event_id = raw_id.decode(errors="replace")
        if is_event_id(event_id):
            self._watermark = event_id
        channel = raw_channel.decode(errors="replace")[len(self._live_prefix) :]
        subs = self._subs.get(channel)
        if not subs:
            return
        try:
            event = _decode(event_id, body)
            event_key(event_id)
        except (ValueError, KeyError, TypeError):
            log.warning("ignored a malformed live message on %s", channel)
            return
        for sub in list(subs):
            sub.push(event)

    async def _backfill(self) -> None:
        """Deliver what was published while the subscription was down.

        Each channel resumes after its subscribers' last event; a subscriber that had
        none yet resumes from the millisecond of the last event this process saw on any
        channel (stream ids are Redis server time, so their milliseconds compare across
        channels, but each channel numbers its own events within a millisecond, so that
        whole millisecond is read again; a mailbox drops what it already holds).
        """
        fresh = f"{event_key(self._watermark)[0]}-0" if self._watermark else None
        for channel, subs in list(self._subs.items()):
            starts: list[str] = []
            for sub in subs:
                if sub.last_key is not None:
                    starts.append(f"({sub.last_key[0]}-{sub.last_key[1]}")
                elif fresh is not None:
                    starts.append(fresh)
            if not starts:
                continue
            start = min(starts, key=_start_key)
            for event in await self._range(channel, start):
                for sub in list(subs):
                    sub.push(event)

    async def close(self) -> None:
        """End every local stream, stop listening and drop the connections."""
        self._closed = True
        for subs in list(self._subs.values()):
            for sub in list(subs):
                sub.end()
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._listener
            self._listener = None
        if self._client is not None:
            await self._client.aclose()
            self._client = None


def _start_key(start: str) -> tuple[int, int, int]:
    """Order XRANGE starts: earlier first, an inclusive one before an exclusive one."""
    ms, seq = event_key(start.lstrip("("))
    return ms, seq, 1 if start.startswith("(") else 0


class RedisRateLimiter:
    """Fixed-window counters in Redis, so a limit holds across every instance."""

    def __init__(self, url: str, *, prefix: str = PREFIX + "rl:") -> None:
        self._url = url
        self._prefix = prefix
        self._client: aioredis.Redis | None = None
        self._script: Any = None

    async def hit(self, key: str, *, limit: int, window: float) -> tuple[bool, int]:
        """Count one hit atomically; return (allowed, seconds until the window resets).

        When Redis is unreachable the hit is allowed (and logged): an outage of the
        limiter must not stop every reader from commenting.
        """
        self._connected()
        window_ms = max(1, int(window * 1000))
        try:
            count, ttl_ms = await self._script(keys=[self._prefix + key], args=[window_ms])
        except RedisError as exc:
            log.warning("rate limit not checked for %s: %s", key.split(":", 1)[0], exc)
            return True, 0
        return int(count) <= limit, max(1, math.ceil(int(ttl_ms) / 1000))

    def _connected(self) -> aioredis.Redis:
        if self._client is None:
            self._client = aioredis.from_url(self._url, health_check_interval=30)
            self._script = self._client.register_script(_HIT)
        return self._client

    async def peek(self, key: str) -> tuple[int, int]:
        """(hits in the key's live window, seconds until it resets); (0, 0) without one."""
        try:
            async with self._connected().pipeline(transaction=False) as pipe:
                pipe.get(self._prefix + key)
                pipe.pttl(self._prefix + key)
                count, ttl_ms = await pipe.execute()
        except RedisError as exc:
            log.warning("rate limit not read for %s: %s", key.split(":", 1)[0], exc)
            return 0, 0
        if count is None or int(ttl_ms) <= 0:
            return 0, 0
        return int(count), max(1, math.ceil(int(ttl_ms) / 1000))

    async def clear(self, key: str) -> None:
        """Forget the key's window."""
        try:
            await self._connected().delete(self._prefix + key)
        except RedisError as exc:
            log.warning("rate limit not cleared for %s: %s", key.split(":", 1)[0], exc)

    async def close(self) -> None:
        """Drop the connections."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None

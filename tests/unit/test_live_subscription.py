"""Event ids and subscriber mailboxes: ordering, de-duplication, replay, bounded backlog."""

from __future__ import annotations

import asyncio

import pytest

from townhall.live.broker import Event
from townhall.live.memory import MemoryBroker
from townhall.live.subscription import (
    MAX_BACKLOG,
    IdClock,
    Subscription,
    event_key,
    is_event_id,
)


def ev(event_id: str, kind: str = "comment") -> Event:
    """An event with this id."""
    return Event(id=event_id, kind=kind, data={"id": 1})


def test_ids_increase_even_within_one_millisecond_and_compare_as_numbers():
    clock = IdClock()
    ids = [clock.next() for _ in range(2000)]
    keys = [event_key(i) for i in ids]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert event_key("1700000000000-10") > event_key("1700000000000-9")
    assert event_key("42") == (42, 0)


@pytest.mark.parametrize("value", ["1700000000000-0", "17", "0-0"])
def test_well_formed_ids_are_accepted(value):
    assert is_event_id(value)


@pytest.mark.parametrize("value", ["", "abc", "1-2-3", "-1", "1 ", "1-", "9" * 21])
def test_malformed_ids_are_refused(value):
    assert not is_event_id(value)


async def test_a_mailbox_drops_duplicates_and_older_events():
    sub = Subscription("c", lambda s: None)
    for event_id in ("5-0", "5-0", "4-9", "6-0"):
        sub.push(ev(event_id))
    assert [sub.pop_nowait().id, sub.pop_nowait().id, sub.pop_nowait()] == ["5-0", "6-0", None]


async def test_replay_goes_first_and_live_events_that_overlap_it_are_not_repeated():
    sub = Subscription("c", lambda s: None)
    sub.push(ev("7-0"))  # arrived live while the replay was being read
    sub.push(ev("8-0"))
    sub.merge_replay("5-0", [ev("6-0"), ev("7-0")])
    got = [sub.pop_nowait() for _ in range(4)]
    assert [e.id if e else None for e in got] == ["6-0", "7-0", "8-0", None]


async def test_a_reader_too_far_behind_is_ended_instead_of_buffering_forever():
    sub = Subscription("c", lambda s: None)
    for i in range(MAX_BACKLOG + 5):
        sub.push(ev(f"{i + 1}-0"))
    assert sub.ended
    drained = 0
    while sub.pop_nowait() is not None:
        drained += 1
    assert drained == MAX_BACKLOG
    assert await sub.next(0.01) is None


async def test_next_waits_for_an_event_and_returns_none_when_idle_or_woken():
    sub = Subscription("c", lambda s: None)
    assert await sub.next(0.01) is None
    waiter = asyncio.create_task(sub.next(5))
    await asyncio.sleep(0)
    sub.push(ev("1-0"))
    assert (await asyncio.wait_for(waiter, 1)).id == "1-0"
    waiter = asyncio.create_task(sub.next(5))
    await asyncio.sleep(0)
    sub.wake()
    assert await asyncio.wait_for(waiter, 1) is None


async def test_memory_broker_replays_after_an_id_and_close_ends_subscribers():
    broker = MemoryBroker()
    first = await broker.publish("c", "comment", {"id": 1})
    await broker.publish("c", "likes", {"id": 1, "like_count": 1})
    await broker.publish("other", "comment", {"id": 9})
    sub = await broker.open("c", first.id)
    assert sub.pop_nowait().kind == "likes" and sub.pop_nowait() is None
    await broker.close()
    assert sub.ended and await sub.next(1) is None
    sub.close()
    assert broker._subs == {}

"""SQLite writers of one process share commits: each still succeeds or fails alone."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from townhall.storage.sql.engine import Database


def _names(url: str) -> set[str]:
    """Site ids as a fresh connection sees them (only what was committed)."""
    with sqlite3.connect(url.split(":///", 1)[1]) as con:
        return {r[0] for r in con.execute("SELECT id FROM sites")}


async def _add_site(
    db: Database, name: str, *, fail: bool = False, pause: float = 0, last=None
) -> str:
    async with db.write() as conn:
        conn.driver.execute(
            "INSERT INTO sites (id, name, settings, settings_version, created_at)"
            " VALUES (?, ?, '{}', 1, '2026-01-01 00:00:00.000000')",
            (name, name),
        )
        if pause:
            await asyncio.sleep(pause)
        if fail:
            raise RuntimeError(f"{name} fails after writing")
        if last is not None:
            last()
    return name


@pytest.fixture
async def db(sqlite_url):
    database = Database(sqlite_url)
    yield database
    await database.dispose()


async def test_queued_writers_share_a_commit_and_each_is_durable_on_return(db, sqlite_url):
    before = _names(sqlite_url)

    async def write_then_look(name: str) -> bool:
        await _add_site(db, name)
        return name in _names(sqlite_url)  # committed by the time write() returned

    seen = await asyncio.gather(*(write_then_look(f"gc-{i}") for i in range(40)))
    assert all(seen)
    assert _names(sqlite_url) - before == {f"gc-{i}" for i in range(40)}


async def test_a_failing_writer_rolls_back_alone(db, sqlite_url):
    results = await asyncio.gather(
        _add_site(db, "keep-1"),
        _add_site(db, "drop-me", fail=True),
        _add_site(db, "keep-2"),
        return_exceptions=True,
    )
    assert results[0] == "keep-1" and results[2] == "keep-2"
    assert isinstance(results[1], RuntimeError)
    names = _names(sqlite_url)
    assert {"keep-1", "keep-2"} <= names and "drop-me" not in names


async def test_a_writer_cancelled_in_the_queue_does_not_strand_the_others(db, sqlite_url):
    queued: list[asyncio.Task] = []
    # The first writer ends its work while another is queued behind it, so it leaves
    # the commit to that one; that one is then cancelled before its turn.
    first = asyncio.create_task(_add_site(db, "first", pause=0.05, last=lambda: queued[0].cancel()))
    await asyncio.sleep(0.01)  # first holds the write lock, inside its savepoint
    queued.append(asyncio.create_task(_add_site(db, "never")))
    assert await asyncio.wait_for(first, timeout=5) == "first"
    with pytest.raises(asyncio.CancelledError):
        await queued[0]
    names = _names(sqlite_url)
    assert "first" in names and "never" not in names
    # and the next writer gets the file at once
    assert await asyncio.wait_for(_add_site(db, "after"), timeout=5) == "after"

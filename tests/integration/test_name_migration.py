"""Migration 0008 re-keys commenting names with the new skeleton and reports the
names that now look alike, on SQLite and PostgreSQL, without renaming anyone."""

from __future__ import annotations

import asyncio
import logging
import subprocess
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.integration.test_cli import BIN
from tests.reliability.server import fresh_database
from townhall.auth.names import name_key
from townhall.storage.migrate import upgrade

# Accepted side by side under the old skeleton (taken after lower-casing, without
# multi-character look-alikes); alike under the new one.
USERS = [
    (1, "Carol Reader", "carolreader"),
    (2, "Dan Second", "dansecond"),
    (3, "CaroI Reader", "caroireader"),
    (4, "Someone Else", "someoneelse"),
    (5, "Dan Sec0nd", "dansec0nd"),
    (6, "Ernrna Hill", "ernrnahill"),
    (7, "Emma Hill", "emmahill"),
]


async def _seed(url: str) -> None:
    engine = create_async_engine(url)
    now = datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None)
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO sites (id, name, settings, created_at)"
                " VALUES ('default', 'L', '{}', :now)"
            ),
            {"now": now},
        )
        for uid, name, old_key in USERS:
            await conn.execute(
                text(
                    "INSERT INTO users (id, site_id, name, name_key, role, created_at)"
                    " VALUES (:id, 'default', :name, :key, 'commenter', :now)"
                ),
                {"id": uid, "name": name, "key": old_key, "now": now},
            )
    await engine.dispose()


async def _keys(url: str) -> dict[int, tuple[str, str]]:
    engine = create_async_engine(url)
    async with engine.connect() as conn:
        rows = (await conn.execute(text("SELECT id, name, name_key FROM users"))).all()
    await engine.dispose()
    return {uid: (name, key) for uid, name, key in rows}


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_the_migration_rekeys_names_and_reports_look_alikes(backend, tmp_path, caplog):
    with fresh_database(backend, tmp_path) as url:
        upgrade(url, "0007")
        await _seed(url)
        with caplog.at_level(logging.WARNING, logger="townhall.migrations"):
            upgrade(url)
        after = await _keys(url)
        assert {uid: name for uid, (name, _) in after.items()} == {u[0]: u[1] for u in USERS}
        assert after[1][1] == name_key("Carol Reader") == name_key("CaroI Reader")
        assert after[2][1] == name_key("Dan Second")
        # The later holder of a look-alike keeps their name under a key of their own.
        assert after[3][1] != after[1][1] and after[5][1] != after[2][1]
        assert after[6][1] == name_key("Emma Hill")  # the older of the Emma pair
        assert after[7][1] != after[6][1]
        assert after[4][1] == name_key("Someone Else")
        report = " ".join(r.getMessage() for r in caplog.records)
        assert "3 commenting names now look like an older one" in report
        assert "townhall names" in report
        out = await asyncio.to_thread(
            subprocess.run,
            [BIN, "names", "--db", url],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert out.returncode == 0, out.stderr
        lines = out.stdout.splitlines()
        assert any("Carol Reader" in line and "CaroI Reader" in line for line in lines), out.stdout
        assert any("Dan Second" in line and "Dan Sec0nd" in line for line in lines), out.stdout
        assert any("Ernrna Hill" in line and "Emma Hill" in line for line in lines), out.stdout
        assert "Someone Else" not in out.stdout

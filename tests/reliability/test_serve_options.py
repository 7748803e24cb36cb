"""`townhall serve` serves the database and settings it was given on the command line."""

from __future__ import annotations

import httpx

from tests.reliability.clients import plain_body, sign_in
from tests.reliability.server import fresh_database, running, sql_rows


async def test_serve_uses_the_db_option_for_requests_not_just_for_migrations(tmp_path) -> None:
    with fresh_database("sqlite", tmp_path) as db_url, running(db_url, tmp_path) as server:
        async with httpx.AsyncClient(base_url=server.base, timeout=10) as client:
            headers = await sign_in(client, "opt-user", name="Option Tester")
            body = plain_body("opt")
            res = await client.post(
                "/api/v1/stories/opt/comments", json={"body": body}, headers=headers
            )
            assert res.status_code == 201, res.text
        assert await sql_rows(db_url, "SELECT body FROM comments") == [(body,)]
    assert not (tmp_path / "townhall.sqlite3").exists(), "a stray default database was used"

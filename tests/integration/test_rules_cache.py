"""Parsed moderation rules never leak between databases that share a settings version."""

from __future__ import annotations

import shutil

from tests.conftest import _client
from tests.factories import sign_in
from townhall.services.sites import update_site_settings


async def test_rules_follow_each_databases_own_settings(sqlite_template, tmp_path, make_settings):
    urls = []
    for name in ("one", "two"):
        path = tmp_path / f"{name}.sqlite3"
        shutil.copy(sqlite_template, path)
        urls.append(f"sqlite+aiosqlite:///{path}")
    results = []
    for url, banned in zip(urls, (["zorblax"], []), strict=True):
        async with _client(make_settings(url)) as client:
            headers = await sign_in(client, "writer", name="Writer")
            me = (await client.get("/api/v1/me", headers=headers)).json()
            async with client.ctx.read() as tx:
                user = await tx.users.by_id(me["id"])
            staff = await _as_admin(client, user)
            # Both databases reach settings version 2, with different banned words.
            await update_site_settings(client.ctx, staff, {"moderation": {"banned_words": banned}})
            client.ctx.forget_site("default")
            res = await client.post(
                "/api/v1/stories/s/comments",
                json={"body": "the zorblax report is out"},
                headers=headers,
            )
            results.append(res.status_code)
    assert results == [422, 201]


async def _as_admin(client, user):
    async with client.ctx.write() as tx:
        return await tx.users.update(user.id, role="admin")

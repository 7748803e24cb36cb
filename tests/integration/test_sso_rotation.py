"""SSO secrets: dashboard rotation survives a restart; a new env secret rotates in."""

from __future__ import annotations

from tests.conftest import _client
from tests.factories import SSO_SECRET, sso_token
from townhall.services.sites import rotate_sso_secret

NEW = "rotated-secret-0123456789abcdef0123456789abcdef0123456789abcdef"


async def _status(client, secret):
    res = await client.post("/api/v1/auth/sso", json={"token": sso_token("s", secret=secret)})
    return res.status_code


async def test_rotation_survives_restart_with_the_same_environment(sqlite_url, make_settings):
    async with _client(make_settings(sqlite_url)) as client:
        async with client.ctx.write() as tx:
            admin = await tx.users.add(
                site_id="default", role="admin", created_at=client.ctx.clock()
            )
        await rotate_sso_secret(client.ctx, admin, NEW)
        assert await _status(client, NEW) == 200
        assert await _status(client, SSO_SECRET) == 200  # previous still accepted
    async with _client(make_settings(sqlite_url)) as client:  # restart, same env secret
        assert await _status(client, NEW) == 200


async def test_a_new_environment_secret_rotates_in(sqlite_url, make_settings):
    async with _client(make_settings(sqlite_url)):
        pass
    async with _client(make_settings(sqlite_url, sso_secret=NEW)) as client:
        assert await _status(client, NEW) == 200
        assert await _status(client, SSO_SECRET) == 200
        assert await _status(client, "x" * 64) == 401

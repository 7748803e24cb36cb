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


OTHER = "second-rotation-0123456789abcdef0123456789abcdef0123456789abcdef"
LATER = "a-later-environment-secret-0123456789abcdef0123456789abcdef012345"


async def _admin(client):
    async with client.ctx.write() as tx:
        return await tx.users.add(site_id="default", role="admin", created_at=client.ctx.clock())


async def test_a_leaked_secret_rotated_out_twice_stays_out_after_a_restart(
    sqlite_url, make_settings
):
    async with _client(make_settings(sqlite_url)) as client:
        admin = await _admin(client)
        await rotate_sso_secret(client.ctx, admin, NEW)
        await rotate_sso_secret(client.ctx, admin, OTHER)
        assert await _status(client, SSO_SECRET) == 401
    async with _client(make_settings(sqlite_url)) as client:  # same environment
        assert await _status(client, SSO_SECRET) == 401
        assert await _status(client, OTHER) == 200
        assert await _status(client, NEW) == 200


async def test_an_environment_secret_that_was_rotated_out_is_never_reinstalled(
    sqlite_url, make_settings
):
    async with _client(make_settings(sqlite_url)) as client:
        admin = await _admin(client)
        await rotate_sso_secret(client.ctx, admin, NEW)
        await rotate_sso_secret(client.ctx, admin, OTHER)
    async with _client(make_settings(sqlite_url, sso_secret=LATER)) as client:
        assert await _status(client, LATER) == 200  # a changed value is a rotation
    async with _client(make_settings(sqlite_url, sso_secret=SSO_SECRET)) as client:
        assert await _status(client, SSO_SECRET) == 401  # back to a retired one: refused
        assert await _status(client, LATER) == 200


async def test_admins_revoke_the_previous_secret_at_once_and_it_is_audited(
    app_client, make_settings
):
    from tests.factories import sign_in

    admin_headers = await sign_in(app_client, "boss", name="Boss Person")
    async with app_client.ctx.write() as tx:
        me = await tx.users.by_sso("default", "boss")
        await tx.users.update(me.id, role="admin")
    res = await app_client.post("/api/v1/admin/site/sso-secret", headers=admin_headers)
    new = res.json()["sso_secret"]
    assert (await app_client.get("/api/v1/admin/site", headers=admin_headers)).json()[
        "has_previous_sso_secret"
    ] is True
    assert await _status(app_client, SSO_SECRET) == 200  # still in its grace period
    res = await app_client.post(
        "/api/v1/admin/site/sso-secret/revoke-previous", headers=admin_headers
    )
    assert res.status_code == 200, res.text
    assert res.json()["has_previous_sso_secret"] is False
    assert await _status(app_client, SSO_SECRET) == 401
    assert await _status(app_client, new) == 200
    log = await app_client.get(
        "/api/v1/moderation/audit?action=site.sso_secret_revoked", headers=admin_headers
    )
    [entry] = log.json()["entries"]
    assert entry["actor_id"] == me.id
    again = await app_client.post(
        "/api/v1/admin/site/sso-secret/revoke-previous", headers=admin_headers
    )
    assert again.status_code == 409
    assert again.json()["code"] == "conflict"


async def test_a_revoked_environment_secret_stays_revoked_after_a_restart(
    sqlite_url, make_settings
):
    from townhall.services.sites import revoke_previous_sso_secret

    async with _client(make_settings(sqlite_url)) as client:
        admin = await _admin(client)
        await rotate_sso_secret(client.ctx, admin, NEW)
        await revoke_previous_sso_secret(client.ctx, admin)
    async with _client(make_settings(sqlite_url)) as client:
        assert await _status(client, SSO_SECRET) == 401
        assert await _status(client, NEW) == 200


async def test_rotation_can_revoke_the_previous_secret_in_the_same_step(app_client):
    from tests.factories import sign_in

    headers = await sign_in(app_client, "boss2", name="Boss Two")
    async with app_client.ctx.write() as tx:
        me = await tx.users.by_sso("default", "boss2")
        await tx.users.update(me.id, role="admin")
    res = await app_client.post(
        "/api/v1/admin/site/sso-secret", json={"revoke_previous": True}, headers=headers
    )
    assert res.status_code == 200, res.text
    assert await _status(app_client, SSO_SECRET) == 401
    assert await _status(app_client, res.json()["sso_secret"]) == 200

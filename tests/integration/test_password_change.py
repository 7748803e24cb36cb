"""Changing a local account's password: the current one is required, other sessions end."""

from __future__ import annotations

from tests.factories import sign_in

EMAIL = "pat@example.org"
OLD = "the first long password"
NEW = "a second, longer password"


async def _login(client, password):
    return await client.post("/api/v1/auth/login", json={"email": EMAIL, "password": password})


async def test_changing_my_password_ends_my_other_sessions(app_client):
    client = app_client
    res = await client.post("/api/v1/auth/register", json={"email": EMAIL, "password": OLD})
    assert res.status_code == 201
    here = {"Authorization": f"Bearer {(await _login(client, OLD)).json()['token']}"}
    there = {"Authorization": f"Bearer {(await _login(client, OLD)).json()['token']}"}
    url = "/api/v1/me/password"
    res = await client.put(
        url, json={"current_password": "wrong guess!!", "new_password": NEW}, headers=here
    )
    assert res.status_code == 403 and res.json()["code"] == "confirmation-failed"
    res = await client.put(
        url, json={"current_password": OLD, "new_password": "short"}, headers=here
    )
    assert res.status_code == 422 and res.json()["errors"][0]["rule"] == "too-short"
    res = await client.put(url, json={"current_password": OLD}, headers=here)
    assert res.status_code == 422
    assert (
        await client.put(url, json={"current_password": OLD, "new_password": NEW})
    ).status_code == 401
    # Nothing changed so far.
    assert (await client.get("/api/v1/me", headers=there)).status_code == 200
    res = await client.put(url, json={"current_password": OLD, "new_password": NEW}, headers=here)
    assert res.status_code == 200, res.text
    assert res.json() == {"changed": True, "sessions_ended": 1}
    assert (await client.get("/api/v1/me", headers=here)).status_code == 200
    assert (await client.get("/api/v1/me", headers=there)).status_code == 401
    assert (await _login(client, OLD)).status_code == 401
    assert (await _login(client, NEW)).status_code == 200


async def test_publisher_accounts_have_no_password_to_change(app_client):
    sso = await sign_in(app_client, "sso-user", name="Sso Reader")
    res = await app_client.put(
        "/api/v1/me/password",
        json={"current_password": "anything at all", "new_password": NEW},
        headers=sso,
    )
    assert res.status_code == 403

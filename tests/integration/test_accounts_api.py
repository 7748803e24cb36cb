"""Sign-in, sessions and commenting names through the API."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest

from tests.factories import SSO_SECRET, make_staff, sign_in, sso_token


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


async def _sso(client, token):
    return await client.post("/api/v1/auth/sso", json={"token": token})


async def test_sso_creates_user_with_claims(app_client):
    res = await _sso(app_client, sso_token("pub-1", name="Reader One", premium=True))
    assert res.status_code == 200
    user = res.json()["user"]
    assert user["premium"] is True and user["name"] == "Reader One"
    me = await app_client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {res.json()['token']}"}
    )
    assert me.json()["id"] == user["id"]


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(sso_token("x", secret="another-secret-entirely-0123456789"), id="wrong-key"),
        pytest.param(sso_token("x", expires_in=-3600), id="expired"),
        pytest.param(sso_token("x", aud="another-site"), id="wrong-audience"),
        pytest.param(
            _b64({"alg": "none", "typ": "JWT"})
            + "."
            + _b64({"sub": "x", "aud": "default", "exp": int(time.time()) + 300})
            + ".",
            id="alg-none",
        ),
        pytest.param(sso_token("x", algorithm="HS512"), id="other-hmac-algorithm"),
        pytest.param(sso_token("x")[:-4] + "AAAA", id="tampered-signature"),
        pytest.param("not-a-jwt", id="garbage"),
    ],
)
async def test_bad_sso_tokens_are_refused_with_401(app_client, token):
    res = await _sso(app_client, token)
    assert res.status_code == 401
    assert res.json()["code"] == "invalid-token"


async def test_token_without_expiry_is_refused(app_client):
    token = jwt.encode({"sub": "x", "aud": "default"}, SSO_SECRET, algorithm="HS256")
    assert (await _sso(app_client, token)).status_code == 401


async def test_tampered_payload_is_refused(app_client):
    header, _, sig = sso_token("x").split(".")
    forged = _b64({"sub": "x", "aud": "default", "premium": True, "exp": int(time.time()) + 300})
    assert (await _sso(app_client, f"{header}.{forged}.{sig}")).status_code == 401


async def test_register_login_logout(app_client):
    res = await app_client.post(
        "/api/v1/auth/register", json={"email": "Jo@Example.org", "password": "correct horse 1"}
    )
    assert res.status_code == 201
    dup = await app_client.post(
        "/api/v1/auth/register", json={"email": "jo@example.org", "password": "correct horse 1"}
    )
    assert (dup.status_code, dup.json()) == (201, res.json())  # no account enumeration
    bad = await app_client.post(
        "/api/v1/auth/login", json={"email": "jo@example.org", "password": "wrong password"}
    )
    assert bad.status_code == 401 and bad.json()["code"] == "invalid-credentials"
    ok = await app_client.post(
        "/api/v1/auth/login", json={"email": "JO@example.org", "password": "correct horse 1"}
    )
    assert ok.status_code == 200
    headers = {"Authorization": f"Bearer {ok.json()['token']}"}
    assert (await app_client.get("/api/v1/me", headers=headers)).status_code == 200
    assert (await app_client.post("/api/v1/auth/logout", headers=headers)).status_code == 204
    replay = await app_client.get("/api/v1/me", headers=headers)
    assert replay.status_code == 401


async def test_password_is_stored_as_argon2(app_client):
    await app_client.post(
        "/api/v1/auth/register", json={"email": "a@example.org", "password": "long enough pw"}
    )
    async with app_client.ctx.read() as tx:
        _, digest = await tx.users.by_email("default", "a@example.org")
    assert digest.startswith("$argon2id$") and "long enough pw" not in digest


async def test_short_password_names_the_rule(app_client):
    res = await app_client.post(
        "/api/v1/auth/register", json={"email": "a@example.org", "password": "short"}
    )
    assert res.status_code == 422
    assert res.json()["errors"][0] == {
        "field": "password",
        "rule": "too-short",
        "message": res.json()["errors"][0]["message"],
    }


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("ab", "too-short"),
        ("x" * 31, "too-long"),
        ("Ad\u200bmin", "characters"),
        ("Moderator", "reserved"),
        ("Staff Picks", "reserved"),
        ("The Daily Ledger", "reserved"),
        ("<b>bold</b>", "characters"),
        ("fuckface", "profane"),
    ],
)
async def test_name_rules(app_client, name, rule):
    headers = await sign_in(app_client, "n1")
    res = await app_client.put("/api/v1/me/name", json={"name": name}, headers=headers)
    assert res.status_code == 422, res.text
    assert res.json()["rule"] == rule
    assert res.json()["errors"][0]["field"] == "name"


async def test_names_are_unique_case_insensitively_and_by_skeleton(app_client):
    await sign_in(app_client, "first", name="Paula")
    second = await sign_in(app_client, "second")
    taken = await app_client.put("/api/v1/me/name", json={"name": "PAULA"}, headers=second)
    assert taken.json()["rule"] == "taken"
    cyrillic = await app_client.put("/api/v1/me/name", json={"name": "Pаula"}, headers=second)
    assert cyrillic.json()["rule"] == "confusable"
    spaced = await app_client.put("/api/v1/me/name", json={"name": "Pau\u200bla"}, headers=second)
    assert spaced.status_code == 422
    check = await app_client.get("/api/v1/names/check", params={"name": "paula"})
    assert check.json()["available"] is False
    free = await app_client.get("/api/v1/names/check", params={"name": "Paulette"})
    assert free.json()["available"] is True


async def test_bad_bearer_tokens_are_401(app_client):
    for header in ("Bearer nope", "Basic abc", "Bearer "):
        res = await app_client.get("/api/v1/me", headers={"Authorization": header})
        assert res.status_code == 401, header


@pytest.mark.parametrize(
    ("existing", "look_alike"),
    [
        ("Carol Reader", "CaroI Reader"),
        ("Dan Second", "Dan Sec0nd"),
        ("Emma Hill", "Ernrna Hi11"),
        ("Ivan Petrov", "ivan petrov"),
    ],
)
async def test_look_alike_names_are_refused_beside_the_original(app_client, existing, look_alike):
    await sign_in(app_client, "original", name=existing)
    other = await sign_in(app_client, "impostor")
    res = await app_client.put("/api/v1/me/name", json={"name": look_alike}, headers=other)
    assert res.status_code == 422, res.text
    assert res.json()["rule"] in ("taken", "confusable")


async def test_reserved_names_are_refused_in_look_alike_spellings(app_client):
    headers = await sign_in(app_client, "pretender")
    for name in ("rnoderator", "AdmIn", "Dai1y Ledger"):
        res = await app_client.put("/api/v1/me/name", json={"name": name}, headers=headers)
        assert res.status_code == 422 and res.json()["rule"] == "reserved", (name, res.text)


async def test_a_user_may_change_the_case_of_their_own_name(app_client):
    headers = await sign_in(app_client, "recaser", name="Ivan Smith")
    res = await app_client.put("/api/v1/me/name", json={"name": "IVAN SMITH"}, headers=headers)
    assert res.status_code == 200, res.text


@pytest.mark.parametrize("action", ["ban", "suspend"])
async def test_banned_or_suspended_users_cannot_rename_themselves(app_client, action):
    headers = await sign_in(app_client, "offender", name="Offender One")
    me = (await app_client.get("/api/v1/me", headers=headers)).json()
    staff = await sign_in(app_client, "warden", name="Warden Person")
    await make_staff(app_client, staff)
    body = {"hours": 5} if action == "suspend" else {}
    res = await app_client.post(
        f"/api/v1/moderation/users/{me['id']}/{action}", json=body, headers=staff
    )
    assert res.status_code == 200, res.text
    res = await app_client.put("/api/v1/me/name", json={"name": "Fresh Start"}, headers=headers)
    assert res.status_code == 403, res.text
    assert res.json()["code"] == {"ban": "banned", "suspend": "suspended"}[action]
    assert (await app_client.get("/api/v1/me", headers=headers)).json()["name"] == "Offender One"

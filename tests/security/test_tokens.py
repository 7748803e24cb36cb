"""Forged, stale and replayed tokens are refused; passwords are stored as argon2 hashes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import pytest

from tests.conftest import SSO_SECRET
from tests.factories import sign_in, sso_token

# What a publisher's RSA public key looks like; an attacker can always obtain it.
PUBLIC_KEY_PEM = (
    "-----BEGIN PUBLIC KEY-----\n"
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n"
    "4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u\n"
    "-----END PUBLIC KEY-----\n"
)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _forge(header: dict, claims: dict, key: bytes | None, digest=hashlib.sha256) -> str:
    signing = _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())
    sig = _b64(hmac.new(key, signing.encode(), digest).digest()) if key is not None else ""
    return f"{signing}.{sig}"


def _claims(**over) -> dict:
    return {
        "sub": "mallory",
        "email": "mallory@example.org",
        "name": "Mallory Visitor",
        "premium": True,
        "aud": "default",
        "exp": int(time.time()) + 300,
        **over,
    }


FORGERIES = {
    "alg none": lambda: _forge({"alg": "none", "typ": "JWT"}, _claims(), None),
    "alg None": lambda: _forge({"alg": "None", "typ": "JWT"}, _claims(), None),
    "wrong key": lambda: sso_token("mallory", secret="not-the-site-secret-0123456789abcdef"),
    "expired": lambda: sso_token("mallory", expires_in=-120),
    "wrong audience": lambda: sso_token("mallory", aud="another-site"),
    "no audience": lambda: _forge({"alg": "HS256"}, _claims(aud=None), SSO_SECRET.encode()),
    "no expiry": lambda: _forge(
        {"alg": "HS256"}, {k: v for k, v in _claims().items() if k != "exp"}, SSO_SECRET.encode()
    ),
    "HS256 signed with the public key": lambda: _forge(
        {"alg": "HS256", "typ": "JWT"}, _claims(), PUBLIC_KEY_PEM.encode()
    ),
    "RS256 header": lambda: _forge({"alg": "RS256", "typ": "JWT"}, _claims(), SSO_SECRET.encode()),
    "HS512 with the right secret": lambda: _forge(
        {"alg": "HS512"}, _claims(), SSO_SECRET.encode(), hashlib.sha512
    ),
    "tampered claims": lambda: _tamper(sso_token("mallory", premium=False)),
    "empty signature": lambda: sso_token("mallory").rsplit(".", 1)[0] + ".",
    "garbage": lambda: "not.a.jwt",
    "a year of lifetime": lambda: sso_token("mallory", expires_in=365 * 86400),
    "expiry more than a day after issue": lambda: sso_token(
        "mallory", expires_in=600, iat=int(time.time()) - 2 * 86400
    ),
    "issued in the future": lambda: sso_token("mallory", iat=int(time.time()) + 3600),
    "audience as a list": lambda: sso_token("mallory", aud=["default", "another-site"]),
    "audience as a one-item list": lambda: sso_token("mallory", aud=["default"]),
}


def _tamper(token: str) -> str:
    head, body, sig = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["premium"] = True
    return f"{head}.{_b64(json.dumps(claims).encode())}.{sig}"


@pytest.mark.parametrize("attack", list(FORGERIES))
async def test_forged_or_stale_publisher_tokens_are_refused(app_client, attack) -> None:
    res = await app_client.post("/api/v1/auth/sso", json={"token": FORGERIES[attack]()})
    assert res.status_code == 401, res.text
    assert res.json()["code"] == "invalid-token"
    assert "token" not in res.json() or res.json().get("token") is None
    async with app_client.ctx.read() as tx:
        assert await tx.users.by_sso("default", "mallory") is None


async def test_a_valid_token_still_works(app_client) -> None:
    res = await app_client.post("/api/v1/auth/sso", json={"token": sso_token("alice")})
    assert res.status_code == 200


@pytest.mark.parametrize(
    "header",
    ["Bearer ", "Bearer forged-session-token", "Basic YWRtaW46YWRtaW4=", "Bearer " + "x" * 5000],
)
async def test_unknown_or_malformed_sessions_are_refused(app_client, header) -> None:
    res = await app_client.get("/api/v1/me", headers={"Authorization": header})
    assert res.status_code == 401
    assert res.json()["code"] == "unauthenticated"


async def test_a_session_replayed_after_logout_is_refused(app_client) -> None:
    headers = await sign_in(app_client, "leaver", name="Leaving Soon")
    other = await sign_in(app_client, "leaver")
    assert (await app_client.post("/api/v1/auth/logout", headers=headers)).status_code == 204
    for _ in range(2):
        res = await app_client.get("/api/v1/me", headers=headers)
        assert res.status_code == 401
        res = await app_client.post(
            "/api/v1/stories/s/comments", json={"body": "still here?"}, headers=headers
        )
        assert res.status_code == 401
    assert (await app_client.get("/api/v1/me", headers=other)).status_code == 200


async def test_session_tokens_are_stored_only_as_hashes(app_client) -> None:
    headers = await sign_in(app_client, "hashed", name="Hashed Session")
    token = headers["Authorization"].split()[1]
    async with app_client.ctx.read() as tx:
        from sqlalchemy import text

        stored = [r[0] for r in (await tx.conn.execute(text("SELECT token_hash FROM sessions")))]
    assert token not in stored
    assert hashlib.sha256(token.encode()).hexdigest() in stored


async def test_passwords_are_stored_as_argon2id_hashes(app_client) -> None:
    password = "correct horse battery staple"
    res = await app_client.post(
        "/api/v1/auth/register", json={"email": "pw@example.org", "password": password}
    )
    assert res.status_code == 201, res.text
    assert password not in res.text
    async with app_client.ctx.read() as tx:
        _user, digest = await tx.users.by_email("default", "pw@example.org")
    assert digest.startswith("$argon2id$")
    assert password not in digest
    res = await app_client.post(
        "/api/v1/auth/login", json={"email": "pw@example.org", "password": password}
    )
    assert res.status_code == 200


async def test_a_day_long_token_is_still_accepted(app_client) -> None:
    token = sso_token("daylong", expires_in=86400, iat=int(time.time()))
    res = await app_client.post("/api/v1/auth/sso", json={"token": token})
    assert res.status_code == 200, res.text


async def test_an_sso_subject_cannot_sign_in_as_an_imported_account(app_client) -> None:
    from tests.integration.test_porting import DATA
    from townhall.porting import reader_for
    from townhall.porting.importer import import_comments

    await import_comments(app_client.ctx, list(reader_for("disqus")(DATA / "disqus.xml")), "disqus")
    async with app_client.ctx.read() as tx:
        from sqlalchemy import text

        rows = (
            await tx.conn.execute(text("SELECT id, sso_sub FROM users WHERE sso_sub IS NOT NULL"))
        ).all()
    imported = {sub: uid for uid, sub in rows}
    assert imported, "the fixture file brings in authors"
    for sub, uid in imported.items():
        res = await app_client.post("/api/v1/auth/sso", json={"token": sso_token(sub)})
        assert res.status_code in (200, 401), res.text
        if res.status_code == 200:
            assert res.json()["user"]["id"] != uid, f"{sub} signed in as the imported account"

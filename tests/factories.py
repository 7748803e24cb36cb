"""Test factories: publisher tokens, signed-in clients, comments."""

from __future__ import annotations

import time
from typing import Any

import jwt

SSO_SECRET = "test-sso-secret-0123456789abcdef0123456789abcdef0123456789abcdef"


def sso_token(
    sub: str,
    *,
    name: str | None = None,
    email: str | None = None,
    premium: bool = False,
    expires_in: int = 300,
    aud: str = "default",
    secret: str = SSO_SECRET,
    algorithm: str = "HS256",
    **extra: Any,
) -> str:
    """A publisher JWT like a newsroom's login would sign."""
    claims: dict[str, Any] = {
        "sub": sub,
        "email": email or f"{sub}@example.org",
        "premium": premium,
        "exp": int(time.time()) + expires_in,
        "aud": aud,
        **extra,
    }
    if name is not None:
        claims["name"] = name
    return jwt.encode(claims, secret, algorithm=algorithm)


async def sign_in(
    client, sub: str, *, name: str | None = None, premium: bool = False
) -> dict[str, str]:
    """SSO sign-in; returns Authorization headers. Sets a commenting name when given."""
    res = await client.post("/api/v1/auth/sso", json={"token": sso_token(sub, premium=premium)})
    assert res.status_code == 200, res.text
    headers = {"Authorization": f"Bearer {res.json()['token']}"}
    if name:
        res = await client.put("/api/v1/me/name", json={"name": name}, headers=headers)
        assert res.status_code == 200, res.text
    return headers


async def post(
    client,
    headers,
    body: str = "A thoughtful point about the story.",
    *,
    story: str = "story-1",
    **extra: Any,
) -> dict:
    """Post a comment and return its JSON (asserting 201)."""
    res = await client.post(
        f"/api/v1/stories/{story}/comments", json={"body": body, **extra}, headers=headers
    )
    assert res.status_code == 201, res.text
    return res.json()


async def make_staff(client, headers, role: str = "moderator") -> None:
    """Promote the user behind these headers directly in the store."""
    me = (await client.get("/api/v1/me", headers=headers)).json()
    async with client.ctx.write() as tx:
        await tx.users.update(me["id"], role=role)

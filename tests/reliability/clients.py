"""HTTP helpers shared by the reliability and security suites (real server over loopback)."""

from __future__ import annotations

import itertools
import random

import httpx

from tests.factories import sso_token

_seq = itertools.count()


async def sign_in(
    client: httpx.AsyncClient, sub: str, *, name: str | None = None, premium: bool = False
) -> dict[str, str]:
    """SSO sign-in against a running server; optional commenting name; bearer headers."""
    res = await client.post("/api/v1/auth/sso", json={"token": sso_token(sub, premium=premium)})
    assert res.status_code == 200, res.text
    headers = {"Authorization": f"Bearer {res.json()['token']}"}
    if name:
        res = await client.put("/api/v1/me/name", json={"name": name}, headers=headers)
        assert res.status_code == 200, res.text
    return headers


_WORDS = (
    "council budget transport housing schools library parks rates bypass river bridge"
    " hospital nurses teachers buses trains cycling parking market harbour museum theatre"
    " festival farmers weather flooding planning heritage football cricket election mayor"
    " taxes pensions students rents energy recycling broadband tourism airport village"
    " orchestra bakery allotments footpath lighthouse ferry tramway canal reservoir"
).split()


def plain_body(tag: str) -> str:
    """A unique, harmless comment body that passes pre-moderation (no repeated text)."""
    n = next(_seq)
    rng = random.Random(f"{tag}-{n}")
    picked = ", ".join(rng.sample(_WORDS, 6))
    return f"Reader note {tag} {n}: thinking about {picked}; worth a closer look."

"""Characters databases choke on (NUL, lone surrogates) are refused with a 4xx, never a 500."""

from __future__ import annotations

import pytest

from tests.factories import sign_in

NUL = "nul\x00here"


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("POST", "/api/v1/stories/s/comments", {"body": "Fine text", "story_title": NUL}),
        ("POST", "/api/v1/stories/s/comments", {"body": "Fine text", "story_url": NUL}),
        ("POST", "/api/v1/stories/nul%00key/comments", {"body": "Fine text"}),
        ("POST", "/api/v1/stories/s/comments", {"body": NUL}),
        ("PUT", "/api/v1/me/name", {"name": NUL}),
        ("POST", "/api/v1/auth/register", {"email": "a@example.org", "password": NUL * 3}),
        ("POST", "/api/v1/auth/register", {"email": NUL + "@example.org", "password": "x" * 12}),
        ("POST", "/api/v1/auth/login", {"email": NUL + "@example.org", "password": NUL}),
        ("GET", "/api/v1/names/check?name=nul%00here", None),
        ("GET", "/api/v1/counts?story_id=nul%00here", None),
        ("GET", "/api/v1/stories/nul%00here/comments", None),
    ],
)
async def test_nul_characters_are_refused_not_crashed_on(app_client, method, path, payload):
    headers = await sign_in(app_client, "nul-user", name="Nul Tester")
    res = await app_client.request(method, path, json=payload, headers=headers)
    assert res.status_code == 422, res.text
    assert res.json()["errors"][0]["rule"] in ("characters", "format")


async def test_an_escaped_backslash_before_u0000_is_ordinary_text(app_client) -> None:
    headers = await sign_in(app_client, "slash-user", name="Slash Tester")
    body = "A Windows path: C:\\u0000 is just text."
    res = await app_client.post("/api/v1/stories/s/comments", json={"body": body}, headers=headers)
    assert res.status_code == 201, res.text

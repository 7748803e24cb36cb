"""CORS only for allowed origins; security headers on every page, API answer and error."""

from __future__ import annotations

import pytest

from tests.conftest import _client
from tests.factories import sign_in

ALLOWED = "https://news.example"
FOREIGN = "https://evil.example"


@pytest.fixture
async def client(db_url, make_settings):
    """The app with one configured embedding origin."""
    async with _client(make_settings(db_url, allowed_origins=(ALLOWED,))) as c:
        yield c


def _preflight(origin: str, method: str = "POST") -> dict:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "authorization, content-type",
    }


async def test_a_preflight_from_a_foreign_origin_is_refused(client) -> None:
    res = await client.options("/api/v1/stories/s/comments", headers=_preflight(FOREIGN))
    assert res.status_code == 403
    assert "access-control-allow-origin" not in res.headers
    assert res.json()["code"] == "origin-not-allowed"


async def test_a_preflight_from_an_allowed_origin_is_granted(client) -> None:
    res = await client.options("/api/v1/stories/s/comments", headers=_preflight(ALLOWED))
    assert res.status_code == 204
    assert res.headers["access-control-allow-origin"] == ALLOWED
    assert "Origin" in res.headers["vary"]
    assert "POST" in res.headers["access-control-allow-methods"]
    assert "access-control-allow-credentials" not in res.headers


async def test_foreign_origins_may_not_write_or_read_with_cors(client) -> None:
    headers = await sign_in(client, "cors-user", name="Cors User")
    res = await client.post(
        "/api/v1/stories/s/comments",
        json={"body": "Posted from a page that is not the publisher's."},
        headers={**headers, "Origin": FOREIGN},
    )
    assert res.status_code == 403
    assert res.json()["code"] == "origin-not-allowed"
    res = await client.get("/api/v1/me", headers={**headers, "Origin": FOREIGN})
    assert "access-control-allow-origin" not in res.headers
    res = await client.get("/api/v1/stories/s/comments", headers={"Origin": ALLOWED})
    assert res.headers["access-control-allow-origin"] == ALLOWED
    for lookalike in (ALLOWED + ".evil.example", "http://news.example", "null", ALLOWED + ":8443"):
        res = await client.options("/api/v1/stories/s/comments", headers=_preflight(lookalike))
        assert res.status_code == 403, lookalike


PAGES = ["/admin", "/admin/"]
API = [
    "/api/v1/stories/s/comments",
    "/api/v1/counts?story_id=s",
    "/api/v1/names/check?name=Some+Body",
    "/api/openapi.json",
    "/healthz",
    "/readyz",
    "/metrics",
    "/embed.js",
    "/static/embed.js",
    "/admin/assets/app.js",
    "/api/v1/me",
    "/api/v1/nothing-here",
    "/api/v1/comments/abc/replies",
    "/api/v1/moderation/queue",
]


async def test_every_response_carries_the_security_headers(client) -> None:
    for path in PAGES + API:
        res = await client.get(path)
        h = res.headers
        assert h.get("x-content-type-options") == "nosniff", path
        assert h.get("referrer-policy") == "strict-origin-when-cross-origin", path
        csp = h.get("content-security-policy", "")
        assert "frame-ancestors" in csp, path
        if path in PAGES:
            assert res.status_code == 200
            assert "script-src 'self'" in csp and "object-src 'none'" in csp, path
            assert "unsafe-eval" not in csp and "'unsafe-inline'" not in csp.split("style-src")[0]
            assert h.get("x-frame-options") == "SAMEORIGIN"
    for res in (
        await client.post("/api/v1/auth/login", content=b"x" * (70 * 1024)),
        await client.delete("/api/v1/counts"),
        await client.post("/api/v1/auth/login", content=b"{not json"),
    ):
        assert res.status_code in (400, 405, 413, 422)
        assert res.headers.get("x-content-type-options") == "nosniff"
        assert "frame-ancestors 'none'" in res.headers.get("content-security-policy", "")

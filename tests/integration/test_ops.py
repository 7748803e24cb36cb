"""Health, readiness, metrics, CORS and security headers."""

from __future__ import annotations

from tests.factories import post, sign_in


async def test_health_and_readiness(sqlite_client):
    assert (await sqlite_client.get("/healthz")).json() == {"status": "ok"}
    ready = await sqlite_client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"]["database"] == "ok"


async def test_metrics_count_comments_and_requests(sqlite_client):
    a = await sign_in(sqlite_client, "a", name="Anna")
    await post(sqlite_client, a, "counted in metrics")
    text = (await sqlite_client.get("/metrics")).text
    assert 'townhall_comments_total{status="published"}' in text
    assert 'townhall_http_requests_total{method="POST",status="2xx"}' in text


async def test_cors_only_for_allowed_origins(sqlite_url, make_settings):
    from tests.conftest import _client

    settings = make_settings(sqlite_url, allowed_origins="https://news.example.org")
    async with _client(settings) as client:
        pre = {
            "Origin": "https://news.example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        }
        ok = await client.options("/api/v1/stories/s/comments", headers=pre)
        assert ok.status_code == 204
        assert ok.headers["access-control-allow-origin"] == "https://news.example.org"
        evil = await client.options(
            "/api/v1/stories/s/comments", headers={**pre, "Origin": "https://evil.example"}
        )
        assert evil.status_code == 403
        assert "access-control-allow-origin" not in evil.headers
        read = await client.get(
            "/api/v1/stories/s/comments", headers={"Origin": "https://evil.example"}
        )
        assert "access-control-allow-origin" not in read.headers
        write = await client.post(
            "/api/v1/auth/login",
            json={"email": "a@b.cd", "password": "x"},
            headers={"Origin": "https://evil.example"},
        )
        assert write.status_code == 403 and write.json()["code"] == "origin-not-allowed"


async def test_security_headers_on_api_and_pages(sqlite_client):
    api = await sqlite_client.get("/api/v1/stories/s/comments")
    assert api.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in api.headers["content-security-policy"]
    assert api.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    docs = await sqlite_client.get("/api/openapi.json")
    assert docs.status_code == 200
    assert "/api/v1/stories/{story_id}/comments" in docs.json()["paths"]

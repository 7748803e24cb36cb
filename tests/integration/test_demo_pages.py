"""The demo site: the article, its guidelines and subscribe pages, HEAD requests."""

from __future__ import annotations

import httpx

from townhall.app import create_app
from townhall.services.sites import bootstrap_site


async def test_demo_pages_answer_get_and_head(sqlite_url, make_settings):
    app = create_app(make_settings(sqlite_url), demo=True)
    await bootstrap_site(app.state.ctx)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://demo.test") as client:
        page = await client.get("/")
        assert page.status_code == 200 and "<townhall-comments" in page.text
        assert 'src="http://demo.test/embed.js"' in page.text
        guidelines = await client.get("/community-guidelines")
        assert "Respond respectfully" in guidelines.text
        assert "Daily Ledger Premium" in (await client.get("/subscribe")).text
        for path in ("/", "/embed.js", "/subscribe"):
            assert (await client.head(path)).status_code == 200, path
        sneaky = await client.get('/?sso="><script>alert(1)</script>')
        assert "<script>alert" not in sneaky.text
    await app.state.ctx.db.dispose()

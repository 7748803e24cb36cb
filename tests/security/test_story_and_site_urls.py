"""Story addresses and titles come from readers' requests; site addresses from admins.
Only http(s) addresses of the publisher's own sites are kept, and never a form a
browser reads as another host (`//evil`, `/\\evil`)."""

from __future__ import annotations

import pytest

from tests.conftest import _client
from tests.factories import make_staff, post, sign_in

ORIGIN = "https://news.example"
HOSTILE_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "//evil.example/phish",
    "/\\evil.example/phish",
    "https:evil.example",
    "https://evil.example/phish",
    "https://news.example.evil.example/x",
    "https://news.example@evil.example/x",
    "ftp://news.example/x",
    "https://news.example/x\nSet-Cookie: a=b",
]


async def _story(client, key: str, headers) -> dict:
    res = await client.get(f"/api/v1/moderation/stories/{key}", headers=headers)
    assert res.status_code == 200, res.text
    return res.json()


@pytest.mark.parametrize("url", HOSTILE_URLS)
async def test_a_story_keeps_no_address_off_the_publishers_sites(db_url, make_settings, url):
    async with _client(make_settings(db_url, allowed_origins=ORIGIN)) as client:
        author = await sign_in(client, "first", name="First Commenter")
        staff = await sign_in(client, "mod", name="Night Desk")
        await make_staff(client, staff)
        await post(client, author, "First!", story="s1", story_url=url, story_title="Real")
        assert (await _story(client, "s1", staff))["url"] is None
        await post(client, author, "Again", story="s1", story_url=f"{ORIGIN}/real-story")
        assert (await _story(client, "s1", staff))["url"] == f"{ORIGIN}/real-story"


async def test_a_post_keeps_a_story_address_on_the_origin_it_reached(db_url, make_settings):
    """Pages this server serves itself (the demo article) name their own address: a post
    keeps a story address on the origin the request reached, and still no other."""
    async with _client(make_settings(db_url, allowed_origins=ORIGIN)) as client:
        author = await sign_in(client, "same-host", name="Same Host")
        staff = await sign_in(client, "mod", name="Night Desk")
        await make_staff(client, staff)
        await post(client, author, "Elsewhere", story="s2", story_url="http://other.test/a")
        assert (await _story(client, "s2", staff))["url"] is None
        await post(client, author, "Here", story="s2", story_url="http://testserver/article")
        assert (await _story(client, "s2", staff))["url"] == "http://testserver/article"


async def test_a_story_title_is_kept_as_plain_text(app_client):
    author = await sign_in(app_client, "titler", name="Title Setter")
    staff = await sign_in(app_client, "mod", name="Night Desk")
    await make_staff(app_client, staff)
    title = "<img src=x onerror=alert(1)>Budget\u202e row\n\n deepens &amp; <b>widens</b>"
    await post(app_client, author, "hello", story="t1", story_title=title)
    assert (await _story(app_client, "t1", staff))["title"] == "Budget row deepens & widens"


async def test_staff_correct_a_storys_title_and_address(db_url, make_settings):
    async with _client(make_settings(db_url, allowed_origins=ORIGIN)) as client:
        author = await sign_in(client, "squatter", name="Early Bird")
        await post(client, author, "first", story="s2", story_title="Wrong title")
        staff = await sign_in(client, "editor", name="Copy Chief")
        await make_staff(client, staff)
        res = await client.patch(
            "/api/v1/moderation/stories/s2",
            json={"title": "Right title", "url": f"{ORIGIN}/s2"},
            headers=staff,
        )
        assert res.status_code == 200, res.text
        assert (res.json()["title"], res.json()["url"]) == ("Right title", f"{ORIGIN}/s2")
        for bad in HOSTILE_URLS:
            res = await client.patch(
                "/api/v1/moderation/stories/s2", json={"url": bad}, headers=staff
            )
            assert res.status_code == 422, (bad, res.text)
            assert res.json()["errors"][0]["field"] == "url"
        log = await client.get("/api/v1/moderation/audit?action=story.settings", headers=staff)
        assert log.json()["entries"][0]["after"] == {"title": "Right title", "url": f"{ORIGIN}/s2"}
        page = (await client.get("/api/v1/stories/s2/comments")).json()
        assert page["story"]["url"] == f"{ORIGIN}/s2"


@pytest.mark.parametrize("key", ["learn_more_url", "guidelines_url"])
async def test_admin_address_settings_refuse_scripts_and_off_site_tricks(app_client, key):
    admin = await sign_in(app_client, "boss", name="Site Boss")
    await make_staff(app_client, admin, "admin")
    for bad in [u for u in HOSTILE_URLS if not u.startswith("https://")] + ["", " /x"]:
        res = await app_client.patch("/api/v1/admin/site", json={key: bad}, headers=admin)
        assert res.status_code == 422, (bad, res.text)
        assert res.json()["errors"][0] == {
            "field": key,
            "rule": "url",
            "message": res.json()["errors"][0]["message"],
        }
    for good in ("https://news.example/subscribe", "/subscribe", "http://localhost:8080/x"):
        res = await app_client.patch("/api/v1/admin/site", json={key: good}, headers=admin)
        assert res.status_code == 200, (good, res.text)


async def test_embedding_origins_must_be_http_origins(app_client):
    admin = await sign_in(app_client, "boss", name="Site Boss")
    await make_staff(app_client, admin, "admin")
    for bad in (["javascript:alert(1)"], ["https://news.example/path"], ["news.example"], ["*"]):
        res = await app_client.patch(
            "/api/v1/admin/site", json={"allowed_origins": bad}, headers=admin
        )
        assert res.status_code == 422, (bad, res.text)
        assert res.json()["errors"][0]["field"] == "allowed_origins"
    res = await app_client.patch(
        "/api/v1/admin/site", json={"allowed_origins": ["https://news.example"]}, headers=admin
    )
    assert res.status_code == 200

"""Catalogues over HTTP, the publisher's overrides and language settings, and language coverage."""

from __future__ import annotations

import pytest

from tests.factories import make_staff, sign_in
from townhall import i18n
from townhall.services import comments as comment_service

SITE = "/api/v1/admin/site"


@pytest.fixture(autouse=True)
def fresh_rules_cache():
    """Parsed rules are cached by content, which repeats across test databases."""
    comment_service._RULES.clear()


async def admin(client) -> dict[str, str]:
    headers = await sign_in(client, "admin", name="Vikram Rao")
    await make_staff(client, headers, "admin")
    return headers


async def test_the_language_list_names_each_language_its_direction_and_versions(app_client):
    res = await app_client.get("/api/v1/i18n")
    assert res.status_code == 200
    langs = {lang["code"]: lang for lang in res.json()["languages"]}
    assert set(langs) == set(i18n.CODES)
    assert langs["ar"]["dir"] == "rtl" and langs["de"]["name"] == "Deutsch"
    assert langs["de"]["versions"]["widget"] == i18n.version("widget", "de")


async def test_a_widget_catalogue_under_its_version_is_kept_for_a_year(app_client):
    current = i18n.version("widget", "de")
    res = await app_client.get(f"/api/v1/i18n/widget/de?v={current}")
    assert res.status_code == 200 and res.json()["heading"] == "Kommentare"
    assert res.headers["cache-control"] == "public, max-age=31536000, immutable"
    again = await app_client.get(
        f"/api/v1/i18n/widget/de?v={current}", headers={"If-None-Match": res.headers["etag"]}
    )
    assert again.status_code == 304
    stale = await app_client.get("/api/v1/i18n/widget/de?v=000000000000")
    assert stale.headers["cache-control"] == "public, no-cache"


async def test_an_unknown_language_or_surface_is_a_404_or_422(app_client):
    res = await app_client.get("/api/v1/i18n/widget/ru")
    assert res.status_code == 404 and res.json()["code"] == "not-found"
    res = await app_client.get("/api/v1/i18n/emails/de")
    assert res.status_code == 422


async def test_a_catalogue_request_with_an_unknown_or_overlong_parameter_is_refused(app_client):
    # The year-long cache must never hold an answer under an address that asked for more.
    res = await app_client.get("/api/v1/i18n/widget/de?lang=fr")
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "lang"
    res = await app_client.get("/api/v1/i18n/widget/de?v=" + "a" * 41)
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "v"
    res = await app_client.get("/api/v1/i18n/widget/" + "d" * 13)
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "lang"


async def test_overrides_ride_along_with_the_first_page_and_change_the_dashboard(app_client):
    headers = await admin(app_client)
    res = await app_client.patch(
        SITE,
        json={
            "language": "de",
            "messages": {
                "widget": {"de": {"heading": "Leserdebatte"}},
                "dashboard": {"de": {"nav.queues": "Posteingang"}},
            },
        },
        headers=headers,
    )
    assert res.status_code == 200, res.text
    assert res.json()["language"] == "de"
    assert res.json()["messages"]["widget"] == {"de": {"heading": "Leserdebatte"}}
    page = (await app_client.get("/api/v1/stories/story-1/comments")).json()
    assert page["site"]["language"] == "de"
    assert page["site"]["messages"] == {"de": {"heading": "Leserdebatte"}}
    dash = (await app_client.get("/api/v1/i18n/dashboard/de")).json()
    assert dash["nav.queues"] == "Posteingang" and dash["nav.users"] == "Nutzer"
    shipped = (await app_client.get("/api/v1/i18n/dashboard/de?shipped=true")).json()
    assert shipped["nav.queues"] == "Warteschlangen"


async def test_a_changed_text_reaches_readers_of_cached_pages_at_once(app_client):
    page = "/api/v1/stories/story-1/comments"
    await app_client.get(page)
    hits = app_client.ctx.cache.hits
    assert (await app_client.get(page)).json()["site"]["messages"] == {}
    assert app_client.ctx.cache.hits == hits + 1  # the page is served from the cache
    res = await app_client.patch(
        SITE,
        json={
            "language": "fi",
            "messages": {"widget": {"fi": {"heading": "Lukijoiden keskustelu"}}},
        },
        headers=await admin(app_client),
    )
    assert res.status_code == 200, res.text
    site = (await app_client.get(page)).json()["site"]
    assert site["language"] == "fi"
    assert site["messages"] == {"fi": {"heading": "Lukijoiden keskustelu"}}


@pytest.mark.parametrize(
    ("messages", "field", "rule"),
    [
        ({"widget": {"de": {"headline": "x"}}}, "messages.widget.de.headline", "unknown-key"),
        (
            {"widget": {"de": {"commentFrom": "Von {name}"}}},
            "messages.widget.de.commentFrom",
            "placeholders",
        ),
        (
            {"widget": {"fr": {"likes": {"one": "{count}", "other": "{count}"}}}},
            "messages.widget.fr.likes",
            "plural-forms",
        ),
        ({"widget": {"xx": {"heading": "x"}}}, "messages.widget.xx", "language"),
    ],
)
async def test_a_bad_override_is_refused_with_a_clear_422_and_nothing_stored(
    app_client, messages, field, rule
):
    headers = await admin(app_client)
    res = await app_client.patch(SITE, json={"messages": messages}, headers=headers)
    assert res.status_code == 422
    body = res.json()
    assert body["code"] == "validation"
    assert body["errors"][0]["field"] == field and body["errors"][0]["rule"] == rule
    assert (await app_client.get(SITE, headers=headers)).json()["messages"] == {}


async def test_an_unshipped_site_language_is_refused(app_client):
    headers = await admin(app_client)
    res = await app_client.patch(SITE, json={"language": "ru"}, headers=headers)
    assert res.status_code == 422 and res.json()["errors"][0]["rule"] == "language"


async def test_the_site_shows_catalogue_defaults_until_it_writes_its_own(app_client):
    site = (await app_client.get("/api/v1/stories/story-1/comments")).json()["site"]
    assert (site["heading"], site["call_to_action"], site["guidelines"]) == ("", "", [])
    assert site["language"] == "en" and site["messages"] == {}


async def test_a_german_and_a_spanish_swear_word_are_held(app_client):
    reader = await sign_in(app_client, "leser", name="Leserin")
    for body in (
        "Das ist doch totale Scheiße, was die Regierung da beschlossen hat.",
        "Esto es una mierda, el gobierno no ha consultado a nadie.",
    ):
        res = await app_client.post(
            "/api/v1/stories/story-1/comments", json={"body": body}, headers=reader
        )
        assert res.status_code == 201, res.text
        assert res.json()["status"] == "pending"
        assert res.json()["moderation"]["guideline"] == "swearing"


async def test_other_languages_follow_the_site_setting(app_client):
    headers = await admin(app_client)
    reader = await sign_in(app_client, "chitatel", name="Chitatel")
    body = {"body": "Этот комментарий написан по-русски, и никто его толком не проверяет."}
    res = await app_client.post("/api/v1/stories/story-1/comments", json=body, headers=reader)
    assert res.json()["status"] == "published"
    res = await app_client.patch(
        SITE, json={"moderation": {"other_languages": "hold"}}, headers=headers
    )
    assert res.status_code == 200 and res.json()["moderation"]["other_languages"] == "hold"
    # Different words, so the repeated-text check has nothing to say.
    body = {"body": "Школьную неделю сокращают, а родителей, как всегда, никто не спросил."}
    res = await app_client.post("/api/v1/stories/story-1/comments", json=body, headers=reader)
    assert res.json()["status"] == "pending"
    assert res.json()["moderation"]["guideline"] == "language"
    bad = await app_client.patch(
        SITE, json={"moderation": {"other_languages": "maybe"}}, headers=headers
    )
    assert bad.status_code == 422


async def test_staff_see_which_checks_cover_which_language(app_client):
    reader = await sign_in(app_client, "reader", name="Reader")
    assert (await app_client.get("/api/v1/moderation/languages", headers=reader)).status_code == 403
    mod = await sign_in(app_client, "mod", name="Helen")
    await make_staff(app_client, mod)
    res = await app_client.get("/api/v1/moderation/languages", headers=mod)
    assert res.status_code == 200
    checks = {c["check"]: c["languages"] for c in res.json()["checks"]}
    wording = {c["check"]: c["wording"] for c in res.json()["checks"]}
    assert set(checks["language_words"]) == set(i18n.CODES) - {"en"}
    assert checks["link_limit"] == "all" and wording["link_limit"] is None
    assert checks["toxicity"] == ["en"] and checks["incitement"] == ["en"]
    # Phone numbers are found in any language; "his mobile is ..." only in English.
    assert checks["private_info"] == "all" and wording["private_info"] == ["en"]
    assert res.json()["other_languages"] == "publish"


async def test_the_server_loads_the_language_model_before_its_first_request(
    sqlite_url, make_settings
):
    # Loaded on the first comment instead, it kept a freshly started server from answering
    # posts for a second or more (and on a busy machine for longer).
    from townhall.app import create_app
    from townhall.moderation import language

    language._identifier.cache_clear()
    app = create_app(make_settings(sqlite_url))
    try:
        async with app.router.lifespan_context(app):
            assert language._identifier.cache_info().currsize == 1
    finally:
        await app.state.ctx.db.dispose()

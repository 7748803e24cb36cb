"""Dashboard defences in real Chromium: no off-site story links, the SSO revoke button,
and the banner that tells staff about sign-in attacks on their accounts."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from tests.e2e import test_dashboard
from tests.e2e.test_dashboard import DEMO_DB, HELEN, VIKRAM, dashboard
from tests.e2e.widget_helpers import DEMO_PASSWORD, login, post_comment, sso_session, unique

dash_server = test_dashboard.dash_server  # the same private demo server, for this module

pytestmark = pytest.mark.browser

OFF_SITE = ["//evil.example/phish", "/\\evil.example/phish", "https:evil.example", "javascript:x"]


def _sql(base: str, statement: str, *params) -> None:
    conn = sqlite3.connect(DEMO_DB[base])
    try:
        conn.execute(statement, params)
        conn.commit()
    finally:
        conn.close()


def _attack(base: str, account: str, address: str) -> None:
    # The entry sign-in writes after repeated failures (tests/security/test_sign_in_limits.py
    # proves that); here it is written directly because this server runs without limits.
    _sql(
        base,
        "INSERT INTO audit_log (site_id, actor_id, actor_name, action, target_type, target_id,"
        " before, after, created_at) VALUES ('default', NULL, 'system',"
        " 'security.staff_sign_in_attack', 'user', '1', NULL, ?, ?)",
        json.dumps({"failures": 10, "account": account, "last_address": address}),
        datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" "),
    )


def test_story_addresses_that_leave_the_site_are_not_linked(page: Page, dash_server: str) -> None:
    author = sso_session(dash_server, name=unique("Linker"))
    texts = {}
    for n, url in enumerate(OFF_SITE):
        story = unique("offsite-")
        texts[url] = f"Comment on a story with a tricky address {n} {unique()}"
        post_comment(dash_server, author["token"], texts[url], story=story)
        # Stored as an older version would have kept it; the API no longer accepts it.
        _sql(dash_server, "UPDATE stories SET url = ? WHERE key = ?", url, story)
    dashboard(page, dash_server)
    page.goto(f"{dash_server}/admin#/queue/all")
    for text in texts.values():
        expect(page.locator("article.card", has_text=text)).to_be_visible()
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert not [h for h in hrefs if "evil" in h or h.startswith("javascript")], hrefs


def test_admins_revoke_the_previous_sso_secret_from_the_dashboard(
    page: Page, dash_server: str
) -> None:
    dashboard(page, dash_server, VIKRAM)
    page.get_by_role("link", name="Site settings").click()
    page.get_by_role("button", name="Rotate SSO secret").click()
    page.get_by_role("button", name="Rotate", exact=True).click()
    expect(page.get_by_label("New SSO secret (copy it now; it is not shown again)")).to_be_visible()
    expect(page.get_by_text("The previous secret is still accepted")).to_be_visible()
    page.get_by_role("button", name="Revoke previous SSO secret").click()
    page.get_by_role("button", name="Revoke", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("previous SSO secret is revoked")
    expect(page.get_by_text("Only the current secret is accepted.")).to_be_visible()
    expect(page.get_by_role("button", name="Revoke previous SSO secret")).to_be_hidden()
    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("cell", name="site.sso_secret_revoked").first).to_be_visible()


def test_staff_see_a_banner_about_sign_in_attacks_on_staff_accounts(
    page: Page, dash_server: str
) -> None:
    _attack(dash_server, "Vikram Rao", "198.51.100.7")
    dashboard(page, dash_server, HELEN)
    banner = page.get_by_role("alert").filter(has_text="Sign-in attack on staff accounts")
    expect(banner).to_contain_text("Vikram Rao")
    banner.get_by_role("link", name="See the audit log").click()
    expect(page.get_by_role("cell", name="security.staff_sign_in_attack").first).to_be_visible()


def _german_dashboard(page: Page, base: str, email: str) -> None:
    page.add_init_script("localStorage.setItem('townhall:admin:lang', 'de')")
    page.goto(f"{base}/admin")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")


def test_the_sign_in_attack_banner_and_the_sso_revoke_speak_german(
    page: Page, dash_server: str
) -> None:
    _attack(dash_server, "Helen Ortiz", "198.51.100.8")
    _german_dashboard(page, dash_server, VIKRAM)
    banner = page.locator("#security-alert")
    expect(banner).to_contain_text("Anmeldeangriff auf Konten des Teams in den letzten 24 Stunden")
    expect(banner).to_contain_text("Helen Ortiz")
    expect(banner).not_to_contain_text("Sign-in attack")
    expect(banner.get_by_role("link", name="Zum Protokoll")).to_be_visible()

    page.get_by_role("link", name="Website-Einstellungen").click()
    page.get_by_role("button", name="SSO-Geheimnis erneuern").click()
    page.get_by_role("button", name="Erneuern", exact=True).click()
    expect(
        page.get_by_text("Das vorherige Geheimnis wird bis zur nächsten Erneuerung")
    ).to_be_visible()
    page.get_by_role("button", name="Vorheriges SSO-Geheimnis widerrufen").click()
    expect(page.get_by_role("dialog")).to_contain_text("Damit signierte Tokens")
    page.get_by_role("button", name="Widerrufen", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(
        "Das vorherige SSO-Geheimnis ist widerrufen."
    )
    expect(page.get_by_text("Nur das aktuelle Geheimnis wird akzeptiert.")).to_be_visible()


def test_story_title_and_address_are_edited_in_german_and_a_foreign_address_refused_in_words(
    page: Page, dash_server: str
) -> None:
    author = login(dash_server, HELEN)  # not SSO: the tests above revoke its secret
    story = unique("titel-")
    post_comment(dash_server, author["token"], f"Ein Kommentar {unique()}", story=story)
    _german_dashboard(page, dash_server, HELEN)
    page.goto(f"{dash_server}/admin#/stories/{story}")
    form = page.get_by_role("form")
    form.get_by_label("Titel", exact=True).fill("Bahnpreise steigen erneut")
    form.get_by_label("Adresse", exact=True).fill("https://evil.example/phish")
    form.get_by_role("button", name="Artikeleinstellungen speichern").click()
    expect(page.locator("#alert")).to_contain_text(
        "url muss eine http(s)-Adresse sein oder ein Pfad, der mit genau einem / beginnt."
    )
    form.get_by_label("Adresse", exact=True).fill(f"{dash_server}/artikel/bahn")
    form.get_by_role("button", name="Artikeleinstellungen speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Bahnpreise steigen erneut")

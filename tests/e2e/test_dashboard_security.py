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
from tests.e2e.widget_helpers import post_comment, sso_session, unique

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
    # The entry sign-in writes after repeated failures (tests/security/test_sign_in_limits.py
    # proves that); here it is written directly because this server runs without limits.
    _sql(
        dash_server,
        "INSERT INTO audit_log (site_id, actor_id, actor_name, action, target_type, target_id,"
        " before, after, created_at) VALUES ('default', NULL, 'system',"
        " 'security.staff_sign_in_attack', 'user', '1', NULL, ?, ?)",
        json.dumps({"failures": 10, "account": "Vikram Rao", "last_address": "198.51.100.7"}),
        datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" "),
    )
    dashboard(page, dash_server, HELEN)
    banner = page.get_by_role("alert").filter(has_text="Sign-in attack on staff accounts")
    expect(banner).to_contain_text("Vikram Rao")
    banner.get_by_role("link", name="See the audit log").click()
    expect(page.get_by_role("cell", name="security.staff_sign_in_attack").first).to_be_visible()

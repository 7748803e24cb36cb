"""The moderator's journey in real Chromium: dashboard at /admin, effects seen in the widget."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import _chromium, private_demo
from tests.e2e.widget_helpers import (
    DEMO_PASSWORD,
    SAM,
    axe_violations,
    comment_by_text,
    open_demo,
    post_comment,
    sso_jwt,
    sso_session,
    unique,
    use_session,
)

HELEN = "helen.ward@example.org"  # the demo's moderator
VIKRAM = "vikram.rao@example.org"  # the demo's admin
TOXIC = "You are a pathetic idiot and a moron, nobody wants you here {}."
DEMO_DB: dict[str, Path] = {}  # each dash_server's SQLite file, by base URL


@pytest.fixture(scope="module")
def dash_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private `townhall demo`: these tests change settings other widget tests rely on."""
    _chromium()
    tmp = tmp_path_factory.mktemp("dash")
    with private_demo(tmp) as base:
        DEMO_DB[base] = tmp / "demo.sqlite3"
        yield base


def dashboard(page: Page, base: str, email: str = HELEN) -> None:
    """Sign in to /admin with the local form and wait for the Pending queue."""
    page.goto(f"{base}/admin")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Pending comments")).to_be_visible()


def card(page: Page, text: str):
    """The dashboard card whose comment contains `text`."""
    return page.locator("article.card", has_text=text)


def audit_actors(base: str, action: str) -> list[str]:
    """Actor names of the audit entries for one action (read as the admin)."""
    token = httpx.post(
        f"{base}/api/v1/auth/login", json={"email": VIKRAM, "password": DEMO_PASSWORD}
    ).json()["token"]
    res = httpx.get(
        f"{base}/api/v1/moderation/audit",
        params={"action": action},
        headers={"Authorization": f"Bearer {token}"},
    )
    return [e["actor_name"] for e in res.json()["entries"]]


def reader_page(browser: Browser, base: str, session: dict | None = None) -> Page:
    """A separate browser context (own storage) for a reader, optionally signed in."""
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    if session:
        use_session(page, base, session)
    return page


def test_commenter_is_told_moderators_only_and_pages_pass_axe(
    page: Page, dash_server: str, screens: Path
) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{dash_server}/admin")
    assert axe_violations(page) == []
    # Signed out: no account controls in the top bar.
    expect(page.locator("#who")).to_be_hidden()
    page.get_by_label("Email address").fill(SAM[0])
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Moderators only")).to_be_visible()
    expect(page.get_by_role("navigation", name="Dashboard sections")).to_be_hidden()
    page.get_by_role("button", name="Sign out").first.click()
    dashboard(page, dash_server)
    for view in ("#/queue/all", "#/users", "#/stories/demo-article", "#/audit"):
        page.goto(f"{dash_server}/admin{view}")
        page.wait_for_load_state("networkidle")
        assert axe_violations(page) == [], view
    page.goto(f"{dash_server}/admin#/queue/all")
    expect(page.locator("article.card").first).to_be_visible()
    page.screenshot(path=str(screens / "dashboard-all.png"))
    assert all(u.startswith(dash_server) or u.startswith("data:") for u in requests), requests


def test_held_comment_is_approved_with_the_keyboard_and_appears_in_the_widget(
    page: Page, browser: Browser, dash_server: str, screens: Path
) -> None:
    author = sso_session(dash_server, name=unique("Held"))
    text = TOXIC.format(unique())
    held = post_comment(dash_server, author["token"], text)
    assert held["status"] == "pending"

    reader = reader_page(browser, dash_server)
    w = open_demo(reader, dash_server)
    expect(w.get_by_text(text)).to_have_count(0)

    dashboard(page, dash_server)
    c = card(page, text)
    expect(c.get_by_role("heading", name=re.compile(r"^Comment by Held"))).to_be_visible()
    expect(c.get_by_text(re.compile(r"Held: contains"))).to_be_visible()
    expect(c.get_by_text("⚑ Abuse")).to_be_visible()
    expect(page.get_by_role("tab", name=re.compile(r"Pending \(\d+\)"))).to_be_visible()
    page.screenshot(path=str(screens / "dashboard-pending.png"))

    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    page.keyboard.press("Escape")
    while not c.evaluate("el => el === document.activeElement"):
        page.keyboard.press("j")
    page.keyboard.press("a")
    expect(c).to_have_count(0)
    expect(page.get_by_role("status")).to_contain_text("Approved.")

    # The reader's open widget learns of it live and offers it behind a button.
    w.get_by_role("button", name=re.compile(r"^View \d+ new comments?$")).click(timeout=15_000)
    expect(comment_by_text(w, text)).to_be_visible()
    w = open_demo(reader, dash_server)
    expect(comment_by_text(w, text)).to_be_visible()
    assert "HelenWard" in audit_actors(dash_server, "comment.approve")
    reader.context.close()


def test_reported_comment_is_rejected_and_its_author_suspended_from_the_card(
    page: Page, browser: Browser, dash_server: str
) -> None:
    author = sso_session(dash_server, name=unique("Rep"))
    text = f"The council should sell the car park {unique()}."
    comment = post_comment(dash_server, author["token"], text)
    flagger = sso_session(dash_server, name=unique("Flag"))
    res = httpx.post(
        f"{dash_server}/api/v1/comments/{comment['id']}/reports",
        json={"reason": "spam", "note": "advert for a car park"},
        headers={"Authorization": f"Bearer {flagger['token']}"},
    )
    assert res.status_code == 201
    reader = reader_page(browser, dash_server)
    open_widget = open_demo(reader, dash_server)
    expect(comment_by_text(open_widget, text)).to_be_visible()

    dashboard(page, dash_server)
    page.get_by_role("tab", name=re.compile("^Reported")).click()
    c = card(page, text)
    expect(c.get_by_text("advert for a car park")).to_be_visible()
    c.get_by_role("button", name=re.compile("^Reject comment by Rep")).click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Reason")).to_be_focused()
    assert axe_violations(page) == []
    # No reason is chosen until the moderator chooses one.
    expect(dialog.get_by_label("Reason")).to_have_value("")
    dialog.get_by_role("button", name="Reject").click()
    expect(dialog.get_by_role("alert")).to_have_text("Choose a reason for the rejection.")
    expect(c).to_be_visible()
    dialog.get_by_label("Reason").select_option("Spam or advertising")
    dialog.get_by_role("button", name="Reject").click()
    expect(c).to_have_count(0)

    # Gone from the reader's open page at once, and after a reload.
    expect(open_widget.get_by_text(text)).to_have_count(0, timeout=15_000)
    w = open_demo(reader, dash_server)
    expect(w.get_by_text(text)).to_have_count(0)
    assert "HelenWard" in audit_actors(dash_server, "comment.reject")

    page.get_by_role("tab", name=re.compile("^Rejected")).click()
    c = card(page, text)
    expect(c.get_by_text("Rejected: Spam or advertising")).to_be_visible()
    c.get_by_role("button", name=re.compile("^Suspend Rep")).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Duration").select_option("72")
    dialog.get_by_role("button", name="Suspend").click()
    expect(page.get_by_role("status")).to_contain_text("suspended until")

    # The author signs in again through the publisher (the demo page's ?sso= token).
    sub = author["user"]["email"].split("@")[0]
    own = reader_page(browser, dash_server)
    w = open_demo(own, dash_server, f"/?sso={sso_jwt(name=None, sub=sub)}")
    expect(
        w.get_by_text("Your account has been temporarily suspended from commenting.")
    ).to_be_visible()
    expect(w.get_by_text(re.compile("Please rejoin the conversation on"))).to_be_visible()
    expect(w.get_by_label("Add your comment")).to_have_count(0)
    # Already signed in before the suspension: the widget re-reads the account on load.
    signed_in = reader_page(browser, dash_server, author)
    w = open_demo(signed_in, dash_server)
    expect(
        w.get_by_text("Your account has been temporarily suspended from commenting.")
    ).to_be_visible()
    signed_in.context.close()
    assert "HelenWard" in audit_actors(dash_server, "user.suspend")
    reader.context.close()
    own.context.close()


def test_shadow_banned_users_comment_is_seen_by_them_only(
    page: Page, browser: Browser, dash_server: str
) -> None:
    author = sso_session(dash_server, name=unique("Shade"))
    dashboard(page, dash_server)
    page.keyboard.press("/")
    search = page.get_by_label("Name or e-mail")
    expect(search).to_be_focused()
    search.fill(author["user"]["name"])
    search.press("Enter")
    page.get_by_role("link", name=author["user"]["name"]).click()
    page.get_by_role("button", name="Shadow-ban").click()
    page.get_by_role("dialog").get_by_role("button", name="Shadow-ban").click()
    expect(page.get_by_text("Shadow-banned", exact=False).first).to_be_visible()

    text = f"Nobody will read this {unique()}."
    assert post_comment(dash_server, author["token"], text)["status"] == "published"
    own = reader_page(browser, dash_server, author)
    expect(comment_by_text(open_demo(own, dash_server), text)).to_be_visible()
    other = reader_page(browser, dash_server, sso_session(dash_server, name=unique("Other")))
    expect(open_demo(other, dash_server).get_by_text(text)).to_have_count(0)
    anonymous = reader_page(browser, dash_server)
    expect(open_demo(anonymous, dash_server).get_by_text(text)).to_have_count(0)
    assert "HelenWard" in audit_actors(dash_server, "user.shadowban")
    for p in (own, other, anonymous):
        p.context.close()


def test_bulk_selection_approves_several_comments(page: Page, dash_server: str) -> None:
    author = sso_session(dash_server, name=unique("Bulk"))
    texts = [f"wtf bulk {unique()}" for _ in range(2)]
    for text in texts:
        post_comment(dash_server, author["token"], text)
    dashboard(page, dash_server)
    for text in texts:
        card(page, text).get_by_role("checkbox").check()
    expect(page.get_by_text("2 selected")).to_be_visible()
    page.get_by_role("button", name="Approve selected").click()
    expect(page.get_by_role("status")).to_contain_text("Approved 2 comments.")
    for text in texts:
        expect(card(page, text)).to_have_count(0)


def test_story_and_site_settings_take_effect_without_restart(
    page: Page, browser: Browser, dash_server: str
) -> None:
    dashboard(page, dash_server, VIKRAM)
    page.get_by_role("link", name="Site settings").click()
    label = page.get_by_label("Premium label")
    expect(label).to_be_visible()
    assert axe_violations(page) == []
    label.fill("Ledger Plus")
    page.get_by_role("button", name="Save site settings").click()
    expect(page.get_by_role("status")).to_contain_text("Site settings saved")

    page.get_by_role("link", name="Stories").click()
    page.get_by_role("link", name=re.compile("^Four-day school week")).click()
    page.get_by_label("Closed for comments").check()
    page.get_by_role("button", name="Save story settings").click()
    expect(page.get_by_role("status")).to_contain_text("is closed")

    reader = reader_page(browser, dash_server, sso_session(dash_server, name=unique("Late")))
    w = open_demo(reader, dash_server)
    expect(w.get_by_role("tab", name="Ledger Plus")).to_be_visible()
    expect(w.get_by_text("Comments are closed on this story.")).to_be_visible()
    expect(w.get_by_label("Add your comment")).to_have_count(0)

    page.get_by_label("Closed for comments").uncheck()
    page.get_by_role("button", name="Save story settings").click()
    expect(page.get_by_role("status")).to_contain_text("is open")
    w = open_demo(reader, dash_server)
    expect(w.get_by_label("Add your comment")).to_be_visible()
    assert "VikramRao" in audit_actors(dash_server, "site.settings")
    assert audit_actors(dash_server, "story.settings")[:2] == ["VikramRao", "VikramRao"]

    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("cell", name="story.settings").first).to_be_visible()
    reader.context.close()


def test_dashboard_in_arabic_is_mirrored_says_which_checks_cover_which_language_and_passes_axe(
    page: Page, dash_server: str, screens: Path
) -> None:
    page.add_init_script("localStorage.setItem('townhall:admin:lang', 'ar')")
    page.goto(f"{dash_server}/admin")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    page.get_by_label("البريد الإلكتروني").fill(VIKRAM)
    page.get_by_label("كلمة المرور").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="تسجيل الدخول").click()
    expect(page.get_by_role("heading", name="التعليقات قيد الانتظار")).to_be_visible()
    page.get_by_role("link", name="اللغات").click()
    table = page.get_by_role("table", name="اللغات والفحوص التلقائية")
    row = table.get_by_role("row", name=re.compile("السباب والشتائم بلغة التعليق"))
    expect(row).to_contain_text("Deutsch")
    expect(row).to_contain_text("עברית")
    expect(table.get_by_role("row", name=re.compile("^المعلومات الخاصة"))).to_contain_text(
        "كل اللغات"
    )
    page.screenshot(path=str(screens / "dashboard-languages-ar.png"), full_page=True)
    assert axe_violations(page) == []


def test_an_admin_overrides_a_widget_text_in_german_and_a_bad_one_is_refused_in_words(
    page: Page, dash_server: str
) -> None:
    page.add_init_script("localStorage.setItem('townhall:admin:lang', 'de')")
    page.goto(f"{dash_server}/admin")
    page.get_by_label("E-Mail-Adresse").fill(VIKRAM)
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("link", name="Sprachen").click()
    texts = page.get_by_role("form", name="Texte")
    texts.get_by_label("Bereich").select_option("widget")
    texts.get_by_label("Sprache", exact=True).select_option("de")
    texts.get_by_label("Text suchen").fill("replyFrom")
    field = texts.get_by_label("replyFrom", exact=True)
    field.fill("Antwort von {name}")  # {when} left out
    texts.get_by_role("button", name="Texte speichern").click()
    expect(page.locator("#alert")).to_contain_text(
        "messages.widget.de.replyFrom muss dieselben Platzhalter"
    )
    expect(field).to_have_attribute("aria-invalid", "true")
    texts.get_by_label("Text suchen").fill("heading")
    texts.get_by_label("heading", exact=True).fill("Leserdebatte")
    texts.get_by_label("Text suchen").fill("replyFrom")
    texts.get_by_label("replyFrom", exact=True).fill("")
    texts.get_by_role("button", name="Texte speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Texte gespeichert.")
    site = httpx.get(f"{dash_server}/api/v1/stories/any-story/comments").json()["site"]
    assert site["messages"] == {"de": {"heading": "Leserdebatte"}}


def test_staff_erase_a_readers_account_on_request_and_it_is_audited(
    page: Page, dash_server: str
) -> None:
    name = unique("Erasable")
    reader = sso_session(dash_server, name=name)
    text = f"Please forget everything I wrote {unique()}."
    post_comment(dash_server, reader["token"], text)
    dashboard(page, dash_server)
    page.keyboard.press("/")
    search = page.get_by_label("Name or e-mail")
    search.fill(name)
    search.press("Enter")
    page.get_by_role("link", name=name).click()
    page.get_by_role("button", name="Erase account").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"Erase the account of {name}?")
    dialog.get_by_label("Their comments").select_option("delete")
    dialog.get_by_role("button", name="Erase account").click()
    expect(page.get_by_role("status")).to_contain_text(f"The account of {name} was erased.")
    gone = httpx.get(
        f"{dash_server}/api/v1/me", headers={"Authorization": f"Bearer {reader['token']}"}
    )
    assert gone.status_code == 401
    public = httpx.get(f"{dash_server}/api/v1/stories/demo-article/comments?limit=100").text
    assert name not in public and text not in public
    assert "HelenWard" in audit_actors(dash_server, "user.erase")

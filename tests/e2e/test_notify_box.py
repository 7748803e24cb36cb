"""The composer's "Notify me of replies" box: shown to readers with an e-mail address,
unticked until they tick it, and saved at once."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.widget_helpers import (
    axe_violations,
    open_demo,
    post_comment,
    sso_session,
    unique,
    use_session,
)

pytestmark = pytest.mark.browser


def test_ticking_notify_me_of_replies_saves_the_choice(page: Page, live_server: str) -> None:
    session = sso_session(live_server, name=unique("Nia"))
    use_session(page, live_server, session)
    w = open_demo(page, live_server)
    box = w.get_by_role("checkbox", name="Notify me of replies")
    expect(box).to_be_enabled()
    expect(box).not_to_be_checked()
    box.check()
    expect(w.get_by_role("status").first).to_have_text(
        "We will e-mail you when someone replies to you."
    )
    auth = {"Authorization": f"Bearer {session['token']}"}
    prefs = httpx.get(f"{live_server}/api/v1/me/preferences", headers=auth).json()
    assert prefs["notify_replies"] is True
    page.reload()
    w = open_demo(page, live_server)
    box = w.get_by_role("checkbox", name="Notify me of replies")
    expect(box).to_be_checked()
    box.uncheck()
    expect(box).to_be_enabled()
    prefs = httpx.get(f"{live_server}/api/v1/me/preferences", headers=auth).json()
    assert prefs["notify_replies"] is False


def test_the_bell_shows_a_reply_live_and_marks_it_read_and_the_story_can_be_followed(
    page: Page, live_server: str
) -> None:
    ann = sso_session(live_server, name=unique("Ann"))
    bo = sso_session(live_server, name=unique("Bo"))
    mine = post_comment(live_server, ann["token"], f"A question for the bell. {unique()}")
    post_comment(live_server, bo["token"], "A first answer.", parent_id=mine["id"])
    use_session(page, live_server, ann)
    w = open_demo(page, live_server)
    bell = w.get_by_role("button", name="Notifications")
    expect(bell).to_contain_text("Unread: 1")
    bell.click()
    expect(bell).to_have_attribute("aria-expanded", "true")
    expect(w.locator(".bell-list li").first).to_contain_text(
        f"{bo['user']['name']} replied to you on"
    )
    assert axe_violations(page) == []
    w.get_by_role("button", name="Mark all as read").click()
    expect(bell).not_to_contain_text("Unread")
    # Another reply while the page is open: the bell hears of it without a reload.
    post_comment(live_server, bo["token"], "A second answer.", parent_id=mine["id"])
    expect(bell).to_contain_text("Unread: 1")
    follow = w.get_by_role("button", name="Follow this story")
    expect(follow).to_have_attribute("aria-pressed", "false")
    follow.click()
    expect(follow).to_have_attribute("aria-pressed", "true")
    auth = {"Authorization": f"Bearer {ann['token']}"}
    res = httpx.get(f"{live_server}/api/v1/me/follows/demo-article", headers=auth)
    assert res.json() == {"following": True}
    follow.click()
    expect(follow).to_have_attribute("aria-pressed", "false")


def test_forgot_password_asks_for_the_address_then_says_a_link_is_on_its_way(
    page: Page, live_server: str
) -> None:
    w = open_demo(page, live_server)
    w.get_by_role("button", name="Sign in", exact=True).first.click()
    form = w.get_by_role("form", name="Sign in")
    forgot = form.get_by_role("button", name="Forgot your password?")
    forgot.click()
    expect(form.get_by_role("alert")).to_have_text(
        "Type your e-mail address first, then ask again."
    )
    form.get_by_label("Email").fill("sam.reader@example.org")
    forgot.click()
    expect(w.get_by_role("status").first).to_have_text(
        "If this address has an account, a link to choose a new password is on its way."
    )

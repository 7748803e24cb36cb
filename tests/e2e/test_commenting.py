"""Posting, replying, liking, reporting and deleting in a real browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.widget_helpers import (
    LEARN_PREMIUM,
    MARGARET,
    OPEN_TAB,
    PREMIUM_TAB,
    SAM,
    axe_violations,
    comment_by_text,
    login,
    open_demo,
    post_comment,
    sign_in_with_form,
    sso_session,
    unique,
    use_session,
)

pytestmark = pytest.mark.browser


def test_post_then_reply_then_like_and_unlike(page: Page, live_server: str, screens: Path) -> None:
    w = open_demo(page, live_server)
    sign_in_with_form(w, SAM[0])
    body = f"The Friday clubs need a guaranteed place for every child. {unique()}"
    w.get_by_label("Add your comment").fill(body)
    w.get_by_role("button", name="Post comment").click()
    mine = comment_by_text(w, body)
    expect(mine).to_be_focused()
    expect(w.locator("ol.list > li").first).to_contain_text(body)
    expect(w.get_by_role("status")).to_have_text("Your comment has been posted")
    expect(w.get_by_label("Add your comment")).to_have_value("")

    reply_body = f"Replying to myself with a second thought. {unique()}"
    mine.get_by_role("button", name=f"Reply to comment by {SAM[1]}").click()
    expect(w.get_by_label("Write a reply")).to_be_focused()
    w.get_by_label("Write a reply").fill(reply_body)
    w.get_by_role("button", name="Post reply").click()
    reply = comment_by_text(w, reply_body)
    expect(reply).to_be_focused()
    nested = w.locator("ol.list > li").first.locator("ol.replies article", has_text=reply_body)
    expect(nested).to_have_count(1)
    page.screenshot(path=str(screens / "signed-in-posted.png"))

    other = (
        w.locator("ol.list > li > article", has_not_text=body)
        .filter(has=page.get_by_role("button", name=re.compile("^Like comment by")))
        .first
    )
    like = other.get_by_role("button", name=re.compile("^Like comment by"))
    count = other.locator(".likes")
    before = int(count.inner_text().split()[0])
    expect(like).to_have_attribute("aria-pressed", "false")
    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(count).to_have_text(re.compile(rf"^{before + 1} likes?$"))
    like.click()
    expect(like).to_have_attribute("aria-pressed", "false")
    expect(count).to_have_text(re.compile(rf"^{before} likes?$"))


def test_own_comment_has_no_like_button(page: Page, live_server: str) -> None:
    session = sso_session(live_server, name=unique("Own"))
    body = f"My own words here. {unique()}"
    post_comment(live_server, session["token"], body)
    use_session(page, live_server, session)
    w = open_demo(page, live_server)
    mine = comment_by_text(w, body)
    expect(mine.get_by_role("button", name=re.compile("^Like"))).to_have_count(0)
    expect(mine.get_by_role("button", name="Delete your comment")).to_be_visible()


def test_keyboard_only_sign_in_and_posting(page: Page, live_server: str) -> None:
    w = open_demo(page, live_server)
    w.get_by_role("button", name="Skip to comment form").focus()
    page.keyboard.press("Enter")
    expect(w.get_by_role("button", name="Sign in", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(w.get_by_label("Email address")).to_be_focused()
    page.keyboard.type(SAM[0])
    page.keyboard.press("Tab")
    page.keyboard.type("ledger-demo-2026")
    page.keyboard.press("Enter")
    box = w.get_by_label("Add your comment")
    expect(box).to_be_focused()
    body = f"Typed without a mouse. {unique()}"
    page.keyboard.type(body)
    page.keyboard.press("Tab")
    expect(w.get_by_role("button", name="Post comment")).to_be_focused()
    page.keyboard.press("Enter")
    expect(comment_by_text(w, body)).to_be_focused()


def test_reply_composer_closes_with_escape_and_returns_focus(page: Page, live_server: str) -> None:
    session = login(live_server, SAM[0])
    use_session(page, live_server, session)
    w = open_demo(page, live_server)
    reply_btn = w.get_by_role("button", name=re.compile("^Reply to comment by")).first
    reply_btn.click()
    expect(w.get_by_label("Write a reply")).to_be_focused()
    page.keyboard.press("Escape")
    expect(w.get_by_label("Write a reply")).to_have_count(0)
    expect(reply_btn).to_be_focused()


def test_premium_posting_for_subscribers_and_refusal_for_others(
    page: Page, live_server: str, screens: Path, browser
) -> None:
    session = login(live_server, MARGARET[0])
    use_session(page, live_server, session)
    w = open_demo(page, live_server)
    w.get_by_role("tab", name=PREMIUM_TAB).click()
    expect(w.get_by_role("tab", name=PREMIUM_TAB)).to_have_attribute("aria-selected", "true")
    body = f"A subscriber's view on the transport budget. {unique()}"
    w.get_by_label("Add your comment").fill(body)
    w.get_by_role("button", name="Post comment").click()
    expect(comment_by_text(w, body)).to_be_focused()
    w.get_by_role("tab", name=OPEN_TAB).click()
    expect(w.locator("ol.list")).to_have_attribute("aria-busy", "false")
    expect(w.get_by_text(body)).to_have_count(0)

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    other = context.new_page()
    use_session(other, live_server, login(live_server, SAM[0]))
    w2 = open_demo(other, live_server)
    w2.get_by_role("tab", name=PREMIUM_TAB).click()
    expect(w2.get_by_text(body)).to_be_visible()
    refusal = w2.get_by_text(re.compile(r"^Only .*Premium subscribers can comment here\."))
    expect(refusal).to_be_visible()
    expect(refusal.get_by_role("link", name=LEARN_PREMIUM)).to_be_visible()
    expect(w2.get_by_label("Add your comment")).to_have_count(0)
    w2.screenshot(path=str(screens / "premium-refusal.png"))
    context.close()


def test_report_asks_for_confirmation_and_a_reason(
    page: Page, live_server: str, screens: Path
) -> None:
    author = sso_session(live_server, name=unique("Rep"))
    body = f"A perfectly ordinary opinion about timetables. {unique()}"
    post_comment(live_server, author["token"], body)
    use_session(page, live_server, sso_session(live_server, name=unique("Flagger")))
    w = open_demo(page, live_server)
    target = comment_by_text(w, body)
    report = target.get_by_role("button", name=re.compile("^Report comment by"))
    report.click()
    dialog = page.get_by_role("dialog", name="Report Comment")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Are you sure you want to mark this comment as inappropriate?")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(report).to_be_focused()

    report.click()
    expect(dialog).to_be_visible()
    radios = dialog.get_by_role("radio")
    assert radios.count() >= 2
    radios.nth(1).check()
    dialog.get_by_label("Add a note (optional)").fill("Checking the report flow.")
    page.screenshot(path=str(screens / "report-dialog.png"))
    dialog.get_by_role("button", name="Report", exact=True).click()
    expect(dialog).to_have_count(0)
    done = target.get_by_role("button", name="Reported")
    expect(done).to_have_attribute("aria-disabled", "true")
    expect(done).to_be_focused()


def test_delete_asks_first_and_leaves_a_tombstone_when_replied_to(
    page: Page, live_server: str, screens: Path
) -> None:
    me = sso_session(live_server, name=unique("Del"))
    other = sso_session(live_server, name=unique("Rpl"))
    parent_body = f"I might regret saying this. {unique()}"
    parent = post_comment(live_server, me["token"], parent_body)
    reply_body = f"A reply that should outlive its parent. {unique()}"
    post_comment(live_server, other["token"], reply_body, parent_id=parent["id"])
    lone_body = f"A comment nobody answered. {unique()}"
    post_comment(live_server, me["token"], lone_body)
    use_session(page, live_server, me)
    w = open_demo(page, live_server)

    target = comment_by_text(w, parent_body)
    delete = w.locator(f"#comment-{parent['id']} > article").get_by_role(
        "button", name="Delete your comment"
    )
    delete.click()
    dialog = page.get_by_role("dialog", name="Delete Comment")
    expect(dialog).to_contain_text("Are you sure you want to delete this comment?")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.screenshot(path=str(screens / "delete-dialog.png"))
    dialog.get_by_role("button", name="Cancel").click()
    expect(delete).to_be_focused()
    expect(target).to_be_visible()

    delete.click()
    dialog.get_by_role("button", name="Delete", exact=True).click()
    expect(w.get_by_text(parent_body)).to_have_count(0)
    tomb = w.locator(f"#comment-{parent['id']} > article")
    expect(tomb).to_have_text("This comment has been deleted")
    expect(w.get_by_text(reply_body)).to_be_visible()

    comment_by_text(w, lone_body).get_by_role("button", name="Delete your comment").click()
    dialog.get_by_role("button", name="Delete", exact=True).click()
    expect(w.get_by_text(lone_body)).to_have_count(0)

    page.reload()
    w = open_demo(page, live_server)
    expect(w.locator(f"#comment-{parent['id']} > article")).to_have_text(
        "This comment has been deleted"
    )
    expect(w.get_by_text(lone_body)).to_have_count(0)


def test_edit_within_the_window(page: Page, live_server: str) -> None:
    me = sso_session(live_server, name=unique("Edi"))
    body = f"First draft of my thoughts. {unique()}"
    posted = post_comment(live_server, me["token"], body)
    use_session(page, live_server, me)
    w = open_demo(page, live_server)
    comment_by_text(w, body).get_by_role("button", name="Edit your comment").click()
    box = w.get_by_role("textbox", name="Update your comment")
    expect(box).to_be_focused()
    expect(box).to_have_value(body)
    box.fill(body.replace("First", "Second"))
    w.get_by_role("button", name="Save changes").click()
    updated = w.locator(f"#comment-{posted['id']} > article")
    expect(updated).to_contain_text("Second draft of my thoughts.")
    expect(updated).to_be_focused()


def test_share_copies_the_permalink(page: Page, live_server: str) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    w = open_demo(page, live_server)
    first = w.locator("ol.list > li").first
    comment_id = first.get_attribute("data-id")
    first.locator(":scope > article").get_by_role(
        "button", name=re.compile("^Share comment by")
    ).click()
    expect(w.get_by_role("status")).to_have_text("Link copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{live_server}/#comment-{comment_id}"


def test_signed_in_page_has_no_serious_accessibility_violations(
    page: Page, live_server: str
) -> None:
    use_session(page, live_server, login(live_server, SAM[0]))
    w = open_demo(page, live_server)
    expect(w.get_by_label("Add your comment")).to_be_visible()
    assert axe_violations(page) == []
    w.get_by_role("button", name=re.compile("^Report comment by")).first.click()
    expect(page.get_by_role("dialog", name="Report Comment")).to_be_visible()
    assert axe_violations(page) == []


def test_server_refuses_a_premium_post_from_a_non_subscriber_with_learn_more(
    page: Page, live_server: str
) -> None:
    session = sso_session(live_server, name=unique("Lapsed"), premium=False)
    stale = {**session, "user": {**session["user"], "premium": True}}
    use_session(page, live_server, stale)
    # The reader's subscription lapsed after the page cached them as premium.
    page.route(re.compile(r"/api/v1/me$"), lambda route: route.fulfill(json=stale["user"]))
    w = open_demo(page, live_server)
    w.get_by_role("tab", name=PREMIUM_TAB).click()
    w.get_by_label("Add your comment").fill(f"Still a subscriber, surely? {unique()}")
    w.get_by_role("button", name="Post comment").click()
    error = w.locator(".composer .err")
    expect(error).to_contain_text("Premium subscribers can comment here.")
    expect(error.get_by_role("link", name=LEARN_PREMIUM)).to_be_visible()

"""Checking a draft before it is posted: the author is told why, may edit or post anyway."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, Route, expect

from tests.e2e.widget_helpers import (
    add_widget,
    axe_violations,
    comment_by_text,
    open_demo,
    sso_session,
    unique,
    use_session,
)

pytestmark = pytest.mark.browser

NUMBER = "07700 900412"
WHY_PRIVATE = "It may reveal private information about someone"
HOLD_TITLE = "Before you post: a moderator would need to review this comment."
CHECKS = re.compile(r"/api/v1/comments/check$")


def doxx(tag: str) -> str:
    """A draft that shares a third party's phone number (held for private information)."""
    return f"My neighbour's mobile is {NUMBER}, ring him tonight and tell him. {tag}"


def signed_in_story(page: Page, base: str, prefix: str) -> tuple[Locator, str]:
    """A fresh story's comment section, open for a new signed-in commenter."""
    story = unique(prefix)
    use_session(page, base, sso_session(base, name=unique("Chk")))
    open_demo(page, base)
    return add_widget(page, story), story


def check_bodies(page: Page) -> list[str]:
    """Collects the body of every check request the page makes."""
    seen: list[str] = []
    page.on(
        "request",
        lambda r: seen.append(r.post_data_json["body"]) if CHECKS.search(r.url) else None,
    )
    return seen


def test_a_violating_draft_is_explained_with_its_passage_marked_and_editing_it_away_clears_it(
    page: Page, live_server: str, screens: Path
) -> None:
    w, _ = signed_in_story(page, live_server, "check-edit-")
    asked = check_bodies(page)
    box = w.get_by_label("Add your comment")
    draft = doxx(unique())
    box.fill(draft)

    notice = w.get_by_role("group", name=HOLD_TITLE)
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(WHY_PRIVATE)
    expect(notice).to_contain_text("Remove the personal details.")
    expect(notice.locator("mark")).to_have_count(1)
    expect(notice.locator("mark")).to_have_text(NUMBER)
    expect(notice).to_contain_text("neighbour's mobile is")
    expect(w.locator(".precheck")).to_have_attribute("aria-live", "polite")
    expect(box).to_have_attribute("aria-describedby", re.compile(r"-check$"))
    assert axe_violations(page) == []
    notice.scroll_into_view_if_needed()
    w.screenshot(path=str(screens / "check-before-posting.png"))

    # Post again over the same text: no second check, the choice is in the notice.
    assert asked.count(draft) == 1
    w.get_by_role("button", name="Post comment").click()
    expect(notice.get_by_role("button", name="Edit the passage")).to_be_focused()
    assert asked.count(draft) == 1

    # Edit: the passage is selected in the textarea; typing replaces it.
    page.keyboard.press("Enter")
    expect(box).to_be_focused()
    selected = box.evaluate("t => t.value.slice(t.selectionStart, t.selectionEnd)")
    assert selected == NUMBER
    page.keyboard.type("his number, which I won't share")
    expect(notice).to_have_count(0)
    expect(w.locator(".precheck")).to_have_text("Nothing in your comment needs review now.")
    expect(box).not_to_have_attribute("aria-describedby", re.compile("check"))

    w.get_by_role("button", name="Post comment").click()
    mine = comment_by_text(w, "which I won't share")
    expect(mine).to_be_focused()
    expect(mine).not_to_contain_text("awaiting review")


def test_post_anyway_holds_the_comment_and_only_its_author_sees_why_even_after_reload(
    page: Page, browser: Browser, live_server: str
) -> None:
    w, story = signed_in_story(page, live_server, "check-anyway-")
    tag = unique()
    w.get_by_label("Add your comment").fill(doxx(tag))
    notice = w.get_by_role("group", name=HOLD_TITLE)
    expect(notice).to_contain_text("a moderator will read it before it appears")
    notice.get_by_role("button", name="Post anyway").click()

    mine = comment_by_text(w, tag)
    expect(mine).to_be_focused()
    for seen in (mine, None):
        if seen is None:
            page.reload()
            open_demo(page, live_server)
            seen = comment_by_text(add_widget(page, story), tag)
        expect(seen).to_contain_text("Your comment is awaiting review")
        expect(seen).to_contain_text(WHY_PRIVATE)
        expect(seen.locator(".passage")).to_have_text(f"The passage: “{NUMBER}”")
    expect(w.get_by_role("group", name=HOLD_TITLE)).to_have_count(0)

    public = httpx.get(f"{live_server}/api/v1/stories/{story}/comments").json()
    assert public["total"] == 0 and public["comments"] == []
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        other = context.new_page()
        use_session(other, live_server, sso_session(live_server, name=unique("Oth")))
        open_demo(other, live_server)
        w2 = add_widget(other, story)
        expect(w2.get_by_text("There are no comments yet")).to_be_visible()
        expect(w2.get_by_text(tag)).to_have_count(0)
        expect(w2.get_by_text(WHY_PRIVATE)).to_have_count(0)
    finally:
        context.close()


def test_a_clean_draft_is_checked_and_posted_with_no_notice(page: Page, live_server: str) -> None:
    w, _ = signed_in_story(page, live_server, "check-clean-")
    asked = check_bodies(page)
    body = f"The fare rise hits commuters in the north hardest. {unique()}"
    w.get_by_label("Add your comment").fill(body)
    w.get_by_role("button", name="Post comment").click()
    mine = comment_by_text(w, body)
    expect(mine).to_be_focused()
    expect(w.get_by_role("status")).to_have_text("Your comment has been posted")
    assert body in asked
    expect(w.locator(".precheck .check")).to_have_count(0)
    expect(w.locator("mark")).to_have_count(0)


@pytest.mark.parametrize("failure", ["429", "network"])
def test_a_failed_check_never_stops_a_post(page: Page, live_server: str, failure: str) -> None:
    def refuse(route: Route) -> None:
        if failure == "network":
            route.abort("connectionrefused")
        else:
            route.fulfill(
                status=429,
                headers={"Retry-After": "30", "Access-Control-Allow-Origin": "*"},
                content_type="application/problem+json",
                body='{"code": "rate-limited", "status": 429}',
            )

    page.route(CHECKS, refuse)
    w, _ = signed_in_story(page, live_server, "check-fail-")
    tag = unique()
    w.get_by_label("Add your comment").fill(doxx(tag))
    w.get_by_role("button", name="Post comment").click()
    mine = comment_by_text(w, tag)
    expect(mine).to_contain_text("Your comment is awaiting review")
    expect(w.get_by_role("group", name=HOLD_TITLE)).to_have_count(0)


def test_the_passage_is_marked_exactly_after_characters_javascript_counts_twice(
    page: Page, live_server: str
) -> None:
    # The server counts characters (code points); an emoji is two units in a JavaScript string.
    w, _ = signed_in_story(page, live_server, "check-emoji-")
    w.get_by_label("Add your comment").fill(f"🎉🎉 Party over: {doxx(unique())}")
    notice = w.get_by_role("group", name=HOLD_TITLE)
    expect(notice.locator("mark")).to_have_text(NUMBER)
    notice.get_by_role("button", name="Edit the passage").click()
    box = w.get_by_label("Add your comment")
    assert box.evaluate("t => t.value.slice(t.selectionStart, t.selectionEnd)") == NUMBER

"""Live updates in real browsers: two readers on one story, one of them posts."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.widget_helpers import (
    comment_by_text,
    login,
    open_demo,
    post_comment,
    sso_session,
    unique,
    use_session,
)

pytestmark = pytest.mark.browser


def count_of(w) -> int:
    """The comment total the widget shows next to its heading."""
    text = w.get_by_role("heading", name="Comments", exact=False).first.inner_text()
    return int(text.rsplit("(", 1)[1].rstrip(")"))


def test_a_comment_posted_in_one_page_appears_as_one_new_comment_in_the_other(
    page: Page, browser: Browser, live_server: str, screens: Path
) -> None:
    writer = sso_session(live_server, name=unique("Writer"))
    use_session(page, live_server, writer)
    w_writer = open_demo(page, live_server)

    reader_context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        reader_page = reader_context.new_page()
        w_reader = open_demo(reader_page, live_server)
        before = count_of(w_reader)
        first_shown = w_reader.locator("ol.list > li").first.get_attribute("data-id")

        body = f"The night buses should run every twenty minutes. {unique()}"
        w_writer.get_by_label("Add your comment").fill(body)
        w_writer.get_by_role("button", name="Post comment").click()
        expect(comment_by_text(w_writer, body)).to_be_visible()

        new_button = w_reader.get_by_role("button", name="View 1 new comment", exact=True)
        expect(new_button).to_be_visible(timeout=10_000)
        expect(w_reader.locator("ol.list > li").first).to_have_attribute("data-id", first_shown)
        expect(w_reader.locator("article", has_text=body)).to_have_count(0)
        expect(w_reader.get_by_role("heading", name="Comments", exact=False).first).to_contain_text(
            f"({before + 1})"
        )
        w_reader.screenshot(path=str(screens / "live-new-comment-button.png"))

        new_button.click()
        shown = comment_by_text(w_reader, body)
        expect(shown).to_be_visible()
        expect(shown).to_be_focused()
        expect(new_button).to_be_hidden()
        expect(w_writer.locator("button.newbar")).to_be_hidden()
    finally:
        reader_context.close()


def test_new_comments_are_counted_not_inserted_while_reading(page: Page, live_server: str) -> None:
    w = open_demo(page, live_server)
    poster = sso_session(live_server, name=unique("Poster"))
    top = w.locator("ol.list > li").first.get_attribute("data-id")
    for label in ("View 1 new comment", "View 2 new comments", "View 3 new comments"):
        post_comment(live_server, poster["token"], f"Live update: {label}. {unique()}")
        expect(w.get_by_role("button", name=label, exact=True)).to_be_visible(timeout=10_000)
    expect(w.locator("ol.list > li").first).to_have_attribute("data-id", top)


def test_a_comment_removed_by_a_moderator_leaves_open_pages(page: Page, live_server: str) -> None:
    w = open_demo(page, live_server)
    poster = sso_session(live_server, name=unique("Poster"))
    body = f"This one will not stay up for long. {unique()}"
    sent = post_comment(live_server, poster["token"], body)
    w.get_by_role("button", name="View 1 new comment", exact=True).click()
    expect(comment_by_text(w, body)).to_be_visible()
    # The widget keeps a comment that holds the focus; a reader who moved on has not.
    page.evaluate("document.activeElement && document.activeElement.blur()")

    moderator = login(live_server, "helen.ward@example.org")
    res = httpx.post(
        f"{live_server}/api/v1/moderation/comments/{sent['id']}/reject",
        json={"reason": "Personal abuse"},
        headers={"Authorization": f"Bearer {moderator['token']}"},
    )
    assert res.status_code == 200, res.text
    expect(w.locator("article", has_text=body)).to_have_count(0, timeout=10_000)


def test_an_edit_shows_in_place_on_open_pages(page: Page, live_server: str) -> None:
    w = open_demo(page, live_server)
    poster = sso_session(live_server, name=unique("Ferrywatcher"))
    body = f"The depot closes at nine. {unique()}"
    sent = post_comment(live_server, poster["token"], body)
    w.get_by_role("button", name="View 1 new comment", exact=True).click()
    expect(comment_by_text(w, body)).to_be_visible()
    page.evaluate("document.activeElement && document.activeElement.blur()")

    corrected = f"Correction: the depot closes at ten. {unique()}"
    res = httpx.patch(
        f"{live_server}/api/v1/comments/{sent['id']}",
        json={"body": corrected},
        headers={"Authorization": f"Bearer {poster['token']}"},
    )
    assert res.status_code == 200, res.text
    article = w.locator(f"#comment-{sent['id']} > article")
    expect(article).to_contain_text(corrected, timeout=10_000)
    expect(article).not_to_contain_text(body)

"""A widget without a story-id on a nested page: the page's path is the story id, and every
story route, the live stream included, works with it."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.widget_helpers import comment_by_text, sso_session, unique, use_session, widget

pytestmark = pytest.mark.browser

ARTICLE = "/news/world/article-1.html"


def _open(page: Page, url: str):
    """Open the article and wait until its comments are listed and its live stream answered."""
    with page.expect_response(lambda r: "/events" in r.url and r.status == 200):
        page.goto(url)
        w = widget(page)
        w.scroll_into_view_if_needed()
        expect(w.get_by_role("heading", name="Comments", exact=False).first).to_be_visible()
    expect(w.locator("ol.list")).to_have_attribute("aria-busy", "false")
    return w


def test_a_nested_page_without_story_id_gets_new_comments_live(
    page: Page, browser: Browser, live_server: str, publisher_site: str, screens: Path
) -> None:
    url = publisher_site + ARTICLE
    writer = sso_session(live_server, name=unique("Writer"))
    use_session(page, live_server, writer)
    w_writer = _open(page, url)

    reader_context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        reader_page = reader_context.new_page()
        w_reader = _open(reader_page, url)

        body = f"The nested article's own comment section works. {unique()}"
        w_writer.get_by_label("Add your comment").fill(body)
        w_writer.get_by_role("button", name="Post comment").click()
        expect(comment_by_text(w_writer, body)).to_be_visible()

        # Live, not by polling (the widget falls back to polling about once a minute).
        new_button = w_reader.get_by_role("button", name="View 1 new comment", exact=True)
        expect(new_button).to_be_visible(timeout=2_000)
        new_button.click()
        expect(comment_by_text(w_reader, body)).to_be_visible()
        w_reader.screenshot(path=str(screens / "nested-path-live.png"))
    finally:
        reader_context.close()

    listed = httpx.get(f"{live_server}/api/v1/stories/{quote(ARTICLE, safe='')}/comments").json()
    assert listed["story"]["id"] == ARTICLE
    assert any(body in c["body_html"] for c in listed["comments"])

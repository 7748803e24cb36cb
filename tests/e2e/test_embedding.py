"""Embedding on a publisher's own site: cross-origin from an allowed origin, refused from others."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.widget_helpers import SAM, comment_by_text, sign_in_with_form, unique, widget

pytestmark = pytest.mark.browser


def test_allowed_publisher_origin_reads_signs_in_and_posts(
    page: Page, live_server: str, publisher_site: str, screens: Path
) -> None:
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI), true);"
    )
    page.goto(f"{publisher_site}/index.html")
    w = widget(page)
    w.scroll_into_view_if_needed()
    expect(
        w.get_by_text("There are no comments yet - be the first to add your thoughts")
    ).to_be_visible()
    sign_in_with_form(w, SAM[0])
    body = f"Posted from the publisher's own domain. {unique()}"
    w.get_by_label("Add your comment").fill(body)
    w.get_by_role("button", name="Post comment").click()
    mine = comment_by_text(w, body)
    expect(mine).to_be_focused()
    expect(w.get_by_role("heading", name="Comments (1)")).to_be_visible()
    w.screenshot(path=str(screens / "publisher-embed.png"))
    mine.get_by_role("button", name="Delete your comment").click()
    dialog = page.get_by_role("dialog", name="Delete Comment")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()
    assert page.evaluate("window.__csp") == [], "works under a strict CSP"
    page.evaluate(
        "document.head.append(Object.assign(document.createElement('style'), {textContent: 'p{}'}))"
    )
    # The policy is really in force: an inline style is refused. (Polled from Python because
    # wait_for_function would itself need 'unsafe-eval' on this page.)
    for _ in range(50):
        if page.evaluate("window.__csp.length"):
            break
        page.wait_for_timeout(100)
    assert page.evaluate("window.__csp.length") > 0
    stray = [u for u in seen if not u.startswith((publisher_site, live_server))]
    assert stray == []
    page_requests = [u for u in seen if u.startswith(publisher_site)]
    assert page_requests == [f"{publisher_site}/index.html"], "only the page itself"

    listed = httpx.get(f"{live_server}/api/v1/stories/publisher-story/comments").json()
    assert listed["story"]["title"] == "Publisher story publisher-story"
    assert any(body in c["body_html"] for c in listed["comments"])


def test_widget_elsewhere_on_an_unlisted_origin_fails_quietly(
    page: Page, live_server: str, publisher_site: str
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    unlisted = publisher_site.replace("127.0.0.1", "localhost")
    page.goto(f"{unlisted}/other.html")
    expect(page.get_by_role("heading", level=1)).to_have_text("Publisher story publisher-other")
    w = widget(page)
    w.scroll_into_view_if_needed()
    expect(w.get_by_text("Comments could not be loaded.")).to_be_visible()
    expect(w.get_by_role("button", name="Try again")).to_be_visible()
    assert errors == []

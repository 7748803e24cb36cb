"""Every state of the comment section at 1280 and 375 px, light and dark: screenshots, axe clean.

Screenshots go to test-results/screens/ (git-ignored) for visual review.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from tests.e2e.widget_helpers import (
    PREMIUM_TAB,
    SAM,
    axe_violations,
    comment_by_text,
    open_demo,
    sign_in_with_form,
    unique,
)

pytestmark = pytest.mark.browser
POSTS = re.compile(r"/api/v1/stories/[^/]+/comments$")
ME = re.compile(r"/api/v1/me$")


def _answer(data: dict):
    return lambda route: route.fulfill(json=data)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 375])
def test_every_state_is_drawn_and_accessible(
    page: Page, live_server: str, screens: Path, width: int, scheme: str
) -> None:
    page.set_viewport_size({"width": width, "height": 800 if width > 400 else 740})
    page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    tag = f"{width}-{scheme}"

    def shot(name: str, target=None) -> None:
        if target is not None:
            target.scroll_into_view_if_needed()
        page.screenshot(path=str(screens / f"{name}-{tag}.png"))

    w = open_demo(page, live_server)
    shot("signed-out", w.get_by_role("region", name="Community guidelines"))
    assert axe_violations(page) == []
    first = w.locator("ol.list > li").first.locator(":scope > article")
    first.get_by_role("button", name=re.compile("^Share comment by")).click()
    expect(w.get_by_role("status")).to_have_text("Link copied")
    shot("toast-link-copied", first)
    w.get_by_role("tab", name=PREMIUM_TAB).click()
    expect(w.locator("ol.list")).to_have_attribute("aria-busy", "false")
    shot("premium-stream", w.get_by_role("tablist"))
    w.get_by_role("tab", name=re.compile("^Open discussion")).click()
    expect(w.locator("ol.list")).to_have_attribute("aria-busy", "false")

    sign_in_with_form(w, SAM[0])
    expect(w.get_by_label("Add your comment")).to_be_visible()
    shot("signed-in", w.get_by_label("Add your comment"))
    assert axe_violations(page) == []

    w.get_by_role("button", name=re.compile("^Report comment by")).first.click()
    dialog = page.get_by_role("dialog", name="Report Comment")
    dialog.get_by_role("button", name="Report", exact=True).click()
    expect(dialog.get_by_role("alert")).to_be_visible()
    shot("report-dialog-no-reason")
    assert axe_violations(page) == []
    page.keyboard.press("Escape")

    answers = [
        (422, {"code": "comment-rejected", "guideline": "abuse", "reason": "insult"}),
        (0, None),
    ]

    def refuse(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        status, extra = answers.pop(0)
        if not status:
            route.abort()
            return
        body = {"type": f"/problems/{extra['code']}", "title": "x", "status": status, "detail": "x"}
        route.fulfill(
            status=status,
            content_type="application/problem+json",
            body=json.dumps({**body, **extra}),
        )

    page.route(POSTS, refuse)
    box = w.get_by_label("Add your comment")
    box.fill("A draft the server refuses.")
    w.get_by_role("button", name="Post comment").click()
    expect(w.locator(".composer .err")).to_contain_text("rejected")
    shot("rejected-on-submit", box)
    w.get_by_role("button", name="Post comment").click()
    expect(w.locator(".composer .err")).to_have_text("Your comment was not posted. Try again.")
    shot("post-failed", box)
    page.unroute(POSTS)

    def held(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        response = route.fetch()
        data = response.json()
        data["status"] = "pending"
        data["moderation"] = {"guideline": "swearing", "reason": "x"}
        route.fulfill(response=response, json=data)

    page.route(POSTS, held)
    body = f"A comment held for review. {unique()}"
    box.fill(body)
    w.get_by_role("button", name="Post comment").click()
    mine = comment_by_text(w, body)
    expect(mine.locator(".note")).to_be_visible()
    shot("held-comment", mine)
    page.unroute(POSTS)
    mine.get_by_role("button", name="Delete your comment").click()
    expect(page.get_by_role("dialog", name="Delete Comment")).to_be_visible()
    shot("delete-dialog")
    page.keyboard.press("Escape")

    for status, until in (("banned", None), ("suspended", "2030-01-01T12:00:00Z")):
        user = {
            "id": 1,
            "email": SAM[0],
            "name": SAM[1],
            "role": "commenter",
            "premium": False,
            "status": status,
            "suspended_until": until,
        }
        page.route(ME, _answer(user))
        page.reload()
        w = open_demo(page, live_server)
        banner = w.locator(".banner")
        expect(banner).to_be_visible()
        shot(f"state-{status}", banner)
        assert axe_violations(page) == []
        page.unroute(ME)

    page.route(re.compile(r"/api/v1/stories/[^/]+/comments\?"), lambda r: r.abort())
    page.reload()
    page.locator("townhall-comments").scroll_into_view_if_needed()
    expect(
        page.locator("townhall-comments").get_by_text("Comments could not be loaded.")
    ).to_be_visible()
    shot(
        "state-load-error",
        page.locator("townhall-comments").get_by_role("button", name="Try again"),
    )

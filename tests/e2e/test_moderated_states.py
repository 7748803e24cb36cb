"""States a moderator causes, driven through the real moderation API and seen in the widget."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.widget_helpers import (
    add_widget,
    comment_by_text,
    moderate,
    open_demo,
    post_comment,
    sso_session,
    unique,
    use_session,
)

pytestmark = pytest.mark.browser


def test_closed_story_stays_readable_but_takes_no_new_comments(
    page: Page, live_server: str, screens: Path
) -> None:
    story = unique("closed-")
    author = sso_session(live_server, name=unique("Cls"))
    body = f"Said before the story closed. {unique()}"
    post_comment(live_server, author["token"], body, story=story)
    moderate(live_server, "PATCH", f"/stories/{story}", {"is_closed": True})

    use_session(page, live_server, sso_session(live_server, name=unique("Late")))
    open_demo(page, live_server)
    w = add_widget(page, story)
    expect(w.get_by_text("Comments are closed on this story.")).to_be_visible()
    expect(w.get_by_text(body)).to_be_visible()
    expect(w.get_by_label("Add your comment")).to_have_count(0)
    expect(w.get_by_role("button", name=re.compile("^Reply to"))).to_have_count(0)
    expect(w.get_by_role("button", name=re.compile("^Like comment by"))).to_be_visible()
    w.screenshot(path=str(screens / "state-closed.png"))
    refused = httpx.post(
        f"{live_server}/api/v1/stories/{story}/comments",
        json={"body": "Too late", "stream": "open"},
        headers={"Authorization": f"Bearer {author['token']}"},
    )
    assert refused.status_code == 409


def test_banned_reader_sees_the_banner_even_with_an_old_session(
    page: Page, live_server: str
) -> None:
    reader = sso_session(live_server, name=unique("Ban"))
    use_session(page, live_server, reader)
    moderate(live_server, "POST", f"/users/{reader['user']['id']}/ban", {"reason": "test"})
    w = open_demo(page, live_server)
    expect(w.get_by_text("Your account has been banned from commenting.")).to_be_visible()
    expect(w.get_by_label("Add your comment")).to_have_count(0)
    expect(w.get_by_role("button", name=re.compile("^(Like|Report) comment by"))).to_have_count(0)
    expect(w.locator("ol.list > li").first).to_be_visible()


def test_suspended_reader_is_told_when_to_come_back(
    page: Page, live_server: str, screens: Path
) -> None:
    reader = sso_session(live_server, name=unique("Sus"))
    use_session(page, live_server, reader)
    moderate(live_server, "POST", f"/users/{reader['user']['id']}/suspend", {"hours": 48})
    w = open_demo(page, live_server)
    banner = w.get_by_text("Your account has been temporarily suspended from commenting.")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Please rejoin the conversation on")
    expect(w.get_by_label("Add your comment")).to_have_count(0)
    banner.scroll_into_view_if_needed()
    page.screenshot(path=str(screens / "state-suspended.png"))


def test_premoderated_story_holds_comments_for_review(
    page: Page, live_server: str, screens: Path
) -> None:
    story = unique("premod-")
    first = sso_session(live_server, name=unique("Frs"))
    post_comment(live_server, first["token"], f"Opening the thread. {unique()}", story=story)
    moderate(live_server, "PATCH", f"/stories/{story}", {"premoderate": True})

    use_session(page, live_server, sso_session(live_server, name=unique("Hld")))
    open_demo(page, live_server)
    w = add_widget(page, story)
    body = f"This one waits for a moderator. {unique()}"
    w.get_by_label("Add your comment").fill(body)
    w.get_by_role("button", name="Post comment").click()
    mine = comment_by_text(w, body)
    expect(mine).to_be_focused()
    expect(mine).to_contain_text("Your comment is awaiting review")
    expect(w.get_by_role("status")).to_have_text("Your comment is awaiting review")
    mine.scroll_into_view_if_needed()
    page.screenshot(path=str(screens / "state-pending.png"))

    public = httpx.get(f"{live_server}/api/v1/stories/{story}/comments").json()
    assert not any(body in c["body_html"] for c in public["comments"])

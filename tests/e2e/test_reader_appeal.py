"""The author's side of a removal in the widget: why it was removed, and one appeal that a
different moderator reviews."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.widget_helpers import (
    axe_violations,
    login,
    moderate,
    open_demo,
    post_comment,
    sso_session,
    unique,
    use_session,
)

pytestmark = pytest.mark.browser
ADMIN = "vikram.rao@example.org"  # the demo's admin: not the moderator who removed it


def _open_space(w) -> None:
    w.get_by_role("button", name="Your account", exact=True).click()
    expect(w.get_by_role("heading", name="Your comments")).to_be_focused()


def test_the_author_reads_why_a_comment_was_removed_and_appeals_once(
    page: Page, live_server: str
) -> None:
    author = sso_session(live_server, name=unique("Removed"))
    body = f"My view on the harbour timetable. {unique()}"
    comment = post_comment(live_server, author["token"], body)
    reason = "Off topic: <b>the story is about the budget</b>"
    moderate(live_server, "POST", f"/comments/{comment['id']}/reject", {"reason": reason})

    use_session(page, live_server, author)
    w = open_demo(page, live_server)
    _open_space(w)
    mine = w.locator("ol.mine > li", has_text=body)
    expect(mine).to_contain_text("Rejected")
    mine.get_by_text("Why was this removed?").click()
    expect(mine.locator("details")).to_have_attribute("open", "")
    statement = mine.locator(".statement")
    expect(statement).to_contain_text("Removed by a moderator on")
    expect(statement).to_contain_text("A moderator found that it breaks our community guidelines.")
    # The moderator's words arrive as text: the markup in them is shown, never applied.
    expect(statement).to_contain_text(f"The reason given: {reason}")
    expect(statement.locator("b")).to_have_count(0)

    statement.get_by_role("button", name="Appeal", exact=True).click()
    form = statement.get_by_role("form", name="Appeal this decision")
    box = form.get_by_label("Why was the decision wrong?")
    expect(box).to_be_focused()
    expect(box).to_have_attribute("maxlength", "500")
    expect(form).to_contain_text("500 characters remaining")
    form.get_by_role("button", name="Send appeal").click()
    expect(form.get_by_role("alert")).to_have_text("Say why the decision was wrong.")
    box.fill("The timetable decides what the budget buys.")
    expect(form).to_contain_text("457 characters remaining")
    assert axe_violations(page) == []
    form.get_by_role("button", name="Send appeal").click()
    sent = statement.get_by_text("Appeal sent — a different moderator will review it.")
    expect(sent).to_be_focused()
    expect(statement.get_by_role("button", name="Appeal", exact=True)).to_have_count(0)

    page.reload()
    w = open_demo(page, live_server)
    _open_space(w)
    mine = w.locator("ol.mine > li", has_text=body)
    mine.get_by_text("Why was this removed?").click()
    statement = mine.locator(".statement")
    expect(statement).to_contain_text("Appeal pending: a different moderator will review it.")
    expect(statement.get_by_role("button", name="Appeal", exact=True)).to_have_count(0)

    # The appeal waits for a moderator other than the one who removed the comment.
    own = moderate(live_server, "GET", "/appeals")["appeals"]
    assert comment["id"] not in [a["comment"]["id"] for a in own]
    other = login(live_server, ADMIN)["token"]
    res = httpx.get(
        f"{live_server}/api/v1/moderation/appeals",
        headers={"Authorization": f"Bearer {other}"},
    )
    assert res.status_code == 200, res.text
    [appeal] = [a for a in res.json()["appeals"] if a["comment"]["id"] == comment["id"]]
    assert appeal["text"] == "The timetable decides what the budget buys."
    assert appeal["status"] == "open"

"""In the comment section: a moderators' warning is acknowledged before posting again, and
an illegal-content report must say why."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.widget_helpers import (
    comment_by_text,
    moderate,
    open_demo,
    post_comment,
    sso_session,
    unique,
    use_session,
)


def test_a_warned_reader_acknowledges_the_warning_and_the_comment_goes_out(
    page: Page, live_server: str
) -> None:
    session = sso_session(live_server, name=unique("Warned"))
    me = httpx.get(
        f"{live_server}/api/v1/me", headers={"Authorization": f"Bearer {session['token']}"}
    ).json()
    warning = "Please keep to the topic and drop the insults."
    moderate(live_server, "POST", f"/users/{me['id']}/notes", {"text": warning, "warning": True})
    use_session(page, live_server, session)
    w = open_demo(page, live_server)
    body = f"Back to the timetable question, calmly. {unique()}"
    w.get_by_label("Add your comment").fill(body)
    w.get_by_role("button", name="Post comment").click()
    dialog = page.get_by_role("dialog", name="A message from the moderators")
    expect(dialog).to_contain_text(warning)
    dialog.get_by_role("button", name="Cancel").click()
    expect(w.get_by_role("alert").filter(has_text="acknowledge")).to_contain_text(
        "Read and acknowledge the moderators' message to post again."
    )
    w.get_by_role("button", name="Post comment").click()
    page.get_by_role("dialog", name="A message from the moderators").get_by_role(
        "button", name="I understand"
    ).click()
    expect(comment_by_text(w, body)).to_be_visible()


def test_an_illegal_content_report_needs_an_explanation(page: Page, live_server: str) -> None:
    author = sso_session(live_server, name=unique("Target"))
    body = f"A claim about a named witness in the trial. {unique()}"
    post_comment(live_server, author["token"], body)
    use_session(page, live_server, sso_session(live_server, name=unique("Flagger")))
    w = open_demo(page, live_server)
    comment_by_text(w, body).get_by_role("button", name="Report comment by", exact=False).click()
    dialog = page.get_by_role("dialog", name="Report Comment")
    dialog.get_by_label("Illegal content (say why in the note)").check()
    dialog.get_by_role("button", name="Report", exact=True).click()
    expect(dialog).to_contain_text("Explain in the note why this content is illegal.")
    expect(dialog.get_by_label("Add a note (optional)")).to_be_focused()
    dialog.get_by_label("Add a note (optional)").fill("It names a protected witness.")
    dialog.get_by_role("button", name="Report", exact=True).click()
    expect(dialog).to_have_count(0)
    queue = moderate(live_server, "GET", "/queue?queue=illegal")
    [card] = [c for c in queue["comments"] if body in c["body_html"]]
    assert [(r["reason"], r["note"]) for r in card["reports"]] == [
        ("illegal", "It names a protected witness.")
    ]

"""A reader's own space in the widget: my comments, muting and showing, deleting the account."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.widget_helpers import (
    axe_violations,
    comment_by_text,
    open_demo,
    post_comment,
    unique,
    use_session,
)

pytestmark = pytest.mark.browser
PASSWORD = "a long private passphrase"


def _local_reader(base: str, name: str) -> dict:
    """A new local account with a commenting name, signed in: {"token", "user"}."""
    email = f"{unique('space')}@example.org"
    r = httpx.post(
        f"{base}/api/v1/auth/register", json={"email": email, "password": PASSWORD, "name": name}
    )
    assert r.status_code == 201, r.text
    r = httpx.post(f"{base}/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    r.raise_for_status()
    return r.json()


def _open_space(w) -> None:
    w.get_by_role("button", name="Your account", exact=True).click()
    expect(w.get_by_role("heading", name="Your comments")).to_be_focused()


def test_my_comments_lists_every_story_with_status_and_links(page: Page, live_server: str) -> None:
    name = unique("Mina")
    me = _local_reader(live_server, name)
    here = post_comment(live_server, me["token"], f"On the demo article {name}.")
    elsewhere = f"space-{unique()}"
    post_comment(live_server, me["token"], f"On another story {name}.", story=elsewhere)
    held = httpx.post(
        f"{live_server}/api/v1/stories/{elsewhere}/comments",
        json={"body": f"Ring her on 07911 123456 tonight {name}"},
        headers={"Authorization": f"Bearer {me['token']}"},
    )
    assert held.json()["status"] == "pending", held.text
    use_session(page, live_server, me)
    w = open_demo(page, live_server)
    _open_space(w)
    mine = w.locator("ol.mine > li")
    expect(mine).to_have_count(3)
    first = mine.nth(0)  # newest first: the held one
    expect(first).to_contain_text("Awaiting review")
    expect(first).to_contain_text("Why:")
    expect(first).to_contain_text(f"Story {elsewhere}")
    demo = w.locator("ol.mine > li", has_text=f"On the demo article {name}.")
    expect(demo).to_contain_text("Published")
    expect(demo.get_by_role("link", name="View comment")).to_have_attribute(
        "href", re.compile(rf"/#comment-{here['id']}$")
    )
    assert axe_violations(page) == []
    w.get_by_role("button", name="Your account", exact=True).click()
    expect(w.locator("ol.mine")).to_have_count(0)


def test_a_muted_commenters_comments_collapse_in_the_page_and_live(
    page: Page, live_server: str
) -> None:
    loud = _local_reader(live_server, unique("Loud"))
    loud_name = loud["user"]["name"]
    first = f"A first remark from the loud one {unique()}."
    post_comment(live_server, loud["token"], first)
    me = _local_reader(live_server, unique("Quiet"))
    use_session(page, live_server, me)
    w = open_demo(page, live_server)
    theirs = comment_by_text(w, first)
    theirs.get_by_role("button", name=f"Mute {loud_name}").click()
    expect(w.get_by_role("status")).to_contain_text(f"{loud_name} is muted")
    collapsed = w.locator("article.muted-c", has_text="Comment from a muted user")
    expect(collapsed).to_have_count(1)
    expect(collapsed.first).not_to_contain_text(loud_name)
    expect(collapsed.first).not_to_contain_text(first)
    # Show opens this one comment, with an Unmute button on it.
    collapsed.first.get_by_role("button", name="Show comment from a muted user").click()
    shown = comment_by_text(w, first)
    expect(shown).to_contain_text(loud_name)
    expect(shown.get_by_role("button", name=f"Unmute {loud_name}")).to_be_visible()
    # After a reload the mute still holds; a live comment from them arrives collapsed too.
    page.reload()
    w = open_demo(page, live_server)
    expect(w.get_by_text("Comment from a muted user")).to_have_count(1)
    later = f"A second remark, live, {unique()}."
    post_comment(live_server, loud["token"], later)
    w.get_by_role("button", name=re.compile(r"View 1 new comment")).click()
    expect(w.get_by_text("Comment from a muted user")).to_have_count(2)
    expect(w.get_by_text(later)).to_have_count(0)
    # The muted commenter sees nothing different, and the public page names them as before.
    anonymous = httpx.get(f"{live_server}/api/v1/stories/demo-article/comments").text
    assert loud_name in anonymous
    # Unmuting from the account panel opens their comments again.
    _open_space(w)
    w.locator("ul.muted-list").get_by_role("button", name=f"Unmute {loud_name}").click()
    expect(w.get_by_role("status")).to_contain_text(f"{loud_name} is no longer muted")
    expect(w.get_by_text("Comment from a muted user")).to_have_count(0)
    expect(w.get_by_text(later)).to_be_visible()


def test_deleting_my_account_keeps_my_comments_as_a_former_readers(
    page: Page, live_server: str
) -> None:
    name = unique("Leaving")
    me = _local_reader(live_server, name)
    said = f"Something worth keeping {unique()}."
    post_comment(live_server, me["token"], said)
    use_session(page, live_server, me)
    w = open_demo(page, live_server)
    _open_space(w)
    w.get_by_role("button", name="Delete your account").click()
    dialog = w.get_by_role("dialog", name="Delete your account?")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    assert axe_violations(page) == []
    dialog.get_by_label("Keep my comments").check()
    dialog.get_by_label("Your password, to confirm").fill("not my password at all")
    dialog.get_by_role("button", name="Delete account").click()
    expect(dialog.get_by_role("alert")).to_contain_text("could not confirm it is you")
    dialog.get_by_label("Your password, to confirm").fill(PASSWORD)
    dialog.get_by_role("button", name="Delete account").click()
    expect(w.get_by_role("status")).to_contain_text("Your account has been deleted.")
    expect(w.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    kept = comment_by_text(w, said)
    expect(kept).to_contain_text("A former reader")
    expect(kept).not_to_contain_text(name)
    gone = httpx.get(f"{live_server}/api/v1/me", headers={"Authorization": f"Bearer {me['token']}"})
    assert gone.status_code == 401


def test_a_signed_in_readers_action_rows_with_mute_fit_at_320px(
    page: Page, live_server: str
) -> None:
    author = _local_reader(live_server, unique("Deep"))
    top = post_comment(live_server, author["token"], f"Top of a deep thread {unique()}.")
    parent = top["id"]
    for depth in range(4):
        parent = post_comment(
            live_server, author["token"], f"Reply at depth {depth + 1}.", parent_id=parent
        )["id"]
    me = _local_reader(live_server, unique("Narrow"))
    use_session(page, live_server, me)
    w = open_demo(page, live_server)
    page.set_viewport_size({"width": 320, "height": 640})
    thread = w.locator(f"#comment-{top['id']}")
    expect(thread.get_by_role("button", name=re.compile(r"^Mute ")).first).to_be_visible()
    for row in thread.locator("article .actions").all():
        tops = row.locator("button, .likes").evaluate_all(
            "els => els.map(e => Math.round(e.getBoundingClientRect().top + "
            "e.getBoundingClientRect().height / 2))"
        )
        assert tops and max(tops) - min(tops) <= 2, f"the action row wraps: {tops}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_changing_my_password_in_the_widget_ends_my_other_sessions(
    page: Page, live_server: str
) -> None:
    me = _local_reader(live_server, unique("Keys"))
    email = httpx.get(
        f"{live_server}/api/v1/me", headers={"Authorization": f"Bearer {me['token']}"}
    ).json()["email"]
    other = httpx.post(
        f"{live_server}/api/v1/auth/login", json={"email": email, "password": PASSWORD}
    ).json()["token"]
    use_session(page, live_server, me)
    w = open_demo(page, live_server)
    _open_space(w)
    form = w.get_by_role("form", name="Change password")
    form.get_by_label("Current password").fill("not my password at all")
    form.get_by_label("New password").fill("an even longer private passphrase")
    form.get_by_role("button", name="Change password").click()
    expect(form.get_by_role("alert")).not_to_be_empty()
    still = httpx.get(f"{live_server}/api/v1/me", headers={"Authorization": f"Bearer {other}"})
    assert still.status_code == 200, "a refused change ends no session"
    form.get_by_label("Current password").fill(PASSWORD)
    form.get_by_label("New password").fill("an even longer private passphrase")
    form.get_by_role("button", name="Change password").click()
    expect(w.get_by_role("status")).to_contain_text("Your password has been changed.")
    gone = httpx.get(f"{live_server}/api/v1/me", headers={"Authorization": f"Bearer {other}"})
    assert gone.status_code == 401
    mine = httpx.get(f"{live_server}/api/v1/me", headers={"Authorization": f"Bearer {me['token']}"})
    assert mine.status_code == 200, "the session that changed it stays signed in"
    new = httpx.post(
        f"{live_server}/api/v1/auth/login",
        json={"email": email, "password": "an even longer private passphrase"},
    )
    assert new.status_code == 200

"""Editorial tools in real Chromium: picks (also live), the story prompt, Q&A, Best, likes
closed, the unthreaded view."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.widget_helpers import (
    MODERATOR,
    add_widget,
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


def fresh_story(base: str, *bodies: str) -> tuple[str, list[dict], dict]:
    """A new story with comments by one reader; its id, the comments and the reader."""
    story = unique("editorial-")
    reader = sso_session(base, name=unique("Reader"))
    made = [post_comment(base, reader["token"], b, story=story) for b in bodies]
    return story, made, reader


def test_picks_come_first_with_badge_and_note_and_arrive_live(
    page: Page, live_server: str, screens: Path
) -> None:
    story, (first, second), _ = fresh_story(
        live_server, f"Our town tried it. {unique()}", f"A later thought. {unique()}"
    )
    note = "<b>First-hand</b> and specific"
    moderate(live_server, "POST", f"/comments/{first['id']}/feature", {"note": note})
    open_demo(page, live_server)
    w = add_widget(page, story)
    picks = w.get_by_role("region", name="Picks")
    expect(picks).to_be_visible()
    expect(picks.locator("article")).to_have_count(1)
    expect(picks).to_contain_text("Why we picked it: " + note)  # the note is text, not markup
    expect(picks.locator("b")).to_have_count(0)
    listed = w.locator(f"#comment-{first['id']} > article")
    expect(listed.locator(".badge.pick")).to_have_text("Pick")
    # Picks sit before the list: the first article on the section is the pick.
    assert w.locator("article").first.evaluate("a => !!a.closest('.picks')")
    w.screenshot(path=str(screens / "picks.png"))
    w.get_by_label("Sort by").select_option("best")
    w.locator("details.why-best summary").first.click()
    assert axe_violations(page) == []

    # A pick made while the page is open arrives without a reload; taking one back leaves.
    moderate(live_server, "POST", f"/comments/{second['id']}/feature", None)
    expect(picks.locator("article")).to_have_count(2, timeout=10_000)
    expect(w.locator(f"#comment-{second['id']} > article .badge.pick")).to_be_visible()
    moderate(live_server, "DELETE", f"/comments/{first['id']}/feature", None)
    expect(picks.locator("article")).to_have_count(1, timeout=10_000)
    expect(listed.locator(".badge.pick")).to_have_count(0)
    picks.get_by_role("button", name="Go to comment").click()
    expect(w.locator(f"#comment-{second['id']} > article")).to_be_focused()


def test_a_story_prompt_replaces_the_call_to_action_and_a_pinned_comment_comes_first(
    page: Page, live_server: str, screens: Path
) -> None:
    story, _, _ = fresh_story(live_server, f"A first reader. {unique()}")
    staff = login(live_server, MODERATOR)
    pinned = post_comment(
        live_server, staff["token"], f"We asked families. {unique()}", story=story
    )
    prompt = "What would a four-day week mean for your family? <b>Tell us</b>"
    moderate(
        live_server,
        "PATCH",
        f"/stories/{story}",
        {"prompt": prompt, "pinned_comment_id": pinned["id"]},
    )
    open_demo(page, live_server)
    w = add_widget(page, story)
    expect(w.locator(".intro")).to_have_text(prompt)
    expect(w.locator(".intro b")).to_have_count(0)
    block = w.get_by_role("region", name="Pinned")
    expect(block).to_contain_text(pinned["body_html"].removeprefix("<p>").split("</p>")[0])
    expect(block.locator(".badge.staff")).to_be_visible()
    w.screenshot(path=str(screens / "story-prompt-pinned.png"))


def test_best_order_shows_why_each_comment_is_there(page: Page, live_server: str) -> None:
    story, (plain, liked), _ = fresh_story(
        live_server, f"An early plain view. {unique()}", f"A well-liked view. {unique()}"
    )
    liker = sso_session(live_server, name=unique("Liker"))
    r = httpx.put(
        f"{live_server}/api/v1/comments/{liked['id']}/like",
        headers={"Authorization": f"Bearer {liker['token']}"},
    )
    assert r.status_code == 200, r.text
    open_demo(page, live_server)
    w = add_widget(page, story)
    w.get_by_label("Sort by").select_option("best")
    expect(w.locator("ol.list > li").first).to_have_attribute("data-id", str(liked["id"]))
    why = w.locator(f"#comment-{liked['id']} > article details.why-best")
    expect(why).to_be_visible()
    why.get_by_text("Why is this here?").click()
    expect(why).to_contain_text("Likes weighed against reports (1 / 0): +2.07")
    expect(why).to_contain_text("Starting score: +1")
    expect(why).to_contain_text("Score now:")
    expect(w.locator(f"#comment-{plain['id']} > article details.why-best")).not_to_contain_text(
        "Likes weighed"
    )


def test_likes_closed_hides_like_buttons_while_replies_stay_open(
    page: Page, live_server: str
) -> None:
    story, (c,), _ = fresh_story(live_server, f"Likes will close. {unique()}")
    moderate(live_server, "PATCH", f"/stories/{story}", {"likes_closed": True})
    use_session(page, live_server, sso_session(live_server, name=unique("Visitor")))
    open_demo(page, live_server)
    w = add_widget(page, story)
    expect(w.get_by_text("Likes are closed for this story.")).to_be_visible()
    art = w.locator(f"#comment-{c['id']} > article")
    expect(art.locator("button.like")).to_have_count(0)
    expect(art.locator(".likes")).to_have_text("0 likes")
    expect(art.get_by_role("button", name=re.compile("^Reply to comment"))).to_be_visible()


def test_unthreaded_view_lists_replies_in_time_order_with_a_link_to_the_parent(
    page: Page, live_server: str
) -> None:
    story, (top,), reader = fresh_story(live_server, f"The first point. {unique()}")
    other = sso_session(live_server, name=unique("Answerer"))
    reply = post_comment(live_server, other["token"], f"A reply. {unique()}", story=story,
                         parent_id=top["id"])  # fmt: skip
    open_demo(page, live_server)
    w = add_widget(page, story)
    w.get_by_label("Show", exact=True).select_option("flat")
    items = w.locator("ol.list > li")
    expect(items).to_have_count(2)
    expect(items.first).to_have_attribute("data-id", str(reply["id"]))
    link = w.locator(f"#comment-{reply['id']} .inreply").get_by_role(
        "button", name=f"Replying to {reader['user']['name']}"
    )
    link.click()
    expect(w.locator(f"#comment-{top['id']} > article")).to_be_focused()


def test_q_and_a_story_filters_answered_questions(page: Page, live_server: str) -> None:
    story, (asked, open_q), _ = fresh_story(
        live_server, f"Will trains run later? {unique()}", f"Who pays? {unique()}"
    )
    moderate(live_server, "PATCH", f"/stories/{story}", {"qa_mode": True})
    staff = login(live_server, MODERATOR)
    post_comment(live_server, staff["token"], "Yes, from May.", story=story, parent_id=asked["id"])
    open_demo(page, live_server)
    w = add_widget(page, story)
    expect(w.locator(".intro")).to_have_text(
        "Ask a question: our journalists and experts answer here."
    )
    expect(w.locator("ol.list > li")).to_have_count(2)
    w.get_by_label("Questions").select_option("answered")
    expect(w.locator("ol.list > li")).to_have_count(1)
    answered = w.locator(f"#comment-{asked['id']} > article")
    expect(answered.locator(".badge.answered")).to_have_text("Answered")
    expect(w.locator(f"#comment-{asked['id']}")).to_contain_text("Yes, from May.")
    expect(w.locator(f"#comment-{open_q['id']}")).to_have_count(0)


def test_server_rendered_comments_show_without_javascript_and_the_widget_draws_over_them(
    page: Page, browser: Browser, live_server: str
) -> None:
    story, (c,), _ = fresh_story(live_server, f"Readable without scripts. {unique()}")
    fragment = httpx.get(f"{live_server}/stories/{story}/comments.html")
    assert fragment.status_code == 200
    no_js = browser.new_context(java_script_enabled=False)
    try:
        plain = no_js.new_page()
        plain.goto(f"{live_server}/stories/{story}/comments.html")
        expect(plain.locator(f"#comment-{c['id']}")).to_contain_text("Readable without scripts.")
    finally:
        no_js.close()
    open_demo(page, live_server)
    page.evaluate(
        """([story, html]) => {
            const el = document.createElement('townhall-comments');
            el.setAttribute('story-id', story);
            el.id = 'hydrated';
            el.innerHTML = html;
            document.querySelector('main').append(el);
        }""",
        [story, fragment.text],
    )
    w = page.locator("#hydrated")
    w.scroll_into_view_if_needed()
    expect(w.locator("ol.list")).to_have_attribute("aria-busy", "false")
    expect(w.locator(f"ol.list > li#comment-{c['id']}")).to_be_visible()
    # The server's copy stays in the page for machines, out of sight of people.
    expect(page.locator("#hydrated > [data-townhall-static]")).to_be_hidden()


def test_a_moderator_picks_a_comment_from_its_dashboard_card_with_a_note(
    page: Page, browser: Browser, live_server: str
) -> None:
    story, (c,), _ = fresh_story(live_server, f"Pick me from the dashboard. {unique()}")
    page.goto(f"{live_server}/admin")
    page.get_by_label("Email address").fill(MODERATOR)
    page.get_by_label("Password").fill("ledger-demo-2026")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Pending comments")).to_be_visible()
    page.goto(f"{live_server}/admin#/queue/all")
    card = page.locator("article.card", has_text="Pick me from the dashboard.")
    card.get_by_role("button", name=re.compile("^Pick: ")).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Why we picked it (shown to readers, optional)").fill("Clear and kind")
    dialog.get_by_role("button", name="Pick").click()
    expect(page.get_by_role("status")).to_contain_text("Picked: readers see it first.")
    expect(card.get_by_text("★ Picked")).to_be_visible()
    expect(card.get_by_role("button", name=re.compile("^Remove pick: "))).to_be_visible()
    reader = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    try:
        open_demo(reader, live_server)
        w = add_widget(reader, story)
        expect(w.get_by_role("region", name="Picks")).to_contain_text("Clear and kind")
        expect(w.locator(f"#comment-{c['id']} > article .badge.pick")).to_be_visible()
    finally:
        reader.context.close()


def test_server_rendered_comments_stay_readable_when_the_widget_cannot_load(
    page: Page, live_server: str
) -> None:
    story, (c,), _ = fresh_story(live_server, f"Still here when the API is down. {unique()}")
    fragment = httpx.get(f"{live_server}/stories/{story}/comments.html").text
    open_demo(page, live_server)
    page.route(f"**/api/v1/stories/{story}/comments*", lambda route: route.abort())
    page.evaluate(
        """([story, html]) => {
            const el = document.createElement('townhall-comments');
            el.setAttribute('story-id', story);
            el.id = 'offline';
            el.innerHTML = html;
            document.querySelector('main').append(el);
        }""",
        [story, fragment],
    )
    w = page.locator("#offline")
    w.scroll_into_view_if_needed()
    expect(w.get_by_role("button", name="Try again")).to_be_visible()
    expect(page.locator(f"#offline #comment-{c['id']}")).to_be_visible()


def test_a_moderator_names_an_expert_on_the_user_page_and_readers_see_the_badge(
    page: Page, live_server: str
) -> None:
    story, (c,), reader = fresh_story(live_server, f"Written by a future expert. {unique()}")
    page.goto(f"{live_server}/admin")
    page.get_by_label("Email address").fill(MODERATOR)
    page.get_by_label("Password").fill("ledger-demo-2026")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Pending comments")).to_be_visible()
    page.goto(f"{live_server}/admin#/users/{reader['user']['id']}")
    box = page.get_by_label("Expert", exact=True)
    box.check()
    expect(page.get_by_role("status")).to_contain_text(f"{reader['user']['name']} is an expert")
    open_demo(page, live_server)
    w = add_widget(page, story)
    expect(w.locator(f"#comment-{c['id']} > article .badge.expert")).to_have_text("Expert")

"""The demo article and its comment section as an anonymous reader sees them."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.widget_helpers import (
    LEARN_PREMIUM,
    OPEN_TAB,
    PREMIUM_TAB,
    SAM,
    STORY,
    axe_violations,
    login,
    open_demo,
    use_session,
    widget,
)
from townhall import i18n

DEFAULT_GUIDELINES = [
    text for key, text in i18n.catalogue("widget", "en").items() if key.startswith("guidelines.")
]

pytestmark = pytest.mark.browser


def test_demo_page_is_a_news_article_with_the_comment_section_below(
    page: Page, live_server: str, screens: Path
) -> None:
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Four-day school week")
    expect(page.locator(".standfirst")).to_be_visible()
    expect(page.locator("figure figcaption")).to_contain_text("Illustration")
    expect(page.locator(".byline")).to_contain_text("Education Correspondent")
    assert page.locator(".body p").count() >= 6
    w = open_demo(page, live_server)
    expect(w.get_by_role("heading", name=re.compile(r"^Comments \(\d+\)$"))).to_be_visible()
    expect(
        w.get_by_text("Share your thoughts and debate the big issues", exact=True)
    ).to_be_visible()
    page.screenshot(path=str(screens / "article-1280.png"), full_page=False)
    w.screenshot(path=str(screens / "comments-signed-out-1280.png"))


def _count(text: str) -> int:
    return int(re.search(r"\((\d+)\)", text).group(1))


def test_each_stream_shows_the_guidelines_above_its_form_and_its_count_on_its_tab(
    page: Page, live_server: str
) -> None:
    site = httpx.get(f"{live_server}/api/v1/stories/{STORY}/comments?limit=1").json()["site"]
    w = open_demo(page, live_server)
    expect(w.get_by_role("tab")).to_have_count(2)
    open_tab = w.get_by_role("tab", name=OPEN_TAB)
    premium = w.get_by_role("tab", name=PREMIUM_TAB)
    expect(open_tab).to_have_attribute("aria-selected", "true")
    expect(premium).to_have_attribute("aria-selected", "false")
    heading = w.get_by_role("heading", name=re.compile(r"^Comments \(\d+\)$"))
    total = _count(heading.inner_text())
    assert _count(premium.inner_text()) > 0
    assert total == _count(open_tab.inner_text()) + _count(premium.inner_text())
    for tab in (premium, open_tab):
        tab.click()
        expect(tab).to_have_attribute("aria-selected", "true")
        expect(w.locator("ol.list")).to_have_attribute("aria-busy", "false")
        rules = w.get_by_role("tabpanel").get_by_role("region", name="Community guidelines")
        expect(rules.locator("p").first).to_have_text(
            "Please be respectful when making a comment and adhere to our Community Guidelines."
        )
        # The site keeps the standard guidelines: the catalogue's, in the reader's language.
        assert site["guidelines"] == []
        expect(rules.locator("li")).to_have_text(DEFAULT_GUIDELINES)
        full = rules.get_by_role(
            "link", name="You can find our Community Guidelines in full here.", exact=True
        )
        expect(full).to_have_attribute("href", site["guidelines_url"])
        form = w.get_by_text("Sign in and Join the Conversation", exact=True)
        assert rules.bounding_box()["y"] < form.bounding_box()["y"], "above the form"
        expect(heading).to_have_text(f"Comments ({total})")
    # Every link says where it goes: no bare "Learn more".
    expect(w.get_by_role("link", name="Learn more", exact=True)).to_have_count(0)
    expect(w.get_by_role("link", name=LEARN_PREMIUM)).to_have_count(1)
    sort = w.get_by_label("Sort by")
    expect(sort.locator("option")).to_have_text(
        ["Newest first", "Oldest first", "Most liked", "Best"]
    )
    expect(sort).to_have_value("newest")


def test_comments_are_fetched_only_when_the_reader_nears_them(page: Page, live_server: str) -> None:
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    page.goto(live_server + "/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in seen if "/comments" in u], "fetched before the widget was near"
    box = widget(page).bounding_box()
    assert box and box["height"] >= 300, "space is reserved for the comment section"
    widget(page).scroll_into_view_if_needed()
    expect(widget(page).locator("article").first).to_be_visible()
    assert len([u for u in seen if "/comments?" in u]) == 1, "one request for the first page"


def test_a_first_view_fetches_one_script_and_nothing_more_on_use(
    page: Page, live_server: str
) -> None:
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    use_session(page, live_server, login(live_server, SAM[0]))
    w = open_demo(page, live_server)
    expect(w.get_by_label("Add your comment")).to_be_visible()
    w.get_by_role("button", name=re.compile("^Report comment by")).first.click()
    expect(page.get_by_role("dialog", name="Report Comment")).to_be_visible()
    # tests/unit/test_widget_size.py weighs this one file against the budget.
    assert scripts == [f"{live_server}/embed.js"]


def test_three_sort_orders_change_the_order(page: Page, live_server: str) -> None:
    w = open_demo(page, live_server)

    def top_level_times() -> list[str]:
        return w.locator("ol.list > li > article time").evaluate_all(
            "els => els.map(e => e.getAttribute('datetime'))"
        )

    newest = top_level_times()
    assert newest == sorted(newest, reverse=True)
    w.get_by_label("Sort by").select_option(label="Oldest first")
    expect(w.locator("ol.list > li > article time").first).not_to_have_attribute(
        "datetime", newest[0]
    )
    oldest = top_level_times()
    assert oldest == sorted(oldest)
    focused = page.evaluate("document.activeElement.shadowRoot?.activeElement?.id")
    assert focused == "th-list", "focus moves to the list after sorting"
    w.get_by_label("Sort by").select_option(label="Most liked")
    expect(w.locator("ol.list")).to_have_attribute("aria-busy", "false")
    page.wait_for_timeout(300)
    counts = w.locator("ol.list > li > article .likes").evaluate_all(
        "els => els.map(e => parseInt(e.textContent, 10))"
    )
    assert counts == sorted(counts, reverse=True)
    assert top_level_times() not in (newest, oldest)


def test_load_more_appends_the_next_page_and_moves_focus(page: Page, live_server: str) -> None:
    w = open_demo(page, live_server)
    items = w.locator("ol.list > li")
    first_page = items.count()
    assert first_page == 20
    w.get_by_role("button", name="Load more comments").click()
    expect(items).not_to_have_count(first_page)
    assert items.count() > first_page
    new_first = items.nth(first_page).locator("article").first
    expect(new_first).to_be_focused()


def test_accessibility_has_no_serious_violations_light_and_dark(
    page: Page, live_server: str, screens: Path
) -> None:
    open_demo(page, live_server)
    assert axe_violations(page) == []
    page.emulate_media(color_scheme="dark", reduced_motion="reduce")
    page.reload()
    w = open_demo(page, live_server)
    w.screenshot(path=str(screens / "comments-dark-1280.png"))
    assert axe_violations(page) == []


def test_dark_theme_follows_the_reader_and_the_theme_attribute(
    page: Page, live_server: str
) -> None:
    page.emulate_media(color_scheme="dark")
    w = open_demo(page, live_server)
    bg = "el => getComputedStyle(el.shadowRoot.querySelector('section')).backgroundColor"
    assert w.evaluate(bg) == "rgb(18, 18, 18)"
    w.evaluate("el => el.setAttribute('theme', 'light')")
    assert w.evaluate(bg) == "rgb(255, 255, 255)"
    page.emulate_media(color_scheme="light")
    w.evaluate("el => el.setAttribute('theme', 'dark')")
    assert w.evaluate(bg) == "rgb(18, 18, 18)"


def test_publisher_branding_through_custom_properties(page: Page, live_server: str) -> None:
    w = open_demo(page, live_server)
    w.evaluate("el => el.style.setProperty('--th-color-accent', 'rgb(0, 80, 160)')")
    colour = w.get_by_role("button", name="Sign in", exact=True).evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    assert colour == "rgb(0, 80, 160)"


def test_narrow_screen_has_no_horizontal_scroll(
    page: Page, live_server: str, screens: Path
) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    w = open_demo(page, live_server)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    for button in w.locator(".actions button").all()[:8]:
        box = button.bounding_box()
        assert box and box["height"] >= 44 and box["width"] >= 44
    page.screenshot(path=str(screens / "comments-320.png"), full_page=False)
    w.screenshot(path=str(screens / "comments-320-full.png"))


def test_every_request_goes_to_the_townhall_origin(page: Page, live_server: str) -> None:
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    w = open_demo(page, live_server)
    w.get_by_role("tab", name=OPEN_TAB).focus()
    page.keyboard.press("ArrowLeft")
    expect(w.get_by_role("tab", name=PREMIUM_TAB)).to_have_attribute("aria-selected", "true")
    expect(w.locator("ol.list")).to_have_attribute("aria-busy", "false")
    outside = [u for u in seen if not u.startswith(live_server) and not u.startswith("data:")]
    assert outside == []


def test_replies_nest_three_levels_then_flatten_with_the_parent_name(
    page: Page, live_server: str
) -> None:
    w = open_demo(page, live_server)
    w.get_by_label("Sort by").select_option(label="Oldest first")
    thread = w.locator("ol.list > li").filter(has_text="Nobody at the ministry").first
    level1 = thread.locator(":scope > ol.replies > li")
    expect(level1.first).to_contain_text("I teach in one of the pilot schools")
    level2 = level1.first.locator(":scope > ol.replies > li")
    expect(level2.first).to_contain_text("I don't doubt it is better for staff")
    level3 = level2.first.locator(":scope > ol.replies > li")
    expect(level3.first).to_contain_text("Our school tries to prioritise places")
    more = thread.get_by_role("button", name=re.compile(r"^Show more replies"))
    more.click()
    deepest = level2.first.locator(":scope > ol.replies > li").filter(
        has_text="guaranteed place for children of shift workers"
    )
    expect(deepest).to_have_count(1)
    expect(deepest.locator(".inreply")).to_have_text("Replying to RuralTeacher")
    expect(deepest.locator("article")).to_be_focused()
    expect(more).to_have_count(0)


def test_a_thread_can_be_folded_and_unfolded(page: Page, live_server: str) -> None:
    w = open_demo(page, live_server)
    w.get_by_label("Sort by").select_option(label="Oldest first")
    thread = w.locator("ol.list > li").filter(has_text="Nobody at the ministry").first
    own = thread.locator(":scope > article")
    hide = own.get_by_role("button", name="Hide comment by ShiftWorkerDad and its replies")
    expect(hide).to_have_attribute("aria-expanded", "true")
    hide.click()
    show = own.get_by_role("button", name="Show comment by ShiftWorkerDad and its replies")
    expect(show).to_have_attribute("aria-expanded", "false")
    expect(show).to_be_focused()
    expect(thread.get_by_text("Nobody at the ministry")).to_be_hidden()
    expect(thread.get_by_text("I teach in one of the pilot schools")).to_be_hidden()
    show.click()
    expect(thread.get_by_text("I teach in one of the pilot schools")).to_be_visible()

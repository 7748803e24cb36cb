"""A newsroom-sized queue in real Chromium: 5,000 held comments, a filtered 4,000 decided by
preview → act → undo → act, and the dense row view at 1920×1080."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import _chromium, private_demo
from tests.e2e.widget_helpers import (
    DEMO_PASSWORD,
    axe_violations,
    post_comment,
    sso_session,
    unique,
)
from tests.seeding import Batch, seed_url_sync

HELEN = "helen.ward@example.org"  # the demo's moderator
VIKRAM = "vikram.rao@example.org"  # the demo's admin
TITLE = "Harbour budget vote: what the cuts mean"


@pytest.fixture(scope="module")
def big_queue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private `townhall demo` whose database holds 5,000 more held comments."""
    _chromium()
    tmp = tmp_path_factory.mktemp("scale")
    with private_demo(tmp) as base:
        seed_url_sync(
            f"sqlite+aiosqlite:///{tmp / 'demo.sqlite3'}",
            [
                Batch("harbour-budget", TITLE, "Marta Quayside", 2500, score=0.82),
                Batch("harbour-budget", TITLE, "Ivo Dockery", 1500, score=0.55, guideline="spam"),
                Batch("rail-strike", "Rail strike enters its second week", "Lena Signal", 1000),
            ],
        )
        yield base


def _token(base: str, email: str = HELEN) -> dict[str, str]:
    res = httpx.post(f"{base}/api/v1/auth/login", json={"email": email, "password": DEMO_PASSWORD})
    return {"Authorization": f"Bearer {res.json()['token']}"}


def _api(base: str, path: str, **params) -> dict:
    res = httpx.get(f"{base}/api/v1/moderation{path}", params=params, headers=_token(base))
    assert res.status_code == 200, res.text
    return res.json()


def _sign_in(page: Page, base: str, email: str = HELEN) -> None:
    page.goto(f"{base}/admin")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Pending comments")).to_be_visible()


def test_a_filtered_4000_are_approved_undone_and_approved_again(
    page: Page, big_queue: str, screens: Path
) -> None:
    base = big_queue
    pending_before = _api(base, "/counts")["pending"]
    assert pending_before >= 5000
    _sign_in(page, base)
    page.get_by_label("Story title").fill("harbour BUDGET")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("[data-count=pending]").first).to_have_text("(4,000)")
    expect(page.get_by_text("4,000 comments match these filters.")).to_be_visible()
    # The filters say how many each choice would leave.
    expect(
        page.get_by_label("Guideline").locator("option", has_text="Abuse (2,500)")
    ).to_have_count(1)
    expect(
        page.get_by_label("Toxicity score").locator("option", has_text="High (75% and up) (2,500)")
    ).to_have_count(1)

    page.get_by_role("button", name="Approve all matching…").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name="Approve 4,000 comments?")).to_be_visible()
    dialog.get_by_role("button", name="Approve 4,000").click()
    expect(page.get_by_text("Approved 4,000 comments.")).to_be_visible(timeout=30_000)
    expect(
        page.get_by_text("No comments match these filters.").or_(
            page.get_by_text("0 comments match these filters.")
        )
    ).to_have_count(1)
    assert _api(base, "/counts")["pending"] == pending_before - 4000
    assert _api(base, "/counts", story_title=TITLE)["all"] == 4000
    page.screenshot(path=str(screens / "dashboard-bulk-undo.png"))

    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("status")).to_contain_text("Put back 4,000 comments as they were.")
    expect(page.locator("[data-count=pending]").first).to_have_text("(4,000)")
    assert _api(base, "/counts")["pending"] == pending_before

    page.get_by_role("button", name="Approve all matching…").click()
    page.get_by_role("dialog").get_by_role("button", name="Approve 4,000").click()
    expect(page.get_by_text("Approved 4,000 comments.")).to_be_visible(timeout=30_000)
    assert _api(base, "/counts")["pending"] == pending_before - 4000

    entries = _api(base, "/audit", target_type="bulk")["entries"]
    assert [(e["action"], e["after"]["count"]) for e in entries] == [
        ("comment.bulk_approve", 4000),
        ("comment.bulk_undo", 4000),
        ("comment.bulk_approve", 4000),
    ]
    assert {e["actor_name"] for e in entries} == {"HelenWard"}
    assert entries[-1]["before"]["filter"] == {"queue": "pending", "story_title": "harbour BUDGET"}


def test_the_dense_queue_shows_at_least_15_comments_on_a_1080_pixel_screen(
    page: Page, big_queue: str, screens: Path
) -> None:
    page.set_viewport_size({"width": 1920, "height": 1080})
    _sign_in(page, big_queue)
    page.get_by_role("button", name="Rows").click()
    rows = page.locator("article.card.row")
    expect(rows.first).to_be_visible()
    assert rows.count() == 100, "a page of the dense queue is a hundred rows"
    shown = page.evaluate(
        """() => [...document.querySelectorAll('article.card.row')].filter((el) => {
            const r = el.getBoundingClientRect();
            return r.top >= 0 && r.bottom <= window.innerHeight;
        }).length"""
    )
    assert shown >= 15, shown
    page.screenshot(path=str(screens / "dashboard-dense-queue.png"))
    # The keyboard flow works on rows: j moves, a approves the focused one.
    before = int(re.sub(r"\D", "", page.locator("[data-count=pending]").first.inner_text()))
    page.keyboard.press("j")
    expect(rows.first).to_be_focused()
    name = rows.first.locator("h3").inner_text()
    page.keyboard.press("a")
    expect(page.get_by_role("status")).to_contain_text("Approved.")
    expect(page.locator("[data-count=pending]").first).to_have_text(f"({before - 1:,})")
    assert name
    # The choice of layout is remembered.
    page.reload()
    expect(page.locator("article.card.row").first).to_be_visible()


def test_the_user_page_shows_the_readers_trust_level_and_why_and_staff_can_set_it(
    page: Page, big_queue: str
) -> None:
    [user] = _api(big_queue, "/users", q="Lena Signal")["users"]
    _sign_in(page, big_queue)
    page.goto(f"{big_queue}/admin#/users/{user['id']}")
    standing = page.locator("#trust-standing")
    expect(standing).to_have_text(
        re.compile(r"^Standard: \d published and 0 rejected in the last 90 days; 10 published earn")
    )
    form = page.get_by_role("form", name="Set trust by hand")
    form.get_by_label("Level").select_option("premoderated")
    form.get_by_label("For how many hours (empty: until changed)").fill("12")
    form.get_by_label("Reason (optional)").fill("heated thread")
    form.get_by_role("button", name="Set level").click()
    expect(page.get_by_role("status")).to_contain_text("Lena Signal is now: Pre-moderated.")
    expect(standing).to_contain_text("Pre-moderated (until")
    expect(standing).to_contain_text("set by hand by HelenWard – heated thread")


def test_statistics_are_drawn_as_charts_and_the_transparency_page_names_nobody(
    page: Page, big_queue: str, screens: Path
) -> None:
    page.set_viewport_size({"width": 1280, "height": 1400})
    _sign_in(page, big_queue)
    page.get_by_role("link", name="Statistics").click()
    expect(page.get_by_role("heading", name="Moderation statistics")).to_be_visible()
    stats = _api(big_queue, "/stats", days=7)
    expect(page.locator("svg.chart")).to_have_count(3)
    per_hour = page.get_by_role("img", name=re.compile(r"comments in the period"))
    expect(per_hour).to_have_count(1)
    assert per_hour.locator("rect.bar").count() == len(stats["comments_per_hour"])
    moderators = page.get_by_role("img", name="Decisions per moderator")
    expect(moderators.locator("text", has_text="HelenWard")).to_have_count(1)
    expect(page.get_by_role("table", name="Busiest stories")).to_contain_text(TITLE)
    assert axe_violations(page) == []
    page.screenshot(path=str(screens / "dashboard-statistics.png"), full_page=True)

    page.get_by_role("link", name="The public transparency report").click()
    expect(page.get_by_role("heading", name="Moderation transparency report")).to_be_visible()
    text = page.locator("main").inner_text()
    for private in ("HelenWard", "Marta Quayside", TITLE):
        assert private not in text
    page.screenshot(path=str(screens / "transparency.png"), full_page=True)


def test_an_appeal_goes_to_another_moderator_and_notes_and_warnings_are_kept(
    page: Page, big_queue: str
) -> None:
    base = big_queue
    reader = sso_session(base, name=unique("Appealing"))
    auth = {"Authorization": f"Bearer {reader['token']}"}
    comment = post_comment(base, reader["token"], f"My view on the harbour budget. {unique()}")
    res = httpx.post(
        f"{base}/api/v1/moderation/comments/{comment['id']}/reject",
        json={"reason": "Off topic"},
        headers=_token(base),
    )
    assert res.status_code == 200, res.text
    res = httpx.post(
        f"{base}/api/v1/comments/{comment['id']}/appeal",
        json={"text": "It is about the budget."},
        headers=auth,
    )
    assert res.status_code == 201, res.text

    _sign_in(page, base)
    page.get_by_role("link", name="Appeals").click()
    expect(page.get_by_text("No appeals here.", exact=False)).to_be_visible()
    page.goto(f"{base}/admin#/users/{reader['user']['id']}")
    form = page.get_by_role("form", name="Add a note or warning")
    form.get_by_label("Note").fill("Keep to the story, please.")
    form.get_by_label("Send it to the reader as a warning", exact=False).check()
    form.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Warning sent.")
    expect(page.locator("ul.notes li").first).to_contain_text("not yet acknowledged")

    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, base, VIKRAM)
    page.get_by_role("link", name="Appeals").click()
    appeal = page.locator(".appeal", has_text="It is about the budget.")
    expect(appeal).to_have_count(1)
    appeal.get_by_role("button", name="Reverse: publish the comment").click()
    expect(page.get_by_role("status")).to_contain_text("Decision reversed")
    res = httpx.get(f"{base}/api/v1/comments/{comment['id']}/statement", headers=auth)
    assert res.status_code == 409, "the comment is published again"
    warnings = httpx.get(f"{base}/api/v1/me/warnings", headers=auth).json()["warnings"]
    assert [w["text"] for w in warnings] == ["Keep to the story, please."]

"""The dashboard's panel of how precise the automatic holds were, from seeded decisions."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_dashboard import dash_server, dashboard  # noqa: F401  (a private server)
from tests.e2e.widget_helpers import axe_violations, moderate, post_comment, sso_session, unique

pytestmark = pytest.mark.browser

HELD = {
    "private_info": "My neighbour's mobile is 07700 900412, ring him tonight and tell him. {}",
    "swearing": "What a load of fucking nonsense from the council, {}.",
}


def _decide(base: str, guideline: str, action: str) -> None:
    author = sso_session(base, name=unique("Prc"))
    held = post_comment(base, author["token"], HELD[guideline].format(unique()))
    assert held["status"] == "pending", held
    body = {"reason": "breaks the guidelines"} if action == "reject" else None
    moderate(base, "POST", f"/comments/{held['id']}/{action}", body)


def test_the_pending_queue_shows_the_precision_of_automatic_holds(
    page: Page,
    dash_server: str,  # noqa: F811
    screens: Path,
) -> None:
    for guideline, action in [
        ("private_info", "approve"),
        ("private_info", "reject"),
        ("private_info", "reject"),
        ("swearing", "reject"),
    ]:
        _decide(dash_server, guideline, action)

    dashboard(page, dash_server)
    panel = page.get_by_role("region", name="Precision of automatic holds, last 30 days")
    table = panel.get_by_role("table", name="Held comments decided by moderators, per guideline")
    expect(table.get_by_role("row")).to_have_count(3)
    expect(table.get_by_role("row", name="Private information").locator("th, td")).to_have_text(
        ["Private information", "3", "1", "2", "66.7%"]
    )
    expect(table.get_by_role("row", name="Swearing").locator("th, td")).to_have_text(
        ["Swearing", "1", "0", "1", "100%"]
    )
    expect(table.get_by_role("columnheader")).to_have_text(
        ["Guideline", "Holds decided", "Approved", "Rejected", "Precision"]
    )
    assert axe_violations(page) == []
    panel.scroll_into_view_if_needed()
    page.screenshot(path=str(screens / "dashboard-precision.png"), full_page=True)

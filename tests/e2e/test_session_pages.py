"""A local account's sign-in follows the reader across the publisher's pages and tabs."""

from __future__ import annotations

import json

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.widget_helpers import SAM, sign_in_with_form, widget

pytestmark = pytest.mark.browser
CTA = "Sign in and Join the Conversation"


def _open(page: Page, url: str):
    page.goto(url)
    w = widget(page)
    w.scroll_into_view_if_needed()
    expect(w.locator("ol.list")).to_have_attribute("aria-busy", "false")
    return w


def test_signing_in_once_lasts_across_pages_and_signing_out_ends_it_everywhere(
    page: Page, live_server: str, publisher_site: str
) -> None:
    first = _open(page, f"{publisher_site}/index.html")
    sign_in_with_form(first, SAM[0])
    expect(first.locator(".who-am-i")).to_contain_text(f"Signed in as {SAM[1]}")

    # The next article, in another tab of the same site: already signed in.
    other = page.context.new_page()
    second = _open(other, f"{publisher_site}/other.html")
    expect(second.locator(".who-am-i")).to_contain_text(f"Signed in as {SAM[1]}")
    expect(second.get_by_label("Add your comment")).to_be_visible()
    key = f"townhall:{live_server}:session"
    token = json.loads(other.evaluate(f"localStorage.getItem({json.dumps(key)})"))["token"]
    me = httpx.get(f"{live_server}/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200

    # Signing out on one page signs out the other open page too, and the server ends it.
    second.get_by_role("button", name="Sign out").click()
    expect(second.get_by_text(CTA, exact=True)).to_be_visible()
    expect(first.get_by_text(CTA, exact=True)).to_be_visible()
    expect(first.get_by_label("Add your comment")).to_have_count(0)
    for _ in range(50):
        me = httpx.get(f"{live_server}/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        if me.status_code == 401:
            break
        page.wait_for_timeout(100)
    assert me.status_code == 401
    page.reload()
    first = _open(page, f"{publisher_site}/index.html")
    expect(first.get_by_text(CTA, exact=True)).to_be_visible()
    other.close()

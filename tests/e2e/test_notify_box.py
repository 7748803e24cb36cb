"""The composer's "Notify me of replies" box: shown to readers with an e-mail address,
unticked until they tick it, and saved at once."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.widget_helpers import open_demo, sso_session, unique, use_session

pytestmark = pytest.mark.browser


def test_ticking_notify_me_of_replies_saves_the_choice(page: Page, live_server: str) -> None:
    session = sso_session(live_server, name=unique("Nia"))
    use_session(page, live_server, session)
    w = open_demo(page, live_server)
    box = w.get_by_role("checkbox", name="Notify me of replies")
    expect(box).to_be_enabled()
    expect(box).not_to_be_checked()
    box.check()
    expect(w.get_by_role("status").first).to_have_text(
        "We will e-mail you when someone replies to you."
    )
    auth = {"Authorization": f"Bearer {session['token']}"}
    prefs = httpx.get(f"{live_server}/api/v1/me/preferences", headers=auth).json()
    assert prefs["notify_replies"] is True
    page.reload()
    w = open_demo(page, live_server)
    box = w.get_by_role("checkbox", name="Notify me of replies")
    expect(box).to_be_checked()
    box.uncheck()
    expect(box).to_be_enabled()
    prefs = httpx.get(f"{live_server}/api/v1/me/preferences", headers=auth).json()
    assert prefs["notify_replies"] is False

"""Shared steps for the widget's browser tests: tokens, API set-up, opening the demo page."""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from pathlib import Path

import httpx
import jwt
import pytest
from playwright.sync_api import Locator, Page, expect

SSO_SECRET = "demo-secret-for-tests-only-0123456789"
DEMO_PASSWORD = "ledger-demo-2026"
SAM = ("sam.reader@example.org", "SamTheReader")
MARGARET = ("margaret.hughes@example.org", "MargaretH")
NEWCOMER = "newcomer@example.org"
MODERATOR = "helen.ward@example.org"
STORY = "demo-article"
# The stream tabs carry their counts: "The Daily Ledger Premium (5)", "Open discussion (44)".
PREMIUM_TAB = re.compile(r"Premium \(\d+\)$")
OPEN_TAB = re.compile(r"^Open discussion \(\d+\)$")
LEARN_PREMIUM = re.compile(r"^Learn more about .*Premium$")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def unique(prefix: str = "t") -> str:
    """A short unique suffix for names and bodies."""
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def sso_jwt(*, name: str | None, premium: bool = False, sub: str | None = None) -> str:
    """A publisher token signed with the test server's secret."""
    sub = sub or unique("reader-")
    claims = {
        "sub": sub,
        "email": f"{sub}@example.org",
        "premium": premium,
        "exp": int(time.time()) + 600,
        "aud": "default",
    }
    if name is not None:
        claims["name"] = name
    return jwt.encode(claims, SSO_SECRET, algorithm="HS256")


def sso_session(base: str, *, name: str | None, premium: bool = False) -> dict:
    """Exchange a fresh publisher token for a session: {"token", "user"}."""
    r = httpx.post(f"{base}/api/v1/auth/sso", json={"token": sso_jwt(name=name, premium=premium)})
    r.raise_for_status()
    return r.json()


def login(base: str, email: str, password: str = DEMO_PASSWORD) -> dict:
    """Sign a local account in through the API."""
    r = httpx.post(f"{base}/api/v1/auth/login", json={"email": email, "password": password})
    r.raise_for_status()
    return r.json()


def post_comment(
    base: str,
    token: str,
    body: str,
    *,
    parent_id: int | None = None,
    stream: str = "open",
    story: str = STORY,
) -> dict:
    """Post a comment through the API as the session's user."""
    r = httpx.post(
        f"{base}/api/v1/stories/{story}/comments",
        json={
            "body": body,
            "stream": stream,
            "parent_id": parent_id,
            "story_url": f"{base}/{story}" if story != STORY else f"{base}/",
            "story_title": f"Story {story}",
        },
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 201, r.text
    return r.json()


def use_session(page: Page, base: str, session: dict) -> None:
    """Start the page already signed in (a local account's session is kept in localStorage)."""
    value = json.dumps({"token": session["token"], "user": session["user"], "via": "local"})
    page.add_init_script(
        f"localStorage.setItem({json.dumps(f'townhall:{base}:session')}, {json.dumps(value)});"
    )


def widget(page: Page) -> Locator:
    """The first comment section on the page."""
    return page.locator("townhall-comments").first


def open_demo(page: Page, base: str, path: str = "/") -> Locator:
    """Open the demo article, scroll to the comments and wait until they are shown."""
    page.goto(base + path)
    w = widget(page)
    w.scroll_into_view_if_needed()
    expect(w.get_by_role("heading", name="Comments", exact=False).first).to_be_visible()
    expect(w.locator("ol.list")).to_have_attribute("aria-busy", "false")
    return w


def comment_by_text(w: Locator, text: str) -> Locator:
    """The <article> of the comment containing `text`."""
    return w.locator("article", has_text=text).last


def sign_in_with_form(w: Locator, email: str, password: str = DEMO_PASSWORD) -> None:
    """Use the widget's local sign-in form."""
    w.get_by_role("button", name="Sign in", exact=True).click()
    form = w.get_by_role("form", name="Sign in")
    form.get_by_label("Email address").fill(email)
    form.get_by_label("Password").fill(password)
    form.get_by_role("button", name="Sign in", exact=True).click()


def axe_violations(page: Page) -> list[dict]:
    """Serious and critical WCAG 2.1 A/AA violations reported by axe-core."""
    if not AXE.exists():
        reason = "axe-core missing: run `npm install --no-save axe-core@4` in the repository"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    # The demo page's CSP forbids inline scripts, so evaluate axe through the driver instead.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    found = page.evaluate(
        """async () => (await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})).violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' +
                n.failureSummary)}))"""
    )
    return [v for v in found if v["impact"] in ("serious", "critical")]


def moderate(base: str, method: str, path: str, payload: dict | None = None) -> dict:
    """Call the moderation API as the demo moderator."""
    token = login(base, MODERATOR)["token"]
    r = httpx.request(
        method,
        f"{base}/api/v1/moderation{path}",
        json=payload,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code < 300, r.text
    return r.json()


def add_widget(page: Page, story: str, element_id: str = "extra") -> Locator:
    """Append another comment section for `story` to the open page and scroll to it."""
    page.evaluate(
        """([story, id]) => {
            const el = document.createElement('townhall-comments');
            el.setAttribute('story-id', story);
            el.setAttribute('story-url', location.origin + '/' + story);
            el.setAttribute('story-title', 'Story ' + story);
            el.id = id;
            document.querySelector('main').append(el);
        }""",
        [story, element_id],
    )
    w = page.locator(f"#{element_id}")
    w.scroll_into_view_if_needed()
    expect(w.locator("ol.list")).to_have_attribute("aria-busy", "false")
    return w

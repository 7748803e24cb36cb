"""Signing in to the comment section: local accounts, publisher SSO, commenting names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.widget_helpers import (
    DEMO_PASSWORD,
    NEWCOMER,
    SAM,
    open_demo,
    sign_in_with_form,
    sso_jwt,
    unique,
    widget,
)

pytestmark = pytest.mark.browser


def test_local_sign_in_with_a_demo_account(page: Page, live_server: str) -> None:
    w = open_demo(page, live_server)
    sign_in_with_form(w, SAM[0])
    expect(w.locator(".who-am-i")).to_have_text(re.compile(rf"^Signed in as {SAM[1]}"))
    expect(w.get_by_label("Add your comment")).to_be_focused()
    own = w.locator("article", has_text="Can the Ledger follow up")
    expect(own.get_by_role("button", name="Delete your comment")).to_be_visible()
    expect(own.get_by_role("button", name=re.compile("^Like"))).to_have_count(0)
    w.get_by_role("button", name="Sign out").click()
    expect(own.get_by_role("button", name="Delete your comment")).to_have_count(0)
    expect(w.get_by_text("Sign in and Join the Conversation", exact=True)).to_be_visible()


def test_wrong_password_is_refused_inline(page: Page, live_server: str) -> None:
    w = open_demo(page, live_server)
    sign_in_with_form(w, SAM[0], "not-the-password")
    expect(w.get_by_role("alert")).to_contain_text("do not match")
    expect(w.get_by_role("form", name="Sign in")).to_be_visible()


def test_session_survives_a_reload(page: Page, live_server: str) -> None:
    w = open_demo(page, live_server)
    sign_in_with_form(w, SAM[0])
    expect(w.locator(".who-am-i")).to_have_text(re.compile(rf"^Signed in as {SAM[1]}"))
    page.reload()
    w = open_demo(page, live_server)
    expect(w.locator(".who-am-i")).to_have_text(re.compile(rf"^Signed in as {SAM[1]}"))


def test_user_without_a_name_creates_one_and_taken_or_confusable_names_are_refused(
    page: Page, live_server: str, screens: Path
) -> None:
    w = open_demo(page, live_server)
    w.get_by_role("button", name="Register", exact=True).click()
    form = w.get_by_role("form", name="Register")
    form.get_by_label("Email address").fill(f"{unique('new')}@example.org")
    form.get_by_label("Password").fill("a-long-enough-password-1")
    form.get_by_role("button", name="Create account").click()
    expect(w.get_by_text("Create a commenting name to join the debate", exact=True)).to_be_visible()
    page.screenshot(path=str(screens / "create-name.png"))
    name_field = w.get_by_label("Commenting name", exact=True)
    save = w.get_by_role("button", name="Save", exact=True)

    name_field.fill(SAM[1].upper())
    save.click()
    expect(w.locator("#th-name-err")).not_to_be_empty()
    expect(name_field).to_have_attribute("aria-invalid", "true")
    expect(w.get_by_label("Add your comment")).to_have_count(0)

    # Cyrillic "а" (U+0430) posing as the Latin "a" of an existing name.
    name_field.fill("S\u0430mTheReader")
    save.click()
    expect(w.locator("#th-name-err")).not_to_be_empty()
    expect(w.get_by_label("Add your comment")).to_have_count(0)

    mine = unique("Reader")
    name_field.fill(mine)
    save.click()
    expect(w.locator(".who-am-i")).to_have_text(re.compile(rf"^Signed in as {mine}"))
    expect(w.get_by_label("Add your comment")).to_be_visible()


def test_demo_user_without_a_name_is_asked_for_one(page: Page, live_server: str) -> None:
    w = open_demo(page, live_server)
    sign_in_with_form(w, NEWCOMER, DEMO_PASSWORD)
    expect(w.get_by_text("Create a commenting name to join the debate", exact=True)).to_be_visible()
    expect(w.get_by_label("Commenting name", exact=True)).to_be_focused()


def test_sso_token_attribute_signs_in_and_removing_it_signs_out(
    page: Page, live_server: str
) -> None:
    w = open_demo(page, live_server)
    name = unique("Sso")
    w.evaluate("(el, t) => el.setAttribute('sso-token', t)", sso_jwt(name=name))
    expect(w.locator(".who-am-i")).to_have_text(re.compile(rf"^Signed in as {name}"))
    expect(w.get_by_label("Add your comment")).to_be_visible()
    w.evaluate("el => el.removeAttribute('sso-token')")
    expect(w.get_by_text("Sign in and Join the Conversation", exact=True)).to_be_visible()


def test_sso_token_present_at_load_signs_in_with_one_list_request(
    page: Page, live_server: str
) -> None:
    name = unique("Pub")
    lists: list[str] = []
    page.on("request", lambda r: lists.append(r.url) if "/comments?" in r.url else None)
    page.goto(f"{live_server}/?sso={sso_jwt(name=name)}")
    w = widget(page)
    w.scroll_into_view_if_needed()
    expect(w.locator(".who-am-i")).to_have_text(re.compile(rf"^Signed in as {name}"))
    expect(w.get_by_role("button", name="Sign out")).to_have_count(0)
    expect(w.locator("ol.list")).to_have_attribute("aria-busy", "false")
    page.wait_for_timeout(300)
    assert len(lists) == 1

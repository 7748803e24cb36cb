"""The dashboard's Delivery screen: the outbox's queue for staff; webhooks, a test event and
the delivery log for admins. The newsroom's webhook endpoint is played by a plain HTTP server
on 127.0.0.1 (tests/mailbox.py), which the setting webhook_allow_private lets through."""

from __future__ import annotations

from collections.abc import Iterator

import orjson
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import _chromium, private_demo
from tests.e2e.widget_helpers import DEMO_PASSWORD, axe_violations
from tests.mailbox import Receiver, wait_until

pytestmark = pytest.mark.browser
VIKRAM = "vikram.rao@example.org"  # the demo's admin
HELEN = "helen.ward@example.org"  # the demo's moderator


@pytest.fixture(scope="module")
def delivery_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _chromium()
    tmp = tmp_path_factory.mktemp("delivery")
    with private_demo(
        tmp, TOWNHALL_WEBHOOK_ALLOW_PRIVATE="true", TOWNHALL_OUTBOX_POLL_SECONDS="0.2"
    ) as base:
        yield base


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/admin")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Pending comments")).to_be_visible()


def test_an_admin_adds_a_webhook_sends_a_test_event_and_sees_it_delivered(
    page: Page, delivery_server: str
) -> None:
    receiver = Receiver().start()
    try:
        _sign_in(page, delivery_server, VIKRAM)
        page.get_by_role("link", name="Delivery").click()
        expect(page.get_by_role("heading", name="E-mail and webhooks")).to_be_visible()
        expect(page.get_by_text("0 waiting")).to_be_visible()
        expect(page.get_by_text("No mail relay is set")).to_be_visible()
        page.get_by_label("URL").fill("ftp://news.example/hook")
        page.get_by_label("comment.created").check()
        page.get_by_role("button", name="Add webhook").click()
        expect(page.get_by_role("alert").last).to_have_text(
            "url must be a public http or https address."
        )
        page.get_by_label("URL").fill(receiver.url)
        page.get_by_label("comment.created").check()
        page.get_by_label("Slack-compatible payload").check()
        page.get_by_role("button", name="Add webhook").click()
        expect(page.get_by_text("Signing secret, shown only now: whsec_")).to_be_visible()
        page.get_by_role("button", name="Send test event").click()
        assert wait_until(lambda: len(receiver.requests) == 1)
        assert orjson.loads(receiver.requests[0][1]) == {"text": "Test event from townhall"}
        page.reload()
        expect(page.get_by_text("sent after 1 attempts")).to_be_visible()
        assert axe_violations(page) == []
    finally:
        receiver.stop()


def test_a_moderator_sees_the_queue_but_not_the_webhooks(page: Page, delivery_server: str) -> None:
    _sign_in(page, delivery_server, HELEN)
    page.get_by_role("link", name="Delivery").click()
    expect(page.get_by_role("heading", name="Outbox")).to_be_visible()
    expect(page.get_by_role("heading", name="Webhooks", exact=True)).to_have_count(0)

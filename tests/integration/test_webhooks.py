"""Webhooks: admins register URLs, deliveries are signed, retried with back-off and logged.

The newsroom's receiving endpoint is played by a real HTTP server on 127.0.0.1
(tests/mailbox.py Receiver); private targets are allowed by the setting that exists for it.
"""

from __future__ import annotations

from datetime import timedelta

import orjson
import pytest

from tests.conftest import _client
from tests.factories import make_staff, post, sign_in
from tests.mailbox import Receiver
from townhall.delivery import webhooks
from townhall.delivery.sender import Sender
from townhall.delivery.webhooks import verify
from townhall.domain.models import utcnow


@pytest.fixture
def receiver():
    hook = Receiver().start()
    yield hook
    hook.stop()


async def _make_client(db_url, make_settings, **extra):
    return _client(make_settings(db_url, outbox_retry_seconds=30, **extra))


@pytest.fixture
async def client(db_url, make_settings):
    async with await _make_client(db_url, make_settings, webhook_allow_private=True) as c:
        yield c


async def deliver(client) -> int:
    sender = Sender(client.ctx)
    try:
        return await sender.run_once()
    finally:
        await sender.close()


async def _admin(client):
    boss = await sign_in(client, "boss", name="Casey Lane")
    await make_staff(client, boss, role="admin")
    return boss


async def _register(client, admin, url, events, fmt="json"):
    res = await client.post(
        "/api/v1/admin/webhooks", json={"url": url, "events": events, "format": fmt}, headers=admin
    )
    assert res.status_code == 201, res.text
    return res.json()


async def test_events_are_signed_and_only_the_chosen_ones_are_sent(client, receiver):
    admin = await _admin(client)
    hook = await _register(client, admin, receiver.url, ["comment.created", "report.created"])
    assert hook["secret"].startswith("whsec_")
    listed = (await client.get("/api/v1/admin/webhooks", headers=admin)).json()["webhooks"]
    assert listed[0]["secret"] is None, "the secret is shown once"
    ann = await sign_in(client, "ann", name="Ann Reader")
    bo = await sign_in(client, "bo", name="Bo Brennan")
    top = await post(client, ann, "A point about <the> story.")
    res = await client.post(
        f"/api/v1/comments/{top['id']}/reports", json={"reason": "spam"}, headers=bo
    )
    assert res.status_code == 201
    await post(client, ann, "Ring her on 07911 123456 tonight")  # held: comment.held unwanted
    await deliver(client)
    kinds = [orjson.loads(body)["type"] for _, body in receiver.requests]
    assert kinds == ["comment.created", "report.created", "comment.created"]
    headers, body = receiver.requests[0]
    assert verify(hook["secret"], body, headers["Townhall-Signature"])
    assert not verify("whsec_wrong", body, headers["Townhall-Signature"])
    event = orjson.loads(body)
    assert event["data"]["comment"]["body"] == "A point about <the> story."
    assert event["data"]["comment"]["author_name"] == "Ann Reader"
    assert headers["Townhall-Event"] == "comment.created"
    assert headers["Idempotency-Key"] == headers["Townhall-Delivery"]


async def test_a_failing_receiver_gets_retries_with_back_off_and_a_delivery_log(client, receiver):
    admin = await _admin(client)
    hook = await _register(client, admin, receiver.url, ["comment.created"])
    receiver.statuses = [500, 503]
    ann = await sign_in(client, "ann", name="Ann Reader")
    await post(client, ann, "A point about the story.")
    await deliver(client)
    assert await deliver(client) == 0, "not before its back-off"
    start = utcnow()
    client.ctx.clock = lambda: start + timedelta(seconds=31)
    await deliver(client)
    client.ctx.clock = lambda: start + timedelta(seconds=31 + 61)
    await deliver(client)
    assert len(receiver.requests) == 3
    ids = {h["Townhall-Delivery"] for h, _ in receiver.requests}
    assert len(ids) == 1, "every attempt carries the same delivery id"
    log = (
        await client.get(f"/api/v1/admin/webhooks/{hook['id']}/deliveries", headers=admin)
    ).json()
    [entry] = log["deliveries"]
    assert entry["status"] == "sent" and entry["attempts"] == 3 and entry["last_status"] == 200
    assert entry["last_error"] == "receiver answered 503"


async def test_deliveries_stop_after_the_retry_period(client, receiver):
    admin = await _admin(client)
    hook = await _register(client, admin, receiver.url, ["comment.created"])
    receiver.statuses = [500] * 50
    ann = await sign_in(client, "ann", name="Ann Reader")
    await post(client, ann, "A point about the story.")
    start = utcnow()
    for hours in range(0, 26):
        client.ctx.clock = lambda h=hours: start + timedelta(hours=h, seconds=1)
        await deliver(client)
    log = (
        await client.get(f"/api/v1/admin/webhooks/{hook['id']}/deliveries", headers=admin)
    ).json()
    [entry] = log["deliveries"]
    assert entry["status"] == "dead"
    panel = (await client.get("/api/v1/admin/outbox", headers=admin)).json()
    assert panel["failed"] == 1 and panel["recent_failures"][0]["id"] == entry["id"]


async def test_slack_format_and_the_test_button(client, receiver):
    admin = await _admin(client)
    hook = await _register(client, admin, receiver.url, ["comment.created"], fmt="slack")
    res = await client.post(f"/api/v1/admin/webhooks/{hook['id']}/test", headers=admin)
    assert res.status_code == 202 and res.json()["status"] == "pending"
    ann = await sign_in(client, "ann", name="Ann Reader")
    await post(client, ann, "See <https://evil.example|this> & more")
    await deliver(client)
    test, created = (orjson.loads(body) for _, body in receiver.requests)
    assert test == {"text": "Test event from townhall"}
    assert set(created) == {"text"}
    assert "&lt;https://evil.example|this&gt; &amp; more" in created["text"]


async def test_moderation_events_and_bans(client, receiver):
    admin = await _admin(client)
    await _register(client, admin, receiver.url, ["comment.held", "comment.decided", "user.banned"])
    ed = await sign_in(client, "ed", name="Ed Writer")
    held = await post(client, ed, "Ring her on 07911 123456 tonight")
    res = await client.post(
        f"/api/v1/moderation/comments/{held['id']}/reject", json={"reason": "phone"}, headers=admin
    )
    assert res.status_code == 200
    ed_id = (await client.get("/api/v1/me", headers=ed)).json()["id"]
    res = await client.post(f"/api/v1/moderation/users/{ed_id}/ban", json={}, headers=admin)
    assert res.status_code == 200, res.text
    await deliver(client)
    events = [orjson.loads(body) for _, body in receiver.requests]
    assert [e["type"] for e in events] == ["comment.held", "comment.decided", "user.banned"]
    assert events[0]["data"]["guideline"] == "private_info"
    assert events[1]["data"]["decision"] == "rejected" and events[1]["data"]["reason"] == "phone"
    assert events[2]["data"]["user"] == {"id": ed_id, "name": "Ed Writer"}


async def test_only_admins_manage_webhooks(client, receiver):
    ann = await sign_in(client, "ann", name="Ann Reader")
    mod = await sign_in(client, "mod", name="Morgan Desk")
    await make_staff(client, mod)
    body = {"url": receiver.url, "events": ["comment.created"]}
    assert (await client.post("/api/v1/admin/webhooks", json=body)).status_code == 401
    assert (await client.post("/api/v1/admin/webhooks", json=body, headers=ann)).status_code == 403
    assert (await client.post("/api/v1/admin/webhooks", json=body, headers=mod)).status_code == 403
    assert (await client.get("/api/v1/admin/outbox", headers=ann)).status_code == 403
    assert (await client.get("/api/v1/admin/outbox", headers=mod)).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",
        "http://localhost/hook",
        "http://10.0.0.7/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "ftp://news.example/hook",
        "file:///etc/passwd",
        "https://user:pw@news.example/hook",
    ],
)
async def test_private_targets_and_other_schemes_are_refused_by_default(
    sqlite_url, make_settings, url
):
    async with _client(make_settings(sqlite_url)) as client:
        admin = await _admin(client)
        res = await client.post(
            "/api/v1/admin/webhooks",
            json={"url": url, "events": ["comment.created"]},
            headers=admin,
        )
        assert res.status_code == 422, res.text
        assert res.json()["errors"][0]["field"] == "url"


async def test_unknown_events_are_refused_naming_the_field(client, receiver):
    admin = await _admin(client)
    res = await client.post(
        "/api/v1/admin/webhooks",
        json={"url": receiver.url, "events": ["comment.liked"]},
        headers=admin,
    )
    assert res.status_code == 422 and "events" in res.text


async def test_a_host_that_turns_private_after_the_check_is_refused_at_connect(
    receiver, monkeypatch
):
    # DNS rebinding: the name resolves to a public address when it is checked (at
    # registration) and to loopback later, when a delivery connects. No DNS server that answers
    # this way can run here, so the resolver is scripted (answers in turn); the receiver
    # on 127.0.0.1 is real and must never be reached.
    port = int(receiver.url.rsplit(":", 1)[1].split("/", 1)[0])
    answers = iter(["93.184.215.14", "127.0.0.1", "127.0.0.1"])

    async def scripted(host: str) -> list[str]:
        assert host == "localhost"
        return [next(answers)]

    monkeypatch.setattr(webhooks, "resolve", scripted)
    url = f"http://localhost:{port}/hook"
    await webhooks.check_target(url, allow_private=False)  # as when the admin registered it
    async with webhooks.webhook_client(allow_private=False) as http:
        with pytest.raises(webhooks.WebhookError, match="private or loopback"):
            await webhooks.deliver(
                http,
                url=url,
                secret="s" * 32,
                event={"type": "test", "data": {}},
                fmt="json",
                delivery_id="d-1",
                wait=5,
            )
    assert receiver.requests == []

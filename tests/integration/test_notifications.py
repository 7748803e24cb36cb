"""Reply and decision e-mails through the outbox, preferences and one-click unsubscribe.

The publisher's outside mail relay is played by a real SMTP server (aiosmtpd) on
127.0.0.1 (tests/mailbox.py); the sender is townhall's own, run one pass at a time.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from tests.conftest import _client
from tests.factories import make_staff, post, sign_in
from tests.mailbox import Mailbox, parts
from townhall.delivery.sender import Sender
from townhall.domain.models import utcnow


@pytest.fixture
def mailbox():
    box = Mailbox().start()
    yield box
    box.stop()


@pytest.fixture
async def client(db_url, make_settings, mailbox):
    settings = make_settings(
        db_url,
        smtp_url=mailbox.url,
        public_url="http://comments.example",
        mail_from="The Daily Ledger <comments@ledger.example>",
        outbox_retry_seconds=60,
    )
    async with _client(settings) as c:
        yield c


async def deliver(client) -> int:
    """One pass of the sender (it runs in the server or `townhall worker` otherwise)."""
    sender = Sender(client.ctx)
    try:
        return await sender.run_once()
    finally:
        await sender.close()


async def opt_in(client, headers, **prefs) -> None:
    res = await client.patch(
        "/api/v1/me/preferences", json={"notify_replies": True, **prefs}, headers=headers
    )
    assert res.status_code == 200, res.text


async def opted_in_thread(client):
    """Ann, who asked to hear of replies, Bo, and a top-level comment of Ann's."""
    ann = await sign_in(client, "ann", name="Ann Reader")
    await opt_in(client, ann)
    bo = await sign_in(client, "bo", name="Bo Brennan")
    top = await post(client, ann, "Where is the council's money going?")
    return ann, bo, top


async def test_replies_are_off_until_the_reader_opts_in(client, mailbox):
    ann = await sign_in(client, "ann", name="Ann Reader")
    bo = await sign_in(client, "bo", name="Bo Brennan")
    res = await client.get("/api/v1/me/preferences", headers=ann)
    assert res.json() == {"notify_replies": False, "notify_decisions": True, "digest": "off"}
    top = await post(client, ann, "Where is the council's money going?")
    await post(client, bo, "A first answer.", parent_id=top["id"])
    await deliver(client)
    assert mailbox.messages == []
    await opt_in(client, ann)
    await post(client, bo, "Second <b>answer</b> & <script>alert(1)</script>", parent_id=top["id"])
    assert await deliver(client) == 1
    [msg] = mailbox.messages
    assert msg["To"] == "ann@example.org"
    assert msg["Subject"].startswith("Bo Brennan replied to your comment")
    text, html = parts(msg)
    assert "Second <b>answer</b> & <script>alert(1)</script>" in text
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Second &lt;b&gt;answer&lt;/b&gt; &amp;" in html
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert msg["List-Unsubscribe"].startswith("<http://comments.example/api/v1/unsubscribe?token=")
    assert msg["Message-ID"].endswith("@ledger.example>")
    assert await deliver(client) == 0
    assert len(mailbox.messages) == 1, "a delivered message is never sent again"


async def test_no_reply_mail_for_own_held_or_shadow_banned_replies(client, mailbox):
    ann = await sign_in(client, "ann", name="Ann Reader")
    await opt_in(client, ann)
    bo = await sign_in(client, "bo", name="Bo Brennan")
    cy = await sign_in(client, "cy", name="Cy Shadow")
    mod = await sign_in(client, "mod", name="Morgan Desk")
    await make_staff(client, mod)
    top = await post(client, ann, "Where is the council's money going?")
    await post(client, ann, "Answering myself.", parent_id=top["id"])
    cy_id = (await client.get("/api/v1/me", headers=cy)).json()["id"]
    res = await client.post(f"/api/v1/moderation/users/{cy_id}/shadowban", json={}, headers=mod)
    assert res.status_code == 200, res.text
    await post(client, cy, "A shadowed reply.", parent_id=top["id"])
    held = await post(client, bo, "Call me on 07911 123456 tonight", parent_id=top["id"])
    assert held["status"] == "pending"
    await deliver(client)
    assert mailbox.messages == []
    res = await client.post(f"/api/v1/moderation/comments/{held['id']}/approve", headers=mod)
    assert res.status_code == 200, res.text
    await deliver(client)
    [msg] = mailbox.to("ann@example.org")
    assert "07911 123456" in parts(msg)[0]
    [decided] = mailbox.to("bo@example.org")
    assert decided["Subject"] == "Your comment has been published"


async def test_one_mail_per_thread_an_hour_then_a_digest(client, mailbox):
    _ann, bo, top = await opted_in_thread(client)
    for n in range(3):
        await post(client, bo, f"Reply number {n}.", parent_id=top["id"])
    assert await deliver(client) == 1
    assert len(mailbox.messages) == 1
    later = utcnow() + timedelta(hours=1, minutes=1)
    client.ctx.clock = lambda: later
    assert await deliver(client) == 2
    assert len(mailbox.messages) == 2
    digest = mailbox.messages[1]
    assert digest["Subject"].startswith("2 new replies")
    text = parts(digest)[0]
    assert "Reply number 1." in text and "Reply number 2." in text


async def test_one_click_unsubscribe_needs_no_sign_in_and_stops_the_mail(client, mailbox):
    ann, bo, top = await opted_in_thread(client)
    await post(client, bo, "An answer.", parent_id=top["id"])
    await deliver(client)
    link = mailbox.messages[0]["List-Unsubscribe"].strip("<>")
    path = urlsplit(link)._replace(scheme="", netloc="").geturl()
    page = await client.get(path)
    assert page.status_code == 200 and "Unsubscribe" in page.text
    prefs = await client.get("/api/v1/me/preferences", headers=ann)
    assert prefs.json()["notify_replies"] is True, "opening the link changes nothing"
    forged = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
    bad = await client.post(forged, content=b"List-Unsubscribe=One-Click")
    assert bad.status_code == 400 and bad.json()["type"].endswith("bad-link")
    res = await client.post(
        path,
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert res.status_code == 200, res.text
    prefs = await client.get("/api/v1/me/preferences", headers=ann)
    assert prefs.json() == {"notify_replies": False, "notify_decisions": True, "digest": "off"}
    await post(client, bo, "Another answer.", parent_id=top["id"])
    await deliver(client)
    assert len(mailbox.messages) == 1


async def test_an_unsubscribe_after_queueing_still_wins(client, mailbox):
    ann, bo, top = await opted_in_thread(client)
    await post(client, bo, "An answer.", parent_id=top["id"])
    await opt_in(client, ann, notify_replies=False)
    await deliver(client)
    assert mailbox.messages == []


async def test_held_comment_authors_hear_the_decision_with_guideline_and_reason(client, mailbox):
    ed = await sign_in(client, "ed", name="Ed Writer")
    mod = await sign_in(client, "mod", name="Morgan Desk")
    await make_staff(client, mod)
    held = await post(client, ed, "Ring her on 07911 123456 tonight")
    other = await post(client, ed, "Ring him on 07911 654321 tomorrow")
    assert held["status"] == other["status"] == "pending"
    res = await client.post(
        f"/api/v1/moderation/comments/{held['id']}/reject",
        json={"reason": "Please don't share <phone> numbers"},
        headers=mod,
    )
    assert res.status_code == 200, res.text
    res = await client.post(f"/api/v1/moderation/comments/{other['id']}/approve", headers=mod)
    assert res.status_code == 200, res.text
    assert await deliver(client) == 2
    rejected, published = mailbox.messages
    assert rejected["Subject"] == "Your comment was not published"
    text, html = parts(rejected)
    assert "Guideline: Reveals private information" in text
    assert "Moderator's reason: Please don't share <phone> numbers" in text
    assert "Please don&#39;t share &lt;phone&gt; numbers" in html
    assert published["Subject"] == "Your comment has been published"
    assert "List-Unsubscribe=One-Click" == published["List-Unsubscribe-Post"]


async def test_preferences_refuse_bad_values_naming_the_field(client):
    ann = await sign_in(client, "ann", name="Ann Reader")
    for body, field in (
        ({"digest": "hourly"}, "digest"),
        ({"notify_replies": "yes"}, "notify_replies"),
        ({"notify_decisions": 1}, "notify_decisions"),
        ({"colour": "red"}, "colour"),
    ):
        res = await client.patch("/api/v1/me/preferences", json=body, headers=ann)
        assert res.status_code == 422, res.text
        assert field in res.text
    res = await client.patch("/api/v1/me/preferences", json={"digest": "weekly"}, headers=ann)
    assert res.json() == {"notify_replies": False, "notify_decisions": True, "digest": "weekly"}
    assert (await client.get("/api/v1/me/preferences")).status_code == 401


async def test_a_failing_relay_is_retried_with_back_off_and_counted(client, mailbox):
    _ann, bo, top = await opted_in_thread(client)
    await post(client, bo, "An answer.", parent_id=top["id"])
    mailbox.stop()
    await deliver(client)
    res = await client.get("/metrics")
    assert 'townhall_outbox_messages{channel="email",status="pending"} 1.0' in res.text
    assert 'townhall_outbox_failures_total{channel="email"}' in res.text
    mailbox.start()
    assert await deliver(client) == 0, "not due before its back-off"
    first = utcnow() + timedelta(seconds=61)
    client.ctx.clock = lambda: first
    assert await deliver(client) == 1
    assert len(mailbox.messages) == 1


async def test_one_sender_at_a_time_holds_the_lease(client):
    one, two = Sender(client.ctx), Sender(client.ctx)
    assert await one._lease()
    assert not await two._lease()
    await one.close()
    assert await two._lease()
    await two.close()


async def test_the_bell_lists_replies_and_decisions_and_marks_them_read(client):
    ann = await sign_in(client, "ann", name="Ann Reader")
    bo = await sign_in(client, "bo", name="Bo Brennan")
    mod = await sign_in(client, "mod", name="Morgan Desk")
    await make_staff(client, mod)
    top = await post(client, ann, "Where is the council's money going?")
    await post(client, ann, "Answering myself.", parent_id=top["id"])
    await post(client, bo, "Into the <new> bridge.", parent_id=top["id"])
    held = await post(client, ann, "Ring her on 07911 123456 tonight")
    res = await client.post(
        f"/api/v1/moderation/comments/{held['id']}/reject", json={"reason": "phone"}, headers=mod
    )
    assert res.status_code == 200
    res = await client.get("/api/v1/me/notifications", headers=ann)
    assert res.status_code == 200 and res.headers["cache-control"] == "no-store"
    bell = res.json()
    assert bell["unread"] == 2
    decision, reply = bell["notifications"]
    assert reply["kind"] == "reply" and reply["read"] is False
    assert reply["data"]["author_name"] == "Bo Brennan"
    assert reply["data"]["excerpt"] == "Into the <new> bridge."
    assert decision["kind"] == "decision" and decision["data"]["outcome"] == "rejected"
    assert decision["data"]["reason"] == "phone"
    res = await client.post(
        "/api/v1/me/notifications/read", json={"ids": [reply["id"]]}, headers=ann
    )
    assert res.json() == {"unread": 1}
    res = await client.post(
        "/api/v1/me/notifications/read", json={"ids": [reply["id"]]}, headers=bo
    )
    assert res.json() == {"unread": 0}, "nobody marks another reader's items"
    assert (await client.get("/api/v1/me/notifications", headers=ann)).json()["unread"] == 1
    assert (await client.post("/api/v1/me/notifications/read", json={}, headers=ann)).json() == {
        "unread": 0
    }
    assert (await client.get("/api/v1/me/notifications", headers=bo)).json() == {
        "notifications": [],
        "unread": 0,
    }
    res = await client.get("/api/v1/me/notifications?limit=0", headers=ann)
    assert res.status_code == 422 and "limit" in res.text


async def test_followers_hear_of_staff_replies_on_the_story(client):
    ann = await sign_in(client, "ann", name="Ann Reader")
    bo = await sign_in(client, "bo", name="Bo Brennan")
    mod = await sign_in(client, "mod", name="Morgan Desk")
    await make_staff(client, mod)
    story = "news/2026/bridge"
    res = await client.put(f"/api/v1/me/follows/{story}", headers=ann)
    assert res.status_code == 404, "a story nobody has commented on yet cannot be followed"
    top = await post(client, bo, "First!", story=story)
    res = await client.put(f"/api/v1/me/follows/{story}", headers=ann)
    assert res.json() == {"following": True}
    assert (await client.get(f"/api/v1/me/follows/{story}", headers=ann)).json()["following"]
    assert not (await client.get(f"/api/v1/me/follows/{story}", headers=bo)).json()["following"]
    await post(client, bo, "A reader's comment.", story=story)
    await post(client, mod, "From the newsdesk: we will publish the figures.", story=story)
    await post(client, mod, "And a staff reply.", story=story, parent_id=top["id"])
    items = (await client.get("/api/v1/me/notifications", headers=ann)).json()["notifications"]
    assert [i["kind"] for i in items] == ["staff_reply", "staff_reply"]
    assert items[1]["data"]["story"]["id"] == story
    assert (await client.delete(f"/api/v1/me/follows/{story}", headers=ann)).json() == {
        "following": False
    }
    await post(client, mod, "Another note.", story=story)
    assert (await client.get("/api/v1/me/notifications", headers=ann)).json()["unread"] == 2


async def test_moderators_are_alerted_at_the_queue_threshold_once_per_period(client, mailbox):
    mod = await sign_in(client, "mod", name="Morgan Desk")
    await make_staff(client, mod, role="admin")
    res = await client.patch(
        "/api/v1/admin/site",
        json={"alert_pending_threshold": 2, "alert_every_minutes": 30},
        headers=mod,
    )
    assert res.status_code == 200, res.text
    assert res.json()["alert_pending_threshold"] == 2
    ed = await sign_in(client, "ed", name="Ed Writer")
    await post(client, ed, "Ring her on 07911 123456 tonight")
    await deliver(client)
    assert mailbox.messages == [], "below the threshold"
    await post(client, ed, "Ring him on 07911 654321 tomorrow")
    await post(client, ed, "Ring them on 07911 111222 later")
    await deliver(client)
    [alert] = mailbox.messages
    assert alert["To"] == "mod@example.org"
    assert alert["Subject"] == "2 comments are waiting for moderation"
    assert "http://comments.example/admin#/queue/pending" in parts(alert)[0]
    assert alert["List-Unsubscribe"] is None
    await post(client, ed, "Ring us on 07911 333444 soon")
    later = utcnow() + timedelta(minutes=31)
    client.ctx.clock = lambda: later
    await deliver(client)
    assert len(mailbox.messages) == 2, "the alerts of the period come as one, after it"
    assert mailbox.messages[1]["Subject"] == "3 comments are waiting for moderation"


async def test_moderators_are_alerted_when_reports_hide_a_comment(client, mailbox):
    mod = await sign_in(client, "mod", name="Morgan Desk")
    await make_staff(client, mod, role="admin")
    res = await client.patch(
        "/api/v1/admin/site",
        json={"alert_on_reports": True, "report_threshold": 2},
        headers=mod,
    )
    assert res.status_code == 200, res.text
    ann = await sign_in(client, "ann", name="Ann Reader")
    top = await post(client, ann, "A perfectly fine comment.")
    for sub in ("r1", "r2"):
        reader = await sign_in(client, sub, name=f"Reader {sub.upper()}")
        res = await client.post(
            f"/api/v1/comments/{top['id']}/reports", json={"reason": "abuse"}, headers=reader
        )
        assert res.status_code == 201
    await deliver(client)
    [alert] = mailbox.messages
    assert alert["Subject"] == "Reader reports hid a comment"
    assert "A perfectly fine comment." in parts(alert)[0]
    res = await client.patch("/api/v1/admin/site", json={"alert_every_minutes": 0}, headers=mod)
    assert res.status_code == 422 and "alert_every_minutes" in res.text


PASSPHRASE = "a long enough passphrase"


async def _register(client, email: str, password: str = PASSPHRASE) -> dict:
    res = await client.post(
        "/api/v1/auth/register", json={"email": email, "password": password, "name": "Lou Local"}
    )
    assert res.status_code == 201, res.text
    res = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert res.status_code == 200, res.text
    return {"Authorization": f"Bearer {res.json()['token']}"}


def _link_path(msg) -> str:
    text = parts(msg)[0]
    url = next(w for w in text.split() if w.startswith("http://comments.example/auth/"))
    return url.removeprefix("http://comments.example")


async def test_local_accounts_get_other_mail_only_once_their_address_is_confirmed(client, mailbox):
    lou = await _register(client, "lou@example.org")
    await opt_in(client, lou)
    bo = await sign_in(client, "bo", name="Bo Brennan")
    top = await post(client, lou, "Where is the council's money going?")
    await post(client, bo, "An answer before the address is confirmed.", parent_id=top["id"])
    await deliver(client)
    [verify] = mailbox.messages
    assert verify["Subject"].startswith("Confirm your e-mail address")
    path = _link_path(verify)
    assert path.startswith("/auth/verify?token=")
    page = await client.get(path)
    assert page.status_code == 200 and "Confirm my address" in page.text
    forged = await client.post(path[:-2] + "xx")
    assert "Link not valid" in forged.text
    done = await client.post(path)
    assert done.status_code == 200 and "confirmed" in done.text
    await post(client, bo, "An answer after.", parent_id=top["id"])
    await deliver(client)
    assert len(mailbox.messages) == 2
    assert "An answer after." in parts(mailbox.messages[1])[0]
    assert all("before the address" not in parts(m)[0] for m in mailbox.messages)


async def test_a_forgotten_password_is_reset_once_by_an_e_mailed_link(client, mailbox):
    lou = await _register(client, "lou@example.org")
    await deliver(client)
    mailbox.messages.clear()
    unknown = await client.post("/api/v1/auth/password-reset", json={"email": "nobody@example.org"})
    known = await client.post("/api/v1/auth/password-reset", json={"email": "LOU@example.org"})
    assert unknown.status_code == known.status_code == 202
    assert unknown.json() == known.json(), "the answer does not tell who has an account"
    await deliver(client)
    [msg] = mailbox.messages
    assert msg["To"] == "lou@example.org" and msg["Subject"].startswith("Choose a new password")
    path = _link_path(msg)
    assert path.startswith("/auth/reset?token=")
    form = await client.get(path)
    assert form.status_code == 200 and 'type="password"' in form.text
    form_type = {"Content-Type": "application/x-www-form-urlencoded"}
    short = await client.post(path, content=b"password=short", headers=form_type)
    assert "Password not changed" in short.text and "at least 10 characters" in short.text
    done = await client.post(path, content=b"password=a+brand+new+passphrase", headers=form_type)
    assert done.status_code == 200 and "Password changed" in done.text
    assert (await client.get("/api/v1/me", headers=lou)).status_code == 401, "sessions end"
    res = await client.post(
        "/api/v1/auth/login",
        json={"email": "lou@example.org", "password": "a brand new passphrase"},
    )
    assert res.status_code == 200
    again = await client.post(path, content=b"password=yet+another+passphrase", headers=form_type)
    assert "Password not changed" in again.text and "used already" in again.text
    token = path.split("token=", 1)[1]
    res = await client.post(
        "/api/v1/auth/password-reset/confirm",
        json={"token": token, "password": "yet another passphrase"},
    )
    assert res.status_code == 400 and res.json()["code"] == "bad-link"


async def test_a_reset_link_older_than_an_hour_is_refused(client):
    import time

    from itsdangerous import TimestampSigner, URLSafeTimedSerializer

    from townhall.services import account_mail
    from townhall.services.notifications import signing_key

    lou = await _register(client, "lou@example.org")
    me = (await client.get("/api/v1/me", headers=lou)).json()

    class HourAgo(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - 3601

    async with client.ctx.read() as tx:
        digest = await tx.notifications.password_hash(me["id"])
    key = await signing_key(client.ctx, "default")
    token = URLSafeTimedSerializer(key, salt=account_mail.RESET_SALT, signer=HourAgo).dumps(
        {"u": me["id"], "p": account_mail._fingerprint(digest)}
    )
    res = await client.post(
        "/api/v1/auth/password-reset/confirm",
        json={"token": token, "password": "a brand new passphrase"},
    )
    assert res.status_code == 400 and "expired" in res.json()["detail"]


async def test_publisher_sign_in_keeps_the_address_of_the_email_claim(client, mailbox):
    from tests.factories import sso_token

    ann = await sign_in(client, "ann", name="Ann Reader")
    await opt_in(client, ann)
    res = await client.post(
        "/api/v1/auth/sso", json={"token": sso_token("ann", email="ann.new@example.org")}
    )
    assert res.status_code == 200 and res.json()["user"]["email"] == "ann.new@example.org"
    bo = await sign_in(client, "bo", name="Bo Brennan")
    top = await post(client, ann, "Where is the council's money going?")
    await post(client, bo, "An answer.", parent_id=top["id"])
    await deliver(client)
    [msg] = mailbox.messages
    assert msg["To"] == "ann.new@example.org"


async def test_finished_messages_leave_the_outbox_after_the_retention_period(client, mailbox):
    _ann, bo, top = await opted_in_thread(client)
    await post(client, bo, "An answer.", parent_id=top["id"])
    await deliver(client)
    assert len(mailbox.messages) == 1
    async with client.ctx.read() as tx:
        assert (await tx.notifications.queue_stats()).get("email.sent") == 1
    later = utcnow() + timedelta(days=31)
    client.ctx.clock = lambda: later
    await deliver(client)
    async with client.ctx.read() as tx:
        assert await tx.notifications.queue_stats() == {}
    assert len(mailbox.messages) == 1


async def test_a_muted_replier_reaches_neither_the_bell_nor_the_inbox(client, mailbox):
    ann = await sign_in(client, "ann", name="Ann Reader")
    await opt_in(client, ann)
    bo = await sign_in(client, "bo", name="Bo Brennan")
    bo_id = (await client.get("/api/v1/me", headers=bo)).json()["id"]
    res = await client.put(f"/api/v1/me/muted/{bo_id}", headers=ann)
    assert res.status_code in (200, 201, 204), res.text
    top = await post(client, ann, "Where is the council's money going?")
    await post(client, bo, "A muted answer.", parent_id=top["id"])
    await deliver(client)
    assert mailbox.messages == []
    assert (await client.get("/api/v1/me/notifications", headers=ann)).json()["unread"] == 0


async def test_a_picked_comment_reaches_its_authors_bell_once(client):
    ann = await sign_in(client, "ann", name="Ann Reader")
    mod = await sign_in(client, "mod", name="Morgan Desk")
    await make_staff(client, mod)
    story = "news/2026/four-day-week"
    mine = await post(client, ann, "Fridays off changed our family life.", story=story)
    own = await post(client, mod, "From the newsdesk.", story=story)
    feature = "/api/v1/moderation/comments/{}/feature"
    res = await client.post(feature.format(mine["id"]), json={"note": "First-hand"}, headers=mod)
    assert res.status_code == 200, res.text
    # Taken back and picked again: still one item; staff picking their own comment: none.
    await client.delete(feature.format(mine["id"]), headers=mod)
    await client.post(feature.format(mine["id"]), json={"note": "First-hand"}, headers=mod)
    await client.post(feature.format(own["id"]), json={}, headers=mod)
    items = (await client.get("/api/v1/me/notifications", headers=ann)).json()["notifications"]
    assert [(i["kind"], i["data"]["comment_id"]) for i in items] == [("pick", mine["id"])]
    assert items[0]["data"]["note"] == "First-hand"
    assert items[0]["data"]["story"]["id"] == story
    staff_items = await client.get("/api/v1/me/notifications", headers=mod)
    assert staff_items.json()["notifications"] == []


async def test_the_sender_is_woken_only_by_writes_that_queue_messages(client, mailbox):
    from townhall.app import outbox_wake

    wake = outbox_wake(client.ctx)
    _ann, bo, first = await opted_in_thread(client)
    wake.clear()
    await post(client, bo, "A comment of my own, which notifies nobody.")
    assert not wake.is_set()
    await post(client, bo, "A reply Ann asked to hear of.", parent_id=first["id"])
    assert wake.is_set()
    assert await deliver(client) == 1

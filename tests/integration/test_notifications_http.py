"""End to end over real HTTP and real SMTP: `townhall serve` processes, the publisher's
outside mail relay played by aiosmtpd on 127.0.0.1 and a newsroom's webhook endpoint by
a plain HTTP server on 127.0.0.1 (tests/mailbox.py)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess

import httpx
import orjson
import pytest

from tests.factories import sso_token
from tests.mailbox import Mailbox, Receiver, parts, wait_until
from tests.servers import free_port, serve
from townhall.delivery.webhooks import verify


@pytest.fixture
def mailbox():
    box = Mailbox().start()
    yield box
    box.stop()


@pytest.fixture
def receiver():
    hook = Receiver().start()
    yield hook
    hook.stop()


def _env(mailbox: Mailbox, port: int, **extra: str) -> dict[str, str]:
    return {
        "TOWNHALL_SMTP_URL": mailbox.url,
        "TOWNHALL_MAIL_FROM": "The Daily Ledger <comments@ledger.example>",
        "TOWNHALL_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "TOWNHALL_OUTBOX_POLL_SECONDS": "0.2",
        "TOWNHALL_OUTBOX_RETRY_SECONDS": "0.2",
        "TOWNHALL_WEBHOOK_ALLOW_PRIVATE": "true",
        **extra,
    }


def _sign_in(http: httpx.Client, sub: str, name: str) -> dict[str, str]:
    res = http.post("/api/v1/auth/sso", json={"token": sso_token(sub)})
    assert res.status_code == 200, res.text
    headers = {"Authorization": f"Bearer {res.json()['token']}"}
    assert http.put("/api/v1/me/name", json={"name": name}, headers=headers).status_code == 200
    return headers


def _post(http: httpx.Client, headers, body: str, **extra) -> dict:
    res = http.post("/api/v1/stories/s1/comments", json={"body": body, **extra}, headers=headers)
    assert res.status_code == 201, res.text
    return res.json()


def _promote(db: str, name: str, role: str) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA busy_timeout=30000")
        conn.execute("UPDATE users SET role = ? WHERE name = ?", (role, name))


def test_reply_mail_unsubscribe_decisions_and_webhooks(tmp_path, mailbox, receiver):
    db = str(tmp_path / "e2e.sqlite3")
    port = free_port()
    with serve(db, port=port, env=_env(mailbox, port)) as (base, _proc):
        http = httpx.Client(base_url=base, timeout=10)
        ann = _sign_in(http, "ann", "Ann Reader")
        bo = _sign_in(http, "bo", "Bo Brennan")
        cy = _sign_in(http, "cy", "Cy Marker")
        boss = _sign_in(http, "boss", "Casey Lane")
        _promote(db, "Casey Lane", "admin")
        res = http.post(
            "/api/v1/admin/webhooks",
            json={"url": receiver.url, "events": ["comment.created"]},
            headers=boss,
        )
        assert res.status_code == 201, res.text
        secret = res.json()["secret"]
        receiver.statuses = [500, 500]
        # Reader A ticks "Notify me of replies"; reader B replies.
        assert http.patch(
            "/api/v1/me/preferences", json={"notify_replies": True}, headers=ann
        ).json()["notify_replies"]
        top = _post(http, ann, "Is the new bridge worth it?")
        _post(http, bo, "Yes, <b>absolutely</b> & more", parent_id=top["id"])
        [msg] = mailbox.wait_for(1)
        assert msg["To"] == "ann@example.org"
        text, html = parts(msg)
        assert "Yes, <b>absolutely</b> & more" in text
        assert "Yes, &lt;b&gt;absolutely&lt;/b&gt; &amp; more" in html and "<b>" not in html
        # One-click unsubscribe (RFC 8058): a POST to the header's link, no sign-in.
        link = msg["List-Unsubscribe"].strip("<>")
        assert link.startswith(base)
        res = httpx.post(
            link,
            content=b"List-Unsubscribe=One-Click",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert res.status_code == 200, res.text
        _post(http, bo, "Another reply nobody is told about.", parent_id=top["id"])
        # A marker mail queued after it: once it is here, the one before was handled.
        http.patch("/api/v1/me/preferences", json={"notify_replies": True}, headers=cy)
        cy_top = _post(http, cy, "A marker thread.")
        _post(http, bo, "Marker reply.", parent_id=cy_top["id"])
        mailbox.wait_for(2)
        assert [m["To"] for m in mailbox.messages] == ["ann@example.org", "cy@example.org"]
        # A held comment's author hears the decision.
        held = _post(http, bo, "Ring her on 07911 123456 tonight")
        assert held["status"] == "pending"
        res = http.post(
            f"/api/v1/moderation/comments/{held['id']}/reject",
            json={"reason": "No phone numbers, please."},
            headers=boss,
        )
        assert res.status_code == 200, res.text
        mailbox.wait_for(3)
        decided = mailbox.messages[2]
        assert decided["To"] == "bo@example.org"
        assert "Moderator's reason: No phone numbers, please." in parts(decided)[0]
        # The webhook receiver answered 500 twice: six comments made six events, each
        # arrived, signed, and two of them were tried again with the same delivery id.
        assert wait_until(lambda: len(receiver.requests) >= 8)
        ids = [h["Townhall-Delivery"] for h, _ in receiver.requests]
        assert len(set(ids)) == 6 and len(ids) == 8
        assert ids.count(ids[0]) >= 2, "the first delivery was retried after its 500"
        for headers, body in receiver.requests:
            assert verify(secret, body, headers["Townhall-Signature"])
            assert orjson.loads(body)["type"] == "comment.created"
        http.close()


def test_kill_9_between_write_and_send_loses_nothing_and_sends_once(tmp_path, mailbox):
    db = str(tmp_path / "kill.sqlite3")
    port = free_port()
    with serve(db, port=port, env=_env(mailbox, port, TOWNHALL_OUTBOX_SENDER="false")) as (
        base,
        proc,
    ):
        http = httpx.Client(base_url=base, timeout=10)
        ann = _sign_in(http, "ann", "Ann Reader")
        bo = _sign_in(http, "bo", "Bo Brennan")
        http.patch("/api/v1/me/preferences", json={"notify_replies": True}, headers=ann)
        top = _post(http, ann, "Is the new bridge worth it?")
        _post(http, bo, "A reply written just before the crash.", parent_id=top["id"])
        http.close()
        os.kill(proc.pid, signal.SIGKILL)  # the reply is committed; nothing was sent
        proc.wait(timeout=10)
    assert mailbox.messages == []
    # The next server (sender on) finds the message and sends it once.
    with serve(db, port=port, env=_env(mailbox, port)) as (base, proc):
        [msg] = mailbox.wait_for(1)
        assert "A reply written just before the crash." in parts(msg)[0]
    # A third start sends nothing again: a marker mail, queued later, comes alone.
    with serve(db, port=port, env=_env(mailbox, port)) as (base, proc):
        http = httpx.Client(base_url=base, timeout=10)
        ann = _sign_in(http, "ann", "Ann Reader")
        bo = _sign_in(http, "bo", "Bo Brennan")
        _post(http, bo, "A later reply.", parent_id=_post(http, ann, "A new thread.")["id"])
        mailbox.wait_for(2)
        http.close()
    bodies = [parts(m)[0] for m in mailbox.messages]
    assert len(bodies) == 2 and "A later reply." in bodies[1]


def test_townhall_worker_delivers_when_the_servers_do_not(tmp_path, mailbox):
    from tests.servers import BIN

    db = str(tmp_path / "worker.sqlite3")
    port = free_port()
    env = _env(mailbox, port, TOWNHALL_OUTBOX_SENDER="false")
    with serve(db, port=port, env=env) as (base, _proc):
        http = httpx.Client(base_url=base, timeout=10)
        ann = _sign_in(http, "ann", "Ann Reader")
        bo = _sign_in(http, "bo", "Bo Brennan")
        http.patch("/api/v1/me/preferences", json={"notify_replies": True}, headers=ann)
        top = _post(http, ann, "Is the new bridge worth it?")
        _post(http, bo, "Delivered by the worker.", parent_id=top["id"])
        http.close()
        worker = subprocess.Popen(
            [str(BIN), "worker", "--db", db],
            env={**os.environ, **env, "TOWNHALL_LOG_LEVEL": "warning"},
        )
        try:
            [msg] = mailbox.wait_for(1)
            assert "Delivered by the worker." in parts(msg)[0]
        finally:
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=10) == 0


def test_two_workers_send_each_message_once(tmp_path, mailbox):
    db = str(tmp_path / "workers.sqlite3")
    port = free_port()
    with serve(db, port=port, env=_env(mailbox, port), args=("--workers", "2")) as (base, _):
        http = httpx.Client(base_url=base, timeout=10)
        ann = _sign_in(http, "ann", "Ann Reader")
        bo = _sign_in(http, "bo", "Bo Brennan")
        http.patch("/api/v1/me/preferences", json={"notify_replies": True}, headers=ann)
        for n in range(3):
            top = _post(http, ann, f"Thread {n}.")
            _post(http, bo, f"Reply in thread {n}.", parent_id=top["id"])
        mailbox.wait_for(3)
        # A marker queued last: once it is here, every earlier message was handled.
        cy = _sign_in(http, "cy", "Cy Marker")
        http.patch("/api/v1/me/preferences", json={"notify_replies": True}, headers=cy)
        _post(http, bo, "Marker reply.", parent_id=_post(http, cy, "Marker thread.")["id"])
        assert wait_until(lambda: any(m["To"] == "cy@example.org" for m in mailbox.messages))
        http.close()
    ids = [m["Message-ID"] for m in mailbox.messages]
    assert len(ids) == 4 and len(set(ids)) == 4, "one sender at a time: nothing twice"

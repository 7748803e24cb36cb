"""Deleting an account: confirmed, sessions end at once, and the reader's name and e-mail
are in no public response, no export and no live replay afterwards."""

from __future__ import annotations

import time

import pytest

from tests.factories import make_staff, post, sign_in, sso_token
from tests.integration.sse_helpers import AsgiStream

NAME = "Annabel Quill"
EMAIL = "annabel.private@example.org"
PASSWORD = "a long and private passphrase"
STORY = "erasure/story one"
EVENTS = "/api/v1/stories/erasure%2Fstory%20one/events"


async def _local(client, email=EMAIL, name=NAME, password=PASSWORD) -> dict[str, str]:
    res = await client.post(
        "/api/v1/auth/register", json={"email": email, "password": password, "name": name}
    )
    assert res.status_code == 201, res.text
    res = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert res.status_code == 200, res.text
    return {"Authorization": f"Bearer {res.json()['token']}"}


async def _login(client, email=EMAIL, password=PASSWORD):
    return await client.post("/api/v1/auth/login", json={"email": email, "password": password})


async def _public_texts(client, headers, story_keys, threads) -> str:
    """Every public answer a reader could get about these stories, as one text."""
    out = []
    for key in story_keys:
        for stream in ("open", "premium"):
            for sort in ("newest", "oldest", "most_liked"):
                res = await client.get(
                    f"/api/v1/stories/{key}/comments",
                    params={"stream": stream, "sort": sort},
                    headers=headers,
                )
                assert res.status_code == 200, res.text
                out.append(res.text)
    for root in threads:
        res = await client.get(f"/api/v1/comments/{root}/replies", headers=headers)
        assert res.status_code in (200, 404), res.text
        out.append(res.text)
    res = await client.get("/api/v1/counts", params={"story_id": list(story_keys)})
    out.append(res.text)
    return "\n".join(out)


@pytest.mark.parametrize("choice", ["keep", "delete"])
async def test_after_deleting_my_account_my_name_and_email_are_nowhere(app_client, choice):
    client = app_client
    ann = await _local(client)
    second = (await _login(client)).json()["token"]
    bo = await sign_in(client, "bo", name="Bo Brennan")
    top = await post(client, ann, "My first point.", story=STORY)
    reply = await post(client, bo, "Bo answers Annabel.", story=STORY, parent_id=top["id"])
    mine_reply = await post(client, ann, "Annabel answers back.", story=STORY, parent_id=top["id"])
    lone = await post(client, ann, "A lone remark elsewhere.", story="other-story")
    ann_id = (await client.get("/api/v1/me", headers=ann)).json()["id"]
    await client.put(f"/api/v1/me/muted/{ann_id}", headers=bo)
    await client.put(f"/api/v1/comments/{reply['id']}/like", headers=ann)
    # Cached anonymous pages that name her exist before the deletion.
    before = await _public_texts(client, {}, [STORY, "other-story"], [top["id"]])
    assert NAME in before

    res = await client.request("DELETE", "/api/v1/me", json={"comments": choice}, headers=ann)
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "password"
    res = await client.request(
        "DELETE", "/api/v1/me", json={"comments": choice, "password": "not it at all"}, headers=ann
    )
    assert res.status_code == 403 and res.json()["code"] == "confirmation-failed"
    assert (await client.get("/api/v1/me", headers=ann)).status_code == 200  # still signed in
    res = await client.request(
        "DELETE", "/api/v1/me", json={"comments": "maybe", "password": PASSWORD}, headers=ann
    )
    assert res.status_code == 422
    res = await client.request(
        "DELETE", "/api/v1/me", json={"comments": choice, "password": PASSWORD}, headers=ann
    )
    assert res.status_code == 200, res.text
    assert res.json()["comments"] == choice
    assert res.json()["comments_deleted"] == (3 if choice == "delete" else 0)

    # Every session ends at once, and the account cannot sign in again.
    assert (await client.get("/api/v1/me", headers=ann)).status_code == 401
    other = {"Authorization": f"Bearer {second}"}
    assert (await client.get("/api/v1/me", headers=other)).status_code == 401
    assert (await client.get("/api/v1/me/export", headers=ann)).status_code == 401
    assert (await _login(client)).status_code == 401

    for headers in ({}, bo):
        text = await _public_texts(client, headers, [STORY, "other-story"], [top["id"]])
        assert NAME not in text and EMAIL not in text
        assert "Bo answers Annabel." in text
    page = (await client.get(f"/api/v1/stories/{STORY}/comments")).json()
    [thread] = page["comments"]
    if choice == "keep":
        assert thread["author"]["name"] is None and "My first point." in thread["body_html"]
        assert not thread["deleted"]
    else:
        assert thread["deleted"] and thread["author"] is None and thread["body_html"] == ""
        replies = {r["id"] for r in thread["replies"]}
        assert reply["id"] in replies and mine_reply["id"] not in replies
        other_page = (await client.get("/api/v1/stories/other-story/comments")).json()
        assert lone["id"] not in {c["id"] for c in other_page["comments"]}
    bo_reply = next(r for r in thread["replies"] if r["id"] == reply["id"])
    assert bo_reply["in_reply_to"] is None

    # Nor in another reader's export, nor in a live replay from the start of the log.
    export = (await client.get("/api/v1/me/export", headers=bo)).text
    assert NAME not in export and EMAIL not in export
    assert '"muted":[]' in export
    async with AsgiStream(client.app, EVENTS + "?last_event_id=0") as stream:
        replayed = await stream.quiet(0.5)
    assert replayed
    assert all(NAME not in e.data and EMAIL not in e.data for e in replayed)

    # The audit log keeps who did what, without the e-mail.
    async with client.ctx.read() as tx:
        entries = await tx.audit.list("default", limit=500)
    assert any(e["action"] == "user.delete_account" for e in entries)
    assert EMAIL not in repr(entries)

    # The name stays taken for the quarantine.
    check = (await client.get("/api/v1/names/check", params={"name": NAME}, headers=bo)).json()
    assert check["available"] is False


async def test_publisher_accounts_confirm_with_a_fresh_token_of_their_own(app_client):
    client = app_client
    cy = await sign_in(client, "cy", name="Cy Leaving")
    await post(client, cy, "Cy was here.")
    res = await client.request("DELETE", "/api/v1/me", json={"comments": "keep"}, headers=cy)
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "sso_token"
    res = await client.request(
        "DELETE",
        "/api/v1/me",
        json={"comments": "keep", "sso_token": sso_token("someone-else")},
        headers=cy,
    )
    assert res.status_code == 403 and res.json()["code"] == "confirmation-failed"
    res = await client.request(
        "DELETE",
        "/api/v1/me",
        json={"comments": "keep", "sso_token": sso_token("cy", expires_in=-120)},
        headers=cy,
    )
    assert res.status_code == 403 and res.json()["code"] == "confirmation-failed"
    # Not fresh: issued an hour ago, or living for hours without saying when it was issued.
    stale = [
        sso_token("cy", iat=int(time.time()) - 3600, expires_in=300),
        sso_token("cy", expires_in=4 * 3600),
    ]
    for token in stale:
        res = await client.request(
            "DELETE", "/api/v1/me", json={"comments": "keep", "sso_token": token}, headers=cy
        )
        assert res.status_code == 403 and res.json()["code"] == "confirmation-failed", res.text
    fresh = sso_token("cy", iat=int(time.time()) - 60)
    res = await client.request(
        "DELETE", "/api/v1/me", json={"comments": "keep", "sso_token": fresh}, headers=cy
    )
    assert res.status_code == 200, res.text
    assert (await client.get("/api/v1/me", headers=cy)).status_code == 401
    # Signing in again through the publisher starts a new, nameless account.
    again = await sign_in(client, "cy")
    me = (await client.get("/api/v1/me", headers=again)).json()
    assert me["name"] is None and me["email"] == "cy@example.org"
    assert (await client.get("/api/v1/me/comments", headers=again)).json()["comments"] == []


async def test_staff_erase_a_reader_on_request_with_the_same_effects_audited(app_client):
    client = app_client
    mod = await sign_in(client, "mod", name="Morgan Reyes")
    await make_staff(client, mod)
    dee = await sign_in(client, "dee", name="Dee Requests")
    ed = await sign_in(client, "ed", name="Ed Reader")
    c = await post(client, dee, "Please forget me.")
    dee_id = (await client.get("/api/v1/me", headers=dee)).json()["id"]
    url = f"/api/v1/moderation/users/{dee_id}/erase"
    assert (await client.post(url, json={"comments": "delete"}, headers=ed)).status_code == 403
    assert (await client.post(url, json={"comments": "delete"})).status_code == 401
    res = await client.post(url, json={"comments": "delete"}, headers=mod)
    assert res.status_code == 200, res.text
    assert res.json()["comments_deleted"] == 1
    assert (await client.get("/api/v1/me", headers=dee)).status_code == 401
    page = await client.get("/api/v1/stories/story-1/comments")
    assert "Dee Requests" not in page.text
    assert c["id"] not in {x["id"] for x in page.json()["comments"]}
    assert (await client.post(url, json={"comments": "delete"}, headers=mod)).status_code == 404
    audit = (await client.get("/api/v1/moderation/audit", headers=mod)).json()
    erased = [e for e in audit["entries"] if e["action"] == "user.erase"]
    assert len(erased) == 1 and erased[0]["actor_name"] == "Morgan Reyes"
    assert "dee@example.org" not in repr(audit)


async def test_staff_accounts_are_not_deleted_from_the_widget(app_client):
    mod = await sign_in(app_client, "mod", name="Morgan Reyes")
    await make_staff(app_client, mod)
    res = await app_client.request(
        "DELETE",
        "/api/v1/me",
        json={"comments": "keep", "sso_token": sso_token("mod")},
        headers=mod,
    )
    assert res.status_code == 403


async def test_deleting_an_account_with_its_comments_takes_them_out_of_the_retraining_examples(
    app_client,
):
    from sqlalchemy import func, select

    from townhall.storage.sql.tables import moderation_decisions

    client = app_client
    mod = await sign_in(client, "mod", name="Morgan Reyes")
    await make_staff(client, mod)
    ann = await _local(client)
    held = await client.post(
        "/api/v1/stories/story-1/comments",
        json={"body": "Ring her on 07911 123456 tonight"},
        headers=ann,
    )
    assert held.json()["status"] == "pending", held.text
    res = await client.post(f"/api/v1/moderation/comments/{held.json()['id']}/approve", headers=mod)
    assert res.status_code == 200, res.text

    async def examples() -> int:
        async with client.ctx.read() as tx:
            q = select(func.count()).select_from(moderation_decisions)
            return int((await tx.conn.execute(q)).scalar_one())

    assert await examples() == 1
    res = await client.request(
        "DELETE", "/api/v1/me", json={"comments": "delete", "password": PASSWORD}, headers=ann
    )
    assert res.status_code == 200, res.text
    assert await examples() == 0


@pytest.mark.parametrize("choice", ["keep", "delete"])
async def test_readers_watching_live_see_the_name_go_at_once(app_client, choice):
    client = app_client
    ann = await _local(client)
    bo = await sign_in(client, "bo", name="Bo Brennan")
    top = await post(client, ann, "Said while people watch.", story=STORY)
    await post(client, bo, "Bo replies.", story=STORY, parent_id=top["id"])
    async with AsgiStream(client.app, EVENTS) as watching:
        res = await client.request(
            "DELETE", "/api/v1/me", json={"comments": choice, "password": PASSWORD}, headers=ann
        )
        assert res.status_code == 200, res.text
        wanted = {"updated"} if choice == "keep" else {"deleted", "count"}
        got = await watching.take(wanted)
    assert all(NAME not in e.data and EMAIL not in e.data for e in got)
    about = [e for e in got if e.json().get("id") == top["id"]]
    if choice == "keep":
        [updated] = about
        assert updated.event == "updated" and updated.json()["author"]["name"] is None
        assert "Said while people watch." in updated.json()["body_html"]
    else:
        assert [e.event for e in about] == ["deleted"] and about[0].json()["tombstone"] is True

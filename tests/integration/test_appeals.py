"""Statements of reasons, appeals to a second moderator, and illegal-content reports."""

from __future__ import annotations

import pytest

from tests.factories import make_staff, post, sign_in
from townhall.domain.changes import AppealDecided
from townhall.domain.limits import APPEAL_MAX
from townhall.services import comments as comment_service

MOD = "/api/v1/moderation"
CLEAN = "The council should publish the full costings before the vote."


@pytest.fixture(autouse=True)
def fresh_rules_cache():
    comment_service._RULES.clear()


class Recorder:
    """A listener that keeps what the change feed hands out (to see the outcome announced)."""

    name = "recorder"

    def __init__(self) -> None:
        self.changes: list = []

    async def committed(self, changes) -> None:
        self.changes.extend(changes)


async def staff(client, sub: str, name: str):
    headers = await sign_in(client, sub, name=name)
    await make_staff(client, headers)
    return headers


async def test_a_removal_is_explained_appealed_once_and_reviewed_by_another_moderator(
    app_client,
):
    recorder = Recorder()
    app_client.ctx.feed.register(recorder)
    helen = await staff(app_client, "mod1", "Helen Ward")
    omar = await staff(app_client, "mod2", "Omar Price")
    ann = await sign_in(app_client, "ann", name="Ann Reader")
    other = await sign_in(app_client, "bo", name="Bo Brennan")
    comment = await post(app_client, ann, CLEAN)
    res = await app_client.post(
        f"{MOD}/comments/{comment['id']}/reject", json={"reason": "Off topic here"}, headers=helen
    )
    assert res.status_code == 200

    res = await app_client.get(f"/api/v1/comments/{comment['id']}/statement", headers=ann)
    assert res.status_code == 200, res.text
    statement = res.json()
    assert statement["decision"] == "removed" and statement["automated"] is False
    assert statement["facts"] == "Off topic here" and statement["can_appeal"] is True
    assert statement["appeal_url"] == f"/api/v1/comments/{comment['id']}/appeal"
    assert statement["appeal_max"] == APPEAL_MAX
    assert "Helen" not in str(statement), "the author is not told which moderator decided"
    res = await app_client.get(f"/api/v1/comments/{comment['id']}/statement", headers=other)
    assert res.status_code == 404

    url = f"/api/v1/comments/{comment['id']}/appeal"
    res = await app_client.post(url, json={"text": "It was on topic."}, headers=other)
    assert res.status_code == 404
    res = await app_client.post(url, json={"text": "It was on topic: the costings."}, headers=ann)
    assert res.status_code == 201, res.text
    assert res.json()["status"] == "open"
    res = await app_client.post(url, json={"text": "Again."}, headers=ann)
    assert res.status_code == 409 and res.json()["code"] == "already-appealed"
    res = await app_client.post(url, json={"text": "x" * 501}, headers=ann)
    assert res.status_code == 422

    assert (await app_client.get(f"{MOD}/appeals", headers=helen)).json()["appeals"] == []
    [appeal] = (await app_client.get(f"{MOD}/appeals", headers=omar)).json()["appeals"]
    assert appeal["text"] == "It was on topic: the costings."
    assert appeal["comment"]["id"] == comment["id"]
    decide = f"{MOD}/appeals/{appeal['id']}/decide"
    res = await app_client.post(decide, json={"outcome": "overturn"}, headers=helen)
    assert res.status_code == 403 and res.json()["code"] == "forbidden"
    res = await app_client.post(
        decide, json={"outcome": "overturn", "reason": "Fair point"}, headers=omar
    )
    assert res.status_code == 200, res.text
    assert res.json()["status"] == "overturned" and res.json()["comment"]["status"] == "published"
    res = await app_client.post(decide, json={"outcome": "uphold"}, headers=omar)
    assert res.status_code == 409

    ids = [
        c["id"]
        for c in (await app_client.get("/api/v1/stories/story-1/comments")).json()["comments"]
    ]
    assert comment["id"] in ids
    entries = (
        await app_client.get(f"{MOD}/audit", params={"action": "appeal.overturn"}, headers=omar)
    ).json()["entries"]
    assert [(e["actor_name"], e["after"]["appeal"]) for e in entries] == [
        ("Omar Price", "overturned")
    ]
    assert [c for c in recorder.changes if isinstance(c, AppealDecided)] == [
        AppealDecided(
            site_id="default",
            appeal_id=appeal["id"],
            comment_id=comment["id"],
            author_id=(await app_client.get("/api/v1/me", headers=ann)).json()["id"],
            outcome="overturned",
        )
    ]
    res = await app_client.get(f"/api/v1/comments/{comment['id']}/statement", headers=ann)
    assert res.status_code == 409 and res.json()["code"] == "not-removed"
    # The author hears the outcome in the widget's bell.
    bell = (await app_client.get("/api/v1/me/notifications", headers=ann)).json()
    told = [n for n in bell["notifications"] if n["kind"] == "appeal"]
    assert [(n["data"]["comment_id"], n["data"]["outcome"]) for n in told] == [
        (comment["id"], "overturned")
    ]


async def test_an_automatic_removal_says_so_and_any_moderator_may_uphold_it(app_client):
    admin = await sign_in(app_client, "boss", name="Nora Lind")
    await make_staff(app_client, admin, "admin")
    res = await app_client.patch(
        "/api/v1/admin/site",
        json={"moderation": {"banned_words": ["gobbledegrunt"]}},
        headers=admin,
    )
    assert res.status_code == 200
    comment_service._RULES.clear()
    helen = await staff(app_client, "mod1", "Helen Ward")
    ann = await sign_in(app_client, "ann", name="Ann Reader")
    res = await app_client.post(
        "/api/v1/stories/story-1/comments",
        json={"body": "What gobbledegrunt this is."},
        headers=ann,
    )
    assert res.status_code == 422 and res.json()["code"] == "comment-rejected"
    cid = res.json()["comment_id"]
    statement = (await app_client.get(f"/api/v1/comments/{cid}/statement", headers=ann)).json()
    assert statement["automated"] is True and statement["guideline"] == "swearing"
    assert statement["facts"] and statement["passage"] == {"start": 5, "end": 18}
    res = await app_client.post(
        f"/api/v1/comments/{cid}/appeal", json={"text": "A harmless word."}, headers=ann
    )
    assert res.status_code == 201
    [appeal] = (await app_client.get(f"{MOD}/appeals", headers=helen)).json()["appeals"]
    res = await app_client.post(
        f"{MOD}/appeals/{appeal['id']}/decide", json={"outcome": "uphold"}, headers=helen
    )
    assert res.json()["status"] == "upheld" and res.json()["comment"]["status"] == "rejected"
    statement = (await app_client.get(f"/api/v1/comments/{cid}/statement", headers=ann)).json()
    assert statement["can_appeal"] is False and statement["appeal"]["status"] == "upheld"
    bell = (await app_client.get("/api/v1/me/notifications", headers=ann)).json()
    told = [(n["data"]["comment_id"], n["data"]["outcome"]) for n in bell["notifications"]]
    assert ("appeal", (cid, "upheld")) in [
        (n["kind"], t) for n, t in zip(bell["notifications"], told, strict=True)
    ]
    upheld = (await app_client.get(f"{MOD}/appeals?status=upheld", headers=helen)).json()
    assert [a["id"] for a in upheld["appeals"]] == [appeal["id"]]
    res = await app_client.get(f"{MOD}/appeals", headers=ann)
    assert res.status_code == 403


async def test_illegal_content_reports_need_an_explanation_and_have_their_own_queue(app_client):
    helen = await staff(app_client, "mod1", "Helen Ward")
    ann = await sign_in(app_client, "ann", name="Ann Reader")
    bo = await sign_in(app_client, "bo", name="Bo Brennan")
    cy = await sign_in(app_client, "cy", name="Cy Reader")
    target = await post(app_client, ann, CLEAN)
    plain = await post(app_client, ann, "Rail fares should be frozen until the strike ends.")
    url = f"/api/v1/comments/{target['id']}/reports"
    res = await app_client.post(url, json={"reason": "illegal"}, headers=bo)
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "note"
    res = await app_client.post(url, json={"reason": "illegal", "note": "   "}, headers=bo)
    assert res.status_code == 422
    res = await app_client.post(
        url, json={"reason": "illegal", "note": "Names a protected witness."}, headers=bo
    )
    assert res.status_code in (200, 201, 202), res.text
    res = await app_client.post(
        f"/api/v1/comments/{plain['id']}/reports", json={"reason": "spam"}, headers=cy
    )
    assert res.status_code in (200, 201, 202), res.text

    counts = (await app_client.get(f"{MOD}/counts", headers=helen)).json()
    assert counts["illegal"] == 1 and counts["reported"] == 1
    illegal = (await app_client.get(f"{MOD}/queue?queue=illegal", headers=helen)).json()
    [card] = illegal["comments"]
    assert card["id"] == target["id"]
    assert [(r["reason"], r["note"]) for r in card["reports"]] == [
        ("illegal", "Names a protected witness.")
    ]
    reported = (await app_client.get(f"{MOD}/queue?queue=reported", headers=helen)).json()
    assert [c["id"] for c in reported["comments"]] == [plain["id"]]
    res = await app_client.post(f"{MOD}/comments/{target['id']}/approve", headers=helen)
    assert res.status_code == 200
    assert (await app_client.get(f"{MOD}/counts", headers=helen)).json()["illegal"] == 0

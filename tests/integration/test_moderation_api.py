"""Moderation queues, decisions, story and site settings and the audit log, on both backends."""

from __future__ import annotations

import csv
import io

import pytest

from tests.factories import make_staff, post, sign_in, sso_token
from townhall.services import comments as comment_service

TOXIC = "You are a pathetic idiot and a moron, nobody wants you here."
MOD = "/api/v1/moderation"


@pytest.fixture(autouse=True)
def fresh_rules_cache():
    """Parsed rules are cached per (site, settings version), which repeats across test databases."""
    comment_service._RULES.clear()


async def staff(client, sub: str = "mod", name: str = "Helen Ward", role: str = "moderator"):
    """Headers and id of a new staff member."""
    headers = await sign_in(client, sub, name=name)
    await make_staff(client, headers, role)
    me = (await client.get("/api/v1/me", headers=headers)).json()
    return headers, me["id"]


async def audit_entries(client, headers, **params) -> list[dict]:
    """Audit entries matching the filters."""
    res = await client.get(f"{MOD}/audit", params=params, headers=headers)
    assert res.status_code == 200, res.text
    return res.json()["entries"]


async def public_ids(client, story: str = "story-1", headers=None) -> list[int]:
    """Ids of top-level comments a reader (or the given user) sees."""
    res = await client.get(f"/api/v1/stories/{story}/comments", headers=headers or {})
    return [c["id"] for c in res.json()["comments"]]


async def test_held_comment_is_in_pending_with_reason_and_approval_publishes_it(app_client):
    mod, mod_id = await staff(app_client)
    alice = await sign_in(app_client, "alice", name="Alice")
    res = await app_client.post(
        "/api/v1/stories/story-1/comments", json={"body": TOXIC}, headers=alice
    )
    assert res.status_code == 201 and res.json()["status"] == "pending"
    held = res.json()["id"]
    assert held not in await public_ids(app_client)

    queue = (await app_client.get(f"{MOD}/queue?queue=pending", headers=mod)).json()
    [card] = queue["comments"]
    assert card["id"] == held and card["status"] == "pending"
    assert card["guideline"] == "abuse" and "i***t" in card["reason"]
    assert card["story"]["id"] == "story-1" and card["stream"] == "open"
    assert card["author"]["name"] == "Alice"
    assert card["author"]["history"]["comments"] == 1
    assert "<p>" in card["body_html"]
    assert queue["counts"]["pending"] == 1

    res = await app_client.post(f"{MOD}/comments/{held}/approve", headers=mod)
    assert res.status_code == 200, res.text
    assert res.json()["status"] == "published" and res.json()["decided_by"] == "Helen Ward"
    assert held in await public_ids(app_client)
    events = await app_client.ctx.live.history("story:default:story-1")
    assert [e.kind for e in events if e.data.get("id") == held][-1] == "comment"
    assert events[-1].audience is None
    counts = (await app_client.get(f"{MOD}/counts", headers=mod)).json()
    assert counts == {"pending": 0, "reported": 0, "rejected": 0, "all": 1, "illegal": 0}

    [entry] = await audit_entries(app_client, mod, action="comment.approve")
    assert entry["actor_id"] == mod_id and entry["target_id"] == str(held)
    assert entry["before"]["status"] == "pending" and entry["after"]["status"] == "published"
    res = await app_client.post(f"{MOD}/comments/{held}/approve", headers=mod)
    assert res.status_code == 409 and res.json()["code"] == "already-decided"


async def test_approving_a_held_reply_updates_the_parents_reply_count(app_client):
    mod, _ = await staff(app_client)
    alice = await sign_in(app_client, "alice", name="Alice")
    bob = await sign_in(app_client, "bob", name="Bob")
    top = await post(app_client, alice, "Transport budgets deserve scrutiny.")
    reply = await post(app_client, bob, TOXIC, parent_id=top["id"])
    assert reply["status"] == "pending"
    page = (await app_client.get("/api/v1/stories/story-1/comments")).json()
    assert page["comments"][0]["reply_count"] == 0
    await app_client.post(f"{MOD}/comments/{reply['id']}/approve", headers=mod)
    page = (await app_client.get("/api/v1/stories/story-1/comments")).json()
    assert page["comments"][0]["reply_count"] == 1
    await app_client.post(
        f"{MOD}/comments/{reply['id']}/reject", json={"reason": "abuse"}, headers=mod
    )
    async with app_client.ctx.read() as tx:
        parent = await tx.comments.by_id("default", top["id"])
    assert parent.reply_count == 0


async def test_reported_comment_shows_reasons_and_rejection_removes_it(app_client):
    mod, mod_id = await staff(app_client)
    alice = await sign_in(app_client, "alice", name="Alice")
    target = await post(app_client, alice, "The mayor is wrong about the bridge.")
    keep = await post(app_client, alice, "Second thought: the tunnel is better.")
    for i, (reason, note) in enumerate(
        [("abuse", "rude to the mayor"), ("spam", None), ("other", "off topic")]
    ):
        reader = await sign_in(app_client, f"r{i}", name=f"Reader{i}")
        for cid in (target["id"], keep["id"]):
            res = await app_client.post(
                f"/api/v1/comments/{cid}/reports",
                json={"reason": reason, "note": note},
                headers=reader,
            )
            assert res.status_code == 201
    assert await public_ids(app_client) == []  # threshold 3 hides both

    queue = (await app_client.get(f"{MOD}/queue?queue=reported&sort=oldest", headers=mod)).json()
    assert [c["id"] for c in queue["comments"]] == [target["id"], keep["id"]]
    card = queue["comments"][0]
    assert [r["reason"] for r in card["reports"]] == ["abuse", "spam", "other"]
    assert card["reports"][0]["note"] == "rude to the mayor" and card["guideline"] == "reports"
    assert card["author"]["history"]["reports"] == 6

    res = await app_client.post(
        f"{MOD}/comments/{target['id']}/reject", json={"reason": "Personal abuse"}, headers=mod
    )
    assert res.json()["status"] == "rejected"
    res = await app_client.post(f"{MOD}/comments/{keep['id']}/approve", headers=mod)
    assert res.json()["report_count"] == 0 and res.json()["reports"] == []
    assert await public_ids(app_client) == [keep["id"]]

    counts = (await app_client.get(f"{MOD}/counts", headers=mod)).json()
    assert counts["reported"] == 0 and counts["rejected"] == 1
    rejected = (await app_client.get(f"{MOD}/queue?queue=rejected", headers=mod)).json()
    [card] = rejected["comments"]
    assert card["rejection_reason"] == "Personal abuse" and card["decided_by"] == "Helen Ward"
    res = await app_client.post(
        f"{MOD}/comments/{target['id']}/reject", json={"reason": "again"}, headers=mod
    )
    assert res.status_code == 409
    [entry] = await audit_entries(app_client, mod, action="comment.reject")
    assert entry["actor_id"] == mod_id and entry["after"]["reason"] == "Personal abuse"


async def test_reject_needs_a_reason(app_client):
    mod, _ = await staff(app_client)
    alice = await sign_in(app_client, "alice", name="Alice")
    c = await post(app_client, alice)
    res = await app_client.post(f"{MOD}/comments/{c['id']}/reject", json={}, headers=mod)
    assert res.status_code == 422
    assert res.json()["errors"][0]["field"] == "reason"
    res = await app_client.post(
        f"{MOD}/comments/bulk", json={"ids": [c["id"]], "action": "reject"}, headers=mod
    )
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "reason"
    res = await app_client.post(f"{MOD}/comments/999999/approve", headers=mod)
    assert res.status_code == 404


async def test_bulk_actions_report_each_comment(app_client):
    mod, mod_id = await staff(app_client)
    alice = await sign_in(app_client, "alice", name="Alice")
    held = [(await post(app_client, alice, f"wtf is this plan number {i}"))["id"] for i in range(3)]
    res = await app_client.post(
        f"{MOD}/comments/bulk",
        json={"ids": [*held, 987654], "action": "approve"},
        headers=mod,
    )
    assert res.status_code == 200, res.text
    assert res.json()["done"] == held
    assert res.json()["failed"] == [
        {"id": 987654, "code": "not-found", "detail": "comment not found"}
    ]
    assert sorted(await public_ids(app_client)) == sorted(held)
    res = await app_client.post(
        f"{MOD}/comments/bulk",
        json={"ids": held[:2], "action": "reject", "reason": "bulk clean-up"},
        headers=mod,
    )
    assert res.json()["done"] == held[:2]
    assert await public_ids(app_client) == [held[2]]
    entries = await audit_entries(app_client, mod, actor_id=mod_id)
    assert [e["action"] for e in entries].count("comment.approve") == 3
    assert [e["action"] for e in entries].count("comment.reject") == 2


async def test_queue_filters_sorts_and_pages(app_client):
    mod, _ = await staff(app_client)
    alice = await sign_in(app_client, "alice", name="Alice")
    bob = await sign_in(app_client, "bob", name="Bob", premium=True)
    a1 = await post(app_client, alice, "wtf one", story="s-a")
    a2 = await post(app_client, alice, "wtf two", story="s-b")
    b1 = await post(app_client, bob, "wtf three", story="s-a", stream="premium")
    b2 = await post(app_client, bob, TOXIC, story="s-b")
    bob_id = b1["author"]["id"]

    async def ids(**params):
        res = await app_client.get(f"{MOD}/queue", params=params, headers=mod)
        assert res.status_code == 200, res.text
        return [c["id"] for c in res.json()["comments"]]

    assert await ids() == [b2["id"], b1["id"], a2["id"], a1["id"]]
    assert await ids(sort="oldest") == [a1["id"], a2["id"], b1["id"], b2["id"]]
    assert await ids(story_id="s-a") == [b1["id"], a1["id"]]
    assert await ids(stream="premium") == [b1["id"]]
    assert await ids(user_id=bob_id) == [b2["id"], b1["id"]]
    assert await ids(guideline="abuse") == [b2["id"]]
    assert await ids(story_id="unknown-story") == []
    assert await ids(user_id=987654) == []

    seen, cursor = [], None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        res = (await app_client.get(f"{MOD}/queue", params=params, headers=mod)).json()
        seen += [c["id"] for c in res["comments"]]
        cursor = res["next_cursor"]
        if not cursor:
            break
    assert seen == [b2["id"], b1["id"], a2["id"], a1["id"]]
    counts = (await app_client.get(f"{MOD}/counts?story_id=s-b", headers=mod)).json()
    assert counts["pending"] == 2

    for bad in ({"queue": "nope"}, {"sort": "most_liked"}, {"limit": 0}, {"cursor": "!!"}):
        res = await app_client.get(f"{MOD}/queue", params=bad, headers=mod)
        assert res.status_code == 422, (bad, res.text)
        assert res.json()["errors"][0]["field"] in bad


async def test_story_settings_take_effect_and_are_audited(app_client):
    mod, mod_id = await staff(app_client)
    alice = await sign_in(app_client, "alice", name="Alice")
    await post(app_client, alice, "First!", story="s1")
    res = await app_client.get(f"{MOD}/stories/s1", headers=mod)
    assert res.json()["is_closed"] is False and res.json()["premoderate"] is False

    res = await app_client.patch(f"{MOD}/stories/s1", json={"premoderate": True}, headers=mod)
    assert res.status_code == 200 and res.json()["premoderate"] is True
    assert (await post(app_client, alice, "Measured view.", story="s1"))["status"] == "pending"

    await app_client.patch(
        f"{MOD}/stories/s1", json={"is_closed": True, "premium_enabled": False}, headers=mod
    )
    res = await app_client.post(
        "/api/v1/stories/s1/comments", json={"body": "Too late?"}, headers=alice
    )
    assert res.status_code == 409 and res.json()["code"] == "story-closed"
    page = (await app_client.get("/api/v1/stories/s1/comments")).json()
    assert page["story"]["is_closed"] is True and page["story"]["premium_enabled"] is False

    res = await app_client.patch(
        f"{MOD}/stories/s1", json={"is_closed": False, "auto_close_days": 1}, headers=mod
    )
    assert res.json()["auto_close_days"] == 1 and res.json()["is_closed_now"] is False
    res = await app_client.patch(f"{MOD}/stories/s1", json={"auto_close_days": None}, headers=mod)
    assert res.json()["auto_close_days"] is None

    for bad in ({"auto_close_days": 0}, {"is_closed": "yes"}, {"colour": "red"}, {}):
        res = await app_client.patch(f"{MOD}/stories/s1", json=bad, headers=mod)
        assert res.status_code == 422, (bad, res.text)
    assert (await app_client.get(f"{MOD}/stories/nope", headers=mod)).status_code == 404
    stories = (await app_client.get(f"{MOD}/stories?q=s1", headers=mod)).json()["stories"]
    assert [s["id"] for s in stories] == ["s1"]
    entries = await audit_entries(app_client, mod, action="story.settings", target_id="s1")
    assert len(entries) == 4 and {e["actor_id"] for e in entries} == {mod_id}
    assert entries[-1]["before"] == {"premoderate": False}


async def test_site_settings_apply_without_restart(app_client):
    admin, admin_id = await staff(app_client, "boss", "Boss", role="admin")
    alice = await sign_in(app_client, "alice", name="Alice")
    bob = await sign_in(app_client, "bob", name="Bob")
    res = await app_client.patch(
        "/api/v1/admin/site",
        json={
            "premium_label": "Ledger Plus",
            "learn_more_url": "https://news.example/join",
            "report_threshold": 1,
            "guidelines": ["Be kind."],
            "moderation": {"banned_words": ["[spam]", "flibbertigibbet"]},
        },
        headers=admin,
    )
    assert res.status_code == 200, res.text
    site = res.json()
    assert site["premium_name"] == "Ledger Plus" and site["report_threshold"] == 1
    assert site["moderation"]["banned_words"] == ["[spam]", "flibbertigibbet"]
    page = (await app_client.get("/api/v1/stories/story-1/comments")).json()
    assert page["site"]["premium_label"] == "Ledger Plus"
    assert page["site"]["guidelines"] == ["Be kind."]

    res = await app_client.post(
        "/api/v1/stories/story-1/comments",
        json={"body": "What a flibbertigibbet."},
        headers=alice,
    )
    assert res.status_code == 422 and res.json()["code"] == "comment-rejected"
    c = await post(app_client, alice, "A fair point on rates.")
    await app_client.post(
        f"/api/v1/comments/{c['id']}/reports", json={"reason": "abuse"}, headers=bob
    )
    assert await public_ids(app_client) == []  # one report is now enough

    for bad in (
        {"report_threshold": 0},
        {"edit_window_seconds": "ten"},
        {"moderation": {"toxicity_hold": 2}},
        {"secret": "x"},
    ):
        res = await app_client.patch("/api/v1/admin/site", json=bad, headers=admin)
        assert res.status_code == 422, (bad, res.text)
        assert res.json()["errors"][0]["field"]
    [entry] = await audit_entries(app_client, admin, action="site.settings")
    assert entry["actor_id"] == admin_id and entry["after"]["report_threshold"] == 1


async def test_sso_secret_rotation_returns_a_working_secret_once(app_client):
    admin, admin_id = await staff(app_client, "boss", "Boss", role="admin")
    res = await app_client.post("/api/v1/admin/site/sso-secret", headers=admin)
    assert res.status_code == 200
    secret = res.json()["sso_secret"]
    assert len(secret) >= 32
    res = await app_client.post(
        "/api/v1/auth/sso", json={"token": sso_token("newbie", secret=secret)}
    )
    assert res.status_code == 200
    res = await app_client.post("/api/v1/auth/sso", json={"token": sso_token("oldie")})
    assert res.status_code == 200  # the previous secret keeps working until the next rotation
    site = (await app_client.get("/api/v1/admin/site", headers=admin)).text
    assert secret not in site
    [entry] = await audit_entries(app_client, admin, action="site.sso_secret_rotated")
    assert entry["actor_id"] == admin_id


async def test_audit_log_filters_pages_and_exports_csv(app_client):
    mod, mod_id = await staff(app_client)
    alice = await sign_in(app_client, "alice", name="Alice")
    for i in range(3):
        c = await post(app_client, alice, f"wtf take {i}")
        await app_client.post(
            f"{MOD}/comments/{c['id']}/reject", json={"reason": "=HYPERLINK(1)"}, headers=mod
        )
    first = (
        await app_client.get(
            f"{MOD}/audit?limit=2&action=comment.reject&actor_id={mod_id}", headers=mod
        )
    ).json()
    assert len(first["entries"]) == 2 and first["next_cursor"]
    rest = (
        await app_client.get(
            f"{MOD}/audit?limit=2&action=comment.reject&actor_id={mod_id}&cursor={first['next_cursor']}",
            headers=mod,
        )
    ).json()
    assert len(rest["entries"]) == 1 and rest["next_cursor"] is None
    auto = await audit_entries(app_client, mod, action="comment.auto_pending")
    assert len(auto) == 3 and all(e["actor_name"] == "system" for e in auto)

    res = await app_client.get(f"{MOD}/audit.csv?target_type=comment", headers=mod)
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/csv")
    assert "attachment" in res.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(res.text)))
    assert len(rows) == 6
    rejects = [r for r in rows if r["action"] == "comment.reject"]
    assert {r["actor_id"] for r in rejects} == {str(mod_id)}
    assert all(not r["after"].startswith("=") for r in rows)
    res = await app_client.get(f"{MOD}/audit?cursor=abc", headers=mod)
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "cursor"


async def test_two_moderators_deciding_at_once_get_one_decision(app_client):
    import asyncio

    mod, _ = await staff(app_client)
    other, _ = await staff(app_client, "mod2", "Priya Shah")
    alice = await sign_in(app_client, "alice", name="Alice")
    held = (await post(app_client, alice, TOXIC))["id"]
    seen = {"expected_status": "pending"}
    results = await asyncio.gather(
        app_client.post(f"{MOD}/comments/{held}/approve", json=seen, headers=mod),
        app_client.post(
            f"{MOD}/comments/{held}/reject", json={"reason": "abuse", **seen}, headers=other
        ),
    )
    assert sorted(r.status_code for r in results) == [200, 409]
    [refused] = [r.json() for r in results if r.status_code == 409]
    assert refused["code"] == "already-decided" and "another moderator" in refused["detail"]
    decisions = await audit_entries(app_client, mod, target_id=str(held))
    assert len([e for e in decisions if e["action"] in ("comment.approve", "comment.reject")]) == 1

"""Bulk decisions over a filtered queue: preview, act on the previewed set, undo; both backends."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.factories import make_staff, post, sign_in
from tests.seeding import Batch, seed
from townhall.services import comments as comment_service

MOD = "/api/v1/moderation"
BUDGET = Batch("budget-vote", "Budget vote: what the cuts mean", "Seed Alice", 4000)
ELECTION = Batch("election-night", "Election night live", "Seed Bob", 1000, guideline="spam")


@pytest.fixture(autouse=True)
def fresh_rules_cache():
    """Parsed rules are cached per (site, settings version), which repeats across databases."""
    comment_service._RULES.clear()


async def staff(client, sub: str = "mod", name: str = "Helen Ward"):
    headers = await sign_in(client, sub, name=name)
    await make_staff(client, headers)
    me = (await client.get("/api/v1/me", headers=headers)).json()
    return headers, me["id"]


async def seed_queue(client, *batches: Batch):
    async with client.ctx.write() as tx:
        return await seed(tx, list(batches), now=client.ctx.clock())


async def counts(client, headers, **filters) -> dict:
    res = await client.get(f"{MOD}/counts", params=filters, headers=headers)
    assert res.status_code == 200, res.text
    return res.json()


async def audit(client, headers, action: str) -> list[dict]:
    res = await client.get(f"{MOD}/audit", params={"action": action}, headers=headers)
    return res.json()["entries"]


async def bulk(client, headers, expect: int = 200, **body) -> dict:
    res = await client.post(f"{MOD}/bulk", json=body, headers=headers)
    assert res.status_code == expect, res.text
    return res.json()


async def test_a_filtered_5000_queue_is_previewed_approved_undone_and_approved_again(app_client):
    mod, mod_id = await staff(app_client)
    await seed_queue(app_client, BUDGET, ELECTION)
    assert (await counts(app_client, mod))["pending"] == 5000
    assert (await counts(app_client, mod, story_title="BUDGET"))["pending"] == 4000

    flt = {"queue": "pending", "story_title": "budget"}
    preview = await bulk(app_client, mod, filter=flt, action="approve", dry_run=True)
    assert preview["count"] == 4000 and preview["snapshot_token"]
    assert (await counts(app_client, mod))["pending"] == 5000, "a dry run changes nothing"

    # Comments arriving after the preview match the filter but are not part of it.
    await seed_queue(app_client, Batch("budget-vote", BUDGET.story_title, "Seed Carol", 7))
    acted = await bulk(
        app_client, mod, filter=flt, action="approve", snapshot_token=preview["snapshot_token"]
    )
    assert acted["count"] == 4000 and acted["skipped"] == 0 and acted["undo_token"]
    assert await counts(app_client, mod) == {
        "pending": 1007,
        "reported": 0,
        "rejected": 0,
        "all": 5007,
        "illegal": 0,
    }
    story = (await app_client.get("/api/v1/counts", params={"story_id": "budget-vote"})).json()
    assert "4000" in str(story), story
    events = await app_client.ctx.live.history("story:default:budget-vote")
    assert [e.data for e in events if e.kind == "count"][-2:] == [
        {"total": 4000, "stream": "open"},
        {"total": 0, "stream": "premium"},
    ]
    precision = (await app_client.get(f"{MOD}/precision", headers=mod)).json()
    abuse = [g for g in precision["guidelines"] if g["guideline"] == "abuse"]
    assert [(g["decided"], g["approved"]) for g in abuse] == [(4000, 4000)], (
        "each decided held comment is a labelled example"
    )
    [entry] = await audit(app_client, mod, "comment.bulk_approve")
    assert entry["actor_id"] == mod_id and entry["target_type"] == "bulk"
    assert entry["after"]["count"] == 4000 and entry["before"]["filter"] == flt

    undone = (
        await app_client.post(f"{MOD}/undo", json={"undo_token": acted["undo_token"]}, headers=mod)
    ).json()
    assert undone == {"count": 4000, "skipped": 0}
    assert (await counts(app_client, mod))["pending"] == 5007
    precision = (await app_client.get(f"{MOD}/precision", headers=mod)).json()
    assert [g for g in precision["guidelines"] if g["decided"]] == [], "undo takes them back"
    [entry] = await audit(app_client, mod, "comment.bulk_undo")
    assert entry["after"]["count"] == 4000
    events = await app_client.ctx.live.history("story:default:budget-vote")
    assert [e.data for e in events if e.kind == "count"][-2] == {"total": 0, "stream": "open"}

    again = await app_client.post(
        f"{MOD}/undo", json={"undo_token": acted["undo_token"]}, headers=mod
    )
    assert again.status_code == 409 and again.json()["code"] == "bulk-used"
    reuse = await bulk(
        app_client,
        mod,
        409,
        filter=flt,
        action="approve",
        snapshot_token=preview["snapshot_token"],
    )
    assert reuse["code"] == "bulk-used"

    preview = await bulk(app_client, mod, filter=flt, action="approve", dry_run=True)
    assert preview["count"] == 4007
    acted = await bulk(
        app_client, mod, filter=flt, action="approve", snapshot_token=preview["snapshot_token"]
    )
    assert acted["count"] == 4007
    assert (await counts(app_client, mod))["pending"] == 1000
    assert len(await audit(app_client, mod, "comment.bulk_approve")) == 2


async def test_comments_decided_between_preview_and_act_or_undo_are_left_alone(app_client):
    mod, _ = await staff(app_client)
    other, _ = await staff(app_client, "mod2", "Omar Price")
    seeded = await seed_queue(app_client, Batch("s1", "Harbour plans", "Seed Dee", 5))
    first, second, *_ = seeded.ids[0]
    preview = await bulk(app_client, mod, filter={}, action="reject", dry_run=True)
    assert preview["count"] == 5
    res = await app_client.post(f"{MOD}/comments/{first}/approve", headers=other)
    assert res.status_code == 200
    missing = await bulk(
        app_client, mod, 422, action="reject", snapshot_token=preview["snapshot_token"]
    )
    assert missing["errors"][0]["field"] == "reason"
    acted = await bulk(
        app_client,
        mod,
        action="reject",
        reason="Off topic",
        snapshot_token=preview["snapshot_token"],
    )
    assert acted["count"] == 4 and acted["skipped"] == 1
    card = (await app_client.get(f"{MOD}/queue", params={"queue": "rejected"}, headers=mod)).json()
    assert {c["rejection_reason"] for c in card["comments"]} == {"Off topic"}
    assert {c["decided_by"] for c in card["comments"]} == {"Helen Ward"}
    res = await app_client.post(f"{MOD}/comments/{second}/approve", headers=other)
    assert res.status_code == 200
    undone = (
        await app_client.post(f"{MOD}/undo", json={"undo_token": acted["undo_token"]}, headers=mod)
    ).json()
    assert undone == {"count": 3, "skipped": 1}
    assert await counts(app_client, mod) == {
        "pending": 3,
        "reported": 0,
        "rejected": 0,
        "all": 5,
        "illegal": 0,
    }
    pending = (await app_client.get(f"{MOD}/queue", headers=mod)).json()["comments"]
    assert all(c["rejection_reason"] is None and c["decided_by"] is None for c in pending)
    assert all(c["findings"][-1]["guideline"] == "abuse" for c in pending)


async def test_undo_window_is_a_site_setting_and_previews_expire(app_client):
    mod, _ = await staff(app_client)
    admin = await sign_in(app_client, "boss", name="Nora Lind")
    await make_staff(app_client, admin, "admin")
    res = await app_client.patch("/api/v1/admin/site", json={"bulk_undo_minutes": 5}, headers=admin)
    assert res.status_code == 200 and res.json()["bulk_undo_minutes"] == 5
    await seed_queue(app_client, Batch("s1", "Harbour plans", "Seed Dee", 3))
    start = app_client.ctx.clock()
    app_client.ctx.clock = lambda: start
    acted = await bulk(app_client, mod, action="approve")
    assert acted["count"] == 3
    app_client.ctx.clock = lambda: start + timedelta(minutes=5, seconds=1)
    late = await app_client.post(
        f"{MOD}/undo", json={"undo_token": acted["undo_token"]}, headers=mod
    )
    assert late.status_code == 409 and late.json()["code"] == "bulk-expired"
    assert (await counts(app_client, mod))["pending"] == 0

    await seed_queue(app_client, Batch("s1", "Harbour plans", "Seed Dee", 2))
    preview = await bulk(app_client, mod, action="approve", dry_run=True)
    app_client.ctx.clock = lambda: start + timedelta(hours=1)
    stale = await bulk(
        app_client, mod, 409, action="approve", snapshot_token=preview["snapshot_token"]
    )
    assert stale["code"] == "bulk-expired"


async def test_bulk_is_for_staff_and_a_preview_is_its_moderators_own(app_client):
    mod, _ = await staff(app_client)
    other, _ = await staff(app_client, "mod2", "Omar Price")
    reader = await sign_in(app_client, "reader", name="Rita Reader")
    await seed_queue(app_client, Batch("s1", "Harbour plans", "Seed Dee", 2))
    res = await app_client.post(f"{MOD}/bulk", json={"action": "approve"}, headers=reader)
    assert res.status_code == 403
    res = await app_client.post(f"{MOD}/undo", json={"undo_token": "x"}, headers=reader)
    assert res.status_code == 403
    preview = await bulk(app_client, mod, action="approve", dry_run=True)
    theirs = await bulk(
        app_client, other, 404, action="approve", snapshot_token=preview["snapshot_token"]
    )
    assert theirs["code"] == "not-found"
    wrong = await bulk(
        app_client, mod, 422, action="reject", reason="x", snapshot_token=preview["snapshot_token"]
    )
    assert wrong["errors"][0]["field"] == "action"
    bad = await bulk(app_client, mod, 422, action="approve", filter={"score_min": 2})
    assert bad["errors"][0]["field"] == "filter.score_min"
    bad = await bulk(app_client, mod, 422, action="approve", filter={"nope": 1})
    assert bad["errors"][0]["field"] == "filter.nope"


async def test_queue_filters_by_title_author_score_band_and_age(app_client):
    mod, _ = await staff(app_client)
    await seed_queue(
        app_client,
        Batch("s1", "Harbour plans 100% approved", "Seed Dee", 3, score=0.9, age_hours=30),
        Batch("s2", "Rail strike", "Seed Eve", 2, score=0.4, age_hours=2),
        Batch("s2", "Rail strike", "Seed Dee", 1, score=None, age_hours=0.1),
    )

    async def pending(**f) -> int:
        return (await counts(app_client, mod, **f))["pending"]

    assert await pending() == 6
    assert await pending(story_title="100%") == 3
    assert await pending(story_title="_") == 0, "wildcards are taken literally"
    assert await pending(author_name="dee") == 4
    assert await pending(score_min=0.5) == 3
    assert await pending(score_min=0.3, score_max=0.5) == 2
    assert await pending(min_age_hours=24) == 3
    assert await pending(max_age_hours=1) == 1
    page = (await app_client.get(f"{MOD}/queue", params={"author_name": "eve"}, headers=mod)).json()
    assert [c["author"]["name"] for c in page["comments"]] == ["Seed Eve", "Seed Eve"]
    reader = await sign_in(app_client, "r", name="Rita Reader")
    mine = await post(app_client, reader, "You are a pathetic idiot and a moron, go away.")
    assert mine["status"] == "pending"
    card = (
        await app_client.get(f"{MOD}/queue", params={"author_name": "rita"}, headers=mod)
    ).json()
    assert card["comments"][0]["score"] is not None
    assert await pending(author_name="rita", score_min=card["comments"][0]["score"]) == 1


async def test_facets_count_each_choice_with_the_other_filters_applied(app_client):
    mod, _ = await staff(app_client)
    await seed_queue(
        app_client,
        Batch("s1", "Harbour plans", "Seed Dee", 3, score=0.9, age_hours=30),
        Batch("s2", "Rail strike", "Seed Eve", 2, score=0.6, age_hours=2, guideline="spam"),
        Batch("s2", "Rail strike", "Seed Dee", 1, score=None, age_hours=0.5, stream="premium"),
        Batch("s3", "Old news", "Seed Eve", 4, score=0.1, age_hours=200, status="rejected"),
    )
    res = await app_client.get(f"{MOD}/facets", headers=mod)
    assert res.status_code == 200, res.text
    assert res.json() == {
        "guideline": {"abuse": 4, "spam": 2},
        "stream": {"open": 5, "premium": 1},
        "score": {"high": 3, "medium": 2, "low": 0, "none": 1},
        "age": {"hour": 1, "day": 2, "week": 3, "older": 0},
    }
    narrowed = (
        await app_client.get(
            f"{MOD}/facets", params={"guideline": "abuse", "score_min": 0.75}, headers=mod
        )
    ).json()
    assert narrowed["guideline"] == {"abuse": 3}, "its own filter is left out of a facet"
    assert narrowed["score"] == {"high": 3, "medium": 0, "low": 0, "none": 1}
    assert narrowed["stream"] == {"open": 3}
    rejected = (
        await app_client.get(f"{MOD}/facets", params={"queue": "rejected"}, headers=mod)
    ).json()
    assert rejected["age"] == {"hour": 0, "day": 0, "week": 0, "older": 4}
    assert rejected["score"]["low"] == 4
    res = await app_client.get(f"{MOD}/facets", headers=await sign_in(app_client, "x", name="Xan"))
    assert res.status_code == 403

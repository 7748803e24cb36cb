"""Moderation statistics and the public transparency report match seeded data exactly."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.factories import make_staff, sign_in
from tests.seeding import Batch, seed
from townhall.services import comments as comment_service

MOD = "/api/v1/moderation"
NOW = datetime(2026, 11, 20, 12, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fresh_rules_cache():
    comment_service._RULES.clear()


@pytest.fixture
async def world(app_client):
    """Seeded comments and decisions at a fixed time (see each figure's derivation below)."""
    app_client.ctx.clock = lambda: NOW
    async with app_client.ctx.write() as tx:
        seeded = await seed(
            tx,
            [
                Batch("s1", "Budget vote", "Seed A", 3, age_hours=1),  # 11:30, pending, abuse
                Batch(
                    "s2",
                    "Rail strike",
                    "Seed B",
                    2,
                    age_hours=30,
                    guideline="spam",
                    status="rejected",
                ),  # 19 Nov 06:30, removed automatically
                Batch("s3", "Old news", "Seed C", 4, age_hours=240),  # 10 Nov, pending
            ],
            now=NOW,
        )
    a, b, c = seeded.ids
    helen = await sign_in(app_client, "mod1", name="Helen Ward")
    omar = await sign_in(app_client, "mod2", name="Omar Price")
    for h in (helen, omar):
        await make_staff(app_client, h)

    async def call(headers, path, body=None):
        res = await app_client.post(path, json=body, headers=headers)
        assert res.status_code in (200, 201), res.text
        return res.json()

    await call(helen, f"{MOD}/comments/{a[0]}/approve")
    await call(omar, f"{MOD}/comments/{a[1]}/reject", {"reason": "Off topic"})
    await call(omar, f"{MOD}/comments/{c[0]}/reject", {"reason": "Spam link"})
    seed_a = await sign_in(app_client, "seed:Seed A")
    seed_b = await sign_in(app_client, "seed:Seed B")
    await call(seed_a, f"/api/v1/comments/{a[1]}/appeal", {"text": "It was on topic."})
    await call(seed_b, f"/api/v1/comments/{b[0]}/appeal", {"text": "Not spam."})
    appeals = (await app_client.get(f"{MOD}/appeals", headers=helen)).json()["appeals"]
    by_comment = {x["comment"]["id"]: x["id"] for x in appeals}
    await call(helen, f"{MOD}/appeals/{by_comment[a[1]]}/decide", {"outcome": "overturn"})
    await call(omar, f"{MOD}/appeals/{by_comment[b[0]]}/decide", {"outcome": "uphold"})
    return helen


async def test_stats_over_a_week_match_the_seeded_data_exactly(app_client, world):
    res = await app_client.get(f"{MOD}/stats", params={"days": 7}, headers=world)
    assert res.status_code == 200, res.text
    s = res.json()
    assert s["since"] == "2026-11-13T12:30:00Z" and s["until"] == "2026-11-20T12:30:00Z"
    hours = s["comments_per_hour"]
    assert len(hours) == 7 * 24 + 1
    assert hours[0]["hour"] == "2026-11-13T12:00" and hours[-1]["hour"] == "2026-11-20T12:00"
    assert {h["hour"]: h["count"] for h in hours if h["count"]} == {
        "2026-11-19T06:00": 2,
        "2026-11-20T11:00": 3,
    }
    assert s["comments"] == 5, "the ten-day-old comments are outside the week"
    assert s["guidelines"] == {
        "abuse": {"held": 1, "rejected": 0},  # a[2] still pending; a[0], a[1] published
        "spam": {"held": 0, "rejected": 2},
    }
    # Pending now: a[2] (1 h 2 s old) and c[1..3] (240 h and 1, 2, 3 s): nearest rank.
    assert s["pending"] == 4
    assert s["pending_age_seconds"] == {"p50": 864001, "p90": 864003, "p99": 864003, "p100": 864003}
    assert [(d["name"], d["approved"], d["rejected"]) for d in s["decisions"]] == [
        ("Helen Ward", 2, 0),  # a[0] approved, a[1] published again on appeal
        ("Omar Price", 0, 1),  # c[0]; a[1]'s rejection was overturned
    ]
    assert s["appeals"] == {"open": 0, "upheld": 1, "overturned": 1, "overturn_rate": 0.5}
    assert s["top_stories"] == [
        {"id": "s1", "title": "Budget vote", "comments": 3, "held": 1, "rejected": 0},
        {"id": "s2", "title": "Rail strike", "comments": 2, "held": 0, "rejected": 2},
    ]

    day = (await app_client.get(f"{MOD}/stats", params={"days": 1}, headers=world)).json()
    assert day["comments"] == 3 and len(day["comments_per_hour"]) == 25
    assert [t["id"] for t in day["top_stories"]] == ["s1"]
    for bad in (0, 91, "x"):
        res = await app_client.get(f"{MOD}/stats", params={"days": bad}, headers=world)
        assert res.status_code == 422
    reader = await sign_in(app_client, "reader", name="Rita Reader")
    assert (await app_client.get(f"{MOD}/stats", headers=reader)).status_code == 403


async def test_the_transparency_report_counts_by_month_and_names_nobody(app_client, world):
    res = await app_client.get("/api/v1/transparency")
    assert res.status_code == 200, res.text
    report = res.json()
    assert report["since"] == "2025-12-01T00:00:00Z"
    assert report["months"] == {
        "2026-11": {
            # Held: a[2], c[1..3]; removed: c[0] (abuse) and b (spam).
            "guidelines": {"abuse": {"held": 4, "removed": 1}, "spam": {"held": 0, "removed": 2}},
            # a[0] after 3600 s, a[1] after 3601 s (on appeal), c[0] after 864000 s.
            "decisions": 3,
            "median_seconds_to_decision": 3601,
            "appeals": {"upheld": 1, "overturned": 1},
        }
    }
    page = await app_client.get("/transparency", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert '<html lang="de"' in html and "Transparenzbericht" in html
    assert "2026-11" in html and "1 Std. 0 Min." in html
    for private in ("Seed A", "Helen Ward", "Omar Price", "Budget vote", "On topic", "Not spam"):
        assert private not in html
    rtl = await app_client.get("/transparency", headers={"Accept-Language": "ar"})
    assert 'dir="rtl"' in rtl.text

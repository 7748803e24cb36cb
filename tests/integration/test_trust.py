"""Earned trust and per-user pre-moderation under a fake clock, on both backends."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.factories import make_staff, post, sign_in
from townhall.presenter import iso
from townhall.services import comments as comment_service

MOD = "/api/v1/moderation"
CLEAN = "The council should publish the full costings before the vote."
SOFT = "Frankly the marmalade plan is half-baked."  # "marmalade" is the site's suspect word
HARD = "This is plain gobbledegrunt and you know it."  # "gobbledegrunt" is banned


class Clock:
    """A clock the test moves by hand (the services read time only through ctx.clock)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(autouse=True)
def fresh_rules_cache():
    comment_service._RULES.clear()


@pytest.fixture
def clock(app_client) -> Clock:
    c = Clock(app_client.ctx.clock())
    app_client.ctx.clock = c
    return c


async def site(client, trust: dict, **moderation) -> dict:
    admin = await sign_in(client, "boss", name="Nora Lind")
    await make_staff(client, admin, "admin")
    body = {
        "trust": trust,
        "moderation": {"suspect_words": ["marmalade"], "banned_words": ["gobbledegrunt"]}
        | moderation,
    }
    res = await client.patch("/api/v1/admin/site", json=body, headers=admin)
    assert res.status_code == 200, res.text
    comment_service._RULES.clear()
    return admin


async def staff(client):
    headers = await sign_in(client, "mod", name="Helen Ward")
    await make_staff(client, headers)
    return headers


async def user_id(client, headers) -> int:
    return (await client.get("/api/v1/me", headers=headers)).json()["id"]


async def standing(client, mod, uid: int) -> dict:
    res = await client.get(f"{MOD}/users/{uid}", headers=mod)
    assert res.status_code == 200, res.text
    return res.json()["trust"]


async def test_a_consistently_approved_reader_becomes_trusted_and_loses_it_with_time(
    app_client, clock
):
    await site(app_client, {"trusted_after": 3, "trusted_window_days": 30})
    mod = await staff(app_client)
    ann = await sign_in(app_client, "ann", name="Ann Reader")
    uid = await user_id(app_client, ann)
    held = await post(app_client, ann, SOFT)
    assert held["status"] == "pending", "a soft hold applies before trust is earned"
    assert (await standing(app_client, mod, uid))["figures"] == {
        "published": 0,
        "rejected": 0,
        "days": 30,
        "needed": 3,
    }
    for n in range(3):
        clock.advance(hours=1)
        assert (await post(app_client, ann, f"{CLEAN} ({n})"))["status"] == "published"
    s = await standing(app_client, mod, uid)
    assert s["level"] == "trusted" and s["why"] == "record"
    assert s["figures"] == {"published": 3, "rejected": 0, "days": 30}

    soft = await post(app_client, ann, SOFT + " Again.")
    assert soft["status"] == "published", "a trusted reader's soft hold is published"
    card = (await app_client.get(f"{MOD}/queue", params={"queue": "all"}, headers=mod)).json()
    [found] = [c for c in card["comments"] if c["id"] == soft["id"]]
    assert any("trusted reader" in (f["reason"] or "") for f in found["findings"])
    hard = await app_client.post(
        "/api/v1/stories/story-1/comments", json={"body": HARD}, headers=ann
    )
    assert hard.status_code == 422 or hard.json()["status"] == "rejected", "hard rules still apply"

    clock.advance(days=31)
    mod, ann = await sign_in(app_client, "mod"), await sign_in(app_client, "ann")  # new sessions
    assert (await standing(app_client, mod, uid))["level"] == "standard"
    assert (await post(app_client, ann, SOFT + " Later."))["status"] == "pending"


async def test_repeated_rejections_bring_per_user_premoderation_for_the_set_hours(
    app_client, clock
):
    await site(app_client, {"premod_after": 2, "premod_window_days": 7, "premod_hours": 48})
    mod = await staff(app_client)
    bo = await sign_in(app_client, "bo", name="Bo Brennan")
    uid = await user_id(app_client, bo)
    first = await post(app_client, bo, CLEAN + " One.")
    second = await post(app_client, bo, CLEAN + " Two.")
    for c in (first, second):
        clock.advance(hours=1)
        res = await app_client.post(
            f"{MOD}/comments/{c['id']}/reject", json={"reason": "off topic"}, headers=mod
        )
        assert res.status_code == 200
    last_rejection = clock.now
    s = await standing(app_client, mod, uid)
    assert s["level"] == "premoderated" and s["why"] == "rejections"
    assert s["figures"] == {"rejected": 2, "days": 7}
    assert s["until"] == iso(last_rejection + timedelta(hours=48))

    held = await post(app_client, bo, CLEAN + " Three.")
    assert held["status"] == "pending"
    card = (await app_client.get(f"{MOD}/queue", headers=mod)).json()["comments"][0]
    assert card["guideline"] == "trust" and "per-user pre-moderation" in card["reason"]

    clock.advance(hours=47)
    assert (await post(app_client, bo, CLEAN + " Four."))["status"] == "pending"
    clock.advance(hours=1, seconds=1)
    assert (await post(app_client, bo, CLEAN + " Five."))["status"] == "published"
    assert (await standing(app_client, mod, uid))["level"] == "standard"


async def test_probation_by_hours_and_by_count(app_client, clock):
    await site(app_client, {"probation_hours": 24, "trusted_after": 0})
    mod = await staff(app_client)
    cy = await sign_in(app_client, "cy", name="Cy Newcomer")
    uid = await user_id(app_client, cy)
    s = await standing(app_client, mod, uid)
    assert s["level"] == "new" and s["why"] == "probation_hours"
    assert (await post(app_client, cy, CLEAN))["status"] == "pending"
    clock.advance(hours=24, seconds=1)
    assert (await post(app_client, cy, CLEAN + " Again."))["status"] == "published"

    await site(app_client, {"probation_hours": 0}, new_user_hold_count=2)
    di = await sign_in(app_client, "di", name="Di Newcomer")
    s = await standing(app_client, mod, await user_id(app_client, di))
    assert s["level"] == "new" and s["why"] == "probation_count"
    assert s["figures"] == {"published": 0, "needed": 2}


async def test_staff_set_a_level_by_hand_for_a_time_and_it_is_audited(app_client, clock):
    await site(app_client, {})
    mod = await staff(app_client)
    ed = await sign_in(app_client, "ed", name="Ed Reader")
    uid = await user_id(app_client, ed)
    res = await app_client.put(
        f"{MOD}/users/{uid}/trust",
        json={"level": "premoderated", "hours": 2, "reason": "heated thread"},
        headers=mod,
    )
    assert res.status_code == 200, res.text
    assert res.json() == {
        "level": "premoderated",
        "why": "staff",
        "figures": {"by": "Helen Ward", "reason": "heated thread"},
        "until": iso(clock.now + timedelta(hours=2)),
    }
    assert (await post(app_client, ed, CLEAN))["status"] == "pending"
    clock.advance(hours=2, seconds=1)
    assert (await post(app_client, ed, CLEAN + " Later."))["status"] == "published"

    res = await app_client.put(f"{MOD}/users/{uid}/trust", json={"level": "trusted"}, headers=mod)
    assert res.json()["level"] == "trusted" and res.json()["until"] is None
    assert (await post(app_client, ed, SOFT))["status"] == "published"
    res = await app_client.put(f"{MOD}/users/{uid}/trust", json={"level": "auto"}, headers=mod)
    assert res.json()["level"] == "standard"
    entries = (
        await app_client.get(f"{MOD}/audit", params={"action": "user.trust"}, headers=mod)
    ).json()["entries"]
    assert [e["after"]["level"] for e in entries] == ["auto", "trusted", "premoderated"]

    reader = await sign_in(app_client, "fi", name="Fi Reader")
    res = await app_client.put(
        f"{MOD}/users/{uid}/trust", json={"level": "trusted"}, headers=reader
    )
    assert res.status_code == 403
    mod_id = await user_id(app_client, mod)
    res = await app_client.put(
        f"{MOD}/users/{mod_id}/trust", json={"level": "trusted"}, headers=mod
    )
    assert res.status_code == 403
    res = await app_client.put(f"{MOD}/users/{uid}/trust", json={"level": "god"}, headers=mod)
    assert res.status_code == 422


async def test_trust_thresholds_are_validated_site_settings(app_client):
    admin = await site(app_client, {"trusted_after": 5})
    res = await app_client.get("/api/v1/admin/site", headers=admin)
    assert res.json()["trust"]["trusted_after"] == 5
    assert res.json()["trust"]["premod_hours"] == 72, "unset thresholds show their defaults"
    for bad in ({"trusted_after": -1}, {"premod_hours": 0}, {"nope": 1}):
        res = await app_client.patch("/api/v1/admin/site", json={"trust": bad}, headers=admin)
        assert res.status_code == 422, (bad, res.text)

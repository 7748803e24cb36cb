"""Learning from moderators: decisions on held comments kept as labelled examples, their
export for retraining, and the precision of automatic holds per guideline."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.factories import make_staff, post, sign_in
from townhall.services import comments as comment_service
from townhall.storage.sql.audit import SqlAuditStore
from townhall.storage.sql.tables import comments, moderation_decisions

MOD = "/api/v1/moderation"
BIN = str(Path(sys.executable).parent / "townhall")
# Drafts the automatic review holds, one per guideline.
HELD = {
    "private_info": "My neighbour's mobile is 07700 900412, ring him tonight and tell him.",
    "swearing": "What a load of fucking nonsense from the council.",
    "abuse": "You are a pathetic idiot and a moron, nobody wants you here.",
}


@pytest.fixture(autouse=True)
def fresh_rules_cache():
    """Parsed rules are cached per site settings, which repeat across test databases."""
    comment_service._RULES.clear()


async def moderator(client, sub: str = "helen") -> tuple[dict[str, str], int]:
    headers = await sign_in(client, sub, name=f"Ward {sub.title()}")
    await make_staff(client, headers)
    return headers, (await client.get("/api/v1/me", headers=headers)).json()["id"]


counter = iter(range(10_000))


async def held(client, guideline: str, story: str = "story-1") -> int:
    """A new author's comment that the review holds for `guideline`; its id."""
    n = next(counter)
    author = await sign_in(client, f"author{n}", name=f"Author {n}")
    c = await post(client, author, HELD[guideline], story=story)
    assert c["status"] == "pending" and c["moderation"]["guideline"] == guideline, c
    return c["id"]


async def decide(client, mod, comment_id: int, action: str) -> None:
    body = {"reason": "breaks the guidelines"} if action == "reject" else None
    res = await client.post(f"{MOD}/comments/{comment_id}/{action}", json=body, headers=mod)
    assert res.status_code == 200, res.text


async def examples(client) -> list[dict]:
    async with client.ctx.read() as tx:
        rows = await tx.conn.execute(
            select(moderation_decisions).order_by(moderation_decisions.c.id)
        )
        return [dict(r._mapping) for r in rows]


async def test_each_decision_on_a_held_comment_is_kept_with_its_text_and_findings(app_client):
    mod, mod_id = await moderator(app_client)
    kept = await held(app_client, "private_info")
    dropped = await held(app_client, "swearing")
    await decide(app_client, mod, kept, "approve")
    await decide(app_client, mod, dropped, "reject")

    first, second = await examples(app_client)
    assert first["comment_id"] == kept and first["decision"] == "approve"
    assert first["body"] == HELD["private_info"]
    assert first["guideline"] == "private_info"
    assert first["findings"][0]["guideline"] == "private_info"
    assert first["findings"][0]["span"] == [25, 37]
    assert first["moderator_id"] == mod_id and first["site_id"] == "default"
    assert second["comment_id"] == dropped and second["decision"] == "reject"
    assert second["guideline"] == "swearing"
    # The moderator's own verdict is the label, not one of the automatic findings.
    assert all(f["guideline"] != "moderator" for f in second["findings"])
    async with app_client.ctx.read() as tx:
        decided_at = (
            await tx.conn.execute(select(comments.c.decided_at).where(comments.c.id == dropped))
        ).scalar_one()
    assert second["decided_at"] == decided_at


async def test_bulk_decisions_keep_one_example_each(app_client):
    mod, _ = await moderator(app_client)
    ids = [await held(app_client, "abuse") for _ in range(3)]
    res = await app_client.post(
        f"{MOD}/comments/bulk",
        json={"ids": ids, "action": "reject", "reason": "abuse"},
        headers=mod,
    )
    assert res.status_code == 200 and res.json()["done"] == ids
    rows = await examples(app_client)
    assert [(r["comment_id"], r["decision"], r["guideline"]) for r in rows] == [
        (i, "reject", "abuse") for i in ids
    ]


async def test_a_rolled_back_decision_keeps_no_example(app_client, monkeypatch):
    mod, _ = await moderator(app_client)
    comment_id = await held(app_client, "swearing")

    async def audit_fails(self, **kwargs):
        # Fault injection: the audit write after the example fails, so the decision rolls back.
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(SqlAuditStore, "add", audit_fails)
    with pytest.raises(RuntimeError):
        await app_client.post(f"{MOD}/comments/{comment_id}/approve", headers=mod)
    monkeypatch.undo()
    assert await examples(app_client) == []
    card = (await app_client.get(f"{MOD}/queue?queue=pending", headers=mod)).json()
    assert [c["id"] for c in card["comments"]] == [comment_id]
    await decide(app_client, mod, comment_id, "approve")
    assert [r["comment_id"] for r in await examples(app_client)] == [comment_id]


async def test_only_automatic_holds_become_examples_and_the_author_can_take_them_back(
    app_client,
):
    mod, _ = await moderator(app_client)
    author = await sign_in(app_client, "writer", name="Writer")
    published = await post(app_client, author, "A calm and civil point about buses.")
    await decide(app_client, mod, published["id"], "reject")  # not held: no example
    assert await examples(app_client) == []

    other = await sign_in(app_client, "other", name="Other")
    comment_id = (await post(app_client, other, HELD["private_info"]))["id"]
    await decide(app_client, mod, comment_id, "reject")
    assert len(await examples(app_client)) == 1
    # The author deletes the comment: the example with its text goes too.
    res = await app_client.delete(f"/api/v1/comments/{comment_id}", headers=other)
    assert res.status_code == 204, res.text
    assert await examples(app_client) == []


async def _seed(client) -> dict[str, tuple[int, int]]:
    """Decided holds: guideline -> (approved, rejected)."""
    mod, _ = await moderator(client)
    plan = {"private_info": (1, 2), "swearing": (0, 2), "abuse": (3, 1)}
    for guideline, (approved, rejected) in plan.items():
        for action in ["approve"] * approved + ["reject"] * rejected:
            await decide(client, mod, await held(client, guideline), action)
    return plan


async def test_precision_per_guideline_matches_the_decisions(app_client):
    plan = await _seed(app_client)
    await held(app_client, "swearing")  # held, not decided yet: not counted
    # A decision from two months ago counts over a year, not over the last 30 days.
    async with app_client.ctx.write() as tx:
        await tx.decisions.add(
            site_id="default",
            comment_id=999,
            body="Old decision.",
            findings=[],
            guideline="spam",
            decision="reject",
            moderator_id=1,
            now=app_client.ctx.clock() - timedelta(days=60),
        )
    mod, _ = await moderator(app_client, "analyst")
    res = await app_client.get(f"{MOD}/precision", headers=mod)
    assert res.status_code == 200, res.text
    data = res.json()
    assert data["days"] == 30
    rows = {r["guideline"]: r for r in data["guidelines"]}
    assert rows == {
        "abuse": {"guideline": "abuse", "decided": 4, "approved": 3, "rejected": 1,
                  "precision": 0.25},
        "private_info": {"guideline": "private_info", "decided": 3, "approved": 1,
                         "rejected": 2, "precision": 0.6667},
        "swearing": {"guideline": "swearing", "decided": 2, "approved": 0, "rejected": 2,
                     "precision": 1.0},
    }  # fmt: skip
    assert sum(a + r for a, r in plan.values()) == data["total"]["decided"] == 9
    assert data["total"] == {"decided": 9, "approved": 4, "rejected": 5, "precision": 0.5556}
    year = (await app_client.get(f"{MOD}/precision?days=365", headers=mod)).json()
    assert {r["guideline"]: r["decided"] for r in year["guidelines"]}["spam"] == 1


async def test_precision_is_for_moderators_and_days_are_bounded(app_client):
    mod, _ = await moderator(app_client)
    reader = await sign_in(app_client, "reader", name="Reader")
    assert (await app_client.get(f"{MOD}/precision", headers=reader)).status_code == 403
    assert (await app_client.get(f"{MOD}/precision")).status_code == 401
    for bad in ("0", "366", "-1", "many"):
        res = await app_client.get(f"{MOD}/precision?days={bad}", headers=mod)
        assert res.status_code == 422, (bad, res.text)
        assert res.headers["content-type"].startswith("application/problem+json")
        assert "days" in res.text
    for good in ("1", "365"):
        res = await app_client.get(f"{MOD}/precision?days={good}", headers=mod)
        assert res.status_code == 200 and res.json()["guidelines"] == []


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [BIN, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "TOWNHALL_LOG_JSON": "off"},
    )


async def test_export_decisions_round_trip_as_jsonl_and_csv(sqlite_url, make_settings, tmp_path):
    from tests.conftest import _client

    async with _client(make_settings(sqlite_url)) as client:
        await _seed(client)
        stored = await examples(client)
    db = sqlite_url.split(":///", 1)[1]

    out = tmp_path / "decisions.jsonl"
    res = _cli("moderation", "export-decisions", "--db", db, "--output", str(out))
    assert res.returncode == 0, res.stderr
    assert "9 decisions written" in res.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [
        (r["comment_id"], r["text"], r["guideline"], r["decision"], r["findings"]) for r in rows
    ] == [
        (s["comment_id"], s["body"], s["guideline"], s["decision"], s["findings"]) for s in stored
    ]
    assert {r["label"] for r in rows if r["decision"] == "reject"} == {1}
    assert {r["label"] for r in rows if r["decision"] == "approve"} == {0}
    assert all(r["site"] == "default" and r["decided_at"].endswith("Z") for r in rows)
    assert set(rows[0]) == {
        "id", "site", "comment_id", "decided_at", "decision", "label", "guideline",
        "moderator_id", "text", "findings",
    }  # fmt: skip

    res = _cli("moderation", "export-decisions", "--db", db, "--format", "csv")
    assert res.returncode == 0, res.stderr
    table = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [(int(r["comment_id"]), r["text"], r["decision"]) for r in table] == [
        (r["comment_id"], r["text"], r["decision"]) for r in rows
    ]
    assert [json.loads(r["findings"]) for r in table] == [r["findings"] for r in rows]

    for args in (("--since", "2999-01-01"), ("--site", "elsewhere")):
        res = _cli("moderation", "export-decisions", "--db", db, *args)
        assert res.returncode == 0 and res.stdout == "", res.stderr
    res = _cli("moderation", "export-decisions", "--db", db, "--since", "yesterday")
    assert res.returncode == 2 and "--since must be a date" in res.stderr

"""Download my data: one JSON document, valid against docs/export.schema.json, streamed
with bounded memory however many comments the reader wrote."""

from __future__ import annotations

import json
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema
import orjson

from tests.factories import post, sign_in
from townhall.storage.sql.tables import comments, stories

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "export.schema.json").read_text("utf-8")
)


async def _me(client, headers) -> dict:
    return (await client.get("/api/v1/me", headers=headers)).json()


async def test_export_holds_everything_and_validates_against_the_schema(app_client):
    ann = await sign_in(app_client, "ann", name="Ann Reader", premium=True)
    bo = await sign_in(app_client, "bo", name="Bo Brennan")
    bo_id = (await _me(app_client, bo))["id"]
    mine = [
        await post(app_client, ann, "Open on one.", story="s-1", story_url="http://testserver/s-1"),
        await post(app_client, ann, "Premium on one.", story="s-1", stream="premium"),
        await post(app_client, ann, "Open on two.", story="news/2026/two"),
        await post(app_client, ann, "Premium on three.", story="s-3", stream="premium"),
    ]
    gone = await post(app_client, ann, "Taken back.", story="s-3")
    await app_client.delete(f"/api/v1/comments/{gone['id']}", headers=ann)
    theirs = await post(app_client, bo, "Bo's view.", story="s-1")
    other = await post(app_client, bo, "Bo again.", story="s-3")
    await app_client.put(f"/api/v1/comments/{theirs['id']}/like", headers=ann)
    await app_client.post(
        f"/api/v1/comments/{other['id']}/reports",
        json={"reason": "spam", "note": "an advert"},
        headers=ann,
    )
    await app_client.put(f"/api/v1/me/muted/{bo_id}", headers=ann)
    await app_client.patch(
        "/api/v1/me/preferences", json={"notify_replies": True, "digest": "weekly"}, headers=ann
    )
    res = await app_client.get("/api/v1/me/export", headers=ann)
    assert res.status_code == 200, res.text
    assert res.headers["cache-control"] == "no-store"
    assert res.headers["content-type"].startswith("application/json")
    assert "attachment" in res.headers["content-disposition"]
    doc = res.json()
    jsonschema.validate(doc, SCHEMA)
    assert doc["account"]["name"] == "Ann Reader"
    assert doc["account"]["email"] == "ann@example.org"
    assert doc["account"]["premium"] is True and doc["account"]["sign_in"] == "publisher"
    got = {c["id"]: c for c in doc["comments"]}
    assert set(got) == {c["id"] for c in mine} | {gone["id"]}
    assert {c["stream"] for c in doc["comments"]} == {"open", "premium"}
    assert {c["story"]["id"] for c in doc["comments"]} == {"s-1", "news/2026/two", "s-3"}
    assert got[mine[0]["id"]]["body"] == "Open on one."
    assert got[mine[0]["id"]]["link"] == f"http://testserver/s-1#comment-{mine[0]['id']}"
    assert got[gone["id"]]["status"] == "deleted" and got[gone["id"]]["body"] == ""
    assert [like["comment_id"] for like in doc["likes"]] == [theirs["id"]]
    assert doc["likes"][0]["story"]["id"] == "s-1"
    assert [(r["comment_id"], r["reason"], r["note"]) for r in doc["reports"]] == [
        (other["id"], "spam", "an advert")
    ]
    assert doc["preferences"]["muted"][0]["id"] == bo_id
    assert doc["preferences"]["notifications"] == {
        "notify_replies": True,
        "notify_decisions": True,
        "digest": "weekly",
    }
    # Nobody else's comments, and only for the reader themselves.
    assert "Bo's view." not in res.text
    assert (await app_client.get("/api/v1/me/export")).status_code == 401
    bo_doc = (await app_client.get("/api/v1/me/export", headers=bo)).json()
    jsonschema.validate(bo_doc, SCHEMA)
    assert bo_doc["preferences"]["muted"] == [] and bo_doc["likes"] == []


async def test_an_export_of_50000_comments_is_streamed_with_bounded_memory(sqlite_client):
    from townhall.services.privacy import EXPORT_BATCH, export_data

    client = sqlite_client
    ann = await sign_in(client, "ann", name="Ann Reader")
    me = await _me(client, ann)
    ctx = client.ctx
    total = 50_000
    start = datetime(2026, 1, 1, tzinfo=UTC)
    async with ctx.write() as tx:
        for i in range(5):
            await tx.conn.execute(
                stories.insert().values(
                    site_id="default",
                    key=f"bulk-{i}",
                    url=f"http://testserver/bulk-{i}",
                    created_at=start,
                )
            )
        rows = [
            {
                "site_id": "default",
                "story_id": 1 + i % 5,
                "stream": "premium" if i % 2 else "open",
                "depth": 0,
                "author_id": me["id"],
                "body": f"Comment number {i}: " + "words and more words " * 10,
                "status": "published",
                "created_at": start + timedelta(seconds=i),
            }
            for i in range(total)
        ]
        for at in range(0, total, 5000):
            await tx.conn.execute(comments.insert(), rows[at : at + 5000])
    del rows
    async with ctx.read() as tx:
        user = await tx.users.by_id(me["id"])
    assert user is not None
    written = 0
    tail = b""
    ids = 0
    tracemalloc.start()
    try:
        async for chunk in export_data(ctx, user):
            written += len(chunk)
            ids += chunk.count(b'"stream":')
            tail = (tail + chunk)[-64:]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert ids == total
    assert tail.endswith(b"]}")
    assert written > 20 * 2**20  # over 20 MB written ...
    assert peak < 8 * 2**20, f"peak {peak} bytes for batches of {EXPORT_BATCH}"  # ... in < 8 MB


async def test_export_is_one_valid_document_across_batches(sqlite_client, monkeypatch):
    from townhall.services import privacy

    monkeypatch.setattr(privacy, "EXPORT_BATCH", 2)
    ann = await sign_in(sqlite_client, "ann", name="Ann Reader")
    for i in range(5):
        await post(sqlite_client, ann, f"Point {i}.", story=f"s-{i % 2}")
    body = (await sqlite_client.get("/api/v1/me/export", headers=ann)).content
    doc = orjson.loads(body)
    jsonschema.validate(doc, SCHEMA)
    assert [c["body"] for c in doc["comments"]] == [f"Point {i}." for i in range(5)]

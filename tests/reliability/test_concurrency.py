"""Many readers acting on one comment at the same moment leave exact counts."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
import pytest

from tests.reliability.clients import plain_body, sign_in
from tests.reliability.invariants import broken_invariants
from tests.reliability.server import fresh_database, running, sql_rows

pytestmark = pytest.mark.slow

CROWD = 16
STORY = "/api/v1/stories/busy/comments"
FLAG_STORY = "/api/v1/stories/flagged/comments"


async def _crowd(client: httpx.AsyncClient, tag: str) -> list[dict]:
    return list(
        await asyncio.gather(
            *(sign_in(client, f"{tag}-{i}", name=f"Crowd {tag} {i}") for i in range(CROWD))
        )
    )


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_a_crowd_acting_at_once_leaves_exact_counts(backend, tmp_path):
    with fresh_database(backend, tmp_path) as db_url, running(db_url, tmp_path) as server:
        await _likes_reports_and_replies(server, db_url)
        await _like_and_unlike_flurry(server, db_url)
        await _flags_hide_a_reply_once(server, db_url)


async def _likes_reports_and_replies(server, db_url):
    limits = httpx.Limits(max_connections=200)
    async with httpx.AsyncClient(base_url=server.base, timeout=60, limits=limits) as client:
        author = await sign_in(client, "author", name="Busy Author")
        res = await client.post(STORY, json={"body": plain_body("top")}, headers=author)
        target = res.json()["id"]
        crowd = await _crowd(client, "c")

        def like(h):
            return client.put(f"/api/v1/comments/{target}/like", headers=h)

        def report(h):
            return client.post(
                f"/api/v1/comments/{target}/reports", json={"reason": "disagree"}, headers=h
            )

        def reply(h):
            body = {"body": plain_body("reply"), "parent_id": target}
            return client.post(STORY, json=body, headers=h)

        calls = []
        for h in crowd:
            calls += [like(h), like(h), report(h), report(h), reply(h)]
        results = await asyncio.gather(*calls)

    statuses = Counter(r.status_code for r in results)
    assert statuses[500] == 0, [r.text for r in results if r.status_code >= 500][:3]
    assert statuses == Counter({200: 2 * CROWD, 201: 2 * CROWD, 409: CROWD}), statuses
    row = await sql_rows(
        db_url, "SELECT like_count, reply_count, status FROM comments WHERE id = :id", id=target
    )
    assert row == [(CROWD, CROWD, "published")]
    likes = await sql_rows(db_url, "SELECT count(*) FROM likes WHERE comment_id = :id", id=target)
    reports = await sql_rows(
        db_url, "SELECT count(*) FROM reports WHERE comment_id = :id", id=target
    )
    assert likes == [(CROWD,)] and reports == [(CROWD,)]
    assert await broken_invariants(db_url) == []


async def _like_and_unlike_flurry(server, db_url):
    async with httpx.AsyncClient(base_url=server.base, timeout=60) as client:
        author = await sign_in(client, "flurry-author", name="Flurry Author")
        res = await client.post(STORY, json={"body": plain_body("flurry")}, headers=author)
        target = res.json()["id"]
        crowd = await _crowd(client, "l")
        url = f"/api/v1/comments/{target}/like"
        calls = [
            client.request(verb, url, headers=h)
            for h in crowd
            for verb in ("PUT", "DELETE", "PUT", "DELETE", "PUT")
        ]
        results = await asyncio.gather(*calls)
        assert {r.status_code for r in results} == {200}
        page = await client.get(f"/api/v1/comments/{target}/replies")
        assert page.status_code == 200
    rows = await sql_rows(db_url, "SELECT count(*) FROM likes WHERE comment_id = :id", id=target)
    count = await sql_rows(db_url, "SELECT like_count FROM comments WHERE id = :id", id=target)
    assert rows == count
    assert await broken_invariants(db_url) == []


async def _flags_hide_a_reply_once(server, db_url):
    async with httpx.AsyncClient(base_url=server.base, timeout=60) as client:
        author = await sign_in(client, "flag-author", name="Flag Author")
        res = await client.post(FLAG_STORY, json={"body": plain_body("top")}, headers=author)
        top = res.json()["id"]
        replier = await sign_in(client, "replier", name="Flag Replier")
        res = await client.post(
            FLAG_STORY, json={"body": plain_body("r"), "parent_id": top}, headers=replier
        )
        reply = res.json()["id"]
        crowd = await _crowd(client, "f")
        results = await asyncio.gather(
            *(
                client.post(f"/api/v1/comments/{reply}/reports", json={"reason": "spam"}, headers=h)
                for h in crowd
            )
        )
    codes = Counter(r.status_code for r in results)
    # Once hidden, the reply is gone for everyone but its author: later flags find nothing.
    assert set(codes) <= {201, 404} and codes[201] >= 3, codes
    rows = await sql_rows(
        db_url,
        "SELECT id, status, reply_count, report_count FROM comments WHERE id IN (:a, :b)"
        " ORDER BY id",
        a=top,
        b=reply,
    )
    assert rows == [(top, "published", 0, 0), (reply, "pending", 0, codes[201])]
    hidden = await sql_rows(
        db_url,
        "SELECT count(*) FROM audit_log WHERE action = 'comment.auto_hidden' AND target_id = :t",
        t=str(reply),
    )
    assert hidden == [(1,)]
    assert await broken_invariants(db_url) == []

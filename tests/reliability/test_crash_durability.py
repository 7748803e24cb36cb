"""kill -9 under write load loses no acknowledged write and leaves nothing half-written."""

from __future__ import annotations

import asyncio
import random

import httpx
import pytest

from tests.reliability.clients import plain_body, sign_in
from tests.reliability.invariants import broken_invariants
from tests.reliability.server import Server, fresh_database, sql_rows

pytestmark = pytest.mark.slow

ROUNDS = 3
WRITERS = 4
_GONE = (httpx.TransportError,)


class Ledger:
    """What the server acknowledged to the clients."""

    def __init__(self) -> None:
        self.comments: dict[int, str] = {}
        self.likes: set[tuple[int, str]] = set()


async def _writer(base: str, headers: dict, me: str, ledger: Ledger, rng: random.Random) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        while True:
            others = [i for i in ledger.comments if i % WRITERS != 0] or list(ledger.comments)
            roll = rng.random()
            try:
                if roll < 0.25 and ledger.comments:
                    target = rng.choice(list(ledger.comments))
                    res = await client.put(f"/api/v1/comments/{target}/like", headers=headers)
                    if res.status_code == 200 and res.json()["liked_by_me"]:
                        ledger.likes.add((target, me))
                    continue
                body = plain_body(me)
                payload: dict = {"body": body}
                if roll < 0.5 and others:
                    payload["parent_id"] = rng.choice(others)
                res = await client.post(
                    "/api/v1/stories/crash-story/comments", json=payload, headers=headers
                )
            except _GONE:
                return
            if res.status_code == 201:
                ledger.comments[res.json()["id"]] = body
            elif res.status_code >= 500:
                raise AssertionError(f"server error under load: {res.status_code} {res.text}")


async def _round(server: Server, users: list[tuple[str, dict]], ledger: Ledger, seed: int) -> None:
    rng = random.Random(seed)
    tasks = [
        asyncio.create_task(_writer(server.base, h, sub, ledger, random.Random(seed * 10 + i)))
        for i, (sub, h) in enumerate(users)
    ]
    await asyncio.sleep(0.8 + rng.random() * 1.2)
    await asyncio.to_thread(server.kill)
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=30)


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_every_acknowledged_write_survives_kill_9(backend, tmp_path) -> None:
    with fresh_database(backend, tmp_path) as db_url:
        server = Server(db_url, tmp_path)
        await asyncio.to_thread(server.start)
        try:
            ledger = Ledger()
            users = []
            async with httpx.AsyncClient(base_url=server.base, timeout=10) as client:
                for i in range(WRITERS):
                    sub = f"crash-{i}"
                    users.append((sub, await sign_in(client, sub, name=f"Crash Writer {i}")))
            user_ids = {}
            for round_no in range(ROUNDS):
                before = len(ledger.comments)
                await _round(server, users, ledger, seed=round_no)
                assert len(ledger.comments) > before, "the load produced no writes this round"
                await asyncio.to_thread(server.start)
                stored = dict(await sql_rows(db_url, "SELECT id, body FROM comments"))
                missing = {i for i in ledger.comments if i not in stored}
                assert not missing, f"round {round_no}: acknowledged comments lost: {missing}"
                changed = {i for i, b in ledger.comments.items() if stored[i] != b}
                assert not changed, f"round {round_no}: stored text differs for {changed}"
                if not user_ids:
                    user_ids = dict(await sql_rows(db_url, "SELECT sso_sub, id FROM users"))
                likes = set(await sql_rows(db_url, "SELECT comment_id, user_id FROM likes"))
                lost = {(c, u) for c, u in ledger.likes if (c, user_ids[u]) not in likes}
                assert not lost, f"round {round_no}: acknowledged likes lost: {lost}"
                assert await broken_invariants(db_url) == []
                async with httpx.AsyncClient(base_url=server.base, timeout=10) as client:
                    page = await client.get("/api/v1/stories/crash-story/comments")
                    assert page.status_code == 200
                    public = await sql_rows(
                        db_url,
                        "SELECT count(*) FROM comments WHERE status = 'published'"
                        " AND is_shadowed = false",
                    )
                    assert page.json()["total"] == public[0][0]
        finally:
            await asyncio.to_thread(server.stop)

"""The whole commenting journey over real HTTP against `townhall serve`, on both backends."""

from __future__ import annotations

import asyncio

import httpx

from tests.factories import sso_token
from tests.servers import serve

BIG = 1000
VOCAB = (
    "rail",
    "budget",
    "council",
    "housing",
    "schools",
    "rates",
    "bridge",
    "clinic",
    "harbour",
    "library",
    "tram",
    "parks",
    "policing",
    "water",
    "energy",
    "farms",
    "ferry",
    "museum",
    "market",
    "bus",
    "estate",
    "tax",
    "pension",
    "road",
)


def varied(i: int) -> str:
    """A distinct civil sentence per i (writers repeating themselves would be held as spam)."""
    words = [VOCAB[(i * k + k * k) % len(VOCAB)] for k in range(1, 9)]
    return (
        f"On {words[0]} and {words[1]}: "
        + ", ".join(words[2:])
        + f" matter too, says writer {VOCAB[i % 24]}{VOCAB[(i // 24) % 24]}."
    )


async def _sign_in(client, sub, name=None, premium=False):
    res = await client.post("/api/v1/auth/sso", json={"token": sso_token(sub, premium=premium)})
    assert res.status_code == 200, res.text
    h = {"Authorization": f"Bearer {res.json()['token']}"}
    if name:
        assert (
            await client.put("/api/v1/me/name", json={"name": name}, headers=h)
        ).status_code == 200
    return h


async def _journey(base: str) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        alice = await _sign_in(client, "alice", "Alice")
        bob = await _sign_in(client, "bob", "Bob", premium=True)
        carol = await _sign_in(client, "carol", "Carol")
        # post, reply, like
        res = await client.post(
            "/api/v1/stories/journey/comments",
            json={
                "body": "The council's plan deserves scrutiny.",
                "story_title": "Journey",
                "story_url": "https://news.example/journey",
            },
            headers=alice,
        )
        assert res.status_code == 201 and res.json()["status"] == "published"
        top = res.json()
        res = await client.post(
            "/api/v1/stories/journey/comments",
            json={"body": "Agreed, the costings look thin.", "parent_id": top["id"]},
            headers=bob,
        )
        reply = res.json()
        assert reply["parent_id"] == top["id"]
        assert (await client.put(f"/api/v1/comments/{top['id']}/like", headers=bob)).json()[
            "like_count"
        ] == 1
        # premium refused for a non-premium user, accepted for a premium one
        res = await client.post(
            "/api/v1/stories/journey/comments",
            json={"body": "subscribers only?", "stream": "premium"},
            headers=carol,
        )
        assert res.status_code == 403 and res.json()["code"] == "premium-required"
        res = await client.post(
            "/api/v1/stories/journey/comments",
            json={"body": "A subscriber's view.", "stream": "premium"},
            headers=bob,
        )
        assert res.status_code == 201
        # each sort order
        for sort in ("newest", "oldest", "most_liked"):
            page = (await client.get(f"/api/v1/stories/journey/comments?sort={sort}")).json()
            assert page["comments"][0]["id"] == top["id"]
            assert page["comments"][0]["replies"][0]["id"] == reply["id"]
        # report and delete → tombstone
        res = await client.post(
            f"/api/v1/comments/{top['id']}/reports",
            json={"reason": "other", "note": "testing"},
            headers=carol,
        )
        assert res.status_code == 201
        assert (
            await client.delete(f"/api/v1/comments/{top['id']}", headers=alice)
        ).status_code == 204
        page = (await client.get("/api/v1/stories/journey/comments")).json()
        assert page["comments"][0]["deleted"] and page["comments"][0]["body_html"] == ""
        assert "scrutiny" not in (await client.get("/api/v1/stories/journey/comments")).text
        # a big story, paginated while new comments arrive
        writers = [await _sign_in(client, f"w{i}", f"Writer{i}") for i in range(10)]
        sem = asyncio.Semaphore(8)

        async def write(i):
            async with sem:
                r = await client.post(
                    "/api/v1/stories/big/comments",
                    json={"body": varied(i)},
                    headers=writers[i % 10],
                )
                assert r.status_code == 201, r.text
                assert r.json()["status"] == "published", r.json()
                return r.json()["id"]

        ids = set(await asyncio.gather(*(write(i) for i in range(BIG))))
        seen: list[int] = []
        cursor = None
        late = []
        while True:
            url = "/api/v1/stories/big/comments?limit=100&sort=newest"
            if cursor:
                url += f"&cursor={cursor}"
            data = (await client.get(url)).json()
            seen += [c["id"] for c in data["comments"]]
            late.append(await write(BIG + len(late)))  # arrives mid-pagination
            cursor = data["next_cursor"]
            if not cursor:
                break
        assert len(seen) == len(set(seen)), "duplicates across pages"
        assert set(seen) == ids, "gaps across pages"
        counts = (await client.get("/api/v1/counts?story_id=big&story_id=journey")).json()
        assert counts["counts"]["big"] == BIG + len(late)
        assert counts["counts"]["journey"] == 2  # reply + premium; the deleted one is gone


def test_journey_over_http(db_url):
    with serve(db_url) as (base, _proc):
        asyncio.run(_journey(base))

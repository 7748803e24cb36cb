"""Seed townhall and Isso with the same comments, through their HTTP APIs only."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable

import httpx
import jwt

BIG, REPLIES, MEDIUM, SMALL_STORIES, SMALL = 1000, 2, 50, 10, 3
WRITERS = 30
VOCAB = (
    "rail", "budget", "council", "housing", "schools", "rates", "bridge", "clinic",
    "harbour", "library", "tram", "parks", "policing", "water", "energy", "farms",
    "ferry", "museum", "market", "bus", "estate", "tax", "pension", "road", "airport",
    "tunnel", "hospital", "nurses", "teachers", "flooding", "drought", "tourism", "jobs",
    "wages", "rents", "mortgages", "cycling", "parking", "recycling", "broadband",
)  # fmt: skip
OPENERS = ("On", "About", "Regarding", "As for", "Thinking of", "Given")
VERBS = ("matter too", "need funding", "were ignored", "deserve scrutiny", "look better",
         "cost more", "came first", "are overdue", "got worse", "need a plan")  # fmt: skip


def text(i: int) -> str:
    """A distinct, civil sentence for comment number i (no two alike enough to look like spam)."""
    rnd = random.Random(i)
    words = rnd.sample(VOCAB, 7)
    return (
        f"{rnd.choice(OPENERS)} {words[0]} and {words[1]}: {words[2]}, {words[3]} "
        f"and {words[4]} {rnd.choice(VERBS)}, while {words[5]} and {words[6]} "
        f"{rnd.choice(VERBS)} ({i})."
    )


PostFn = Callable[[str, str, int, int | None], Awaitable[int]]


def small_stories() -> list[str]:
    """Keys of the small stories (used for counts)."""
    return [f"small-{i}" for i in range(SMALL_STORIES)]


async def seed(post: PostFn, concurrency: int = 8, big: int = BIG) -> float:
    """Post the shared data set with `post(story, text, writer, parent)`; seconds taken.

    `big` is the number of threads on the big story (fewer only for a quick smoke run).
    """
    started = time.perf_counter()
    sem = asyncio.Semaphore(concurrency)
    counter = iter(range(10**9))

    async def one(story: str, parent: int | None = None) -> int:
        n = next(counter)
        async with sem:
            return await post(story, text(n), n % WRITERS, parent)

    # Each story's first comment alone: servers create the story (thread) on first post.
    firsts = [await one(story) for story in ("big", "medium", *small_stories())]
    tops = [firsts[0], *await asyncio.gather(*(one("big") for _ in range(big - 1)))]
    await asyncio.gather(*(one("big", t) for t in tops for _ in range(REPLIES)))
    await asyncio.gather(*(one("medium") for _ in range(MEDIUM - 1)))
    await asyncio.gather(*(one(s) for s in small_stories() for _ in range(SMALL - 1)))
    return time.perf_counter() - started


def sso(secret: str, sub: str) -> str:
    """A publisher JWT for a bench user."""
    claims = {"sub": sub, "email": f"{sub}@bench.example", "exp": int(time.time()) + 3600}
    claims["aud"] = "default"
    return jwt.encode(claims, secret, algorithm="HS256")


async def townhall_sessions(client: httpx.AsyncClient, secret: str, n: int, prefix: str):
    """Sign in n users with commenting names; their bearer tokens."""
    tokens = []
    for i in range(n):
        res = await client.post("/api/v1/auth/sso", json={"token": sso(secret, f"{prefix}{i}")})
        res.raise_for_status()
        token = res.json()["token"]
        name = f"{prefix.capitalize()}{i}"
        res = await client.put(
            "/api/v1/me/name", json={"name": name}, headers={"Authorization": f"Bearer {token}"}
        )
        res.raise_for_status()
        tokens.append(token)
    return tokens


async def seed_townhall(base: str, secret: str, big: int = BIG) -> dict[str, int]:
    """Seed townhall; returns how many posts ended published / pending."""
    statuses: dict[str, int] = {}
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        tokens = await townhall_sessions(client, secret, WRITERS, "writer")

        async def post(story: str, body: str, writer: int, parent: int | None) -> int:
            # Pre-moderation may hold a text; another wording keeps the data set the same size.
            for attempt in range(5):
                res = await client.post(
                    f"/api/v1/stories/{story}/comments",
                    json={"body": body, "parent_id": parent, "story_title": story},
                    headers={"Authorization": f"Bearer {tokens[(writer + attempt) % WRITERS]}"},
                )
                if res.status_code not in (201, 422):
                    raise RuntimeError(f"townhall seed failed: {res.status_code} {res.text[:300]}")
                status = res.json().get("status", "rejected")
                statuses[status] = statuses.get(status, 0) + 1
                if status == "published":
                    return res.json()["id"]
                body = text(10**7 + len(body) * 7919 + attempt)
            raise RuntimeError(f"townhall kept holding comments: {res.text[:300]}")

        statuses["seconds"] = round(await seed(post, big=big), 1)
    return statuses


async def seed_isso(base: str, big: int = BIG) -> dict[str, int]:
    """Seed Isso (moderation and guard off, as for a like-for-like data set)."""
    statuses: dict[str, int] = {}
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:

        async def post(story: str, body: str, writer: int, parent: int | None) -> int:
            res = await client.post(
                "/new",
                params={"uri": f"/{story}"},
                json={"text": body, "author": f"Writer{writer}", "parent": parent, "title": story},
            )
            client.cookies.clear()  # Isso hands out an edit cookie per comment
            if res.status_code not in (201, 202):
                raise RuntimeError(f"isso seed failed: {res.status_code} {res.text[:300]}")
            key = "published" if res.status_code == 201 else "pending"
            statuses[key] = statuses.get(key, 0) + 1
            return res.json()["id"]

        statuses["seconds"] = round(await seed(post, big=big), 1)
    return statuses

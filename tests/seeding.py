"""Large moderation queues written straight through the storage layer (no HTTP): thousands
of held comments in one transaction, for bulk decisions, the dense queue and statistics."""

from __future__ import annotations

import asyncio
import concurrent.futures
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from townhall.storage.sql.engine import Database
from townhall.storage.sql.tx import Tx


@dataclass(frozen=True)
class Batch:
    """`count` held comments on one story by one author."""

    story_key: str
    story_title: str
    author: str
    count: int
    guideline: str = "abuse"
    score: float | None = 0.5
    status: str = "pending"
    stream: str = "open"
    age_hours: float = 1.0


@dataclass
class Seeded:
    """What seeding wrote: comment ids per batch, and author and story ids by name/key."""

    ids: list[list[int]] = field(default_factory=list)
    authors: dict[str, int] = field(default_factory=dict)
    stories: dict[str, int] = field(default_factory=dict)


async def seed(tx: Tx, batches: list[Batch], *, site_id: str = "default", now: datetime) -> Seeded:
    """Write the batches' users, stories and comments in bulk on one transaction."""
    out = Seeded()
    names = sorted({b.author for b in batches})
    existing = await tx.imports.users_by_subs(site_id, [f"seed:{n}" for n in names])
    fresh = [n for n in names if f"seed:{n}" not in existing]
    ids = await tx.imports.add_users(
        [
            {
                "site_id": site_id,
                "sso_sub": f"seed:{n}",
                "name": n,
                "name_key": f"seed-{n.lower()}",
                "created_at": now - timedelta(days=30),
            }
            for n in fresh
        ]
    )
    out.authors = {
        **{s.removeprefix("seed:"): i for s, i in existing.items()},
        **dict(zip(fresh, ids, strict=True)),
    }
    for b in batches:
        story = await tx.stories.get_or_create(
            site_id, b.story_key, url=None, title=b.story_title, now=now - timedelta(days=1)
        )
        out.stories[b.story_key] = story.id
    total = sum(b.count for b in batches)
    new_ids = await tx.imports.reserve_comment_ids(total)
    rows = []
    at = 0
    for b in batches:
        part = new_ids[at : at + b.count]
        at += b.count
        out.ids.append(part)
        finding = {"guideline": b.guideline, "action": "hold", "reason": "seeded", "score": b.score}
        for n, cid in enumerate(part):
            rows.append(
                {
                    "id": cid,
                    "site_id": site_id,
                    "story_id": out.stories[b.story_key],
                    "stream": b.stream,
                    "root_id": cid,
                    "depth": 0,
                    "author_id": out.authors[b.author],
                    "body": f"Seeded comment {cid} on {b.story_title}.",
                    "status": b.status,
                    "created_at": now - timedelta(hours=b.age_hours, seconds=n),
                    "findings": [finding],
                    "guideline": b.guideline,
                    "score": b.score,
                }
            )
    await tx.imports.add_comments(rows)
    return out


async def seed_url(url: str, batches: list[Batch], *, now: datetime | None = None) -> Seeded:
    """Seed a database by URL (a running server's SQLite file, say)."""
    db = Database(url)
    try:
        async with db.write() as conn:
            return await seed(Tx(conn), batches, now=now or datetime.now(UTC))
    finally:
        await db.dispose()


def seed_url_sync(url: str, batches: list[Batch]) -> Seeded:
    """seed_url from synchronous code that may already run an event loop (Playwright)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, seed_url(url, batches)).result()

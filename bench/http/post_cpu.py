"""CPU per post in one process: signed-in readers post to one story through the ASGI app.

    python bench/http/post_cpu.py --db postgresql+asyncpg://postgres@127.0.0.1:5432/bench \
        --posts 400 --concurrency 8

Prints the process CPU time and wall time per post (after a warm-up), nothing else: on a
shared machine compare runs made one after the other, never against another day.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time

import httpx

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))
from tests.factories import SSO_SECRET, sso_token

from townhall.app import create_app
from townhall.config import load_settings
from townhall.services.sites import bootstrap_site
from townhall.storage.migrate import upgrade_async


async def main(url: str, posts: int, concurrency: int, warmup: int) -> None:
    settings = load_settings(env={}, database_url=url, sso_secret=SSO_SECRET, rate_limits=False)
    await upgrade_async(url)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        await bootstrap_site(app.state.ctx)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            run = f"{time.time_ns():x}"
            headers = []
            for i in range(concurrency):
                res = await client.post(
                    "/api/v1/auth/sso", json={"token": sso_token(f"cpu-{run}-{i}")}
                )
                h = {"Authorization": f"Bearer {res.json()['token']}"}
                await client.put("/api/v1/me/name", json={"name": f"Poster {run} {i}"}, headers=h)
                headers.append(h)
            story = f"cpu-{run}"
            await client.post(
                f"/api/v1/stories/{story}/comments",
                json={"body": "Opening the discussion for this benchmark."},
                headers=headers[0],
            )
            counter = iter(range(10**9))

            async def worker(h: dict[str, str], n: int) -> None:
                for _ in range(n):
                    k = next(counter)
                    res = await client.post(
                        f"/api/v1/stories/{story}/comments",
                        json={"body": f"Benchmark comment number {k} about item {k * 7919}."},
                        headers=h,
                    )
                    assert res.status_code == 201, res.text

            await asyncio.gather(*(worker(h, warmup // concurrency) for h in headers))
            cpu, wall = time.process_time(), time.perf_counter()
            await asyncio.gather(*(worker(h, posts // concurrency) for h in headers))
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            done = (posts // concurrency) * concurrency
            print(
                f"{url.split(':')[0]}: {done} posts, {cpu / done * 1000:.2f} ms CPU/post, "
                f"{wall / done * 1000:.2f} ms wall/post, {done / wall:.0f} posts/s"
            )


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", default=None, help="database URL (default: a fresh SQLite file)")
    p.add_argument("--posts", type=int, default=400)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--warmup", type=int, default=80)
    a = p.parse_args()
    db = a.db or f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    asyncio.run(main(db, a.posts, a.concurrency, a.warmup))

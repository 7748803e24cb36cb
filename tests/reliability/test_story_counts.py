"""A story's public counts (kept by database triggers) follow every way a comment changes."""

from __future__ import annotations

import pytest

from tests.factories import make_staff, post, sign_in
from tests.reliability.invariants import broken_invariants
from townhall.services import comments as comment_service

MOD = "/api/v1/moderation"
TOXIC = "You are a pathetic idiot and a moron, nobody wants you here."


@pytest.fixture(autouse=True)
def fresh_rules_cache():
    comment_service._RULES.clear()


async def _totals(client, story: str) -> tuple[int, int, int]:
    """(open page total, premium page total, /counts) as an anonymous reader sees them."""
    base = f"/api/v1/stories/{story}/comments"
    open_ = (await client.get(base)).json()["total"]
    premium = (await client.get(base + "?stream=premium")).json()["total"]
    counted = (await client.get("/api/v1/counts", params={"story_id": story})).json()
    return open_, premium, counted["counts"][story]


async def _expect(client, story: str, open_: int, premium: int) -> None:
    assert await _totals(client, story) == (open_, premium, open_ + premium)
    assert await broken_invariants(client.ctx.settings.database_url) == []


async def test_counts_follow_posts_holds_decisions_deletes_and_shadow_bans(app_client) -> None:
    c, story = app_client, "counted"
    mod = await sign_in(c, "cnt-mod", name="Tally Keeper")
    await make_staff(c, mod)
    ann = await sign_in(c, "cnt-ann", name="Ann Counter", premium=True)
    bob = await sign_in(c, "cnt-bob", name="Bob Counter")
    bob_id = (await c.get("/api/v1/me", headers=bob)).json()["id"]

    await _expect(c, story, 0, 0)
    first = await post(c, ann, "The bridge plan needs a second look.", story=story)
    await post(c, ann, "Subscribers only: the costings are in the annex.", story=story,
               stream="premium")  # fmt: skip
    reply = await post(c, bob, "Agreed, the annex is thin.", story=story, parent_id=first["id"])
    await _expect(c, story, 2, 1)

    held = await post(c, bob, TOXIC, story=story)
    assert held["status"] == "pending"
    await _expect(c, story, 2, 1)
    res = await c.post(f"{MOD}/comments/{held['id']}/approve", headers=mod)
    assert res.status_code == 200, res.text
    await _expect(c, story, 3, 1)
    res = await c.post(f"{MOD}/comments/{held['id']}/reject", json={"reason": "abuse"}, headers=mod)
    assert res.status_code == 200, res.text
    await _expect(c, story, 2, 1)

    # An edit that pre-moderation holds takes the comment out of the count.
    res = await c.patch(f"/api/v1/comments/{reply['id']}", json={"body": TOXIC}, headers=bob)
    assert res.status_code == 200 and res.json()["status"] == "pending", res.text
    await _expect(c, story, 1, 1)
    res = await c.post(f"{MOD}/comments/{reply['id']}/approve", headers=mod)
    await _expect(c, story, 2, 1)

    res = await c.post(f"{MOD}/users/{bob_id}/shadowban", json={}, headers=mod)
    assert res.status_code == 200, res.text
    await _expect(c, story, 1, 1)
    await post(c, bob, "Nobody else sees this one.", story=story)
    await _expect(c, story, 1, 1)
    res = await c.post(f"{MOD}/users/{bob_id}/restore", json={}, headers=mod)
    assert res.status_code == 200, res.text
    await _expect(c, story, 3, 1)

    assert (await c.delete(f"/api/v1/comments/{reply['id']}", headers=bob)).status_code == 204
    await _expect(c, story, 2, 1)
    assert (await c.delete(f"/api/v1/comments/{first['id']}", headers=mod)).status_code == 204
    await _expect(c, story, 1, 1)


async def test_counts_are_filled_in_when_the_migration_runs_on_existing_comments(
    app_client,
) -> None:
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from alembic import command

    from townhall.storage.migrate import alembic_config, upgrade

    c, url = app_client, app_client.ctx.settings.database_url
    ann = await sign_in(c, "mig-ann", name="Ann Migrant", premium=True)
    for text in ("Older comment one.", "Older comment two."):
        await post(c, ann, text, story="older")
    await post(c, ann, "An older premium comment.", story="older", stream="premium")
    held = await post(c, ann, TOXIC, story="older")
    assert held["status"] == "pending"

    def run(*steps) -> None:
        with ThreadPoolExecutor(max_workers=1) as pool:
            for step in steps:
                pool.submit(step).result()

    await asyncio.to_thread(
        run,
        lambda: command.downgrade(alembic_config(url), "0004"),
        lambda: upgrade(url),
    )
    await _expect(c, "older", 2, 1)
    await post(c, ann, "A newer comment after the upgrade.", story="older")
    await _expect(c, "older", 3, 1)

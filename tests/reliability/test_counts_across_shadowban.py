"""Like counts stay true when a liker is shadow-banned or restored between like and unlike."""

from __future__ import annotations

from tests.factories import make_staff, post, sign_in
from tests.reliability.invariants import broken_invariants

BASE = "/api/v1/comments/{}/like"


async def _setup(client):
    mod = await sign_in(client, "cnt-mod", name="Count Keeper")
    await make_staff(client, mod)
    author = await sign_in(client, "cnt-author", name="Count Author")
    liker = await sign_in(client, "cnt-liker", name="Count Liker")
    other = await sign_in(client, "cnt-other", name="Count Other")
    comment = await post(client, author, "Counting likes is harder than it looks.", story="cnt")
    liker_id = (await client.get("/api/v1/me", headers=liker)).json()["id"]
    return mod, liker, other, comment["id"], liker_id


async def _count(client, cid) -> int:
    page = (await client.get("/api/v1/stories/cnt/comments")).json()
    return next(c["like_count"] for c in page["comments"] if c["id"] == cid)


async def _standing(client, mod, uid, verb) -> None:
    res = await client.post(f"/api/v1/moderation/users/{uid}/{verb}", json={}, headers=mod)
    assert res.status_code == 200, res.text


async def test_a_like_withdrawn_after_a_shadow_ban_leaves_no_phantom(app_client) -> None:
    c = app_client
    mod, liker, other, cid, uid = await _setup(c)
    await c.put(BASE.format(cid), headers=other)
    await c.put(BASE.format(cid), headers=liker)
    assert await _count(c, cid) == 2
    await _standing(c, mod, uid, "shadowban")
    assert await _count(c, cid) == 1, "a shadow-banned reader's like no longer counts"
    await c.delete(BASE.format(cid), headers=liker)
    await _standing(c, mod, uid, "restore")
    assert await _count(c, cid) == 1
    await c.put(BASE.format(cid), headers=liker)
    assert await _count(c, cid) == 2
    assert await broken_invariants(c.ctx.settings.database_url) == []


async def test_a_like_given_while_shadow_banned_counts_once_restored(app_client) -> None:
    c = app_client
    mod, liker, _other, cid, uid = await _setup(c)
    await _standing(c, mod, uid, "shadowban")
    res = await c.put(BASE.format(cid), headers=liker)
    assert res.json()["liked_by_me"] is True
    assert await _count(c, cid) == 0
    await _standing(c, mod, uid, "restore")
    assert await _count(c, cid) == 1
    await c.delete(BASE.format(cid), headers=liker)
    assert await _count(c, cid) == 0
    assert await broken_invariants(c.ctx.settings.database_url) == []

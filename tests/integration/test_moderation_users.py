"""Enforcement (ban, suspend, shadow-ban, restore) and the user pages, on both backends."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.factories import post, sign_in
from tests.integration.test_moderation_api import MOD, audit_entries, public_ids, staff


async def user_id(client, headers) -> int:
    """The id of the user behind these headers."""
    return (await client.get("/api/v1/me", headers=headers)).json()["id"]


async def test_banned_user_reads_but_cannot_post_like_or_report(app_client):
    mod, mod_id = await staff(app_client)
    alice = await sign_in(app_client, "alice", name="Alice")
    bob = await sign_in(app_client, "bob", name="Bob")
    c = await post(app_client, bob, "An honest question about fares.")
    alice_id = await user_id(app_client, alice)
    res = await app_client.post(
        f"{MOD}/users/{alice_id}/ban", json={"reason": "abuse"}, headers=mod
    )
    assert res.status_code == 200 and res.json()["status"] == "banned"

    assert (
        await app_client.get("/api/v1/stories/story-1/comments", headers=alice)
    ).status_code == 200
    me = (await app_client.get("/api/v1/me", headers=alice)).json()
    assert me["status"] == "banned"
    attempts = [
        app_client.post("/api/v1/stories/story-1/comments", json={"body": "hi"}, headers=alice),
        app_client.put(f"/api/v1/comments/{c['id']}/like", headers=alice),
        app_client.post(
            f"/api/v1/comments/{c['id']}/reports", json={"reason": "spam"}, headers=alice
        ),
    ]
    for attempt in attempts:
        res = await attempt
        assert res.status_code == 403 and res.json()["code"] == "banned"
        assert "banned" in res.json()["detail"]

    res = await app_client.post(f"{MOD}/users/{alice_id}/restore", headers=mod)
    assert res.json()["status"] == "active"
    await post(app_client, alice, "Back and behaving.")
    actions = [e["action"] for e in await audit_entries(app_client, mod, target_type="user")]
    assert actions[:2] == ["user.restore", "user.ban"]
    [ban] = await audit_entries(app_client, mod, action="user.ban")
    assert ban["actor_id"] == mod_id and ban["target_id"] == str(alice_id)
    assert ban["before"]["is_banned"] is False and ban["after"]["reason"] == "abuse"


async def test_suspended_user_is_told_until_when(app_client):
    mod, mod_id = await staff(app_client)
    alice = await sign_in(app_client, "alice", name="Alice")
    alice_id = await user_id(app_client, alice)
    res = await app_client.post(f"{MOD}/users/{alice_id}/suspend", json={"hours": 24}, headers=mod)
    assert res.status_code == 200
    until = datetime.fromisoformat(res.json()["suspended_until"])
    assert timedelta(hours=23) < until - app_client.ctx.clock() <= timedelta(hours=24)
    me = (await app_client.get("/api/v1/me", headers=alice)).json()
    assert me["status"] == "suspended" and me["suspended_until"] == res.json()["suspended_until"]
    res = await app_client.post(
        "/api/v1/stories/story-1/comments", json={"body": "hello"}, headers=alice
    )
    assert res.status_code == 403 and res.json()["code"] == "suspended"
    assert res.json()["until"] == me["suspended_until"]
    assert me["suspended_until"] in res.json()["detail"]
    for bad in ({"hours": 0}, {"hours": 10_000}, {"hours": "2"}, {}):
        res = await app_client.post(f"{MOD}/users/{alice_id}/suspend", json=bad, headers=mod)
        assert res.status_code == 422, bad
        assert res.json()["errors"][0]["field"] == "hours"
    [entry] = await audit_entries(app_client, mod, action="user.suspend")
    assert entry["actor_id"] == mod_id and entry["after"]["suspended_until"]


async def test_shadow_banned_user_sees_own_comments_and_nobody_else_does(app_client):
    mod, mod_id = await staff(app_client)
    alice = await sign_in(app_client, "alice", name="Alice")
    bob = await sign_in(app_client, "bob", name="Bob")
    top = await post(app_client, bob, "Rail fares are too high.")
    old = await post(app_client, alice, "I said this last week.")
    alice_id = await user_id(app_client, alice)
    res = await app_client.post(f"{MOD}/users/{alice_id}/shadowban", headers=mod)
    assert res.json()["is_shadowbanned"] is True and res.json()["status"] == "active"
    me = (await app_client.get("/api/v1/me", headers=alice)).json()
    assert me["status"] == "active" and "shadow" not in str(me)

    new = await post(app_client, alice, "Nobody listens to me.")
    reply = await post(app_client, alice, "Agreed.", parent_id=top["id"])
    assert new["status"] == "published" and reply["status"] == "published"
    assert set(await public_ids(app_client, headers=alice)) == {top["id"], old["id"], new["id"]}
    assert await public_ids(app_client, headers=bob) == [top["id"]]
    assert await public_ids(app_client) == [top["id"]]
    page = (await app_client.get("/api/v1/stories/story-1/comments")).json()
    assert page["total"] == 1 and page["comments"][0]["replies"] == []
    assert page["comments"][0]["reply_count"] == 0
    mine = (await app_client.get("/api/v1/stories/story-1/comments", headers=alice)).json()
    [bobs] = [c for c in mine["comments"] if c["id"] == top["id"]]
    assert [r["id"] for r in bobs["replies"]] == [reply["id"]]

    await app_client.post(f"{MOD}/users/{alice_id}/restore", headers=mod)
    assert set(await public_ids(app_client)) == {top["id"], old["id"], new["id"]}
    async with app_client.ctx.read() as tx:
        parent = await tx.comments.by_id("default", top["id"])
    assert parent.reply_count == 1
    [entry] = await audit_entries(app_client, mod, action="user.shadowban")
    assert entry["actor_id"] == mod_id and entry["after"]["is_shadowbanned"] is True


async def test_staff_and_self_cannot_be_enforced_against(app_client):
    mod, mod_id = await staff(app_client)
    _, other_id = await staff(app_client, "mod2", "Priya Shah")
    for target in (mod_id, other_id):
        res = await app_client.post(f"{MOD}/users/{target}/ban", headers=mod)
        assert res.status_code == 403
    assert (await app_client.post(f"{MOD}/users/999999/ban", headers=mod)).status_code == 404


async def test_user_search_detail_and_history(app_client):
    mod, _ = await staff(app_client)
    alice = await sign_in(app_client, "alice", name="Alice")
    bob = await sign_in(app_client, "bob", name="Bob")
    alice_id = await user_id(app_client, alice)
    c1 = await post(app_client, alice, "On story one.", story="one")
    c2 = await post(app_client, alice, "wtf on story two", story="two")
    await app_client.post(
        f"/api/v1/comments/{c1['id']}/reports", json={"reason": "other", "note": "x"}, headers=bob
    )
    await app_client.post(f"{MOD}/comments/{c2['id']}/reject", json={"reason": "no"}, headers=mod)
    await app_client.post(f"{MOD}/users/{alice_id}/suspend", json={"hours": 2}, headers=mod)

    found = (await app_client.get(f"{MOD}/users?q=ali", headers=mod)).json()["users"]
    assert [u["id"] for u in found] == [alice_id]
    assert found[0]["history"] == {
        "comments": 2,
        "published": 1,
        "pending": 0,
        "rejected": 1,
        "reports": 1,
    }
    by_mail = (await app_client.get(f"{MOD}/users?q=alice@example", headers=mod)).json()
    assert [u["id"] for u in by_mail["users"]] == [alice_id]

    detail = (await app_client.get(f"{MOD}/users/{alice_id}", headers=mod)).json()
    assert detail["user"]["status"] == "suspended" and detail["user"]["email"]
    assert [(c["id"], c["story"]["id"]) for c in detail["comments"]] == [
        (c2["id"], "two"),
        (c1["id"], "one"),
    ]
    assert detail["actions"][0]["action"] == "user.suspend"
    assert (await app_client.get(f"{MOD}/users/999999", headers=mod)).status_code == 404
    res = await app_client.get(f"{MOD}/users?q=" + "x" * 201, headers=mod)
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "q"


async def test_admins_change_roles_and_premium(app_client):
    admin, admin_id = await staff(app_client, "boss", "Boss", role="admin")
    mod, _ = await staff(app_client)
    alice = await sign_in(app_client, "alice", name="Alice")
    alice_id = await user_id(app_client, alice)
    res = await app_client.patch(
        f"{MOD}/users/{alice_id}", json={"role": "moderator", "premium": True}, headers=admin
    )
    assert res.status_code == 200
    assert res.json()["role"] == "moderator" and res.json()["premium"] is True
    assert (await app_client.get(f"{MOD}/queue", headers=alice)).status_code == 200
    me = (await app_client.get("/api/v1/me", headers=alice)).json()
    assert me["premium"] is True
    res = await app_client.patch(f"{MOD}/users/{alice_id}", json={"role": "commenter"}, headers=mod)
    assert res.status_code == 403
    res = await app_client.patch(
        f"{MOD}/users/{admin_id}", json={"role": "commenter"}, headers=admin
    )
    assert res.status_code == 403
    for bad in ({"role": "king"}, {"premium": "yes"}, {}):
        res = await app_client.patch(f"{MOD}/users/{alice_id}", json=bad, headers=admin)
        assert res.status_code == 422, bad
    [entry] = await audit_entries(app_client, admin, action="user.update")
    assert entry["actor_id"] == admin_id
    assert entry["before"] == {"role": "commenter", "premium": False}
    assert entry["after"] == {"role": "moderator", "premium": True}


def test_moderation_indexes_migrate_both_ways(db_url):
    from concurrent.futures import ThreadPoolExecutor

    import sqlalchemy as sa
    from alembic import command

    from townhall.storage.migrate import alembic_config, upgrade

    def indexes() -> set[str]:
        sync_url = db_url.replace("+aiosqlite", "").replace("+asyncpg", "+psycopg")
        if "postgresql" in db_url:
            import asyncio

            import asyncpg

            async def names():
                conn = await asyncpg.connect(db_url.replace("postgresql+asyncpg", "postgresql"))
                try:
                    rows = await conn.fetch(
                        "SELECT indexname FROM pg_indexes WHERE tablename = 'comments'"
                    )
                finally:
                    await conn.close()
                return {r["indexname"] for r in rows}

            return asyncio.run(names())
        engine = sa.create_engine(sync_url)
        try:
            return {i["name"] for i in sa.inspect(engine).get_indexes("comments")}
        finally:
            engine.dispose()

    wanted = {"ix_comments_site_time", "ix_comments_reported"}
    assert wanted <= indexes()
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(command.downgrade, alembic_config(db_url), "0003").result()
    assert not wanted & indexes()
    upgrade(db_url)
    assert wanted <= indexes()

"""A shadow-banned user's likes and reports change nothing anyone else sees."""

from __future__ import annotations

from tests.factories import post, sign_in


async def _shadowban(client, headers):
    me = (await client.get("/api/v1/me", headers=headers)).json()
    async with client.ctx.write() as tx:
        await tx.users.update(me["id"], is_shadowbanned=True)


async def test_shadowbanned_likes_and_reports_do_not_count(app_client):
    author = await sign_in(app_client, "author", name="Author")
    c = await post(app_client, author, "a perfectly fine remark")
    ghosts = [await sign_in(app_client, f"g{i}", name=f"Ghost{i}") for i in range(3)]
    for g in ghosts:
        await _shadowban(app_client, g)
        liked = await app_client.put(f"/api/v1/comments/{c['id']}/like", headers=g)
        assert liked.status_code == 200 and liked.json()["liked_by_me"] is True
        reported = await app_client.post(
            f"/api/v1/comments/{c['id']}/reports", json={"reason": "abuse"}, headers=g
        )
        assert reported.status_code == 201
    page = (await app_client.get("/api/v1/stories/story-1/comments")).json()
    [seen] = page["comments"]
    assert seen["like_count"] == 0
    assert seen["status"] == "published"  # three reports from shadows hid nothing

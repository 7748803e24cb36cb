"""Replies do not name the authors of hidden or deleted parents, and a shadow-banned
user's own counts look exactly as if their comments were public."""

from __future__ import annotations

import pytest

from tests.factories import make_staff, post, sign_in


async def _staff(client):
    headers = await sign_in(client, "warden", name="Warden Person")
    await make_staff(client, headers)
    return headers


async def _reply_names(client, root_id: int, headers=None) -> list:
    res = await client.get(f"/api/v1/comments/{root_id}/replies", headers=headers or {})
    assert res.status_code == 200, res.text
    return [c["in_reply_to"] for c in res.json()["comments"] if c["depth"] == 2]


async def _thread(client, author_name="Alice Parent"):
    alice = await sign_in(client, "alice", name=author_name)
    bob = await sign_in(client, "bob", name="Bob Middle")
    carol = await sign_in(client, "carol", name="Carol Deep")
    root = await post(client, bob, "the top of the thread")
    middle = await post(client, alice, "a reply by alice", parent_id=root["id"])
    await post(client, carol, "a reply to alice", parent_id=middle["id"])
    return alice, root, middle


@pytest.mark.parametrize("how", ["deleted", "rejected", "shadow-banned"])
async def test_a_reply_does_not_name_the_author_of_a_hidden_or_deleted_parent(app_client, how):
    alice, root, middle = await _thread(app_client)
    assert await _reply_names(app_client, root["id"]) == ["Alice Parent"]
    staff = await _staff(app_client)
    if how == "deleted":
        res = await app_client.delete(f"/api/v1/comments/{middle['id']}", headers=alice)
    elif how == "rejected":
        res = await app_client.post(
            f"/api/v1/moderation/comments/{middle['id']}/reject",
            json={"reason": "abuse"},
            headers=staff,
        )
    else:
        me = (await app_client.get("/api/v1/me", headers=alice)).json()
        res = await app_client.post(
            f"/api/v1/moderation/users/{me['id']}/shadowban", json={}, headers=staff
        )
    assert res.status_code in (200, 204), res.text
    reader = await sign_in(app_client, "dave", name="Dave Reader")
    for headers in (None, reader):
        assert await _reply_names(app_client, root["id"], headers) == [None]
    page = (await app_client.get("/api/v1/stories/story-1/comments")).json()
    assert "Alice Parent" not in str(page)


async def test_a_shadow_banned_user_sees_their_own_counts_move(app_client):
    ghost = await sign_in(app_client, "ghost", name="Ghost Writer")
    other = await sign_in(app_client, "other", name="Other Writer")
    staff = await _staff(app_client)
    top = await post(app_client, other, "an ordinary comment")
    me = (await app_client.get("/api/v1/me", headers=ghost)).json()
    res = await app_client.post(
        f"/api/v1/moderation/users/{me['id']}/shadowban", json={}, headers=staff
    )
    assert res.status_code == 200
    await post(app_client, ghost, "my own top-level comment")
    reply = await post(app_client, ghost, "my reply", parent_id=top["id"])
    await post(app_client, ghost, "a reply to my reply", parent_id=reply["id"])
    liked = await app_client.put(f"/api/v1/comments/{top['id']}/like", headers=ghost)
    assert liked.json() == {"like_count": 1, "liked_by_me": True}

    mine = (await app_client.get("/api/v1/stories/story-1/comments", headers=ghost)).json()
    theirs = (await app_client.get("/api/v1/stories/story-1/comments", headers=other)).json()
    assert theirs["total"] == 1 and mine["total"] == 4
    [their_top] = [c for c in theirs["comments"] if c["id"] == top["id"]]
    [my_top] = [c for c in mine["comments"] if c["id"] == top["id"]]
    assert their_top["reply_count"] == 0 and their_top["like_count"] == 0
    assert my_top["reply_count"] == 2 and my_top["like_count"] == 1 and my_top["liked_by_me"]
    replies = (await app_client.get(f"/api/v1/comments/{top['id']}/replies", headers=ghost)).json()
    assert replies["total"] == 2
    [my_reply] = [c for c in replies["comments"] if c["id"] == reply["id"]]
    assert my_reply["reply_count"] == 1
    counts = (await app_client.get("/api/v1/counts", params={"story_id": "story-1"})).json()
    assert counts["counts"]["story-1"] == 1  # everyone else's count never moves

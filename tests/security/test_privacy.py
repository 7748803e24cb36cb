"""Nobody reads another user's held or shadow-banned comments, e-mail address or session."""

from __future__ import annotations

import pytest

from tests.factories import make_staff, post, sign_in

STORY = "private-story"
BASE = f"/api/v1/stories/{STORY}/comments"
PENDING_TEXT = "Held words only my eyes should see for now, about the bypass plan."
SHADOW_TEXT = "Shadowed words that only I believe are public, about the parking levy."


async def _me(client, headers) -> dict:
    return (await client.get("/api/v1/me", headers=headers)).json()


@pytest.fixture
async def scene(app_client):
    """A public thread, a held reply and top-level comment, and a shadow-banned author."""
    c = app_client
    mod = await sign_in(c, "priv-mod", name="Helen Desk")
    await make_staff(c, mod)
    opener = await sign_in(c, "priv-opener", name="Thread Opener")
    public = await post(c, opener, "An open question about the new bypass.", story=STORY)
    author = await sign_in(c, "priv-author", name="Held Author")
    shadow = await sign_in(c, "priv-shadow", name="Quiet Shadow")
    reader = await sign_in(c, "priv-reader", name="Curious Reader")
    res = await c.patch(
        f"/api/v1/moderation/stories/{STORY}", json={"premoderate": True}, headers=mod
    )
    assert res.status_code == 200, res.text
    held_top = await post(c, author, PENDING_TEXT, story=STORY)
    held_reply = await post(
        c, author, PENDING_TEXT + " (reply)", story=STORY, parent_id=public["id"]
    )
    assert held_top["status"] == held_reply["status"] == "pending"
    res = await c.patch(
        f"/api/v1/moderation/stories/{STORY}", json={"premoderate": False}, headers=mod
    )
    shadow_id = (await _me(c, shadow))["id"]
    res = await c.post(f"/api/v1/moderation/users/{shadow_id}/shadowban", json={}, headers=mod)
    assert res.status_code == 200, res.text
    shadowed = await post(c, shadow, SHADOW_TEXT, story=STORY)
    assert shadowed["status"] == "published", "the shadow-banned author is not told"
    return {
        "public": public["id"],
        "hidden": [held_top["id"], held_reply["id"], shadowed["id"]],
        "author": author,
        "shadow": shadow,
        "reader": reader,
        "tokens": [h["Authorization"].split()[1] for h in (author, shadow, reader, mod, opener)],
    }


def _ids(page: dict) -> set[int]:
    out = set()
    for c in page["comments"]:
        out.add(c["id"])
        out |= {r["id"] for r in c.get("replies", [])}
    return out


async def test_others_never_see_held_or_shadowed_comments(app_client, scene) -> None:
    c = app_client
    for who in ({}, scene["reader"]):
        seen: set[int] = set()
        for sort in ("newest", "oldest", "most_liked"):
            res = await c.get(BASE, params={"sort": sort}, headers=who)
            assert res.status_code == 200
            seen |= _ids(res.json())
            assert PENDING_TEXT[:20] not in res.text and SHADOW_TEXT[:20] not in res.text
            assert res.json()["total"] == 1
        res = await c.get(f"/api/v1/comments/{scene['public']}/replies", headers=who)
        seen |= _ids(res.json())
        assert res.json()["total"] == 0
        assert seen == {scene["public"]}
        counts = await c.get("/api/v1/counts", params={"story_id": STORY}, headers=who)
        assert counts.json()["counts"][STORY] == 1
        for hidden in scene["hidden"]:
            res = await c.get(f"/api/v1/comments/{hidden}/replies", headers=who)
            assert res.status_code == 404


async def test_others_cannot_act_on_hidden_comments(app_client, scene) -> None:
    c, reader = app_client, scene["reader"]
    for hidden in scene["hidden"]:
        res = await c.put(f"/api/v1/comments/{hidden}/like", headers=reader)
        assert res.status_code == 404
        res = await c.post(
            f"/api/v1/comments/{hidden}/reports", json={"reason": "spam"}, headers=reader
        )
        assert res.status_code == 404
        res = await c.post(
            BASE, json={"body": "Replying to a ghost.", "parent_id": hidden}, headers=reader
        )
        assert res.status_code == 422
        assert res.json()["errors"][0]["field"] == "parent_id"
        for verb in ("patch", "delete"):
            res = await c.request(
                verb.upper(),
                f"/api/v1/comments/{hidden}",
                json={"body": "mine now"},
                headers=reader,
            )
            assert res.status_code in (403, 404)


async def test_authors_still_see_their_own_hidden_comments(app_client, scene) -> None:
    c = app_client
    mine = _ids((await c.get(BASE, headers=scene["author"])).json())
    assert set(scene["hidden"][:2]) <= mine | set(
        r["id"]
        for r in (
            await c.get(f"/api/v1/comments/{scene['public']}/replies", headers=scene["author"])
        ).json()["comments"]
    )
    assert scene["hidden"][2] in _ids((await c.get(BASE, headers=scene["shadow"])).json())


async def test_a_private_page_is_never_revalidated_for_someone_else(app_client, scene) -> None:
    c = app_client
    own = await c.get(BASE, headers=scene["author"])
    assert "private" in own.headers.get("cache-control", "") or "no-store" in own.headers.get(
        "cache-control", ""
    )
    etag = own.headers.get("etag")
    if etag:
        for who in ({}, scene["reader"]):
            res = await c.get(BASE, headers={**who, "If-None-Match": etag})
            assert res.status_code == 200
            assert PENDING_TEXT[:20] not in res.text


async def test_no_public_response_carries_an_email_or_a_session(app_client, scene) -> None:
    c = app_client
    texts = []
    for who in ({}, scene["reader"]):
        texts.append((await c.get(BASE, headers=who)).text)
        texts.append((await c.get(f"/api/v1/comments/{scene['public']}/replies", headers=who)).text)
        texts.append(
            (await c.get("/api/v1/names/check", params={"name": "Held Author"}, headers=who)).text
        )
    for text in texts:
        assert "@example.org" not in text
        for token in scene["tokens"]:
            assert token not in text
    me = await _me(c, scene["reader"])
    assert me["email"] == "priv-reader@example.org"
    assert "is_shadowbanned" not in me and "shadow" not in str(me)
    shadow_me = await _me(c, scene["shadow"])
    assert shadow_me["status"] == "active", "shadow-banned users are not told"

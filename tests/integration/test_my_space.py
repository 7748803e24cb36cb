"""A reader's own space: their comments across stories in every status, and muting."""

from __future__ import annotations

from tests.factories import make_staff, post, sign_in


async def _me(client, headers) -> dict:
    return (await client.get("/api/v1/me", headers=headers)).json()


async def test_my_comments_lists_every_status_across_stories_newest_first(app_client):
    from townhall.services.moderation import reject_comment

    ann = await sign_in(app_client, "ann", name="Ann Reader", premium=True)
    mod = await sign_in(app_client, "mo", name="Max Keeper")
    await make_staff(app_client, mod)
    first = await post(
        app_client, ann, "An opening point.", story="s-1", story_url="http://testserver/s-1"
    )
    await post(app_client, ann, "Premium view.", story="s-2", stream="premium")
    # Held for review: a third party's phone number.
    held = await app_client.post(
        "/api/v1/stories/s-2/comments",
        json={"body": "Ring her on 07911 123456 tonight"},
        headers=ann,
    )
    assert held.status_code == 201 and held.json()["status"] == "pending"
    gone = await post(app_client, ann, "I will take this back.", story="s-3")
    assert (
        await app_client.delete(f"/api/v1/comments/{gone['id']}", headers=ann)
    ).status_code == 204
    bad = await post(app_client, ann, "A remark a moderator will remove.", story="s-3")
    staff_id = (await _me(app_client, mod))["id"]  # a request: not while a read is held
    async with app_client.ctx.read() as tx:
        staff = await tx.users.by_id(staff_id)
    await reject_comment(app_client.ctx, staff, bad["id"], "off topic")
    res = await app_client.get("/api/v1/me/comments?limit=2", headers=ann)
    assert res.status_code == 200, res.text
    assert res.headers["cache-control"] == "no-store"
    seen = res.json()["comments"]
    cursor = res.json()["next_cursor"]
    while cursor:
        page = (
            await app_client.get(f"/api/v1/me/comments?limit=2&cursor={cursor}", headers=ann)
        ).json()
        seen += page["comments"]
        cursor = page["next_cursor"]
    assert [c["id"] for c in seen] == sorted((c["id"] for c in seen), reverse=True)
    by_status = {c["status"]: c for c in seen}
    assert set(by_status) == {"published", "pending", "rejected", "deleted"}
    assert len(seen) == 5
    assert by_status["rejected"]["moderation"] == {"guideline": "moderator", "reason": "off topic"}
    assert by_status["pending"]["moderation"]["guideline"] == "private_info"
    assert by_status["pending"]["moderation"]["reason"]
    assert by_status["deleted"]["body_html"] == "" and by_status["deleted"]["link"] is None
    opening = next(c for c in seen if c["id"] == first["id"])
    assert opening["link"] == f"http://testserver/s-1#comment-{first['id']}"
    assert opening["story"] == {"id": "s-1", "title": None, "url": "http://testserver/s-1"}
    assert {c["story"]["id"] for c in seen} == {"s-1", "s-2", "s-3"}
    assert {c["stream"] for c in seen} == {"open", "premium"}


async def test_my_comments_are_only_mine_and_need_a_session(app_client):
    ann = await sign_in(app_client, "ann", name="Ann Reader")
    bo = await sign_in(app_client, "bo", name="Bo Brennan")
    await post(app_client, ann, "Ann's point.")
    assert (await app_client.get("/api/v1/me/comments")).status_code == 401
    assert (await app_client.get("/api/v1/me/comments", headers=bo)).json()["comments"] == []
    res = await app_client.get("/api/v1/me/comments?cursor=not-a-cursor", headers=ann)
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "cursor"
    res = await app_client.get("/api/v1/me/comments?limit=0", headers=ann)
    assert res.status_code == 422


async def test_mute_is_listed_only_for_the_reader_and_is_idempotent(app_client):
    ann = await sign_in(app_client, "ann", name="Ann Reader")
    bo = await sign_in(app_client, "bo", name="Bo Brennan")
    bo_id = (await _me(app_client, bo))["id"]
    ann_id = (await _me(app_client, ann))["id"]
    for _ in range(2):
        res = await app_client.put(f"/api/v1/me/muted/{bo_id}", headers=ann)
        assert res.status_code == 200, res.text
        assert res.json() == {"id": bo_id, "name": "Bo Brennan", "muted": True}
    listed = (await app_client.get("/api/v1/me/muted", headers=ann)).json()["muted"]
    assert [(m["id"], m["name"]) for m in listed] == [(bo_id, "Bo Brennan")]
    # The muted reader cannot tell: their own list is empty, their view of Ann unchanged.
    assert (await app_client.get("/api/v1/me/muted", headers=bo)).json() == {"muted": []}
    c = await post(app_client, ann, "Ann writes.")
    page_for_bo = (await app_client.get("/api/v1/stories/story-1/comments", headers=bo)).json()
    anon = (await app_client.get("/api/v1/stories/story-1/comments")).json()
    assert page_for_bo["comments"][0]["author"] == anon["comments"][0]["author"]
    assert c["id"] == anon["comments"][0]["id"]
    assert (await app_client.delete(f"/api/v1/me/muted/{bo_id}", headers=ann)).status_code == 204
    assert (await app_client.delete(f"/api/v1/me/muted/{bo_id}", headers=ann)).status_code == 204
    assert (await app_client.get("/api/v1/me/muted", headers=ann)).json() == {"muted": []}
    res = await app_client.put(f"/api/v1/me/muted/{ann_id}", headers=ann)
    assert res.status_code == 422 and res.json()["errors"][0]["rule"] == "not-self"
    assert (await app_client.put("/api/v1/me/muted/999999", headers=ann)).status_code == 404
    assert (await app_client.put(f"/api/v1/me/muted/{bo_id}")).status_code == 401
    assert (await app_client.put("/api/v1/me/muted/0", headers=ann)).status_code == 422


async def test_is_muted_tells_notifications_to_stay_silent(app_client):
    from townhall.services.my_space import is_muted, muted_among

    ann = await sign_in(app_client, "ann", name="Ann Reader")
    bo = await sign_in(app_client, "bo", name="Bo Brennan")
    cy = await sign_in(app_client, "cy", name="Cy Reader")
    ids = {n: (await _me(app_client, h))["id"] for n, h in (("ann", ann), ("bo", bo), ("cy", cy))}
    await app_client.put(f"/api/v1/me/muted/{ids['bo']}", headers=ann)
    ctx = app_client.ctx
    assert await is_muted(ctx, reader_id=ids["ann"], author_id=ids["bo"])
    assert not await is_muted(ctx, reader_id=ids["bo"], author_id=ids["ann"])
    assert not await is_muted(ctx, reader_id=ids["cy"], author_id=ids["bo"])
    assert await muted_among(ctx, author_id=ids["bo"], reader_ids=[ids["ann"], ids["cy"]]) == {
        ids["ann"]
    }

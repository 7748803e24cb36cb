"""Comment API behaviour on the ASGI app, on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.factories import post, sign_in


async def test_unknown_story_reads_as_empty_list(app_client):
    res = await app_client.get("/api/v1/stories/never-seen/comments")
    assert res.status_code == 200
    data = res.json()
    assert data["comments"] == [] and data["total"] == 0 and data["next_cursor"] is None
    assert data["story"]["is_closed"] is False
    assert data["site"]["premium_label"].endswith("Premium")


async def test_posting_needs_a_commenting_name(app_client):
    headers = await sign_in(app_client, "u1")
    res = await app_client.post(
        "/api/v1/stories/s/comments", json={"body": "hello there"}, headers=headers
    )
    assert res.status_code == 403
    assert res.json()["code"] == "name-required"
    assert res.headers["content-type"] == "application/problem+json"


async def test_post_reply_like_and_read_back(app_client):
    alice = await sign_in(app_client, "alice", name="Alice")
    bob = await sign_in(app_client, "bob", name="Bob")
    top = await post(
        app_client,
        alice,
        "Housing policy needs a rethink.",
        story_url="https://news.example/a",
        story_title="A story",
    )
    assert top["status"] == "published" and top["is_mine"] and top["depth"] == 0
    reply = await post(app_client, bob, "I agree, mostly.", parent_id=top["id"])
    assert reply["depth"] == 1 and reply["in_reply_to"] == "Alice"
    res = await app_client.put(f"/api/v1/comments/{top['id']}/like", headers=bob)
    assert res.json() == {"like_count": 1, "liked_by_me": True}
    res = await app_client.put(f"/api/v1/comments/{top['id']}/like", headers=bob)
    assert res.json()["like_count"] == 1  # idempotent: one like per user
    res = await app_client.put(f"/api/v1/comments/{top['id']}/like", headers=alice)
    assert res.status_code == 403 and res.json()["code"] == "own-comment"

    page = (await app_client.get("/api/v1/stories/story-1/comments", headers=bob)).json()
    assert page["total"] == 2
    [c] = page["comments"]
    assert c["like_count"] == 1 and c["liked_by_me"] is True and c["reply_count"] == 1
    assert c["author"]["name"] == "Alice"
    assert [r["id"] for r in c["replies"]] == [reply["id"]]
    res = await app_client.delete(f"/api/v1/comments/{top['id']}/like", headers=bob)
    assert res.json() == {"like_count": 0, "liked_by_me": False}


async def test_body_is_stored_as_written_and_rendered_safely(app_client):
    alice = await sign_in(app_client, "alice", name="Alice")
    body = '<script>alert(1)</script>\n\nSee https://example.org/x?a=1&b=2 "quoted"'
    c = await post(app_client, alice, body)
    assert "<script>" not in c["body_html"]
    assert "&lt;script&gt;" in c["body_html"]
    assert 'rel="nofollow ugc noopener"' in c["body_html"]
    async with app_client.ctx.read() as tx:
        stored = await tx.comments.by_id("default", c["id"])
    assert stored.body == body


async def test_sort_orders(app_client):
    a = await sign_in(app_client, "a", name="Anna")
    b = await sign_in(app_client, "b", name="Ben")
    first = await post(app_client, a, "first comment here")
    second = await post(app_client, a, "second comment here")
    third = await post(app_client, a, "third comment here")
    await app_client.put(f"/api/v1/comments/{second['id']}/like", headers=b)

    async def ids(sort):
        res = await app_client.get(f"/api/v1/stories/story-1/comments?sort={sort}")
        return [c["id"] for c in res.json()["comments"]]

    assert await ids("newest") == [third["id"], second["id"], first["id"]]
    assert await ids("oldest") == [first["id"], second["id"], third["id"]]
    # most liked; ties newest first
    assert await ids("most_liked") == [second["id"], third["id"], first["id"]]


async def test_cursor_pagination_has_no_gaps_or_duplicates(app_client):
    a = await sign_in(app_client, "a", name="Anna")
    posted = [
        (await post(app_client, a, f"comment number {i} about trains"))["id"] for i in range(25)
    ]
    seen, cursor = [], None
    while True:
        url = "/api/v1/stories/story-1/comments?limit=7"
        if cursor:
            url += f"&cursor={cursor}"
        data = (await app_client.get(url)).json()
        seen += [c["id"] for c in data["comments"]]
        if len(seen) == 7:  # a new comment arrives mid-way: it must not shift later pages
            await post(app_client, a, "a late arrival on the thread")
        cursor = data["next_cursor"]
        if not cursor:
            break
    assert seen == list(reversed(posted))


async def test_premium_stream_refuses_non_premium_users(app_client):
    plain = await sign_in(app_client, "plain", name="Plain")
    res = await app_client.post(
        "/api/v1/stories/s/comments",
        json={"body": "premium words", "stream": "premium"},
        headers=plain,
    )
    assert res.status_code == 403
    assert res.json()["code"] == "premium-required"
    assert "learn_more_url" in res.json()
    rich = await sign_in(app_client, "rich", name="Subscriber", premium=True)
    c = await post(app_client, rich, "premium words", story="s", stream="premium")
    assert c["stream"] == "premium" and c["author"]["badge"] == "subscriber"
    page = (await app_client.get("/api/v1/stories/s/comments?stream=premium")).json()
    assert [x["id"] for x in page["comments"]] == [c["id"]]
    assert (await app_client.get("/api/v1/stories/s/comments")).json()["total"] == 0


async def test_delete_with_replies_leaves_a_tombstone_without_text(app_client):
    a = await sign_in(app_client, "a", name="Anna")
    b = await sign_in(app_client, "b", name="Ben")
    top = await post(app_client, a, "A secret-ish opinion")
    await post(app_client, b, "reply to it", parent_id=top["id"])
    lone = await post(app_client, a, "nobody replies to this")
    assert (await app_client.delete(f"/api/v1/comments/{top['id']}", headers=b)).status_code == 403
    assert (await app_client.delete(f"/api/v1/comments/{top['id']}", headers=a)).status_code == 204
    assert (await app_client.delete(f"/api/v1/comments/{lone['id']}", headers=a)).status_code == 204
    res = await app_client.get("/api/v1/stories/story-1/comments")
    assert "secret-ish" not in res.text
    [tomb] = res.json()["comments"]
    assert tomb["id"] == top["id"] and tomb["deleted"] and tomb["body_html"] == ""
    assert tomb["author"] is None and len(tomb["replies"]) == 1
    async with app_client.ctx.read() as tx:
        entries = await tx.audit.list("default", action="comment.delete")
    assert {e["target_id"] for e in entries} == {str(top["id"]), str(lone["id"])}
    assert all(e["actor_name"] == "Anna" for e in entries)


async def test_reports_once_and_threshold_hides(app_client):
    author = await sign_in(app_client, "author", name="Author")
    c = await post(app_client, author, "a contested opinion")
    reporters = [await sign_in(app_client, f"r{i}", name=f"Reader{i}") for i in range(3)]
    res = await app_client.post(
        f"/api/v1/comments/{c['id']}/reports",
        json={"reason": "abuse", "note": "rude"},
        headers=reporters[0],
    )
    assert res.status_code == 201
    res = await app_client.post(
        f"/api/v1/comments/{c['id']}/reports", json={"reason": "abuse"}, headers=reporters[0]
    )
    assert res.status_code == 409 and res.json()["code"] == "already-reported"
    res = await app_client.post(
        f"/api/v1/comments/{c['id']}/reports", json={"reason": "spam"}, headers=author
    )
    assert res.status_code == 403
    for h in reporters[1:]:
        assert (
            await app_client.post(
                f"/api/v1/comments/{c['id']}/reports", json={"reason": "other"}, headers=h
            )
        ).status_code == 201
    public = (await app_client.get("/api/v1/stories/story-1/comments")).json()
    assert public["comments"] == []
    own = (await app_client.get("/api/v1/stories/story-1/comments", headers=author)).json()
    assert own["comments"][0]["status"] == "pending"


async def test_counts_for_many_stories(app_client):
    a = await sign_in(app_client, "a", name="Anna")
    await post(app_client, a, "one", story="x")
    await post(app_client, a, "two", story="x")
    await post(app_client, a, "three", story="y")
    res = await app_client.get("/api/v1/counts?story_id=x&story_id=y&story_id=z")
    assert res.json() == {"counts": {"x": 2, "y": 1, "z": 0}}


async def test_edit_within_window_marks_edited_and_refuses_others(app_client):
    a = await sign_in(app_client, "a", name="Anna")
    b = await sign_in(app_client, "b", name="Ben")
    c = await post(app_client, a, "first version")
    res = await app_client.patch(
        f"/api/v1/comments/{c['id']}", json={"body": "second version"}, headers=b
    )
    assert res.status_code == 403
    res = await app_client.patch(
        f"/api/v1/comments/{c['id']}", json={"body": "second version"}, headers=a
    )
    assert res.status_code == 200
    assert res.json()["edited"] is True and "second version" in res.json()["body_html"]


async def test_etag_answers_304_for_repeat_readers(app_client):
    a = await sign_in(app_client, "a", name="Anna")
    await post(app_client, a, "cache me")
    first = await app_client.get("/api/v1/stories/story-1/comments")
    tag = first.headers["etag"]
    again = await app_client.get("/api/v1/stories/story-1/comments", headers={"If-None-Match": tag})
    assert again.status_code == 304
    await post(app_client, a, "a new one changes the page")
    changed = await app_client.get(
        "/api/v1/stories/story-1/comments", headers={"If-None-Match": tag}
    )
    assert changed.status_code == 200

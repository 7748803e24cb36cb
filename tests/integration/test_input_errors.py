"""Bad input gets a clear 4xx problem and loses nothing."""

from __future__ import annotations

from tests.factories import post, sign_in


async def test_malformed_json_is_400(app_client):
    headers = await sign_in(app_client, "a", name="Anna")
    res = await app_client.post(
        "/api/v1/stories/s/comments",
        content=b'{"body": "x"',
        headers={**headers, "Content-Type": "application/json"},
    )
    assert res.status_code == 400
    assert res.json()["code"] == "malformed-json"
    assert res.headers["content-type"] == "application/problem+json"


async def test_unknown_fields_are_refused_naming_the_field(app_client):
    headers = await sign_in(app_client, "a", name="Anna")
    res = await app_client.post(
        "/api/v1/stories/s/comments", json={"body": "hello", "status": "published"}, headers=headers
    )
    assert res.status_code == 422
    assert res.json()["errors"][0]["field"] == "status"
    assert res.json()["errors"][0]["rule"] == "extra-forbidden"


async def test_oversized_request_body_is_413(app_client):
    headers = await sign_in(app_client, "a", name="Anna")
    res = await app_client.post(
        "/api/v1/stories/s/comments", json={"body": "x" * 200_000}, headers=headers
    )
    assert res.status_code == 413


async def test_body_over_the_site_limit_is_422_and_nothing_is_written(app_client):
    headers = await sign_in(app_client, "a", name="Anna")
    res = await app_client.post(
        "/api/v1/stories/s/comments", json={"body": "y" * 5001}, headers=headers
    )
    assert res.status_code == 422
    assert res.json()["errors"][0] == {
        "field": "body",
        "rule": "max-length",
        "message": res.json()["errors"][0]["message"],
    }
    page = await app_client.get("/api/v1/stories/s/comments")
    assert page.json()["total"] == 0


async def test_blank_body_and_bad_enums(app_client):
    headers = await sign_in(app_client, "a", name="Anna")
    res = await app_client.post("/api/v1/stories/s/comments", json={"body": "   "}, headers=headers)
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "body"
    res = await app_client.get("/api/v1/stories/s/comments?sort=loudest")
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "sort"
    res = await app_client.get("/api/v1/stories/s/comments?cursor=%%%")
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "cursor"
    res = await app_client.get("/api/v1/stories/s/comments?limit=1000")
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "limit"


async def test_others_comments_cannot_be_edited_or_deleted(app_client):
    a = await sign_in(app_client, "a", name="Anna")
    b = await sign_in(app_client, "b", name="Ben")
    c = await post(app_client, a, "mine alone")
    assert (
        await app_client.patch(f"/api/v1/comments/{c['id']}", json={"body": "hijack"}, headers=b)
    ).status_code == 403
    assert (await app_client.delete(f"/api/v1/comments/{c['id']}", headers=b)).status_code == 403
    assert (await app_client.delete("/api/v1/comments/999999", headers=b)).status_code == 404


async def test_reply_to_a_missing_parent_is_refused(app_client):
    a = await sign_in(app_client, "a", name="Anna")
    res = await app_client.post(
        "/api/v1/stories/s/comments", json={"body": "hi", "parent_id": 424242}, headers=a
    )
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "parent_id"


async def test_closed_story_refuses_writes_but_reads(app_client):
    a = await sign_in(app_client, "a", name="Anna")
    b = await sign_in(app_client, "b", name="Ben")
    c = await post(app_client, a, "before closing", story="closing")
    async with app_client.ctx.write() as tx:
        story = await tx.stories.by_key("default", "closing")
        await tx.stories.update(story.id, is_closed=True)
    res = await app_client.post(
        "/api/v1/stories/closing/comments", json={"body": "late"}, headers=b
    )
    assert res.status_code == 409 and res.json()["code"] == "story-closed"
    page = (await app_client.get("/api/v1/stories/closing/comments")).json()
    assert page["story"]["is_closed"] is True and page["comments"][0]["id"] == c["id"]


async def test_story_closes_automatically_after_n_days(app_client):
    from datetime import timedelta

    a = await sign_in(app_client, "a", name="Anna")
    await post(app_client, a, "early bird", story="old")
    async with app_client.ctx.write() as tx:
        story = await tx.stories.by_key("default", "old")
        await tx.stories.update(
            story.id, auto_close_days=2, created_at=story.created_at - timedelta(days=3)
        )
    res = await app_client.post(
        "/api/v1/stories/old/comments", json={"body": "too late"}, headers=a
    )
    assert res.status_code == 409


def _cursor(*values) -> str:
    import base64
    import json

    raw = json.dumps(list(values)).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


async def test_values_wider_than_64_bits_are_refused_not_crashed_on(app_client):
    """A cursor, id or filter above 2**63 is a 422 naming the field, on public and
    moderation endpoints alike (it used to reach the database and answer 500)."""
    from tests.factories import make_staff

    huge = 2**64
    ann = await sign_in(app_client, "wide-ann", name="Ann Wide")
    mod = await sign_in(app_client, "wide-mod", name="Moira Wide")
    await make_staff(app_client, mod)
    top = await post(app_client, ann, "Something to page past.")
    when = "2026-01-01T00:00:00+00:00"
    cases = [
        (f"/api/v1/stories/story-1/comments?cursor={_cursor(when, huge)}", {}, "cursor"),
        (f"/api/v1/stories/story-1/comments?cursor={_cursor(when, huge)}", ann, "cursor"),
        (
            f"/api/v1/stories/story-1/comments?sort=most_liked&cursor={_cursor(huge, when, 1)}",
            {},
            "cursor",
        ),
        (f"/api/v1/comments/{top['id']}/replies?cursor={_cursor(when, huge)}", {}, "cursor"),
        (f"/api/v1/comments/{huge}/replies", {}, "comment_id"),
        (f"/api/v1/moderation/queue?user_id={huge}", mod, "user_id"),
        (f"/api/v1/moderation/counts?user_id={huge}", mod, "user_id"),
        (f"/api/v1/moderation/queue?cursor={_cursor(when, huge)}", mod, "cursor"),
        (f"/api/v1/moderation/audit?actor_id={huge}", mod, "actor_id"),
        (f"/api/v1/moderation/audit.csv?actor_id={huge}", mod, "actor_id"),
        (f"/api/v1/moderation/users/{huge}", mod, "user_id"),
        (f"/api/v1/moderation/users/1?cursor={_cursor(when, huge)}", mod, "cursor"),
    ]
    for url, headers, field in cases:
        res = await app_client.get(url, headers=headers)
        assert res.status_code == 422, (url, res.status_code, res.text)
        assert res.json()["errors"][0]["field"] == field, (url, res.text)


async def test_unknown_and_repeated_query_parameters_are_refused_and_never_cached(app_client):
    """A parameter the endpoint does not know, or one given twice, is a 422 naming it;
    the answer to a different question is never kept under that URL."""
    ann = await sign_in(app_client, "q-ann", name="Ann Query")
    await post(app_client, ann, "Listed once.", story="q")
    page = "/api/v1/stories/q/comments"
    cases = [
        (page + "?sotr=oldest", "sotr", "extra-forbidden"),
        (page + "?limit=5&limit=6", "limit", "repeated"),
        ("/api/v1/comments/1/replies?limit=1&limit=2", "limit", "repeated"),
        ("/api/v1/counts?story_id=q&callback=x", "callback", "extra-forbidden"),
        ("/api/v1/stories/q/events?stream=open&stream=premium", "stream", "repeated"),
    ]
    for _ in range(2):  # the second time would come from the cache, if anything was kept
        for url, field, rule in cases:
            res = await app_client.get(url)
            assert res.status_code == 422, (url, res.text)
            assert res.json()["errors"][0] == {
                "field": field,
                "rule": rule,
                "message": res.json()["errors"][0]["message"],
            }, url
    assert len(app_client.ctx.cache) == 0


async def test_a_report_without_a_chosen_reason_is_refused_naming_the_field(app_client):
    author = await sign_in(app_client, "a", name="Anna")
    reader = await sign_in(app_client, "b", name="Bert")
    c = await post(app_client, author)
    for payload in ({}, {"note": "no reason picked"}, {"reason": ""}):
        res = await app_client.post(
            f"/api/v1/comments/{c['id']}/reports", json=payload, headers=reader
        )
        assert res.status_code == 422, payload
        assert res.json()["errors"][0]["field"] == "reason"
    page = await app_client.get("/api/v1/stories/story-1/comments", headers=reader)
    assert page.json()["comments"][0]["reported_by_me"] is False

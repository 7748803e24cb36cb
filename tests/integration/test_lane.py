"""The lane is the one implementation of pages, threads, counts, posting and live events:
FastAPI's routes for them only document, and every answer matches that documentation."""

from __future__ import annotations

import asyncio
from typing import Any

import jsonschema_rs
import pytest

from tests.factories import post, sign_in
from tests.integration.sse_helpers import AsgiStream
from townhall.api.lane import Lane
from townhall.api.params import COMMENT_REPLIES, COUNTS, STORY_COMMENTS, STORY_EVENTS, Template

LANE = [
    ("GET", Template(STORY_COMMENTS)),
    ("GET", Template(COMMENT_REPLIES)),
    ("GET", Template(COUNTS)),
    ("POST", Template(STORY_COMMENTS)),
    ("GET", Template(STORY_EVENTS)),
]


def _lane_of(app) -> Lane:
    layer = app.middleware_stack
    while not isinstance(layer, Lane):
        layer = layer.app
    return layer


class Recorder:
    """Stands between the lane and FastAPI, noting every request that goes on."""

    def __init__(self, app) -> None:
        self.app = app
        self.seen: list[tuple[str, str]] = []

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            self.seen.append((scope["method"], scope["path"]))
        await self.app(scope, receive, send)


def _is_lane_request(method: str, path: str) -> bool:
    return any(m == method and t.match(path) is not None for m, t in LANE)


async def test_lane_endpoints_never_reach_fastapi_whatever_the_request(app_client):
    c = app_client
    await c.get("/api/v1/counts?story_id=warm-up")  # builds the middleware stack
    lane = _lane_of(c.app)
    recorder = lane.app = Recorder(lane.app)
    ann = await sign_in(c, "lane-ann", name="Ann Lane")
    top = await post(c, ann, "A comment to read back.", story="lane/story")
    page = "/api/v1/stories/lane%2Fstory/comments"
    replies = f"/api/v1/comments/{top['id']}/replies"
    statuses = set()
    for headers in ({}, ann, {"Authorization": "Bearer unknown"}, {"Authorization": "Basic x"}):
        for url in (
            page,
            page + "?sort=oldest&limit=5",
            page + "?limit=0",
            page + "?limit=5&limit=6",
            page + "?sort=loudest",
            page + "?unknown=1",
            page + "?cursor=" + "x" * 300,
            page + "?cursor=WzAsIjIwMjYtMDEtMDFUMDA6MDA6MDArMDA6MDAiLDk5OTk5OTk5OTk5OTk5OTk5OTk5XQ",
            f"/api/v1/stories/{'y' * 256}/comments",
            replies,
            replies + "?limit=1000",
            "/api/v1/comments/99999999999999999999/replies",
            "/api/v1/comments/abc/replies",
            "/api/v1/comments/424242/replies",
            "/api/v1/counts?story_id=lane/story",
            "/api/v1/counts",
            "/api/v1/counts?" + "&".join(f"story_id={i}" for i in range(101)),
            "/api/v1/stories/lane%2Fstory/events?stream=loud",
            "/api/v1/stories/lane%2Fstory/events?last_event_id=x",
        ):
            res = await c.get(url, headers=headers)
            statuses.add(res.status_code)
            assert res.status_code < 500, (url, res.text)
        first = await c.get(page, headers=headers)
        if first.status_code == 200:
            again = await c.get(page, headers={**headers, "If-None-Match": first.headers["etag"]})
            assert again.status_code == 304
            statuses.add(again.status_code)
        for body, ctype in (
            (b'{"body": "Posted through the lane."}', "application/json"),
            (b'{"body": "x"', "application/json"),
            (b'{"body": "hi", "status": "published"}', "application/json"),
            (b"", "application/json"),
            (b'{"body": "hi"}', "text/plain"),
        ):
            res = await c.post(page, content=body, headers={**headers, "Content-Type": ctype})
            statuses.add(res.status_code)
            assert res.status_code < 500, res.text
    async with AsgiStream(c.app, "/api/v1/stories/lane%2Fstory/events") as stream:
        assert stream.status == 200
    assert {200, 201, 304, 400, 401, 404, 422} <= statuses
    reached = [seen for seen in recorder.seen if _is_lane_request(*seen)]
    assert reached == []
    # Other routes still go through FastAPI.
    await c.get("/api/v1/me", headers=ann)
    assert ("GET", "/api/v1/me") in recorder.seen


async def test_the_documentation_stubs_refuse_to_serve(app_client):
    from townhall.api.routes import live, public

    with pytest.raises(public.LaneOnly):
        await public.list_comments("x", None)  # type: ignore[arg-type]
    with pytest.raises(public.LaneOnly):
        await live.story_events("x", None)  # type: ignore[arg-type]


def _validator(doc: dict[str, Any], path: str, method: str, status: int):
    content = doc["paths"][path][method]["responses"][str(status)]["content"]
    schema = next(v["schema"] for v in content.values() if "schema" in v)
    return jsonschema_rs.validator_for({**schema, "components": doc["components"]})


async def test_lane_answers_validate_against_the_openapi_response_schemas(app_client):
    c = app_client
    doc = (await c.get("/api/openapi.json")).json()
    page_doc = "/api/v1/stories/{story_id}/comments"
    assert page_doc in doc["paths"], sorted(doc["paths"])
    ann = await sign_in(c, "schema-ann", name="Ann Schema")
    bob = await sign_in(c, "schema-bob", name="Bob Schema")
    top = await post(c, ann, "Top of the thread.", story="schema/story")
    await post(c, bob, "A reply below it.", story="schema/story", parent_id=top["id"])
    res = await c.post(
        "/api/v1/stories/schema%2Fstory/comments",
        json={"body": "You are a pathetic idiot and a moron, nobody wants you here."},
        headers=ann,
    )
    assert res.status_code == 201 and res.json()["status"] == "pending"
    checks = [
        (res, page_doc, "post", 201),
        (await c.get("/api/v1/stories/schema%2Fstory/comments"), page_doc, "get", 200),
        (
            await c.get("/api/v1/stories/schema%2Fstory/comments?limit=1", headers=ann),
            page_doc,
            "get",
            200,
        ),
        (
            await c.get(f"/api/v1/comments/{top['id']}/replies"),
            "/api/v1/comments/{comment_id}/replies",
            "get",
            200,
        ),
        (
            await c.get("/api/v1/counts?story_id=schema/story&story_id=none"),
            "/api/v1/counts",
            "get",
            200,
        ),
        (await c.get("/api/v1/stories/schema%2Fstory/comments?limit=0"), page_doc, "get", 422),
        (
            await c.get("/api/v1/comments/1/replies", headers={"Authorization": "Bearer nope"}),
            "/api/v1/comments/{comment_id}/replies",
            "get",
            401,
        ),
        (
            await c.post("/api/v1/stories/schema%2Fstory/comments", json={"body": "x"}),
            page_doc,
            "post",
            401,
        ),
    ]
    for res, path, method, status in checks:
        assert res.status_code == status, res.text
        errors = [e.message for e in _validator(doc, path, method, status).iter_errors(res.json())]
        assert errors == [], (path, method, status, errors)


async def test_concurrent_anonymous_misses_render_once_and_share(app_client):
    c = app_client
    ann = await sign_in(c, "once-ann", name="Ann Once")
    await post(c, ann, "Read by a crowd.", story="crowd")
    results = await asyncio.gather(*(c.get("/api/v1/stories/crowd/comments") for _ in range(20)))
    assert {r.status_code for r in results} == {200}
    assert len({r.content for r in results}) == 1

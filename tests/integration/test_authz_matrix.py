"""Every moderation and admin route called as anonymous, commenter, moderator and admin."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest

from tests.factories import make_staff, post, sign_in

TOXIC = "You are a pathetic idiot and a moron, nobody wants you here."
ROLES = ("anonymous", "commenter", "moderator", "admin")
STAFF = {"anonymous": 401, "commenter": 403, "moderator": 200, "admin": 200}
ADMIN = {"anonymous": 401, "commenter": 403, "moderator": 403, "admin": 200}
PUBLIC = dict.fromkeys(ROLES, 200)
_seq = itertools.count()


@dataclass
class World:
    """Signed-in headers and ids per role, plus a helper that makes fresh targets."""

    client: object
    headers: dict[str, dict[str, str]]
    ids: dict[str, int]

    async def held_comment(self) -> int:
        """A new pending comment by a new commenter."""
        who = await sign_in(self.client, f"author{next(_seq)}", name=f"Author{next(_seq)}")
        return (await post(self.client, who, TOXIC, story="matrix"))["id"]

    async def public_comment(self) -> int:
        """A new published comment by a new commenter."""
        who = await sign_in(self.client, f"author{next(_seq)}", name=f"Author{next(_seq)}")
        return (await post(self.client, who, "A fair point.", story="matrix"))["id"]

    async def commenter_id(self) -> int:
        """A new commenter's id."""
        who = await sign_in(self.client, f"target{next(_seq)}", name=f"Target{next(_seq)}")
        return (await self.client.get("/api/v1/me", headers=who)).json()["id"]


Call = Callable[[World], Awaitable[tuple[str, str, dict | None]]]


async def _c(w, verb):
    return "POST", f"/api/v1/moderation/comments/{await w.held_comment()}/{verb}"


async def _feature(w, method):
    path = f"/api/v1/moderation/comments/{await w.public_comment()}/feature"
    return method, path, {"note": "Worth reading"} if method == "POST" else None


async def _expert(w, method):
    return method, f"/api/v1/moderation/users/{await w.commenter_id()}/expert", None


async def _u(w, verb):
    return "POST", f"/api/v1/moderation/users/{await w.commenter_id()}/{verb}"


ROUTES: dict[tuple[str, str], tuple[Call, dict[str, int], str | None]] = {
    ("GET", "/api/v1/moderation/queue"): (
        lambda w: _ret("GET", "/api/v1/moderation/queue?queue=pending", None),
        STAFF,
        None,
    ),
    ("GET", "/api/v1/moderation/counts"): (
        lambda w: _ret("GET", "/api/v1/moderation/counts", None),
        STAFF,
        None,
    ),
    ("POST", "/api/v1/moderation/comments/{comment_id}/approve"): (
        lambda w: _with(_c(w, "approve"), None),
        STAFF,
        "comment.approve",
    ),
    ("POST", "/api/v1/moderation/comments/{comment_id}/reject"): (
        lambda w: _with(_c(w, "reject"), {"reason": "abuse"}),
        STAFF,
        "comment.reject",
    ),
    ("POST", "/api/v1/moderation/comments/{comment_id}/feature"): (
        lambda w: _feature(w, "POST"),
        STAFF,
        "comment.feature",
    ),
    ("DELETE", "/api/v1/moderation/comments/{comment_id}/feature"): (
        lambda w: _feature(w, "DELETE"),
        STAFF,
        None,
    ),
    ("POST", "/api/v1/moderation/comments/bulk"): (
        lambda w: _bulk(w),
        STAFF,
        "comment.approve",
    ),
    ("POST", "/api/v1/moderation/users/{user_id}/ban"): (
        lambda w: _with(_u(w, "ban"), {"reason": "abuse"}),
        STAFF,
        "user.ban",
    ),
    ("POST", "/api/v1/moderation/users/{user_id}/suspend"): (
        lambda w: _with(_u(w, "suspend"), {"hours": 3}),
        STAFF,
        "user.suspend",
    ),
    ("POST", "/api/v1/moderation/users/{user_id}/shadowban"): (
        lambda w: _with(_u(w, "shadowban"), None),
        STAFF,
        "user.shadowban",
    ),
    ("POST", "/api/v1/moderation/users/{user_id}/restore"): (
        lambda w: _with(_u(w, "restore"), None),
        STAFF,
        "user.restore",
    ),
    ("PUT", "/api/v1/moderation/users/{user_id}/expert"): (
        lambda w: _expert(w, "PUT"),
        STAFF,
        "user.expert",
    ),
    ("DELETE", "/api/v1/moderation/users/{user_id}/expert"): (
        lambda w: _expert(w, "DELETE"),
        STAFF,
        None,
    ),
    ("POST", "/api/v1/moderation/users/{user_id}/erase"): (
        lambda w: _with(_u(w, "erase"), {"comments": "delete"}),
        STAFF,
        "user.erase",
    ),
    ("GET", "/api/v1/moderation/users"): (
        lambda w: _ret("GET", "/api/v1/moderation/users?q=a", None),
        STAFF,
        None,
    ),
    ("GET", "/api/v1/moderation/users/{user_id}"): (
        lambda w: _user_path(w, "GET", None),
        STAFF,
        None,
    ),
    ("PATCH", "/api/v1/moderation/users/{user_id}"): (
        lambda w: _user_path(w, "PATCH", {"premium": True}),
        ADMIN,
        "user.update",
    ),
    ("GET", "/api/v1/moderation/stories"): (
        lambda w: _ret("GET", "/api/v1/moderation/stories", None),
        STAFF,
        None,
    ),
    ("GET", "/api/v1/moderation/stories/{story_id}"): (
        lambda w: _ret("GET", "/api/v1/moderation/stories/matrix", None),
        STAFF,
        None,
    ),
    ("PATCH", "/api/v1/moderation/stories/{story_id}"): (
        lambda w: _ret("PATCH", "/api/v1/moderation/stories/matrix", {"premoderate": True}),
        STAFF,
        "story.settings",
    ),
    ("GET", "/api/v1/moderation/precision"): (
        lambda w: _ret("GET", "/api/v1/moderation/precision?days=30", None),
        STAFF,
        None,
    ),
    ("GET", "/api/v1/moderation/audit"): (
        lambda w: _ret("GET", "/api/v1/moderation/audit", None),
        STAFF,
        None,
    ),
    ("GET", "/api/v1/moderation/audit.csv"): (
        lambda w: _ret("GET", "/api/v1/moderation/audit.csv", None),
        STAFF,
        None,
    ),
    ("GET", "/api/v1/admin/site"): (
        lambda w: _ret("GET", "/api/v1/admin/site", None),
        ADMIN,
        None,
    ),
    ("PATCH", "/api/v1/admin/site"): (
        lambda w: _ret("PATCH", "/api/v1/admin/site", {"report_threshold": 4}),
        ADMIN,
        "site.settings",
    ),
    ("POST", "/api/v1/admin/site/sso-secret"): (
        lambda w: _ret("POST", "/api/v1/admin/site/sso-secret", None),
        ADMIN,
        "site.sso_secret_rotated",
    ),
    ("POST", "/api/v1/admin/site/sso-secret/revoke-previous"): (
        lambda w: _after_rotation(w, "POST", "/api/v1/admin/site/sso-secret/revoke-previous"),
        ADMIN,
        "site.sso_secret_revoked",
    ),
    ("GET", "/admin"): (lambda w: _ret("GET", "/admin", None), PUBLIC, None),
}


async def _ret(method, path, body):
    return method, path, body


async def _after_rotation(w, method, path):
    """Rotate as the admin first, so there is a previous secret to revoke."""
    res = await w.client.post("/api/v1/admin/site/sso-secret", headers=w.headers["admin"])
    assert res.status_code == 200, res.text
    return method, path, None


async def _with(pending, body):
    method, path = await pending
    return method, path, body


async def _bulk(w):
    ids = [await w.held_comment(), await w.held_comment()]
    return "POST", "/api/v1/moderation/comments/bulk", {"ids": ids, "action": "approve"}


async def _user_path(w, method, body):
    return method, f"/api/v1/moderation/users/{await w.commenter_id()}", body


@pytest.fixture
async def world(app_client) -> World:
    """One signed-in user per role, and a story to act on."""
    headers = {"anonymous": {}}
    ids = {}
    for role, name in (("commenter", "Casey"), ("moderator", "Helen Ward"), ("admin", "Vik")):
        h = await sign_in(app_client, f"{role}-1", name=name)
        if role != "commenter":
            await make_staff(app_client, h, role)
        headers[role] = h
        ids[role] = (await app_client.get("/api/v1/me", headers=h)).json()["id"]
    author = await sign_in(app_client, "story-author", name="Storyteller")
    await post(app_client, author, "Opening the story.", story="matrix")
    return World(app_client, headers, ids)


def test_the_matrix_lists_every_moderation_and_admin_route():
    from fastapi import FastAPI

    from townhall.api.routes import moderation

    app = FastAPI()
    app.include_router(moderation.router)
    found = {
        (method.upper(), path) for path, ops in app.openapi()["paths"].items() for method in ops
    }
    assert found | {("GET", "/admin")} == set(ROUTES)


async def test_the_served_openapi_documents_every_route_with_schemas(sqlite_client):
    doc = (await sqlite_client.get("/api/openapi.json")).json()
    for method, path in ROUTES:
        if path == "/admin":
            continue
        op = doc["paths"][path][method.lower()]
        assert op["tags"][0] in ("moderation", "admin") and op["summary"]
        assert "401" in op["responses"] and "403" in op["responses"]
    queue = doc["paths"]["/api/v1/moderation/queue"]["get"]
    assert {p["name"] for p in queue["parameters"]} >= {"queue", "story_id", "sort", "cursor"}
    body = doc["paths"]["/api/v1/moderation/comments/{comment_id}/reject"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"]["$ref"].endswith("/RejectIn")


@pytest.mark.parametrize("route", list(ROUTES), ids=lambda r: f"{r[0]} {r[1]}")
async def test_route_answers_each_role_as_expected(world, route):
    make, expected, action = ROUTES[route]
    for role in ROLES:
        method, path, body = await make(world)
        res = await world.client.request(method, path, json=body, headers=world.headers[role])
        assert res.status_code == expected[role], (role, method, path, res.text)
        if res.status_code >= 400:
            assert res.headers["content-type"] == "application/problem+json"
            assert res.json()["code"] == {401: "unauthenticated", 403: "forbidden"}[res.status_code]
    if action is None:
        return
    admin = world.headers["admin"]
    res = await world.client.get(f"/api/v1/moderation/audit?action={action}", headers=admin)
    actors = {e["actor_id"] for e in res.json()["entries"]}
    allowed = {role for role in ("moderator", "admin") if expected[role] == 200}
    assert actors == {world.ids[role] for role in allowed}

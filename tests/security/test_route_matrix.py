"""Every route of the app, called as every role over real HTTP, answers as the table says.

The routes are read from the app itself, so a new route without a row here fails the
suite until someone decides who may call it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

import httpx
import pytest
from starlette.routing import Mount

from tests.reliability.clients import plain_body
from tests.reliability.server import Server, fresh_database
from tests.security.world import HELD_STORY, ROLES, STORY, World, build_world, create_admin

_n = itertools.count()


def _everyone(code: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, code)


def _members(ok: int, *, blocked: int = 403) -> dict[str, int]:
    return {
        "anonymous": 401,
        "commenter": ok,
        "premium": ok,
        "suspended": blocked,
        "banned": blocked,
        "moderator": ok,
        "admin": ok,
    }


def _signed_in(ok: int) -> dict[str, int]:
    return {**_everyone(ok), "anonymous": 401}


STAFF = {**_members(403), "moderator": 200, "admin": 200}
ADMIN = {**STAFF, "moderator": 403}
STAFF_ONLY_DELETE = {**_members(403), "moderator": 204, "admin": 204}

Request = tuple[str, str, dict | None]
Make = Callable[[World, str], Request]


def _get(path: str) -> Make:
    return lambda w, role: ("GET", path, None)


def _next() -> int:
    return next(_n)


def _user_action(verb: str, body: dict | None) -> Make:
    return lambda w, r: ("POST", f"/api/v1/moderation/users/{w.new_commenter()}/{verb}", body)


ROUTES: dict[tuple[str, str], tuple[Make, dict[str, int]]] = {
    ("GET", "/api/openapi.json"): (_get("/api/openapi.json"), _everyone(200)),
    ("GET", "/api/docs"): (_get("/api/docs"), _everyone(200)),
    ("GET", "/docs/oauth2-redirect"): (_get("/docs/oauth2-redirect"), _everyone(200)),
    ("GET", "/embed.js"): (_get("/embed.js"), _everyone(200)),
    ("GET", "/healthz"): (_get("/healthz"), _everyone(200)),
    ("GET", "/readyz"): (_get("/readyz"), _everyone(200)),
    ("GET", "/metrics"): (_get("/metrics"), _everyone(200)),
    ("GET", "/admin"): (_get("/admin"), _everyone(200)),
    ("GET", "/admin/"): (_get("/admin/"), _everyone(200)),
    ("GET", "/admin/assets/{name}"): (_get("/admin/assets/app.js"), _everyone(200)),
    ("GET", "/api/v1/stories/{story_id}/comments"): (
        _get(f"/api/v1/stories/{STORY}/comments"),
        _everyone(200),
    ),
    ("GET", "/api/v1/comments/{comment_id}/replies"): (
        lambda w, r: ("GET", f"/api/v1/comments/{w.comment()}/replies", None),
        _everyone(200),
    ),
    ("GET", "/api/v1/counts"): (_get(f"/api/v1/counts?story_id={STORY}"), _everyone(200)),
    ("GET", "/api/v1/stories/{story_id}/featured"): (
        _get(f"/api/v1/stories/{STORY}/featured"),
        _everyone(200),
    ),
    ("GET", "/stories/{story_id}/comments.html"): (
        _get(f"/stories/{STORY}/comments.html"),
        _everyone(200),
    ),
    ("POST", "/api/v1/moderation/comments/{comment_id}/feature"): (
        lambda w, r: (
            "POST",
            f"/api/v1/moderation/comments/{w.comment()}/feature",
            {"note": "Worth reading"},
        ),
        STAFF,
    ),
    ("DELETE", "/api/v1/moderation/comments/{comment_id}/feature"): (
        lambda w, r: ("DELETE", f"/api/v1/moderation/comments/{w.comment()}/feature", None),
        STAFF,
    ),
    ("PUT", "/api/v1/moderation/users/{user_id}/expert"): (
        lambda w, r: ("PUT", f"/api/v1/moderation/users/{w.new_commenter()}/expert", None),
        STAFF,
    ),
    ("DELETE", "/api/v1/moderation/users/{user_id}/expert"): (
        lambda w, r: ("DELETE", f"/api/v1/moderation/users/{w.new_commenter()}/expert", None),
        STAFF,
    ),
    ("GET", "/api/v1/stories/{story_id}/events"): (
        _get(f"/api/v1/stories/{STORY}/events"),
        _everyone(200),
    ),
    ("POST", "/api/v1/stories/{story_id}/comments"): (
        lambda w, r: (
            "POST",
            f"/api/v1/stories/{STORY}/comments",
            {"body": plain_body("matrix")},
        ),
        _members(201),
    ),
    ("POST", "/api/v1/comments/check"): (
        lambda w, r: ("POST", "/api/v1/comments/check", {"story_id": STORY, "body": "A draft"}),
        _members(200),
    ),
    ("PATCH", "/api/v1/comments/{comment_id}"): (
        lambda w, r: ("PATCH", f"/api/v1/comments/{w.comment()}", {"body": "Rewritten by you"}),
        _members(403),
    ),
    ("DELETE", "/api/v1/comments/{comment_id}"): (
        lambda w, r: ("DELETE", f"/api/v1/comments/{w.comment()}", None),
        STAFF_ONLY_DELETE,
    ),
    ("PUT", "/api/v1/comments/{comment_id}/like"): (
        lambda w, r: ("PUT", f"/api/v1/comments/{w.comment()}/like", None),
        _members(200),
    ),
    ("DELETE", "/api/v1/comments/{comment_id}/like"): (
        lambda w, r: ("DELETE", f"/api/v1/comments/{w.comment()}/like", None),
        _members(200),
    ),
    ("POST", "/api/v1/comments/{comment_id}/reports"): (
        lambda w, r: (
            "POST",
            f"/api/v1/comments/{w.comment()}/reports",
            {"reason": "disagree"},
        ),
        _members(201),
    ),
    ("POST", "/api/v1/auth/sso"): (
        lambda w, r: ("POST", "/api/v1/auth/sso", {"token": _sso(w, f"matrix-sso-{_next()}")}),
        _everyone(200),
    ),
    ("POST", "/api/v1/auth/register"): (
        lambda w, r: (
            "POST",
            "/api/v1/auth/register",
            {"email": f"new-{_next()}@example.org", "password": "a long enough passphrase"},
        ),
        _everyone(201),
    ),
    ("POST", "/api/v1/auth/login"): (
        lambda w, r: (
            "POST",
            "/api/v1/auth/login",
            {"email": "root-admin@example.org", "password": "admin passphrase for tests 1"},
        ),
        _everyone(200),
    ),
    ("POST", "/api/v1/auth/logout"): (
        lambda w, r: ("POST", "/api/v1/auth/logout", None),
        _signed_in(204),
    ),
    ("GET", "/api/v1/me"): (_get("/api/v1/me"), _signed_in(200)),
    ("PUT", "/api/v1/me/name"): (
        lambda w, r: ("PUT", "/api/v1/me/name", {"name": f"Renamed Person {_next()}"}),
        _members(200),  # banned and suspended users keep their name
    ),
    ("GET", "/api/v1/me/comments"): (_get("/api/v1/me/comments"), _signed_in(200)),
    ("GET", "/api/v1/me/muted"): (_get("/api/v1/me/muted"), _signed_in(200)),
    ("PUT", "/api/v1/me/muted/{user_id}"): (
        lambda w, r: ("PUT", f"/api/v1/me/muted/{w.new_commenter()}", None),
        _signed_in(200),  # muting changes only what the reader sees
    ),
    ("DELETE", "/api/v1/me/muted/{user_id}"): (
        lambda w, r: ("DELETE", f"/api/v1/me/muted/{w.new_commenter()}", None),
        _signed_in(204),
    ),
    ("GET", "/api/v1/me/export"): (_get("/api/v1/me/export"), _signed_in(200)),
    # Unconfirmed: publisher accounts must send a fresh token; staff are not deleted here.
    ("DELETE", "/api/v1/me"): (
        lambda w, r: ("DELETE", "/api/v1/me", {"comments": "keep"}),
        {**_signed_in(422), "moderator": 403, "admin": 403},
    ),
    # A wrong current password: refused for local accounts, and publisher accounts have none.
    ("PUT", "/api/v1/me/password"): (
        lambda w, r: (
            "PUT",
            "/api/v1/me/password",
            {"current_password": "not the password", "new_password": "a long enough new one"},
        ),
        _signed_in(403),  # publisher accounts have none; a wrong one is refused
    ),
    ("GET", "/api/v1/names/check"): (_get("/api/v1/names/check?name=Some+Body"), _everyone(200)),
    ("GET", "/api/v1/moderation/queue"): (_get("/api/v1/moderation/queue"), STAFF),
    ("GET", "/api/v1/moderation/counts"): (_get("/api/v1/moderation/counts"), STAFF),
    ("GET", "/api/v1/moderation/precision"): (_get("/api/v1/moderation/precision"), STAFF),
    ("GET", "/api/v1/moderation/languages"): (_get("/api/v1/moderation/languages"), STAFF),
    ("GET", "/api/v1/i18n"): (_get("/api/v1/i18n"), _everyone(200)),
    ("GET", "/api/v1/i18n/{surface}/{lang}"): (_get("/api/v1/i18n/widget/de"), _everyone(200)),
    ("POST", "/api/v1/moderation/comments/{comment_id}/approve"): (
        lambda w, r: (
            "POST",
            f"/api/v1/moderation/comments/{w.comment(HELD_STORY)}/approve",
            None,
        ),
        STAFF,
    ),
    ("POST", "/api/v1/moderation/comments/{comment_id}/reject"): (
        lambda w, r: (
            "POST",
            f"/api/v1/moderation/comments/{w.comment(HELD_STORY)}/reject",
            {"reason": "abuse"},
        ),
        STAFF,
    ),
    ("POST", "/api/v1/moderation/comments/bulk"): (
        lambda w, r: (
            "POST",
            "/api/v1/moderation/comments/bulk",
            {"ids": [w.comment(HELD_STORY)], "action": "approve"},
        ),
        STAFF,
    ),
    **{
        ("POST", f"/api/v1/moderation/users/{{user_id}}/{verb}"): (_user_action(verb, body), STAFF)
        for verb, body in (
            ("ban", {}),
            ("suspend", {"hours": 2}),
            ("shadowban", {}),
            ("restore", None),
            ("erase", {"comments": "keep"}),
        )
    },
    ("GET", "/api/v1/moderation/users"): (_get("/api/v1/moderation/users?q=Casey"), STAFF),
    ("GET", "/api/v1/moderation/users/{user_id}"): (
        lambda w, r: ("GET", f"/api/v1/moderation/users/{w.new_commenter()}", None),
        STAFF,
    ),
    ("PATCH", "/api/v1/moderation/users/{user_id}"): (
        lambda w, r: (
            "PATCH",
            f"/api/v1/moderation/users/{w.new_commenter()}",
            {"premium": True},
        ),
        ADMIN,
    ),
    ("GET", "/api/v1/moderation/stories"): (_get("/api/v1/moderation/stories"), STAFF),
    ("GET", "/api/v1/moderation/stories/{story_id}"): (
        _get(f"/api/v1/moderation/stories/{STORY}"),
        STAFF,
    ),
    ("PATCH", "/api/v1/moderation/stories/{story_id}"): (
        lambda w, r: (
            "PATCH",
            f"/api/v1/moderation/stories/{HELD_STORY}",
            {"premoderate": True},
        ),
        STAFF,
    ),
    ("GET", "/api/v1/moderation/audit"): (_get("/api/v1/moderation/audit"), STAFF),
    ("GET", "/api/v1/moderation/audit.csv"): (_get("/api/v1/moderation/audit.csv"), STAFF),
    ("GET", "/api/v1/admin/site"): (_get("/api/v1/admin/site"), ADMIN),
    ("PATCH", "/api/v1/admin/site"): (
        lambda w, r: ("PATCH", "/api/v1/admin/site", {"report_threshold": 3}),
        ADMIN,
    ),
    ("POST", "/api/v1/admin/site/sso-secret"): (
        lambda w, r: _rotated(w, r, ("POST", "/api/v1/admin/site/sso-secret", None)),
        ADMIN,
    ),
    ("POST", "/api/v1/admin/site/sso-secret/revoke-previous"): (
        lambda w, r: _rotated(
            w, r, ("POST", "/api/v1/admin/site/sso-secret/revoke-previous", None)
        ),
        ADMIN,
    ),
    ("GET", "/api/v1/me/preferences"): (_get("/api/v1/me/preferences"), _signed_in(200)),
    ("PATCH", "/api/v1/me/preferences"): (
        lambda w, r: ("PATCH", "/api/v1/me/preferences", {"digest": "daily"}),
        _signed_in(200),
    ),
    # The signed token is the only credential: a forged one is refused for everyone.
    ("GET", "/api/v1/unsubscribe"): (_get("/api/v1/unsubscribe?token=forged"), _everyone(200)),
    ("POST", "/api/v1/unsubscribe"): (
        lambda w, r: ("POST", "/api/v1/unsubscribe?token=forged", None),
        _everyone(400),
    ),
    ("GET", "/api/v1/admin/outbox"): (_get("/api/v1/admin/outbox"), STAFF),
    ("POST", "/api/v1/auth/password-reset"): (
        lambda w, r: ("POST", "/api/v1/auth/password-reset", {"email": "root-admin@example.org"}),
        _everyone(202),
    ),
    # Account links: the signed token is the credential; a forged one is refused for all.
    ("POST", "/api/v1/auth/password-reset/confirm"): (
        lambda w, r: (
            "POST",
            "/api/v1/auth/password-reset/confirm",
            {"token": "forged", "password": "a long enough passphrase"},
        ),
        _everyone(400),
    ),
    ("POST", "/api/v1/auth/verify"): (
        lambda w, r: ("POST", "/api/v1/auth/verify", {"token": "forged"}),
        _everyone(400),
    ),
    ("GET", "/auth/verify"): (_get("/auth/verify?token=forged"), _everyone(200)),
    ("POST", "/auth/verify"): (
        lambda w, r: ("POST", "/auth/verify?token=forged", None),
        _everyone(200),  # a page that says the link is not valid
    ),
    ("GET", "/auth/reset"): (_get("/auth/reset?token=forged"), _everyone(200)),
    ("POST", "/auth/reset"): (
        lambda w, r: ("POST", "/auth/reset?token=forged", None),
        _everyone(200),
    ),
    ("GET", "/api/v1/me/notifications"): (_get("/api/v1/me/notifications"), _signed_in(200)),
    ("POST", "/api/v1/me/notifications/read"): (
        lambda w, r: ("POST", "/api/v1/me/notifications/read", {}),
        _signed_in(200),
    ),
    ("GET", "/api/v1/me/follows/{story_id}"): (
        _get(f"/api/v1/me/follows/{STORY}"),
        _signed_in(200),
    ),
    ("PUT", "/api/v1/me/follows/{story_id}"): (
        lambda w, r: ("PUT", f"/api/v1/me/follows/{STORY}", None),
        _signed_in(200),
    ),
    ("DELETE", "/api/v1/me/follows/{story_id}"): (
        lambda w, r: ("DELETE", f"/api/v1/me/follows/{STORY}", None),
        _signed_in(200),
    ),
    ("GET", "/api/v1/admin/webhooks"): (_get("/api/v1/admin/webhooks"), ADMIN),
    # Private targets are refused by default: the admin's answer is the SSRF guard's 422.
    ("POST", "/api/v1/admin/webhooks"): (
        lambda w, r: (
            "POST",
            "/api/v1/admin/webhooks",
            {"url": "http://127.0.0.1/hook", "events": ["comment.created"]},
        ),
        {**ADMIN, "admin": 422},
    ),
    ("PATCH", "/api/v1/admin/webhooks/{webhook_id}"): (
        lambda w, r: ("PATCH", "/api/v1/admin/webhooks/999999", {"is_active": False}),
        {**ADMIN, "admin": 404},
    ),
    ("DELETE", "/api/v1/admin/webhooks/{webhook_id}"): (
        lambda w, r: ("DELETE", "/api/v1/admin/webhooks/999999", None),
        {**ADMIN, "admin": 404},
    ),
    ("POST", "/api/v1/admin/webhooks/{webhook_id}/test"): (
        lambda w, r: ("POST", "/api/v1/admin/webhooks/999999/test", None),
        {**ADMIN, "admin": 404},
    ),
    ("GET", "/api/v1/admin/webhooks/{webhook_id}/deliveries"): (
        _get("/api/v1/admin/webhooks/999999/deliveries"),
        {**ADMIN, "admin": 404},
    ),
}


def _rotated(w: World, role: str, request: Request) -> Request:
    """Rotate first, so the admin's call finds a previous secret and the world's own
    tokens use the current one whatever the admin's call does to the old ones."""
    w.rotate_sso_secret()
    return request


def _sso(w: World, sub: str) -> str:
    from tests.factories import sso_token

    return sso_token(sub, secret=w.sso_secret)


def app_routes() -> set[tuple[str, str]]:
    """(method, path) of every route the app serves, HEAD aside; static mounts excluded."""
    from townhall.app import create_app
    from townhall.config import load_settings

    app = create_app(load_settings(env={}, database_url="sqlite+aiosqlite:///:memory:"))
    found: set[tuple[str, str]] = set()
    for route in app.routes:
        if hasattr(route, "effective_route_contexts"):
            pairs = [(c.methods, c.path_format) for c in route.effective_route_contexts()]
        elif isinstance(route, Mount):
            continue
        else:
            pairs = [(route.methods or set(), route.path_format)]
        for methods, path in pairs:
            found |= {(m, path) for m in methods if m != "HEAD"}
    return found


def test_every_route_has_a_row_in_the_table() -> None:
    served = app_routes()
    assert served - set(ROUTES) == set(), "routes nobody decided the access rules for"
    assert set(ROUTES) - served == set(), "rows for routes that no longer exist"


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def world(request, tmp_path_factory) -> Iterator[World]:
    """A server on each backend, with one user per role."""
    tmp = tmp_path_factory.mktemp(f"matrix-{request.param}")
    with fresh_database(request.param, tmp) as db_url:
        server = Server(db_url, tmp)
        server.start()
        try:
            create_admin(server)
            with httpx.Client(base_url=server.base, timeout=30) as http:
                yield build_world(http, server)
        finally:
            server.stop()


def _call(w: World, method: str, path: str, body, headers) -> httpx.Response:
    if path.endswith("/events"):
        with w.http.stream(method, path, headers=headers, timeout=10) as res:
            return res
    return w.http.request(method, path, json=body, headers=headers)


@pytest.mark.parametrize("route", list(ROUTES), ids=lambda r: f"{r[0]} {r[1]}")
def test_route_answers_every_role_as_the_table_says(world: World, route) -> None:
    make, expected = ROUTES[route]
    got, texts = {}, {}
    for role in ROLES:
        headers = world.headers[role]
        if route == ("POST", "/api/v1/auth/logout"):
            headers = world.fresh_session(role)
        method, path, body = make(world, role)
        res = _call(world, method, path, body, headers)
        got[role] = res.status_code
        texts[role] = res.text[:300] if res.status_code != expected[role] else ""
        if res.status_code >= 400:
            assert res.headers["content-type"].startswith("application/problem+json"), path
    assert got == expected, {r: t for r, t in texts.items() if t}

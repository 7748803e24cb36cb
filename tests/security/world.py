"""A running server with one signed-in user per role, for route-by-role checks over HTTP."""

from __future__ import annotations

import itertools
import subprocess
from dataclasses import dataclass, field

import httpx

from tests.factories import SSO_SECRET, sso_token
from tests.reliability.clients import plain_body
from tests.reliability.server import Server, townhall_executable

ROLES = ("anonymous", "commenter", "premium", "suspended", "banned", "moderator", "admin")
ADMIN_EMAIL, ADMIN_PASSWORD = "root-admin@example.org", "admin passphrase for tests 1"
HELD_STORY = "held-story"
STORY = "matrix-story"
_seq = itertools.count()


def create_admin(server: Server) -> None:
    """`townhall create-admin` on the server's database, password through stdin."""
    subprocess.run(
        [
            townhall_executable(),
            "create-admin",
            ADMIN_EMAIL,
            "--name",
            "Vik Admin",
            "--db",
            server.db_url,
            "--password-stdin",
        ],
        input=ADMIN_PASSWORD + "\n",
        text=True,
        env=server.env,
        cwd=server.workdir,
        check=True,
        capture_output=True,
        timeout=120,
    )


@dataclass
class World:
    """Headers per role and helpers that make fresh targets."""

    http: httpx.Client
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    subs: dict[str, str] = field(default_factory=dict)
    sso_secret: str = SSO_SECRET  # the site's current one, after rotations in the run

    def sso(self, sub: str, *, name: str | None = None, premium: bool = False) -> dict:
        """A new session for an SSO user (created on first use)."""
        res = self.http.post(
            "/api/v1/auth/sso",
            json={"token": sso_token(sub, premium=premium, secret=self.sso_secret)},
        )
        assert res.status_code == 200, res.text
        headers = {"Authorization": f"Bearer {res.json()['token']}"}
        if name:
            res = self.http.put("/api/v1/me/name", json={"name": name}, headers=headers)
            assert res.status_code == 200, res.text
        return headers

    def rotate_sso_secret(self) -> None:
        """Rotate as the admin and sign later tokens with the new secret."""
        res = self.http.post("/api/v1/admin/site/sso-secret", headers=self.headers["admin"])
        assert res.status_code == 200, res.text
        self.sso_secret = res.json()["sso_secret"]

    def admin_login(self) -> dict:
        """A new session for the local admin account."""
        res = self.http.post(
            "/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
        )
        assert res.status_code == 200, res.text
        return {"Authorization": f"Bearer {res.json()['token']}"}

    def fresh_session(self, role: str) -> dict:
        """Another session of the same user (so logging out does not end the run)."""
        if role == "anonymous":
            return {}
        if role == "admin":
            return self.admin_login()
        return self.sso(self.subs[role], premium=role == "premium")

    def user_id(self, headers: dict) -> int:
        """The id of the user behind these headers."""
        return self.http.get("/api/v1/me", headers=headers).json()["id"]

    def new_commenter(self) -> int:
        """A fresh commenter's id, as a target for moderation actions."""
        n = next(_seq)
        return self.user_id(self.sso(f"target-{n}", name=f"Target Person {n}"))

    def comment(self, story: str = STORY, **extra) -> int:
        """A fresh comment by the owner (pending on the held story)."""
        body = plain_body("owner")
        res = self.http.post(
            f"/api/v1/stories/{story}/comments",
            json={"body": body, **extra},
            headers=self.headers["owner"],
        )
        assert res.status_code == 201, res.text
        if story == STORY:
            assert res.json()["status"] == "published", res.text
        return res.json()["id"]


def build_world(http: httpx.Client, server: Server) -> World:
    """Sign in every role; suspend and ban through the moderation API as the admin."""
    w = World(http)
    w.headers["anonymous"] = {}
    w.headers["admin"] = w.admin_login()
    admin = w.headers["admin"]
    for role, name in (
        ("owner", "Story Owner"),
        ("commenter", "Casey Reader"),
        ("premium", "Pat Subscriber"),
        ("suspended", "Sam Paused"),
        ("banned", "Bo Blocked"),
        ("moderator", "Helen Ward"),
    ):
        w.subs[role] = f"role-{role}"
        w.headers[role] = w.sso(w.subs[role], name=name, premium=role == "premium")
    mod_id = w.user_id(w.headers["moderator"])
    res = http.patch(
        f"/api/v1/moderation/users/{mod_id}", json={"role": "moderator"}, headers=admin
    )
    assert res.status_code == 200, res.text
    sid = w.user_id(w.headers["suspended"])
    res = http.post(f"/api/v1/moderation/users/{sid}/suspend", json={"hours": 3}, headers=admin)
    assert res.status_code == 200, res.text
    bid = w.user_id(w.headers["banned"])
    res = http.post(f"/api/v1/moderation/users/{bid}/ban", json={}, headers=admin)
    assert res.status_code == 200, res.text
    w.comment()
    w.comment(HELD_STORY)
    res = http.patch(
        f"/api/v1/moderation/stories/{HELD_STORY}", json={"premoderate": True}, headers=admin
    )
    assert res.status_code == 200, res.text
    return w

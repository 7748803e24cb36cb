"""Moderators' notes on readers, and warnings a reader acknowledges before posting again."""

from __future__ import annotations

import pytest

from tests.factories import make_staff, post, sign_in
from townhall.services import comments as comment_service

MOD = "/api/v1/moderation"


@pytest.fixture(autouse=True)
def fresh_rules_cache():
    comment_service._RULES.clear()


async def test_notes_are_private_and_a_warning_blocks_posting_until_acknowledged(app_client):
    mod = await sign_in(app_client, "mod", name="Helen Ward")
    await make_staff(app_client, mod)
    ann = await sign_in(app_client, "ann", name="Ann Reader")
    ann_id = (await app_client.get("/api/v1/me", headers=ann)).json()["id"]
    await post(app_client, ann, "A first, fine comment.")

    res = await app_client.post(
        f"{MOD}/users/{ann_id}/notes", json={"text": "Often heated on transport."}, headers=mod
    )
    assert res.status_code == 201, res.text
    assert res.json()["kind"] == "note" and res.json()["by"] == "Helen Ward"
    assert (await app_client.get("/api/v1/me/warnings", headers=ann)).json() == {"warnings": []}
    await post(app_client, ann, "A note changes nothing for the reader.")

    res = await app_client.post(
        f"{MOD}/users/{ann_id}/notes",
        json={"text": "Please keep to the topic and drop the insults.", "warning": True},
        headers=mod,
    )
    assert res.status_code == 201 and res.json()["kind"] == "warning"
    warning_id = res.json()["id"]
    res = await app_client.post(
        "/api/v1/stories/story-1/comments", json={"body": "Posting again."}, headers=ann
    )
    assert res.status_code == 403 and res.json()["code"] == "warning-unacknowledged"
    assert res.json()["warning_id"] == warning_id
    assert res.json()["warning_text"] == "Please keep to the topic and drop the insults."
    [open_warning] = (await app_client.get("/api/v1/me/warnings", headers=ann)).json()["warnings"]
    assert open_warning["id"] == warning_id

    other = await sign_in(app_client, "bo", name="Bo Brennan")
    res = await app_client.post(f"/api/v1/me/warnings/{warning_id}/acknowledge", headers=other)
    assert res.status_code == 404, "a reader acknowledges only their own warnings"
    res = await app_client.post(f"/api/v1/me/warnings/{warning_id}/acknowledge", headers=ann)
    assert res.status_code == 204
    await post(app_client, ann, "Posting again, calmly.")
    res = await app_client.post(f"/api/v1/me/warnings/{warning_id}/acknowledge", headers=ann)
    assert res.status_code == 404

    notes = (await app_client.get(f"{MOD}/users/{ann_id}/notes", headers=mod)).json()["notes"]
    assert [(n["kind"], n["acknowledged_at"] is not None) for n in notes] == [
        ("warning", True),
        ("note", False),
    ]
    actions = (
        await app_client.get(
            f"{MOD}/audit", params={"target_type": "user", "target_id": ann_id}, headers=mod
        )
    ).json()["entries"]
    assert [e["action"] for e in actions if e["action"] != "user.name"] == [
        "user.warning_acknowledged",
        "user.warn",
        "user.note",
    ]
    res = await app_client.get(f"{MOD}/users/{ann_id}/notes", headers=ann)
    assert res.status_code == 403
    res = await app_client.post(f"{MOD}/users/{ann_id}/notes", json={"text": ""}, headers=mod)
    assert res.status_code == 422

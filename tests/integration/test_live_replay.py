"""A reader who resumes a live stream learns the current state, never text taken down since."""

from __future__ import annotations

import pytest

from tests.factories import make_staff, post, sign_in
from tests.integration.sse_helpers import AsgiStream

STORY = "replay/news story"
EVENTS = "/api/v1/stories/replay%2Fnews%20story/events"
SECRET = "Text that must not come back after it was taken down."
HELD = "You are a pathetic idiot and a moron, nobody wants you here."


async def _replay(app_client, headers=None) -> list:
    """Everything a stream resumed from the start of the log replays."""
    async with AsgiStream(app_client.app, EVENTS + "?last_event_id=0", headers) as reader:
        return await reader.quiet(0.5)


async def _user_id(app_client, headers) -> int:
    return (await app_client.get("/api/v1/me", headers=headers)).json()["id"]


async def _take_down(app_client, how: str, author, comment_id: int) -> None:
    if how == "deleted by its author":
        res = await app_client.delete(f"/api/v1/comments/{comment_id}", headers=author)
        assert res.status_code == 204
    elif how == "edited away":
        res = await app_client.patch(
            f"/api/v1/comments/{comment_id}",
            json={"body": "A calmer second draft."},
            headers=author,
        )
        assert res.status_code == 200
    else:
        mod = await sign_in(app_client, "mod", name="Morgan Reyes")
        await make_staff(app_client, mod)
        if how == "rejected by a moderator":
            res = await app_client.post(
                f"/api/v1/moderation/comments/{comment_id}/reject",
                json={"reason": "off topic"},
                headers=mod,
            )
        else:
            uid = await _user_id(app_client, author)
            res = await app_client.post(f"/api/v1/moderation/users/{uid}/shadowban", headers=mod)
        assert res.status_code == 200, res.text


@pytest.mark.parametrize(
    "how",
    [
        "deleted by its author",
        "edited away",
        "rejected by a moderator",
        "written by a user shadow-banned afterwards",
    ],
)
async def test_a_replay_never_sends_text_taken_down_since(app_client, how):
    alice = await sign_in(app_client, "alice", name="Alice")
    bob = await sign_in(app_client, "bob", name="Bob")
    sent = await post(app_client, alice, SECRET, story=STORY)
    await post(
        app_client, bob, "A reply that keeps the thread alive.", story=STORY, parent_id=sent["id"]
    )
    await _take_down(app_client, how, alice, sent["id"])

    replayed = await _replay(app_client)
    assert replayed, "the replay log should not be empty"
    assert all("must not come back" not in e.data for e in replayed), [e.data for e in replayed]
    about = [e for e in replayed if e.json().get("id") == sent["id"]]
    assert about
    if how == "edited away":
        assert {e.event for e in about} <= {"comment", "updated"}
        assert all("calmer second draft" in e.json()["body_html"] for e in about)
    elif how == "deleted by its author":
        assert {e.event for e in about} == {"deleted"}
        assert all(e.json()["tombstone"] is True for e in about)
    else:
        assert {e.event for e in about} == {"removed"}


async def test_a_replay_still_shows_a_held_comment_to_its_author_only(app_client):
    alice = await sign_in(app_client, "alice", name="Alice")
    res = await app_client.post(
        f"/api/v1/stories/{STORY}/comments".replace(" ", "%20"), json={"body": HELD}, headers=alice
    )
    assert res.status_code == 201 and res.json()["status"] == "pending"
    own = await _replay(app_client, alice)
    assert [e.json()["id"] for e in own if e.event == "comment"] == [res.json()["id"]]
    assert await _replay(app_client) == []


async def test_deleting_a_held_comment_is_told_to_its_author_alone(app_client):
    alice = await sign_in(app_client, "alice", name="Alice")
    async with (
        AsgiStream(app_client.app, EVENTS) as anonymous,
        AsgiStream(app_client.app, EVENTS, alice) as author,
    ):
        res = await app_client.post(
            "/api/v1/stories/replay%2Fnews%20story/comments", json={"body": HELD}, headers=alice
        )
        held = res.json()
        assert held["status"] == "pending"
        await author.take({"comment"})
        assert (
            await app_client.delete(f"/api/v1/comments/{held['id']}", headers=alice)
        ).status_code == 204
        (gone,) = await author.take({"deleted"})
        assert gone.json()["id"] == held["id"]
        assert await anonymous.quiet() == []
    assert [e for e in await _replay(app_client) if e.event == "deleted"] == []


async def test_an_edit_that_pre_moderation_rejects_takes_the_comment_down_at_once(app_client):
    """The comment leaves open streams and cached pages the moment its edit is rejected
    (the rejection used to be raised before anyone was told)."""
    admin = await sign_in(app_client, "boss", name="Boss Person")
    await make_staff(app_client, admin, "admin")
    res = await app_client.patch(
        "/api/v1/admin/site",
        json={"moderation": {"banned_words": ["flibbertigibbet"]}},
        headers=admin,
    )
    assert res.status_code == 200, res.text
    alice = await sign_in(app_client, "alice", name="Alice")
    page = "/api/v1/stories/replay%2Fnews%20story/comments"
    sent = await post(app_client, alice, "A fair point on rates.", story=STORY)
    assert (await app_client.get(page)).json()["total"] == 1  # now cached
    async with AsgiStream(app_client.app, EVENTS) as reader:
        res = await app_client.patch(
            f"/api/v1/comments/{sent['id']}",
            json={"body": "What a flibbertigibbet."},
            headers=alice,
        )
        assert res.status_code == 422 and res.json()["code"] == "comment-rejected"
        removed, count = await reader.take({"removed", "count"})
    assert removed.json() == {"id": sent["id"], "stream": "open"}
    assert count.json() == {"total": 0, "stream": "open"}
    listed = (await app_client.get(page)).json()
    assert listed["total"] == 0 and listed["comments"] == []

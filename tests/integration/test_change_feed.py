"""The change feed: what a write changed reaches the listeners after commit, and only then."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from tests.factories import make_staff, post, sign_in
from townhall.domain.changes import Change, CommentChanged, LikesChanged, StoryChanged


class Recorder:
    """A listener that notes each batch and checks it is already committed."""

    name = "recorder"

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.batches: list[list[Change]] = []
        self.visible_at_delivery: list[bool] = []

    async def committed(self, changes: Sequence[Change]) -> None:
        self.batches.append(list(changes))
        for change in changes:
            if isinstance(change, CommentChanged):
                # A fresh snapshot sees the comment: the transaction has committed.
                async with self.ctx.read() as tx:
                    found = await tx.comments.by_id("default", change.comment.id)
                self.visible_at_delivery.append(found is not None)


class Broken:
    name = "broken"

    async def committed(self, changes: Sequence[Change]) -> None:
        raise RuntimeError("a listener that fails")


async def test_listeners_hear_of_each_write_after_its_commit(app_client):
    c = app_client
    recorder = Recorder(c.ctx)
    c.ctx.feed.register(recorder)
    ann = await sign_in(c, "feed-ann", name="Ann Feed")
    bob = await sign_in(c, "feed-bob", name="Bob Feed")
    top = await post(c, ann, "Something to react to.", story="feed")
    assert (await c.put(f"/api/v1/comments/{top['id']}/like", headers=bob)).status_code == 200
    assert (await c.delete(f"/api/v1/comments/{top['id']}", headers=ann)).status_code == 204
    kinds = [[type(change) for change in batch] for batch in recorder.batches]
    assert kinds[-3:] == [[CommentChanged], [LikesChanged], [CommentChanged]]
    assert recorder.visible_at_delivery and all(recorder.visible_at_delivery)
    deleted = recorder.batches[-1][0]
    assert deleted.before.status.value == "published" and deleted.comment.status.value == "deleted"


async def test_a_refused_write_announces_nothing(app_client):
    c = app_client
    ann = await sign_in(c, "feed-ann", name="Ann Feed")
    mod = await sign_in(c, "feed-mod", name="Mo Feed")
    await make_staff(c, mod)
    await post(c, ann, "Before the story closes.", story="closing")
    res = await c.patch("/api/v1/moderation/stories/closing", json={"is_closed": True}, headers=mod)
    assert res.status_code == 200
    recorder = Recorder(c.ctx)
    c.ctx.feed.register(recorder)
    res = await c.post("/api/v1/stories/closing/comments", json={"body": "Too late."}, headers=ann)
    assert res.status_code == 409
    assert recorder.batches == []


async def test_a_failing_listener_neither_fails_the_write_nor_stops_the_others(app_client, caplog):
    c = app_client
    c.ctx.feed.register(Broken())
    recorder = Recorder(c.ctx)
    c.ctx.feed.register(recorder)
    ann = await sign_in(c, "feed-ann", name="Ann Feed")
    sent = await post(c, ann, "Still posted.", story="feed")
    assert [type(ch) for ch in recorder.batches[-1]] == [CommentChanged]
    assert "listener broken failed" in caplog.text
    page = (await c.get("/api/v1/stories/feed/comments")).json()
    assert [x["id"] for x in page["comments"]] == [sent["id"]]


async def test_the_importer_records_a_change_per_story(app_client):
    from datetime import UTC, datetime

    from townhall.domain.models import Status
    from townhall.porting.importer import import_comments
    from townhall.porting.model import ImportedComment

    c = app_client
    recorder = Recorder(c.ctx)
    c.ctx.feed.register(recorder)
    items = [
        ImportedComment(
            source_id=str(i),
            parent_source_id=None,
            story_key=key,
            story_url=None,
            story_title=None,
            author_name="Old Reader",
            author_email="old@example.org",
            body=f"Imported comment {i}.",
            created_at=datetime(2020, 1, 1, tzinfo=UTC),
            status=Status.PUBLISHED,
            like_count=0,
        )
        for i, key in enumerate(["old/one", "old/two", "old/one"])
    ]
    report = await import_comments(c.ctx, items, "disqus")
    assert report.comments == 3
    changed = [ch for batch in recorder.batches for ch in batch if isinstance(ch, StoryChanged)]
    assert sorted(ch.story.key for ch in changed) == ["old/one", "old/two"]
    assert all(ch.comments_changed for ch in changed)


class Outbox:
    """A listener that writes inside the transaction (as a notification outbox would)."""

    name = "outbox"

    def __init__(self, *, fail: bool) -> None:
        self.fail = fail
        self.staged_with: list[int] = []

    async def staged(self, tx, changes: Sequence[Change]) -> None:
        self.staged_with.append(len(changes))
        if self.fail:
            raise RuntimeError("the outbox cannot be written")

    async def committed(self, changes: Sequence[Change]) -> None:
        raise AssertionError("nothing commits when staging fails")


async def test_a_staging_listener_writes_inside_the_transaction_or_rolls_it_back(app_client):
    c = app_client
    ann = await sign_in(c, "feed-ann", name="Ann Feed")
    working = Outbox(fail=False)
    working.committed = Recorder(c.ctx).committed  # type: ignore[method-assign]
    c.ctx.feed.register(working)
    await post(c, ann, "Staged and committed.", story="outbox")
    assert working.staged_with == [1]
    failing = Outbox(fail=True)
    c.ctx.feed.register(failing)
    try:
        # The server answers 500; the test client re-raises the error itself.
        with pytest.raises(RuntimeError, match="outbox"):
            await c.post(
                "/api/v1/stories/outbox/comments", json={"body": "Never stored."}, headers=ann
            )
    finally:
        c.ctx.feed._listeners.remove(failing)
    page = (await c.get("/api/v1/stories/outbox/comments")).json()
    assert [x["body_html"] for x in page["comments"]] == ["<p>Staged and committed.</p>"]

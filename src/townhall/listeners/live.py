"""Announce committed changes on the stories' live streams, each to the right audience."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from townhall.domain.changes import (
    Change,
    CommentChanged,
    CommentPicked,
    LikesChanged,
    StoryChanged,
)
from townhall.domain.models import Comment, Status, Story, Stream
from townhall.domain.views import CommentView
from townhall.presenter import present
from townhall.services.context import Context
from townhall.services.feed import NewComment
from townhall.storage.protocols import Stores

log = logging.getLogger("townhall.live")
STAGED_MAX = 10_000
Publish = Callable[..., Awaitable[Any]]
Reader = Callable[[], AbstractAsyncContextManager[Stores]]


def _author_only(comment: Comment | None) -> bool:
    """Visible to its author alone: held for review, or written while shadow-banned."""
    return comment is not None and (
        comment.status is Status.PENDING
        or (comment.status is Status.PUBLISHED and comment.is_shadowed)
    )


class LiveListener:
    """Publishes `comment`, `updated`, `deleted`, `removed`, `likes`, `featured` and
    `count` events.

    A broker that keeps its log in the database itself (SQLite) takes the events inside
    the write's own transaction (`staged`), read from that transaction; any other
    broker gets them once the write has committed.
    """

    name = "live broker"

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        # Change lists whose events are in the log already, held (so no other list can
        # take the same id) until their commit; a write that failed to commit leaves one.
        self._staged: dict[int, Sequence[Change]] = {}

    def quiet_for(self, new: NewComment) -> bool:
        """Only a broker whose log is in the database (SQLite) writes in the transaction."""
        return not getattr(self.ctx.live, "stages_in_transaction", False)

    async def staged(self, tx: Stores, changes: Sequence[Change]) -> None:
        """Append this write's events to a database log in the same transaction."""
        live: Any = self.ctx.live
        if not getattr(live, "stages_in_transaction", False):
            return
        events: list[tuple[str, str, dict[str, Any], int | None]] = []

        async def record(
            channel: str, kind: str, data: dict[str, Any], audience: int | None = None
        ) -> None:
            events.append((channel, kind, data, audience))

        @asynccontextmanager
        async def within() -> AsyncIterator[Stores]:
            yield tx

        try:
            await self._announce(changes, record, within)
            if events:
                await live.stage(tx, events)
        except Exception:  # never fail the write for its live events: publish after it
            log.exception("live events not staged; publishing them after the commit")
            return
        if len(self._staged) > STAGED_MAX:
            self._staged.clear()
        self._staged[id(changes)] = changes

    async def committed(self, changes: Sequence[Change]) -> None:
        """Announce each change in order (or wake the readers of what was staged)."""
        if self._staged.pop(id(changes), None) is changes:
            self.ctx.live.staged_committed()  # type: ignore[attr-defined]
            return
        await self._announce(changes, self.ctx.live.publish, self.ctx.read)

    async def _announce(self, changes: Sequence[Change], publish: Publish, read: Reader) -> None:
        for change in changes:
            if isinstance(change, CommentChanged):
                await self._comment(change, publish, read)
            elif isinstance(change, LikesChanged):
                await publish(
                    change.story.channel,
                    "likes",
                    {
                        "id": change.comment.id,
                        "like_count": change.count,
                        "stream": change.comment.stream.value,
                    },
                )
            elif isinstance(change, CommentPicked):
                if change.comment.is_public:
                    story = change.story
                    payload = await public_json(self.ctx, story, change.comment, read=read)
                    await publish(story.channel, "featured", payload)
            elif isinstance(change, StoryChanged) and change.comments_changed:
                for stream in Stream:
                    total = await self._total(change.story, stream, read)
                    await publish(change.story.channel, "count", total)

    async def _comment(self, change: CommentChanged, publish: Publish, read: Reader) -> None:
        story, comment, before = change.story, change.comment, change.before
        was_public = before.is_public if before else False
        # Read the new total first so the change and the count go out back to back
        # (open streams then wake and write once for both).
        changed = comment.is_public != was_public
        total: dict[str, Any] | None = None
        if changed:
            total = (
                {"total": change.count, "stream": comment.stream.value}
                if change.count is not None
                else await self._total(story, comment.stream, read)
            )
        if comment.is_public:
            payload = await public_json(self.ctx, story, comment, change.view, read=read)
            await publish(story.channel, "updated" if was_public else "comment", payload)
        elif comment.status is Status.DELETED:
            gone: dict[str, Any] = {
                "id": comment.id,
                "tombstone": comment.reply_count > 0,
                "stream": comment.stream.value,
            }
            if was_public:
                await publish(story.channel, "deleted", gone)
            elif _author_only(before):
                # Nobody else ever saw it: only its author's streams hear of the deletion.
                assert before is not None
                await publish(story.channel, "deleted", gone, audience=before.author_id)
        elif was_public:
            await publish(
                story.channel, "removed", {"id": comment.id, "stream": comment.stream.value}
            )
        elif _author_only(comment):
            payload = await public_json(self.ctx, story, comment, change.view, read=read)
            await publish(story.channel, "comment", payload, audience=comment.author_id)
        if total is not None:
            await publish(story.channel, "count", total)

    async def _total(self, story: Story, stream: Stream, read: Reader) -> dict[str, Any]:
        async with read() as tx:
            total = await tx.stories.public_count(story.id, stream)
        return {"total": total, "stream": stream.value}


async def public_json(
    ctx: Context,
    story: Story,
    comment: Comment,
    view: CommentView | None = None,
    *,
    read: Reader | None = None,
) -> dict[str, Any]:
    """A comment as every live reader gets it (no `is_mine`, no `liked_by_me`)."""
    site = await ctx.site(story.site_id)
    if view is None:
        async with (read or ctx.read)() as tx:
            view = await tx.comments.view(story.site_id, comment.id)
    assert view is not None
    return present(
        view,
        viewer_id=None,
        story_key=story.key,
        edit_window=site.edit_window_seconds,
        now=ctx.clock(),
    )

"""Announce committed changes on the stories' live streams, each to the right audience."""

from __future__ import annotations

from collections.abc import Sequence
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


def _author_only(comment: Comment | None) -> bool:
    """Visible to its author alone: held for review, or written while shadow-banned."""
    return comment is not None and (
        comment.status is Status.PENDING
        or (comment.status is Status.PUBLISHED and comment.is_shadowed)
    )


class LiveListener:
    """Publishes `comment`, `updated`, `deleted`, `removed`, `likes`, `featured` and
    `count` events."""

    name = "live broker"

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def committed(self, changes: Sequence[Change]) -> None:
        """Announce each change in order."""
        for change in changes:
            if isinstance(change, CommentChanged):
                await self._comment(change)
            elif isinstance(change, LikesChanged):
                await self.ctx.live.publish(
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
                    payload = await self._payload(change.story, change.comment, None)
                    await self.ctx.live.publish(change.story.channel, "featured", payload)
            elif isinstance(change, StoryChanged) and change.comments_changed:
                for stream in Stream:
                    await self._count(change.story, stream)

    async def _comment(self, change: CommentChanged) -> None:
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
                else await self._total(story, comment.stream)
            )
        publish = self.ctx.live.publish
        if comment.is_public:
            payload = await self._payload(story, comment, change.view)
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
            payload = await self._payload(story, comment, change.view)
            await publish(story.channel, "comment", payload, audience=comment.author_id)
        if total is not None:
            await publish(story.channel, "count", total)

    async def _total(self, story: Story, stream: Stream) -> dict[str, Any]:
        async with self.ctx.read() as tx:
            total = await tx.stories.public_count(story.id, stream)
        return {"total": total, "stream": stream.value}

    async def _count(self, story: Story, stream: Stream) -> None:
        await self.ctx.live.publish(story.channel, "count", await self._total(story, stream))

    async def _payload(
        self, story: Story, comment: Comment, view: CommentView | None
    ) -> dict[str, Any]:
        return await public_json(self.ctx, story, comment, view)


async def public_json(
    ctx: Context, story: Story, comment: Comment, view: CommentView | None = None
) -> dict[str, Any]:
    """A comment as every live reader gets it (no `is_mine`, no `liked_by_me`)."""
    site = await ctx.site(story.site_id)
    if view is None:
        async with ctx.read() as tx:
            view = await tx.comments.view(story.site_id, comment.id)
    assert view is not None
    return present(
        view,
        viewer_id=None,
        story_key=story.key,
        edit_window=site.edit_window_seconds,
        now=ctx.clock(),
    )

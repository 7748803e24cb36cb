"""Live announcements after commit: who may see which change."""

from __future__ import annotations

from townhall.domain.models import Comment, Status, Story
from townhall.domain.views import CommentView
from townhall.presenter import present
from townhall.services.context import Context


async def comment_changed(
    ctx: Context,
    story: Story,
    comment: Comment,
    *,
    before: Comment | None = None,
    view: CommentView | None = None,
    count: int | None = None,
) -> None:
    """Announce a new, edited, approved, hidden or deleted comment to the right audience.

    `view` and `count` (the stream's new public total) save reading them back when
    the caller already holds them.
    """
    await invalidate(ctx, story)
    was_public = before.is_public if before else False
    # Read the new total first so the change and the count go out back to back
    # (open streams then wake and write once for both).
    changed = comment.is_public != was_public
    if changed and count is not None:
        total: dict | None = {"total": count, "stream": comment.stream.value}
    else:
        total = await _count(ctx, story, comment) if changed else None
    if comment.is_public:
        kind = "updated" if was_public else "comment"
        payload = await _payload(ctx, story, comment, view)
        await ctx.live.publish(story.channel, kind, payload)
    elif comment.status is Status.DELETED:
        await ctx.live.publish(
            story.channel,
            "deleted",
            {
                "id": comment.id,
                "tombstone": comment.reply_count > 0,
                "stream": comment.stream.value,
            },
        )
    elif was_public:
        await ctx.live.publish(
            story.channel, "removed", {"id": comment.id, "stream": comment.stream.value}
        )
    elif comment.status in (Status.PENDING, Status.PUBLISHED):
        # Held or shadowed: only the author's own streams carry it.
        await ctx.live.publish(
            story.channel,
            "comment",
            await _payload(ctx, story, comment, view),
            audience=comment.author_id,
        )
    if total is not None:
        await ctx.live.publish(story.channel, "count", total)


async def _count(ctx: Context, story: Story, comment: Comment) -> dict:
    """The stream's total of visible comments, as a `count` event."""
    async with ctx.read() as tx:
        total = await tx.stories.public_count(story.id, comment.stream)
    return {"total": total, "stream": comment.stream.value}


async def likes_changed(ctx: Context, story: Story, comment: Comment, count: int) -> None:
    """Announce a like count change."""
    await invalidate(ctx, story)
    await ctx.live.publish(
        story.channel,
        "likes",
        {"id": comment.id, "like_count": count, "stream": comment.stream.value},
    )


async def invalidate(ctx: Context, story: Story) -> None:
    """Drop cached pages of this story (after commit) on every worker and instance."""
    if ctx.cache is not None:
        await ctx.cache.invalidate(story.key)


async def _payload(
    ctx: Context, story: Story, comment: Comment, view: CommentView | None = None
) -> dict:
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


async def view_json(ctx: Context, comment: Comment, *, viewer) -> dict:
    """One comment as its viewer sees it (used for write responses)."""
    site = await ctx.site(comment.site_id)
    async with ctx.read() as tx:
        view = await tx.comments.view(comment.site_id, comment.id)
        story = await tx.stories.by_id(comment.story_id)
        if viewer is not None:
            await tx.comments.mark_mine(viewer.id, [view])
    assert view is not None and story is not None
    if comment.depth == 0:
        view.thread_total = comment.reply_count
    return present(
        view,
        viewer_id=viewer.id if viewer else None,
        story_key=story.key,
        edit_window=site.edit_window_seconds,
        now=ctx.clock(),
    )

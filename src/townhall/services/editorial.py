"""Editorial work on a story's comments: picks and their public notes, and the picks a
reader sees first."""

from __future__ import annotations

from typing import Any

from townhall.domain.changes import CommentPicked
from townhall.domain.limits import FEATURE_NOTE_MAX, FEATURED_MAX
from townhall.domain.models import Story, Stream, User
from townhall.domain.site import SiteConfig
from townhall.errors import Conflict, NotFound, ValidationFailed
from townhall.presenter import present
from townhall.services.context import DEFAULT_SITE, Context
from townhall.storage.protocols import Stores


class NotPublic(Conflict):
    code, title = "not-public", "Comment not public"


def check_note(note: Any) -> str | None:
    """A pick's note: plain text up to FEATURE_NOTE_MAX characters, or none."""
    if note is None:
        return None
    if not isinstance(note, str):
        raise ValidationFailed("note must be text", field="note", rule="type")
    note = " ".join(note.split())
    if len(note) > FEATURE_NOTE_MAX:
        raise ValidationFailed(
            f"note must be at most {FEATURE_NOTE_MAX} characters", field="note", rule="max-length"
        )
    if "\x00" in note:
        raise ValidationFailed("note contains a NUL character", field="note", rule="characters")
    return note or None


async def _pick(
    ctx: Context, staff: User, comment_id: int, *, featured: bool, note: str | None
) -> dict[str, Any]:
    now = ctx.clock()
    async with ctx.write() as tx:
        before = await tx.comments.by_id(staff.site_id, comment_id, for_update=True)
        if before is None:
            raise NotFound("comment not found")
        if featured and not before.is_public:
            raise NotPublic("only a published comment that every reader sees can be picked")
        if featured:
            await tx.comments.update(
                comment_id, featured_at=before.featured_at or now, feature_note=note
            )
        elif before.featured_at is not None:
            await tx.comments.update(comment_id, featured_at=None, feature_note=None)
        if featured != (before.featured_at is not None):
            await tx.stories.add_picks(before.story_id, 1 if featured else -1)
        after = await tx.comments.rerank(comment_id)
        story = await tx.stories.by_id(before.story_id)
        assert story is not None
        changed = (before.featured_at is not None) != featured or before.feature_note != note
        if changed:
            await tx.audit.add(
                site_id=staff.site_id,
                actor=staff,
                action="comment.feature" if featured else "comment.unfeature",
                target_type="comment",
                target_id=comment_id,
                before={"featured": before.featured_at is not None, "note": before.feature_note},
                after={"featured": featured, "note": note},
                now=now,
            )
            tx.record(CommentPicked(story, after, featured=featured, picked_by=staff.id))
        view = await tx.comments.view(staff.site_id, comment_id)
    assert view is not None
    site = await ctx.site(staff.site_id)
    if view.comment.depth == 0:
        view.thread_total = view.comment.reply_count
    return present(
        view,
        viewer_id=None,
        story_key=story.key,
        edit_window=site.edit_window_seconds,
        now=ctx.clock(),
    )


async def feature_comment(
    ctx: Context, staff: User, comment_id: int, note: Any = None
) -> dict[str, Any]:
    """Pick a comment, with an optional public note on why; audited and announced.

    Picking again changes the note and keeps the time of the first pick."""
    return await _pick(ctx, staff, comment_id, featured=True, note=check_note(note))


async def unfeature_comment(ctx: Context, staff: User, comment_id: int) -> dict[str, Any]:
    """Take a pick back (idempotent); audited and announced when it was a pick."""
    return await _pick(ctx, staff, comment_id, featured=False, note=None)


def notify_author_of_pick(change: CommentPicked) -> dict[str, Any] | None:
    """What the author of a newly picked comment is told, for the notifications listener
    to deliver after the commit; None when nothing is to be sent (a pick taken back, or
    staff picking their own comment)."""
    comment = change.comment
    if not change.featured or change.picked_by == comment.author_id:
        return None
    return {
        "kind": "comment.featured",
        "user_id": comment.author_id,
        "comment_id": comment.id,
        "story_id": change.story.key,
        "story_title": change.story.title,
        "story_url": change.story.url,
        "note": comment.feature_note,
    }


def readable_streams(site: SiteConfig, story: Story, viewer: User | None) -> list[Stream]:
    """The streams whose comments this reader may see."""
    streams = [Stream.OPEN]
    if story.premium_enabled and (
        not site.premium_read_restricted or (viewer and (viewer.is_premium or viewer.is_staff))
    ):
        streams.append(Stream.PREMIUM)
    return streams


async def picks_of(
    tx: Stores, site: SiteConfig, story: Story, viewer: User | None, now: Any
) -> list[dict[str, Any]]:
    """A story's picks as readers see them (without replies), latest pick first."""
    streams = readable_streams(site, story, viewer)
    views = await tx.comments.featured(story.id, streams, FEATURED_MAX)
    viewer_id = viewer.id if viewer else None
    if viewer_id is not None:
        await tx.comments.mark_mine(viewer_id, views)
    out = []
    for v in views:
        v.thread_total = v.comment.reply_count
        out.append(
            present(
                v,
                viewer_id=viewer_id,
                story_key=story.key,
                edit_window=site.edit_window_seconds,
                now=now,
            )
        )
    return out


async def list_featured(
    ctx: Context, viewer: User | None, story_key: str, site_id: str = DEFAULT_SITE
) -> dict[str, Any]:
    """A story's picks, latest first (an unknown story has none)."""
    site = await ctx.site(site_id)
    now = ctx.clock()
    async with ctx.read() as tx:
        story = await tx.stories.by_key(site.id, story_key)
        comments = await picks_of(tx, site, story, viewer, now) if story else []
    return {"comments": comments, "total": len(comments)}

"""Reading comment pages, threads and counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from townhall.domain.limits import COUNT_STORIES_MAX, LIST_LIMIT_MAX
from townhall.domain.models import REPORT_REASONS, Sort, Status, Story, Stream, User
from townhall.domain.site import SiteConfig
from townhall.domain.sorting import ORDERS, THREAD, BestInputs
from townhall.domain.views import CommentView
from townhall.errors import NotFound, PremiumRequired, ValidationFailed
from townhall.presenter import present
from townhall.services.context import DEFAULT_SITE, Context
from townhall.services.editorial import picks_of
from townhall.storage.protocols import Stores


@dataclass(frozen=True, slots=True)
class PageQuery:
    """What a reader asked for."""

    story_key: str
    stream: Stream = Stream.OPEN
    sort: Sort = Sort.NEWEST
    limit: int = 20
    cursor: str | None = None
    flat: bool = False  # every comment in one list, replies too, each naming its parent
    answered: bool = False  # questions with an answer only


def site_public(site: SiteConfig) -> dict[str, Any]:
    """Site settings the widget needs (nothing secret)."""
    return {
        "name": site.name,
        "heading": site.heading,
        "call_to_action": site.call_to_action,
        "premium_label": site.premium_name,
        "learn_more_url": site.learn_more_url,
        "guidelines": list(site.guidelines),
        "guidelines_url": site.guidelines_url,
        "local_accounts": site.local_accounts,
        "max_body": site.max_body,
        "edit_window_seconds": site.edit_window_seconds,
        "report_reasons": [{"id": k, "label": v} for k, v in REPORT_REASONS.items()],
        "language": site.language,
        # The publisher's own texts ride along with the first page: no request of their own.
        "messages": site.messages.get("widget", {}),
    }


def story_public(story: Story | None, key: str, site: SiteConfig, now: datetime) -> dict[str, Any]:
    """Story facts the widget needs; an unknown story reads as open and empty."""
    return {
        "id": key,
        "title": story.title if story else None,
        "url": story.url if story else None,
        "is_closed": story.is_closed_at(now) if story else False,
        "premoderate": story.premoderate if story else False,
        "premium_enabled": story.premium_enabled if story else True,
        "premium_read_restricted": site.premium_read_restricted,
        "prompt": story.prompt if story else None,
        "likes_closed": story.likes_closed if story else False,
        "qa_mode": story.qa_mode if story else False,
        "counts": {
            "open": story.public_count(Stream.OPEN) if story else 0,
            "premium": story.public_count(Stream.PREMIUM) if story else 0,
        },
    }


def _check_limit(limit: int) -> None:
    if not 1 <= limit <= LIST_LIMIT_MAX:
        raise ValidationFailed(
            f"limit must be between 1 and {LIST_LIMIT_MAX}", field="limit", rule="range"
        )


def _present_all(
    views: list[CommentView], viewer_id: int | None, story_key: str, site: SiteConfig, now: datetime
) -> list[dict[str, Any]]:
    return [
        present(
            v,
            viewer_id=viewer_id,
            story_key=story_key,
            edit_window=site.edit_window_seconds,
            now=now,
        )
        for v in views
    ]


def _ids(views: list[CommentView]) -> list[int]:
    """Ids of some comments and of the replies they carry."""
    out: list[int] = []
    for v in views:
        out.append(v.comment.id)
        out.extend(_ids(v.replies))
    return out


def _as_if_public(comments: list[dict[str, Any]], own_children: dict[int, int]) -> None:
    """Counts a shadow-banned reader sees: their own likes and replies count, as they
    would if they were public (nobody else's counts include them)."""
    for c in comments:
        if c["liked_by_me"]:
            c["like_count"] += 1  # their likes are recorded, never counted
        if c["depth"] > 0:
            c["reply_count"] += own_children.get(c["id"], 0)
        _as_if_public(c["replies"], own_children)


async def list_comments(
    ctx: Context, viewer: User | None, q: PageQuery, site_id: str = DEFAULT_SITE
) -> dict[str, Any]:
    """One page of top-level comments with their first replies, counts and my likes."""
    _check_limit(q.limit)
    if q.cursor:
        ORDERS[q.sort].decode(q.cursor)  # refuse a bad cursor even on an empty story
    site = await ctx.site(site_id)
    now = ctx.clock()
    if (
        q.stream is Stream.PREMIUM
        and site.premium_read_restricted
        and not (viewer and (viewer.is_premium or viewer.is_staff))
    ):
        raise PremiumRequired(
            f"{site.premium_name} comments are for subscribers", learn_more_url=site.learn_more_url
        )
    viewer_id = viewer.id if viewer else None
    async with ctx.read() as tx:
        if q.flat or q.answered:
            story, items, next_cursor = await _other_view(tx, site.id, q, viewer_id)
        else:
            story, items, next_cursor = await tx.comments.story_page(
                site_id=site.id,
                story_key=q.story_key,
                stream=q.stream,
                sort=q.sort,
                limit=q.limit,
                cursor=q.cursor,
                viewer_id=viewer_id,
            )
        total = story.public_count(q.stream) if story is not None else 0
        if story is not None:
            if viewer_id is not None:
                await tx.comments.mark_mine(viewer_id, items)
        # The picks travel with a first page: the widget shows them first, no request more.
        featured = (
            await picks_of(tx, site, story, viewer, now)
            if story and story.pick_count and not q.cursor
            else []
        )
        pinned = await _pinned(tx, story, q) if story and not q.cursor else None
        own = None
        if story is not None and viewer is not None and viewer.is_shadowbanned:
            total += await tx.shadow.in_stream(story.id, q.stream, viewer.id)
            own = await tx.shadow.children(_ids(items), viewer.id)
    comments = _present_all(items, viewer_id, q.story_key, site, now)
    if q.sort is Sort.BEST:
        # "Why is this here?": the parts of each comment's place, and its score now.
        for out, view in zip(comments, items, strict=True):
            out["best"] = BestInputs.of(view.comment).explain(now)
    if own is not None:
        _as_if_public(comments, own)
    return {
        "comments": comments,
        "next_cursor": next_cursor,
        "total": total,
        "story": story_public(story, q.story_key, site, now),
        "site": site_public(site),
        "featured": featured,
        "pinned": None
        if pinned is None
        else present(
            pinned,
            viewer_id=viewer_id,
            story_key=q.story_key,
            edit_window=site.edit_window_seconds,
            now=now,
        ),
    }


async def _other_view(
    tx: Stores, site_id: str, q: PageQuery, viewer_id: int | None
) -> tuple[Story | None, list[CommentView], str | None]:
    """The unthreaded view, or a Q&A story's answered questions with their answers."""
    story = await tx.stories.by_key(site_id, q.story_key)
    if story is None:
        return None, [], None
    items, next_cursor = await tx.comments.top_level(
        story_id=story.id,
        stream=q.stream,
        sort=q.sort,
        limit=q.limit,
        cursor=q.cursor,
        viewer_id=viewer_id,
        flat=q.flat,
        answered=q.answered,
    )
    if q.flat:
        for v in items:
            v.thread_total = v.comment.reply_count
        return story, items, next_cursor
    ids = [v.comment.id for v in items]
    _replies, totals = await tx.comments.first_replies(ids, viewer_id)
    # Answered questions come with their answers, however many replies readers wrote first.
    answers = await tx.comments.answers(ids)
    for v in items:
        v.replies = answers.get(v.comment.id, [])
        v.thread_total = totals.get(v.comment.id, 0)
    return story, items, next_cursor


async def _pinned(tx: Stores, story: Story, q: PageQuery) -> CommentView | None:
    """The story's pinned staff comment, on the first page of its own stream."""
    if story.pinned_comment_id is None:
        return None
    view = await tx.comments.view(story.site_id, story.pinned_comment_id)
    if view is None or not view.comment.is_public or view.comment.stream is not q.stream:
        return None
    view.thread_total = view.comment.reply_count
    return view


async def list_replies(
    ctx: Context,
    viewer: User | None,
    comment_id: int,
    *,
    limit: int,
    cursor: str | None,
    site_id: str = DEFAULT_SITE,
) -> dict[str, Any]:
    """All replies of a thread, oldest first, paginated."""
    _check_limit(limit)
    if cursor:
        THREAD.decode(cursor)
    site = await ctx.site(site_id)
    viewer_id = viewer.id if viewer else None
    async with ctx.read() as tx:
        root = await tx.comments.by_id(site.id, comment_id)
        if root is None or root.depth != 0:
            raise NotFound("thread not found")
        # A held, rejected or shadowed thread exists only for its author.
        if not (
            root.is_public
            or root.status is Status.DELETED
            or (root.author_id == viewer_id and root.status in (Status.PUBLISHED, Status.PENDING))
        ):
            raise NotFound("thread not found")
        story = await tx.stories.by_id(root.story_id)
        if (
            root.stream is Stream.PREMIUM
            and site.premium_read_restricted
            and not (viewer and (viewer.is_premium or viewer.is_staff))
        ):
            raise PremiumRequired(f"{site.premium_name} comments are for subscribers")
        items, nxt, total = await tx.comments.thread(
            root_id=root.id, limit=limit, cursor=cursor, viewer_id=viewer_id
        )
        if viewer_id is not None:
            await tx.comments.mark_mine(viewer_id, items)
        own = None
        if viewer is not None and viewer.is_shadowbanned:
            own = await tx.shadow.children(_ids(items), viewer.id)
    assert story is not None
    now = ctx.clock()
    comments = _present_all(items, viewer_id, story.key, site, now)
    if own is not None:
        _as_if_public(comments, own)
    return {
        "comments": comments,
        "next_cursor": nxt,
        "total": total,
    }


async def counts(ctx: Context, keys: list[str], site_id: str = DEFAULT_SITE) -> dict[str, int]:
    """Published comment counts for many stories (for article lists)."""
    if not keys:
        raise ValidationFailed("give at least one story_id", field="story_id", rule="required")
    if len(keys) > COUNT_STORIES_MAX:
        raise ValidationFailed(
            f"at most {COUNT_STORIES_MAX} story ids", field="story_id", rule="max-items"
        )
    site = await ctx.site(site_id)
    out = dict.fromkeys(keys, 0)
    async with ctx.read() as tx:
        out.update(await tx.stories.public_counts(site.id, keys))
    return out

"""Posting, editing, deleting, liking and reporting comments."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import orjson

from townhall import metrics
from townhall.auth.tokens import hash_token
from townhall.domain import urls
from townhall.domain.changes import CommentChanged, LikesChanged, ReportAdded
from townhall.domain.limits import NOTE_MAX, RECENT_POSTS_CHECKED, STORY_KEY_MAX
from townhall.domain.models import (
    EXPLAINED_REASONS,
    FLAG_REASONS,
    REPORT_REASONS,
    Comment,
    Status,
    Story,
    Stream,
    User,
    UserState,
)
from townhall.domain.site import SiteConfig
from townhall.domain.sorting import best_rank
from townhall.domain.trust import Level, TrustRules
from townhall.domain.views import CommentView
from townhall.errors import (
    AlreadyReported,
    Banned,
    CommentRejected,
    EditWindowClosed,
    Forbidden,
    LikesClosed,
    NameRequired,
    NotFound,
    OwnComment,
    PremiumRequired,
    StoryClosed,
    Suspended,
    Unauthenticated,
    ValidationFailed,
)
from townhall.moderation.pipeline import Action, Review, Rules, Submission, review
from townhall.presenter import present
from townhall.ratelimit import POSTS_PER_ACCOUNT, enforce
from townhall.services import accounts, notes, sites, trust
from townhall.services.context import Context
from townhall.services.feed import NewComment
from townhall.storage.protocols import AuthorContext, Stores

BURST_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class Draft:
    """A new comment as the author sent it."""

    story_key: str
    body: str
    stream: Stream = Stream.OPEN
    parent_id: int | None = None
    story_url: str | None = None
    story_title: str | None = None
    client: str = ""
    own_origin: str | None = None  # this server's, as the request reached it


def ensure_can_act(user: User, *, now: datetime, action: str = "comment") -> None:
    """Refuse banned and suspended users, saying why and until when."""
    state = user.state(now)
    if state is UserState.BANNED:
        raise Banned(f"your account has been banned from commenting; you cannot {action}")
    if state is UserState.SUSPENDED:
        assert user.suspended_until is not None
        until = user.suspended_until.isoformat().replace("+00:00", "Z")
        raise Suspended(
            f"your account is suspended until {until}; you cannot {action}", until=until
        )


def check_body(body: Any, site: SiteConfig) -> str:
    """Length and type rules for a comment body; stored as written."""
    if not isinstance(body, str):
        raise ValidationFailed("body must be text", field="body", rule="type")
    if not body.strip():
        raise ValidationFailed("body must not be empty", field="body", rule="required")
    if len(body) > site.max_body:
        raise ValidationFailed(
            f"body must be at most {site.max_body} characters",
            field="body",
            rule="max-length",
            limit=site.max_body,
        )
    if "\x00" in body:
        raise ValidationFailed("body contains a NUL character", field="body", rule="characters")
    return body


_RULES: dict[tuple[str, str, bytes], Rules] = {}


def site_rules(site: SiteConfig) -> Rules:
    """The site's moderation rules, parsed once per distinct settings.

    Keyed by content, not by the settings version: two databases (or a restored
    one) can share a version number while holding different rules.
    """
    key = (site.name, site.language, orjson.dumps(site.moderation, option=orjson.OPT_SORT_KEYS))
    rules = _RULES.get(key)
    if rules is None:
        rules = replace(Rules.from_settings(site.moderation), site_language=site.language)
        if not rules.publisher_name:
            rules = replace(rules, publisher_name=site.name)
        if len(_RULES) > 100:
            _RULES.clear()
        _RULES[key] = rules
    return rules


async def submission(
    ctx: Context,
    tx: Stores,
    *,
    user: User,
    body: str,
    story: Story | None,
    site: SiteConfig,
    is_edit: bool,
    old_body: str | None = None,
    history: AuthorContext | None = None,
    now: datetime | None = None,
) -> Submission:
    """What the pipeline needs to judge a text: the site's rules and the author's history
    (`history`: read with the session at `now`, the post's moment)."""
    now = now or ctx.clock()
    rules = site_rules(site)
    # As many recent comments as the checks look at: the repeat window (one more for
    # an edit's own earlier text) and, with rate limits on, enough to reach the burst limit.
    wanted = max(rules.repeat_window + 1, rules.burst_limit if ctx.settings.rate_limits else 0)
    limit = max(1, min(wanted, RECENT_POSTS_CHECKED))
    if history is not None:  # read with the session, as of the same moment
        recent = history.recent[:limit]
    else:
        recent = await tx.comments.recent_by_author(user.id, now - BURST_WINDOW, limit=limit)
    burst_since = now - timedelta(seconds=rules.burst_window_seconds)
    burst = sum(1 for _, when in recent if when >= burst_since) if ctx.settings.rate_limits else 0
    hold = rules.new_user_hold_count
    # The session's read, when what it guessed of the site's rules holds: its counts are
    # the ones.
    ahead = history if history is not None and history.asked == _asks(site, now) else None
    if ahead is not None:
        published = ahead.published
    else:
        published = await tx.comments.published_count_by_author(user.id, hold)
    staff = tuple(history.staff if history is not None else await tx.users.staff_names(site.id))
    if staff:
        rules = replace(rules, staff_names=(*rules.staff_names, *staff))
    held, trusted = None, False
    if not user.is_staff:
        standing = await trust.reader_standing(
            tx,
            user,
            site,
            now=now,
            probation_count=hold,
            published=published,
            record=ahead.trust if ahead is not None else None,
            exact=False,
        )
        held, trusted = trust.held_reason(standing), standing.level is Level.TRUSTED
    return Submission(
        body=body,
        rules=rules,
        author_name=user.name,
        author_is_staff=user.is_staff,
        author_published_count=published,
        # An edit is not a repeat of the comment's own earlier text.
        recent_bodies=tuple(b for b, _ in recent if b != old_body)[:10],
        recent_post_count=burst,
        other_names=staff,
        story_premoderate=story.premoderate if story else False,
        is_edit=is_edit,
        author_trusted=trusted,
        author_held=held,
    )


def _asks(site: SiteConfig | None, now: datetime) -> tuple[int, datetime, datetime, int]:
    """What judging a post on this site reads of the author's record: published comments
    up to the probation count, and comments since the two trust windows began (published
    ones up to the trust threshold)."""
    if site is None:
        return 0, now, now, 0
    trust_rules = TrustRules.from_settings(site.trust)
    recent_since, premod_since = trust_rules.windows(now)
    hold = site_rules(site).new_user_hold_count
    return hold, recent_since, premod_since, trust_rules.enough


async def _moderate(ctx: Context, tx: Stores, **kwargs: Any) -> Review:
    return review(await submission(ctx, tx, **kwargs))


def _status_for(result: Review) -> Status:
    if result.action is Action.REJECT:
        return Status.REJECTED
    if result.action is Action.HOLD:
        return Status.PENDING
    return Status.PUBLISHED


async def _adjust_parent(tx: Stores, before: Comment | None, after: Comment) -> None:
    """Keep the parent's count of public children true across a status change."""
    if after.parent_id is None:
        return
    was = before.is_public if before else False
    if was != after.is_public:
        await tx.comments.bump(after.parent_id, "reply_count", 1 if after.is_public else -1)


def _replyable(parent: Comment | None, story: Story | None, user: User, stream: Stream) -> bool:
    return not (
        parent is None
        or story is None
        or parent.story_id != story.id
        or parent.stream is not stream
        or parent.status is not Status.PUBLISHED
        or (parent.is_shadowed and parent.author_id != user.id)
    )


async def _admit(ctx: Context, user: User, draft: Draft, site: SiteConfig, now: datetime) -> str:
    """May this user post this draft now? Its body, checked."""
    ensure_can_act(user, now=now, action="post comments")
    if not user.name:
        raise NameRequired("create a commenting name to join the debate")
    if not draft.story_key or len(draft.story_key) > STORY_KEY_MAX:
        raise ValidationFailed("story id must be 1-255 characters", field="story_id", rule="length")
    body = check_body(draft.body, site)
    if ctx.settings.rate_limits:
        await enforce(
            ctx.limiter,
            f"post:{user.id}",
            limit=site.post_rate_per_minute,
            window=60,
            message="You're commenting too fast. Try again in {seconds} seconds.",
            name=POSTS_PER_ACCOUNT,
        )
    return body


async def _answered_by(
    tx: Stores, story: Story, parent: Comment, user: User, now: datetime
) -> None:
    """A public reply from staff (or a named expert) lifts its parent in the Best order
    and, on a Q&A story, answers the question it replies to."""
    if not (user.is_staff or user.is_expert):
        return
    values: dict[str, Any] = {}
    if not parent.staff_replied:
        values["staff_replied"] = True
    if story.qa_mode and parent.depth == 0 and parent.answered_at is None:
        values["answered_at"] = now
    if values:
        await tx.comments.update(parent.id, **values)
        await tx.comments.rerank(parent.id)


def _bad_parent() -> ValidationFailed:
    return ValidationFailed(
        "parent_id is not a comment you can reply to here", field="parent_id", rule="exists"
    )


async def post_comment(ctx: Context, user: User | str, draft: Draft) -> CommentView:
    """Check, moderate, store and announce a new comment; the author's view of it.

    `user` is the signed-in user, or their bearer token: then the session is found
    in the same read snapshot as the rest (one transaction less per post).

    The text is judged before the write transaction, from a read snapshot of the
    story and the author's history, so writers (one at a time on SQLite) never wait
    for the pipeline. The transaction checks the parent again; the story's settings
    are those of the snapshot, taken a moment before.
    """
    now = ctx.clock()
    in_reply_to = None
    history = None
    async with ctx.read() as tx:
        if isinstance(user, str):
            if accounts.plausible_token(user):
                # PostgreSQL: the session, story and history in one round trip, shaped
                # by the rules of the site this process saw last (checked once known).
                at_most, recent_since, premod_since, enough = _asks(ctx.site_seen(), now)
                history = await tx.users.author_context(
                    hash_token(user),
                    now,
                    story_key=draft.story_key,
                    since=now - BURST_WINDOW,
                    at_most=at_most,
                    recent_since=recent_since,
                    premod_since=premod_since,
                    enough=enough,
                )
            found = (
                history.user if history is not None else await accounts.session_user(tx, user, now)
            )
            if found is None:
                raise Unauthenticated(accounts.SESSION_EXPIRED)
            user = found
        site = await ctx.site(user.site_id, tx)
        body = await _admit(ctx, user, draft, site, now)
        await notes.ensure_no_open_warning(tx, user, history)
        if history is not None:
            known = history.story
        else:
            known = await tx.stories.by_key(site.id, draft.story_key)
        if draft.parent_id is not None:
            parent_view = await tx.comments.view(site.id, draft.parent_id)
            if parent_view is None or not _replyable(
                parent_view.comment, known, user, draft.stream
            ):
                raise _bad_parent()
            in_reply_to = parent_view.author_name
        sub = await submission(
            ctx,
            tx,
            user=user,
            body=body,
            story=known,
            site=site,
            is_edit=False,
            history=history,
            now=now,
        )
    result = review(sub)
    url = urls.story_url(draft.story_url, sites.story_origins(ctx, site, draft.own_origin))
    title = urls.plain_title(draft.story_title)
    status = _status_for(result)
    # A published top-level comment on a story that needs no change is one statement
    # (the insert with the story's count) where the database allows it.
    alone = (
        NewComment(site.id, reply=False, public=not user.is_shadowbanned, by_staff=user.is_staff)
        if draft.parent_id is None
        and status is Status.PUBLISHED
        and known is not None
        and not ((url and not known.url) or (title and not known.title))
        else None
    )
    async with ctx.write(alone=alone) as tx:
        story = known
        if story is None or (url and not story.url) or (title and not story.title):
            story = await tx.stories.get_or_create(
                site.id, draft.story_key, url=url, title=title, now=now
            )
        if story.is_closed_at(now):
            raise StoryClosed("this story is closed for comments")
        if draft.stream is Stream.PREMIUM:
            if not story.premium_enabled:
                raise ValidationFailed(
                    "this story has no Premium stream", field="stream", rule="disabled"
                )
            if not (user.is_premium or user.is_staff):
                raise PremiumRequired(
                    f"only {site.premium_name} subscribers can post here",
                    learn_more_url=site.learn_more_url,
                )
        parent = None
        if draft.parent_id is not None:
            parent = await tx.comments.by_id(site.id, draft.parent_id)
            if not _replyable(parent, story, user, draft.stream):
                raise _bad_parent()
            assert parent is not None
        if story.premoderate != sub.story_premoderate:  # changed since the read
            result = review(replace(sub, story_premoderate=story.premoderate))
        status = _status_for(result)
        values = {
            "site_id": site.id,
            "story_id": story.id,
            "stream": draft.stream.value,
            "parent_id": parent.id if parent else None,
            "root_id": (parent.root_id or parent.id) if parent else None,
            "depth": parent.depth + 1 if parent else 0,
            "author_id": user.id,
            "body": body,
            "status": status.value,
            "created_at": now,
            "is_shadowed": user.is_shadowbanned,
            "findings": result.to_json(),
            "guideline": result.guideline,
            "score": result.top_score,
            "best_rank": best_rank(
                likes=0,
                reports=0,
                featured=False,
                staff_replied=False,
                held=result.guideline is not None,
                created_at=now,
            ),
        }
        added = await tx.comments.add_counted(values) if alone is not None else None
        if added is not None:
            comment, total = added
            count = total if comment.is_public else None
        else:
            comment = await tx.comments.add(values)
            if parent is not None and comment.is_public:
                await _answered_by(tx, story, parent, user, now)
            if parent is None and comment.root_id is None:  # PostgreSQL sets it on insert
                await tx.comments.set_root(comment.id)
                comment = replace(comment, root_id=comment.id)
            await _adjust_parent(tx, None, comment)
            # The new total, read on the writer's own connection (a fresh snapshot
            # would first reload the pages this transaction just changed).
            count = (
                await tx.stories.public_count(story.id, draft.stream) if comment.is_public else None
            )
        if status is not Status.PUBLISHED:
            await tx.audit.add(
                site_id=site.id,
                actor=None,
                action=f"comment.auto_{status.value}",
                target_type="comment",
                target_id=comment.id,
                before=None,
                after={"guideline": result.guideline, "reason": result.reason},
                now=now,
            )
        view = CommentView(
            comment=comment,
            author_name=user.name,
            author_premium=user.is_premium,
            author_role=user.role,
            in_reply_to=in_reply_to,
        )
        tx.record(CommentChanged(story, comment, view=view, count=count))
    metrics.COMMENTS.labels(status.value).inc()
    if status is Status.REJECTED:
        # The author learns the guideline, the passage and how to fix it; the
        # matched words stay with the moderators.
        raise CommentRejected(
            "This comment has been rejected for violating our guidelines",
            comment_id=comment.id,
            **result.for_author(),
        )
    return view


async def edit_comment(ctx: Context, user: User, comment_id: int, body: Any) -> Comment:
    """Let the author change the text within the edit window; moderate it again."""
    now = ctx.clock()
    site = await ctx.site(user.site_id)
    ensure_can_act(user, now=now, action="edit comments")
    body = check_body(body, site)
    async with ctx.write() as tx:
        before = await tx.comments.by_id(site.id, comment_id, for_update=True)
        if before is None or before.status is Status.DELETED:
            raise NotFound("comment not found")
        if before.author_id != user.id:
            raise Forbidden("only the author can edit this comment")
        if before.status is Status.REJECTED:
            raise Forbidden("a rejected comment cannot be edited")
        if now - before.created_at > timedelta(seconds=site.edit_window_seconds):
            raise EditWindowClosed("Edit time has expired. You can no longer edit this comment.")
        story = await tx.stories.by_id(before.story_id)
        assert story is not None
        if story.is_closed_at(now):
            raise StoryClosed("this story is closed for comments")
        result = await _moderate(
            ctx,
            tx,
            user=user,
            body=body,
            story=story,
            site=site,
            is_edit=True,
            old_body=before.body,
        )
        status = _status_for(result)
        if before.status is Status.PENDING and status is Status.PUBLISHED:
            status = Status.PENDING  # an edit never releases a held comment
        after = await tx.comments.update(
            comment_id,
            body=body,
            edited_at=now,
            status=status.value,
            findings=result.to_json(),
            guideline=result.guideline,
            score=result.top_score,
        )
        await _adjust_parent(tx, before, after)
        await tx.audit.add(
            site_id=site.id,
            actor=user,
            action="comment.edit",
            target_type="comment",
            target_id=comment_id,
            before={"status": before.status.value},
            after={"status": status.value, "guideline": result.guideline},
            now=now,
        )
        tx.record(CommentChanged(story, after, before=before))
    if status is Status.REJECTED:
        # The author learns the guideline, the passage and how to fix it; the
        # matched words stay with the moderators.
        raise CommentRejected(
            "This comment has been rejected for violating our guidelines",
            comment_id=comment_id,
            **result.for_author(),
        )
    return after


async def delete_comment(ctx: Context, user: User, comment_id: int) -> None:
    """Author or staff delete; the text is wiped, a tombstone stays if it has replies."""
    now = ctx.clock()
    async with ctx.write() as tx:
        before = await tx.comments.by_id(user.site_id, comment_id, for_update=True)
        if before is None or before.status is Status.DELETED:
            raise NotFound("comment not found")
        if before.author_id != user.id and not user.is_staff:
            raise Forbidden("you can delete only your own comments")
        after = await tx.comments.update(
            comment_id, status=Status.DELETED.value, body="", deleted_at=now, findings=None
        )
        if before.author_id == user.id:
            # The author takes their words back: from the retraining examples too.
            await tx.decisions.forget(comment_id)
        await _adjust_parent(tx, before, after)
        await tx.audit.add(
            site_id=user.site_id,
            actor=user,
            action="comment.delete",
            target_type="comment",
            target_id=comment_id,
            before={"status": before.status.value, "author_id": before.author_id},
            after={"status": "deleted"},
            now=now,
        )
        story = await tx.stories.by_id(before.story_id)
        assert story is not None
        tx.record(CommentChanged(story, after, before=before))


async def _likeable(ctx: Context, tx: Stores, user: User, comment_id: int, verb: str) -> Comment:
    comment = await tx.comments.by_id(user.site_id, comment_id)
    if comment is None or not (comment.is_public or comment.author_id == user.id):
        raise NotFound("comment not found")
    if comment.author_id == user.id:
        raise OwnComment(f"you cannot {verb} your own comment")
    return comment


async def set_like(ctx: Context, user: User, comment_id: int, liked: bool) -> tuple[int, bool]:
    """Like or withdraw a like; idempotent; returns (like_count, liked_by_me)."""
    now = ctx.clock()
    ensure_can_act(user, now=now, action="like comments")
    async with ctx.write() as tx:
        comment = await _likeable(ctx, tx, user, comment_id, "like")
        story = await tx.stories.by_id(comment.story_id)
        if story is not None and story.likes_closed:
            raise LikesClosed("this story is closed for likes; comments stay open")
        if liked:
            changed = await tx.comments.add_like(comment_id, user.id, now)
        else:
            changed = await tx.comments.remove_like(comment_id, user.id)
        count = comment.like_count
        if changed and user.is_shadowbanned:
            # Recorded, never counted: the shadow-banned see their own like take effect.
            return count + (1 if liked else 0), liked
        if changed:
            count = await tx.comments.bump(comment_id, "like_count", 1 if liked else -1)
            await tx.comments.rerank(comment_id)
            if story is not None:
                tx.record(LikesChanged(story, comment, count))
    return count, liked


async def report_comment(
    ctx: Context, user: User, comment_id: int, *, reason: Any, note: Any
) -> Comment:
    """Record a reader's report; enough flags hide the comment pending review."""
    now = ctx.clock()
    ensure_can_act(user, now=now, action="report comments")
    if reason not in REPORT_REASONS:
        raise ValidationFailed(
            f"reason must be one of: {', '.join(REPORT_REASONS)}", field="reason", rule="enum"
        )
    if note is not None and (not isinstance(note, str) or len(note) > NOTE_MAX):
        raise ValidationFailed(
            f"note must be text of at most {NOTE_MAX} characters", field="note", rule="max-length"
        )
    if reason in EXPLAINED_REASONS and not (isinstance(note, str) and note.strip()):
        raise ValidationFailed(
            "explain in the note why this content is illegal", field="note", rule="required"
        )
    site = await ctx.site(user.site_id)
    async with ctx.write() as tx:
        comment = await _likeable(ctx, tx, user, comment_id, "report")
        added = await tx.comments.add_report(
            comment_id=comment_id, user_id=user.id, reason=reason, note=note or None, now=now
        )
        if not added:
            raise AlreadyReported("you have already reported this comment")
        reported = await tx.stories.by_id(comment.story_id)
        if reported is not None:
            tx.record(ReportAdded(reported, comment, reason, user.id))
        after = comment
        # A shadow-banned reader's report is kept for moderators but never hides anything.
        if reason in FLAG_REASONS and not user.is_shadowbanned:
            flags = await tx.comments.bump(comment_id, "report_count", 1)
            await tx.comments.rerank(comment_id)
            # Re-read under the row lock the bump holds: a concurrent report may have
            # hidden it already, and hiding twice would count the parent's reply down twice.
            comment = await tx.comments.by_id(site.id, comment_id) or comment
            after = comment
            if flags >= site.report_threshold and comment.status is Status.PUBLISHED:
                findings = [
                    *comment.findings,
                    {
                        "guideline": "reports",
                        "action": "hold",
                        "reason": f"{flags} reader reports",
                        "score": None,
                    },
                ]
                after = await tx.comments.update(
                    comment_id, status=Status.PENDING.value, findings=findings, guideline="reports"
                )
                await _adjust_parent(tx, comment, after)
                await tx.audit.add(
                    site_id=site.id,
                    actor=None,
                    action="comment.auto_hidden",
                    target_type="comment",
                    target_id=comment_id,
                    before={"status": "published"},
                    after={"status": "pending", "reports": flags},
                    now=now,
                )
        if after is not comment:
            story = await tx.stories.by_id(comment.story_id)
            if story is not None:
                tx.record(CommentChanged(story, after, before=comment))
    return after


async def comment_json(ctx: Context, comment: Comment, *, viewer: User | None) -> dict[str, Any]:
    """One comment as its viewer sees it (the answer to a write)."""
    site = await ctx.site(comment.site_id)
    async with ctx.read() as tx:
        view = await tx.comments.view(comment.site_id, comment.id)
        story = await tx.stories.by_id(comment.story_id)
        if viewer is not None and view is not None:
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

"""Moderators' work on comments: queues, counts, approve, reject, bulk decisions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from townhall.domain.changes import CommentChanged
from townhall.domain.limits import BULK_MAX, LIST_LIMIT_MAX, REASON_MAX
from townhall.domain.models import Comment, Sort, Status, User
from townhall.domain.queues import QUEUES, QueueFilter
from townhall.errors import NotFound, TownhallError, ValidationFailed
from townhall.presenter import iso
from townhall.render import render_body
from townhall.services.comments import _adjust_parent
from townhall.services.context import Context
from townhall.storage.protocols import Stores


class AlreadyDecided(TownhallError):
    code, status, title = "already-decided", 409, "Already decided"


@dataclass(frozen=True, slots=True)
class QueueQuery:
    """What a moderator asked to see."""

    queue: str = "pending"
    story_key: str | None = None
    stream: str | None = None
    guideline: str | None = None
    user_id: int | None = None
    sort: Sort = Sort.NEWEST
    cursor: str | None = None
    limit: int = 20


def _deciding(findings: list[dict[str, Any]], guideline: str | None) -> dict[str, Any] | None:
    for f in findings:
        if guideline and f.get("guideline") == guideline and f.get("action") != "publish":
            return f
    return next((f for f in findings if f.get("action") in ("hold", "reject")), None)


def card_json(
    card: dict[str, Any],
    *,
    reports: Sequence[dict[str, Any]] = (),
    history: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One comment as a moderator sees it: text, author, story, why it was held, reports."""
    c: Comment = card["comment"]
    findings = [f for f in c.findings if f.get("guideline") != "moderator"]
    decisions = [f for f in c.findings if f.get("guideline") == "moderator"]
    held = _deciding(findings, card["guideline"])
    scores = [f["score"] for f in findings if isinstance(f.get("score"), int | float)]
    author = dict(card["author"])
    author["suspended_until"] = iso(author["suspended_until"])
    if history is not None:
        author["history"] = history
    return {
        "id": c.id,
        "status": c.status.value,
        "stream": c.stream.value,
        "body_html": "" if c.status is Status.DELETED else render_body(c.body),
        "created_at": iso(c.created_at),
        "edited_at": iso(c.edited_at),
        "parent_id": c.parent_id,
        "in_reply_to": card["in_reply_to"],
        "depth": c.depth,
        "story": {"id": card["story"]["key"], "title": card["story"]["title"]},
        "story_url": card["story_url"],
        "author": author,
        "guideline": card["guideline"],
        "reason": held.get("reason") if held else None,
        "findings": findings,
        "score": max(scores) if scores else None,
        "like_count": c.like_count,
        "report_count": c.report_count,
        "reports": [{**r, "created_at": iso(r["created_at"])} for r in reports],
        "is_shadowed": c.is_shadowed,
        "decided_by": card["decided_by"],
        "decided_at": iso(card["decided_at"]),
        "featured": c.featured_at is not None,
        "feature_note": c.feature_note,
        "rejection_reason": decisions[-1]["reason"]
        if decisions and c.status is Status.REJECTED
        else None,
    }


def _check_queue(q: QueueQuery) -> None:
    if q.queue not in QUEUES:
        raise ValidationFailed(
            f"queue must be one of: {', '.join(QUEUES)}", field="queue", rule="enum"
        )
    if q.sort not in (Sort.NEWEST, Sort.OLDEST):
        raise ValidationFailed("sort must be newest or oldest", field="sort", rule="enum")
    if not 1 <= q.limit <= LIST_LIMIT_MAX:
        raise ValidationFailed(
            f"limit must be between 1 and {LIST_LIMIT_MAX}", field="limit", rule="range"
        )


async def _filter(ctx: Context, tx: Stores, staff: User, q: QueueQuery) -> QueueFilter | None:
    story_id = None
    if q.story_key:
        story = await tx.stories.by_key(staff.site_id, q.story_key)
        if story is None:
            return None
        story_id = story.id
    if q.user_id is not None:
        author = await tx.users.by_id(q.user_id)
        if author is None or author.site_id != staff.site_id:
            return None
    return QueueFilter(
        site_id=staff.site_id,
        queue=q.queue,
        story_id=story_id,
        stream=q.stream,
        guideline=q.guideline,
        author_id=q.user_id,
    )


async def list_queue(ctx: Context, staff: User, q: QueueQuery) -> dict[str, Any]:
    """A page of one queue's cards with author histories and open reports."""
    _check_queue(q)
    async with ctx.read() as tx:
        f = await _filter(ctx, tx, staff, q)
        if f is None:
            return {"comments": [], "next_cursor": None, "counts": dict.fromkeys(QUEUES, 0)}
        cards, nxt = await tx.moderation.queue(f, sort=q.sort, limit=q.limit, cursor=q.cursor)
        ids = [card["comment"].id for card in cards]
        found = await tx.moderation.reports_for(ids)
        hist = await tx.moderation.histories(sorted({card["author"]["id"] for card in cards}))
        counts = await tx.moderation.counts(f)
    return {
        "comments": [
            card_json(
                card,
                reports=found.get(card["comment"].id, []),
                history=hist.get(card["author"]["id"]),
            )
            for card in cards
        ],
        "next_cursor": nxt,
        "counts": counts,
    }


async def queue_counts(ctx: Context, staff: User, q: QueueQuery) -> dict[str, int]:
    """How many comments wait in each queue (same filters as the listing)."""
    async with ctx.read() as tx:
        f = await _filter(ctx, tx, staff, q)
        if f is None:
            return dict.fromkeys(QUEUES, 0)
        return await tx.moderation.counts(f)


def _check_reason(reason: Any, *, required: bool) -> str | None:
    if reason is None or (isinstance(reason, str) and not reason.strip()):
        if required:
            raise ValidationFailed(
                "give a reason for the rejection", field="reason", rule="required"
            )
        return None
    if not isinstance(reason, str) or len(reason) > REASON_MAX:
        raise ValidationFailed(
            f"reason must be text of at most {REASON_MAX} characters",
            field="reason",
            rule="max-length",
        )
    return reason.strip()


def _held_by_review(c: Comment) -> bool:
    """Held before publication (pre-moderation), not hidden afterwards by reader reports."""
    return c.status is Status.PENDING and not (
        c.findings and c.findings[-1].get("guideline") == "reports"
    )


async def _keep_example(
    tx: Stores, staff: User, before: Comment, *, approve: bool, now: datetime
) -> None:
    """Keep a decision on a held comment as a labelled example, with the text and the
    automatic findings as the moderator saw them (same transaction as the decision)."""
    findings = [f for f in before.findings if f.get("guideline") != "moderator"]
    held = _deciding(findings, None)
    await tx.decisions.add(
        site_id=before.site_id,
        comment_id=before.id,
        body=before.body,
        findings=findings,
        guideline=held.get("guideline") if held else None,
        decision="approve" if approve else "reject",
        moderator_id=staff.id,
        now=now,
    )


async def _decide(
    ctx: Context,
    staff: User,
    comment_id: int,
    *,
    approve: bool,
    reason: str | None,
    expected: str | None = None,
) -> dict[str, Any]:
    now = ctx.clock()
    async with ctx.write() as tx:
        before = await tx.comments.by_id(staff.site_id, comment_id, for_update=True)
        if before is None or before.status is Status.DELETED:
            raise NotFound("comment not found")
        if expected is not None and before.status.value != expected:
            raise AlreadyDecided(
                f"this comment is {before.status.value} now; another moderator decided it",
                current_status=before.status.value,
            )
        if approve:
            if before.status is Status.PUBLISHED and before.report_count == 0:
                raise AlreadyDecided("this comment is already approved")
            after = await tx.moderation.decide(
                comment_id,
                status=Status.PUBLISHED.value,
                by=staff.id,
                now=now,
                clear_reports=True,
            )
        else:
            if before.status is Status.REJECTED:
                raise AlreadyDecided("this comment is already rejected")
            findings = [
                *before.findings,
                {"guideline": "moderator", "action": "reject", "reason": reason, "score": None},
            ]
            await tx.comments.update(comment_id, findings=findings)
            after = await tx.moderation.decide(
                comment_id,
                status=Status.REJECTED.value,
                by=staff.id,
                now=now,
                clear_reports=False,
            )
        if _held_by_review(before):
            await _keep_example(tx, staff, before, approve=approve, now=now)
        await _adjust_parent(tx, before, after)
        after = await tx.comments.rerank(comment_id)
        await tx.audit.add(
            site_id=staff.site_id,
            actor=staff,
            action="comment.approve" if approve else "comment.reject",
            target_type="comment",
            target_id=comment_id,
            before={"status": before.status.value, "report_count": before.report_count},
            after={"status": after.status.value, **({"reason": reason} if reason else {})},
            now=now,
        )
        story = await tx.stories.by_id(before.story_id)
        card = await tx.moderation.card(staff.site_id, comment_id)
        assert story is not None and card is not None
        tx.record(CommentChanged(story, after, before=before, decided_by=staff, reason=reason))
    return card_json(card)


async def approve_comment(
    ctx: Context, staff: User, comment_id: int, *, expected: str | None = None
) -> dict[str, Any]:
    """Publish a held or rejected comment, or keep a reported one and clear its reports.

    `expected` is the status the moderator saw; a different one means someone else decided.
    """
    return await _decide(ctx, staff, comment_id, approve=True, reason=None, expected=expected)


async def reject_comment(
    ctx: Context, staff: User, comment_id: int, reason: Any, *, expected: str | None = None
) -> dict[str, Any]:
    """Take a comment down for good, saying why (see approve_comment for `expected`)."""
    text = _check_reason(reason, required=True)
    return await _decide(ctx, staff, comment_id, approve=False, reason=text, expected=expected)


async def bulk_decide(
    ctx: Context, staff: User, ids: list[int], action: str, reason: Any
) -> dict[str, Any]:
    """Approve or reject several comments; each succeeds or fails on its own."""
    if action not in ("approve", "reject"):
        raise ValidationFailed("action must be approve or reject", field="action", rule="enum")
    if not ids or len(ids) > BULK_MAX:
        raise ValidationFailed(
            f"give between 1 and {BULK_MAX} comment ids", field="ids", rule="length"
        )
    text = _check_reason(reason, required=action == "reject")
    done: list[int] = []
    failed: list[dict[str, Any]] = []
    for comment_id in dict.fromkeys(ids):
        try:
            await _decide(ctx, staff, comment_id, approve=action == "approve", reason=text)
            done.append(comment_id)
        except (NotFound, AlreadyDecided) as exc:
            failed.append({"id": comment_id, "code": exc.code, "detail": exc.detail})
    return {"done": done, "failed": failed}

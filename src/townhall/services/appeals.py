"""Statements of reasons for removed comments, and authors' appeals against them: filed once,
reviewed by a moderator other than the one who decided, the outcome audited and announced."""

from __future__ import annotations

from typing import Any

from townhall.domain.changes import AppealDecided, CommentChanged
from townhall.domain.limits import APPEAL_MAX, LIST_LIMIT_MAX, REASON_MAX
from townhall.domain.models import Comment, Status, User
from townhall.errors import Conflict, Forbidden, NotFound, ValidationFailed
from townhall.moderation.findings import author_note
from townhall.presenter import iso
from townhall.services.comments import _adjust_parent
from townhall.services.context import Context
from townhall.services.moderation import card_json
from townhall.storage.protocols import Stores

OUTCOMES = {"uphold": "upheld", "overturn": "overturned"}
HOW_TO_APPEAL = (
    "You may appeal this decision once, in up to {max} characters, by POST to {url}. "
    "A moderator other than the one who decided reviews it, and you are told the outcome."
)


class AlreadyAppealed(Conflict):
    code, title = "already-appealed", "Already appealed"


class NotRemoved(Conflict):
    code, title = "not-removed", "Comment not removed"


async def _own_removed(tx: Stores, user: User, comment_id: int) -> Comment:
    comment = await tx.comments.by_id(user.site_id, comment_id)
    if comment is None or comment.author_id != user.id:
        raise NotFound("comment not found")
    if comment.status is not Status.REJECTED:
        raise NotRemoved("this comment was not removed", current_status=comment.status.value)
    return comment


def _facts(comment: Comment) -> tuple[bool, str | None, dict[str, Any] | None]:
    """(automated?, the moderator's words, the check's finding as the author may see it)."""
    decisions = [f for f in comment.findings if f.get("guideline") == "moderator"]
    if decisions:
        return False, decisions[-1].get("reason"), None
    found = next((f for f in comment.findings if f.get("action") == "reject"), None)
    return True, None, author_note(found) if found else None


def _appeal_json(appeal: dict[str, Any] | None) -> dict[str, Any] | None:
    if appeal is None:
        return None
    return {
        "status": appeal["status"],
        "text": appeal["text"],
        "created_at": iso(appeal["created_at"]),
        "decided_at": iso(appeal["decided_at"]),
        "outcome_reason": appeal["outcome_reason"],
    }


async def statement_of_reasons(ctx: Context, user: User, comment_id: int) -> dict[str, Any]:
    """Why the author's comment was removed: the guideline, the facts, whether a person or
    the automatic checks decided, when, and how to appeal."""
    async with ctx.read() as tx:
        comment = await _own_removed(tx, user, comment_id)
        card = await tx.moderation.card(user.site_id, comment_id)
        appeal = await tx.appeals.by_comment(comment_id)
    assert card is not None
    automated, words, finding = _facts(comment)
    url = f"/api/v1/comments/{comment_id}/appeal"
    return {
        "comment_id": comment_id,
        "decision": "removed",
        "guideline": card["guideline"] or "other",
        "facts": words if words else (finding or {}).get("message"),
        "passage": (finding or {}).get("span"),
        "automated": automated,
        "decided_at": iso(card["decided_at"] or comment.edited_at or comment.created_at),
        "how_to_appeal": HOW_TO_APPEAL.format(max=APPEAL_MAX, url=url),
        "can_appeal": appeal is None,
        "appeal_url": url,
        "appeal_max": APPEAL_MAX,
        "appeal": _appeal_json(appeal),
    }


async def appeal_removal(ctx: Context, user: User, comment_id: int, text: Any) -> dict[str, Any]:
    """File the author's one appeal against a removal."""
    if not isinstance(text, str) or not text.strip():
        raise ValidationFailed("say why the decision was wrong", field="text", rule="required")
    if len(text) > APPEAL_MAX:
        raise ValidationFailed(
            f"text must be at most {APPEAL_MAX} characters", field="text", rule="max-length"
        )
    now = ctx.clock()
    async with ctx.write() as tx:
        comment = await _own_removed(tx, user, comment_id)
        if await tx.appeals.by_comment(comment_id) is not None:
            raise AlreadyAppealed("this removal has been appealed already")
        appeal = await tx.appeals.add(
            {
                "site_id": user.site_id,
                "comment_id": comment.id,
                "author_id": user.id,
                "text": text.strip(),
                "status": "open",
                "decider_id": await tx.moderation.decider_of(comment.id),
                "created_at": now,
            }
        )
        await tx.audit.add(
            site_id=user.site_id,
            actor=user,
            action="appeal.file",
            target_type="comment",
            target_id=comment.id,
            before={"status": comment.status.value},
            after={"appeal": appeal["id"]},
            now=now,
        )
    return _appeal_json(appeal) or {}


async def list_appeals(
    ctx: Context, staff: User, *, status: str = "open", limit: int = LIST_LIMIT_MAX
) -> dict[str, Any]:
    """Appeals for this moderator to review, oldest first: never their own decisions."""
    if status not in ("open", *OUTCOMES.values()):
        raise ValidationFailed(
            "status must be open, upheld or overturned", field="status", rule="enum"
        )
    async with ctx.read() as tx:
        rows = await tx.appeals.listing(
            staff.site_id, status=status, reviewer=staff.id, limit=limit
        )
        cards = [await tx.moderation.card(staff.site_id, r["comment_id"]) for r in rows]
    return {
        "appeals": [
            {"id": r["id"], **(_appeal_json(r) or {}), "comment": card_json(card)}
            for r, card in zip(rows, cards, strict=True)
            if card is not None
        ]
    }


async def decide_appeal(
    ctx: Context, staff: User, appeal_id: int, *, outcome: str, reason: Any = None
) -> dict[str, Any]:
    """Uphold the removal or overturn it (the comment is published); audited and announced.
    The moderator who removed the comment may not review its appeal."""
    if outcome not in OUTCOMES:
        raise ValidationFailed("outcome must be uphold or overturn", field="outcome", rule="enum")
    if reason is not None and (not isinstance(reason, str) or len(reason) > REASON_MAX):
        raise ValidationFailed(
            f"reason must be at most {REASON_MAX} characters", field="reason", rule="max-length"
        )
    now = ctx.clock()
    async with ctx.write() as tx:
        appeal = await tx.appeals.by_id(staff.site_id, appeal_id)
        if appeal is None:
            raise NotFound("appeal not found")
        if appeal["decider_id"] == staff.id:
            raise Forbidden("you made the decision under appeal; another moderator reviews it")
        if appeal["status"] != "open":
            raise Conflict(f"this appeal was {appeal['status']} already")
        before = await tx.comments.by_id(staff.site_id, appeal["comment_id"])
        if before is None:
            raise NotFound("comment not found")
        status = OUTCOMES[outcome]
        if outcome == "overturn" and before.status is Status.REJECTED:
            after = await tx.moderation.decide(
                before.id, status=Status.PUBLISHED.value, by=staff.id, now=now, clear_reports=True
            )
            await _adjust_parent(tx, before, after)
            story = await tx.stories.by_id(before.story_id)
            if story is not None:
                tx.record(CommentChanged(story, after, before=before))
        text = reason.strip() if isinstance(reason, str) and reason.strip() else None
        await tx.appeals.decide(appeal_id, status=status, reviewer=staff.id, reason=text, now=now)
        await tx.audit.add(
            site_id=staff.site_id,
            actor=staff,
            action=f"appeal.{outcome}",
            target_type="comment",
            target_id=before.id,
            before={"appeal": appeal_id, "status": before.status.value},
            after={"appeal": status, **({"reason": text} if text else {})},
            now=now,
        )
        notify_appeal_outcome(tx, appeal, status)
        card = await tx.moderation.card(staff.site_id, before.id)
    assert card is not None
    decided = {**appeal, "status": status, "decided_at": now, "outcome_reason": text}
    return {"id": appeal_id, **(_appeal_json(decided) or {}), "comment": card_json(card)}


def notify_appeal_outcome(tx: Stores, appeal: dict[str, Any], status: str) -> None:
    """The call point for telling the author the outcome: an `AppealDecided` change on the
    transaction, which listeners (notifications, e-mail, webhooks) receive after commit."""
    tx.record(
        AppealDecided(
            site_id=appeal["site_id"],
            appeal_id=appeal["id"],
            comment_id=appeal["comment_id"],
            author_id=appeal["author_id"],
            outcome=status,
        )
    )

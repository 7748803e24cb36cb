"""Bulk decisions over a filtered queue: preview, act on exactly the previewed set, undo."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from townhall.domain.changes import StoryChanged
from townhall.domain.limits import BULK_FILTER_MAX, BULK_PREVIEW_SECONDS
from townhall.domain.models import Status, User
from townhall.errors import Conflict, NotFound, ValidationFailed
from townhall.presenter import iso
from townhall.services.context import Context
from townhall.services.moderation import QueueQuery, check_reason, queue_filter
from townhall.storage.protocols import Stores

ACTIONS = ("approve", "reject")


class BulkExpired(Conflict):
    code, title = "bulk-expired", "Preview or undo window over"


class BulkUsed(Conflict):
    code, title = "bulk-used", "Already acted on"


def _check_action(action: str) -> None:
    if action not in ACTIONS:
        raise ValidationFailed("action must be approve or reject", field="action", rule="enum")


async def _announce(tx: Stores, story_ids: list[int]) -> None:
    """Each touched story's readers get its new counts (one event per stream, not per comment)."""
    for story_id in story_ids:
        story = await tx.stories.by_id(story_id)
        if story is not None:
            tx.record(StoryChanged(story, comments_changed=True))


async def _preview(
    ctx: Context, tx: Stores, staff: User, q: QueueQuery, action: str, reason: str | None
) -> dict[str, Any]:
    now = ctx.clock()
    await tx.bulk.expire(staff.site_id, now)
    f = await queue_filter(ctx, tx, staff, q)
    total = 0 if f is None else await tx.bulk.count(f, action)
    if total > BULK_FILTER_MAX:
        raise ValidationFailed(
            f"{total} comments match; narrow the filter to at most {BULK_FILTER_MAX}",
            field="filter",
            rule="max-matches",
            count=total,
        )
    token = secrets.token_urlsafe(24)
    bulk_id = await tx.bulk.create(
        {
            "site_id": staff.site_id,
            "token": token,
            "actor_id": staff.id,
            "action": action,
            "reason": reason,
            "filter": q.filters(),
            "state": "previewed",
            "created_at": now,
            "expires_at": now + timedelta(seconds=BULK_PREVIEW_SECONDS),
        }
    )
    count = 0 if f is None else await tx.bulk.snapshot(bulk_id, f, action)
    await tx.bulk.update(bulk_id, count=count)
    return {
        "bulk_id": bulk_id,
        "token": token,
        "count": count,
        "expires_at": now + timedelta(seconds=BULK_PREVIEW_SECONDS),
    }


async def bulk_by_filter(
    ctx: Context,
    staff: User,
    q: QueueQuery,
    *,
    action: str,
    reason: Any = None,
    dry_run: bool = False,
    snapshot: str | None = None,
) -> dict[str, Any]:
    """Count (dry run) or decide a filtered queue; acting with a preview's token touches
    exactly the comments it counted that nobody decided since."""
    _check_action(action)
    text = check_reason(reason, required=action == "reject" and not dry_run)
    if dry_run:
        async with ctx.write() as tx:
            found = await _preview(ctx, tx, staff, q, action, text)
        return {
            "dry_run": True,
            "action": action,
            "count": found["count"],
            "snapshot_token": found["token"],
            "expires_at": iso(found["expires_at"]),
        }
    site = await ctx.site(staff.site_id)
    async with ctx.write() as tx:
        now = ctx.clock()
        if snapshot is None:
            # No preview: the set is the queue as it is now.
            snapshot = (await _preview(ctx, tx, staff, q, action, text))["token"]
        bulk = await tx.bulk.by_token(staff.site_id, "token", snapshot)
        if bulk is None or bulk["actor_id"] != staff.id:
            raise NotFound("no such preview; preview the bulk decision again")
        if bulk["state"] != "previewed":
            raise BulkUsed("this preview was acted on already; preview again")
        if bulk["expires_at"] < now:
            raise BulkExpired("this preview is too old; preview again")
        if bulk["action"] != action:
            raise ValidationFailed(
                f"this preview was for {bulk['action']}", field="action", rule="preview"
            )
        finding = None
        if action == "reject":
            finding = {"guideline": "moderator", "action": "reject", "reason": text, "score": None}
        done, story_ids = await tx.bulk.act(
            bulk["id"], action=action, by=staff.id, now=now, finding=finding
        )
        undo_token = secrets.token_urlsafe(24)
        undo_until = now + timedelta(minutes=site.bulk_undo_minutes)
        await tx.bulk.update(
            bulk["id"],
            state="acted",
            done=done,
            acted_at=now,
            undo_token=undo_token,
            undo_until=undo_until,
            reason=text,
        )
        await tx.audit.add(
            site_id=staff.site_id,
            actor=staff,
            action=f"comment.bulk_{action}",
            target_type="bulk",
            target_id=bulk["id"],
            before={"previewed": bulk["count"], "filter": bulk["filter"]},
            after={
                "status": (Status.PUBLISHED if action == "approve" else Status.REJECTED).value,
                "count": done,
                "skipped": bulk["count"] - done,
                **({"reason": text} if text else {}),
            },
            now=now,
        )
        await _announce(tx, story_ids)
    return {
        "dry_run": False,
        "action": action,
        "count": done,
        "skipped": bulk["count"] - done,
        "undo_token": undo_token,
        "undo_until": iso(undo_until),
    }


async def undo_bulk(ctx: Context, staff: User, token: str) -> dict[str, Any]:
    """Put back, within the site's undo window, every comment a bulk decision changed and
    nobody decided since."""
    async with ctx.write() as tx:
        now = ctx.clock()
        bulk = await tx.bulk.by_token(staff.site_id, "undo_token", token)
        if bulk is None:
            raise NotFound("no such bulk decision to undo")
        if bulk["state"] != "acted":
            raise BulkUsed("this bulk decision was undone already")
        if bulk["undo_until"] < now:
            raise BulkExpired(
                "the undo window of this bulk decision is over", undo_until=iso(bulk["undo_until"])
            )
        status = Status.PUBLISHED if bulk["action"] == "approve" else Status.REJECTED
        reverted, story_ids = await tx.bulk.undo(
            bulk["id"], status=status.value, by=bulk["actor_id"], acted_at=bulk["acted_at"]
        )
        await tx.bulk.update(bulk["id"], state="undone", undone_at=now)
        await tx.audit.add(
            site_id=staff.site_id,
            actor=staff,
            action="comment.bulk_undo",
            target_type="bulk",
            target_id=bulk["id"],
            before={"action": bulk["action"], "count": bulk["done"]},
            after={"count": reverted, "skipped": bulk["done"] - reverted},
            now=now,
        )
        await _announce(tx, story_ids)
    return {"count": reverted, "skipped": bulk["done"] - reverted}

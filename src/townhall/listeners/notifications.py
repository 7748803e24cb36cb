"""Turn committed changes into outbox messages (in the same transaction) and wake the sender."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from townhall.domain.changes import (
    AppealDecided,
    Change,
    CommentChanged,
    CommentPicked,
    ReportAdded,
    UserBanned,
    WebhooksChanged,
)
from townhall.domain.models import REPORT_REASONS, Comment, Status, Story
from townhall.domain.site import SiteConfig
from townhall.services import notifications as notify
from townhall.services.editorial import notify_author_of_pick
from townhall.services.feed import NewComment
from townhall.storage.protocols import Stores

EXCERPT = 500
HOOKS_CACHE_SECONDS = 2.0
TO_SEND_MAX = 1000


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


def _link(story: Story, comment_id: int) -> str | None:
    return f"{story.url}#comment-{comment_id}" if story.url else None


def _story(story: Story) -> dict[str, Any]:
    return {"id": story.key, "title": story.title, "url": story.url}


def _comment(comment: Comment, author: str | None, story: Story) -> dict[str, Any]:
    return {
        "id": comment.id,
        "status": comment.status.value,
        "stream": comment.stream.value,
        "parent_id": comment.parent_id,
        "author_id": comment.author_id,
        "author_name": author,
        "body": comment.body,
        "created_at": comment.created_at.isoformat().replace("+00:00", "Z"),
        "url": _link(story, comment.id),
        "story": _story(story),
    }


def _bell(comment: Comment, author: str | None, story: Story) -> dict[str, Any]:
    return {
        "comment_id": comment.id,
        "author_name": author,
        "excerpt": _excerpt(comment.body)[:200],
        "url": _link(story, comment.id),
        "story": _story(story),
    }


def _held_guideline(comment: Comment) -> str | None:
    for finding in comment.findings:
        if finding.get("guideline") != "moderator" and finding.get("action") in ("hold", "reject"):
            return str(finding.get("guideline"))
    return None


class NotificationListener:
    """Writes reply and decision e-mails and webhook events beside the change itself."""

    name = "notifications"

    def __init__(
        self,
        clock: Callable[[], datetime],
        site: Callable[[str], Awaitable[SiteConfig]],
        wake: asyncio.Event | None = None,
    ) -> None:
        self.clock = clock
        self.site = site
        self.wake = wake or asyncio.Event()
        self._hooks: dict[str, tuple[float, bool]] = {}
        # Change lists whose transaction queued messages, until their commit is heard of.
        self._to_send: set[int] = set()

    def _known_hooks(self, site_id: str) -> bool | None:
        """Whether the site has webhooks, as this process last looked (None: not lately;
        a change of them drops what it knew)."""
        hit = self._hooks.get(site_id)
        if hit and time.monotonic() - hit[0] < HOOKS_CACHE_SECONDS:
            return hit[1]
        return None

    async def _has_hooks(self, tx: Stores, site_id: str) -> bool:
        """Whether the site has webhooks (looked up when not known lately)."""
        known = self._known_hooks(site_id)
        if known is not None:
            return known
        found = bool(await tx.notifications.webhooks(site_id))
        self._hooks[site_id] = (time.monotonic(), found)
        return found

    def quiet_for(self, new: NewComment) -> bool:
        """A reader's new public top-level comment notifies nobody (replies go to their
        parent's author, staff comments to the story's followers), unless the site has
        webhooks (or this process has not looked lately)."""
        no_hooks = self._known_hooks(new.site_id) is False
        return no_hooks and new.public and not new.reply and not new.by_staff

    async def staged(self, tx: Stores, changes: Sequence[Change]) -> None:
        """Queue what the changes call for; a failure here rolls the write back."""
        now = self.clock()
        for change in changes:
            if isinstance(change, CommentChanged):
                await self._reply(tx, change, now)
                await self._decision(tx, change, now)
                await self._staff_reply(tx, change, now)
                await self._alert(tx, change, now)
            elif isinstance(change, CommentPicked):
                await self._pick(tx, change, now)
            elif isinstance(change, AppealDecided):
                await notify.add_to_bell(
                    tx,
                    change.author_id,
                    "appeal",
                    {"comment_id": change.comment_id, "outcome": change.outcome},
                    f"appeal:{change.appeal_id}",
                    now=now,
                )
            site = _site_of(change)
            if site and await self._has_hooks(tx, site):
                await self._events(tx, change, now)
        if tx.notifications.queued:
            if len(self._to_send) > TO_SEND_MAX:  # writes that never committed
                self._to_send.clear()
            self._to_send.add(id(changes))

    async def committed(self, changes: Sequence[Change]) -> None:
        """Wake this process's sender when the write queued messages (others find them on
        their next look)."""
        for change in changes:
            if isinstance(change, WebhooksChanged):
                self._hooks.pop(change.site_id, None)
        if id(changes) in self._to_send:
            self._to_send.discard(id(changes))
            self.wake.set()

    async def _author(self, tx: Stores, change: CommentChanged) -> str | None:
        if change.view is not None:
            return change.view.author_name
        user = await tx.users.by_id(change.comment.author_id)
        return user.name if user else None

    async def _reply(self, tx: Stores, change: CommentChanged, now: datetime) -> None:
        reply, before = change.comment, change.before
        if reply.parent_id is None or not reply.is_public:
            return
        # New and public, or a held reply a moderator published; never a restored shadow.
        if before is not None and not (
            before.status is Status.PENDING and change.decided_by is not None
        ):
            return
        parent = await tx.comments.by_id(reply.site_id, reply.parent_id)
        if parent is None or parent.author_id == reply.author_id:
            return
        if parent.status is not Status.PUBLISHED:
            return
        # A reader who muted the replier hears nothing of them, in the bell or by e-mail.
        if await tx.readers.is_muted(parent.author_id, reply.author_id):
            return
        author = await self._author(tx, change)
        await notify.add_to_bell(
            tx,
            parent.author_id,
            "reply",
            _bell(reply, author, change.story),
            f"reply:{reply.id}",
            now=now,
        )
        prefs = await tx.notifications.prefs(parent.author_id)
        if not prefs.notify_replies:
            return
        recipient = await tx.users.by_id(parent.author_id)
        if recipient is None or not recipient.email:
            return
        group, due = await notify.reply_schedule(
            tx, recipient.id, reply.root_id or parent.id, prefs, now
        )
        await notify.enqueue(
            tx,
            "reply",
            recipient,
            {
                "reply": _comment(reply, author, change.story),
                "parent_excerpt": _excerpt(parent.body),
            },
            f"reply:{reply.id}",
            now=now,
            group_key=group,
            not_before=due,
        )

    async def _decision(self, tx: Stores, change: CommentChanged, now: datetime) -> None:
        comment, before = change.comment, change.before
        if change.decided_by is None or before is None:
            return
        published = comment.status is Status.PUBLISHED and before.status is not Status.PUBLISHED
        rejected = comment.status is Status.REJECTED
        if not (published or rejected):
            return
        await notify.add_to_bell(
            tx,
            comment.author_id,
            "decision",
            {
                **_bell(comment, None, change.story),
                "outcome": comment.status.value,
                "reason": change.reason,
            },
            f"decision:{comment.id}:{comment.status.value}:{now.isoformat()}",
            now=now,
        )
        author = await tx.users.by_id(comment.author_id)
        if author is None or not author.email:
            return
        prefs = await tx.notifications.prefs(author.id)
        if not prefs.notify_decisions:
            return
        guideline = _held_guideline(before)
        await notify.enqueue(
            tx,
            "decision",
            author,
            {
                "outcome": comment.status.value,
                "comment": {
                    "id": comment.id,
                    "excerpt": _excerpt(comment.body),
                    "url": _link(change.story, comment.id) if published else None,
                },
                "story": _story(change.story),
                "guideline": guideline,
                "guideline_label": REPORT_REASONS.get(guideline or "", guideline),
                "reason": change.reason,
            },
            f"decision:{comment.id}:{comment.status.value}:{now.isoformat()}",
            now=now,
        )

    async def _pick(self, tx: Stores, change: CommentPicked, now: datetime) -> None:
        """A new pick goes to its author's bell; a pick taken back and made again, once."""
        told = notify_author_of_pick(change)
        if told is None:
            return
        payload = {**_bell(change.comment, None, change.story), "note": told["note"]}
        await notify.add_to_bell(
            tx, told["user_id"], "pick", payload, f"pick:{change.comment.id}", now=now
        )

    async def _staff_reply(self, tx: Stores, change: CommentChanged, now: datetime) -> None:
        """A staff member's new public comment goes to the bells of the story's followers."""
        comment, view = change.comment, change.view
        if change.before is not None or not comment.is_public:
            return
        if view is None or not view.author_role.is_staff:
            return
        payload = _bell(comment, view.author_name, change.story)
        for user_id in await tx.notifications.followers(change.story.id):
            if user_id != comment.author_id:
                await notify.add_to_bell(
                    tx, user_id, "staff_reply", payload, f"staff:{comment.id}:{user_id}", now=now
                )

    async def _alert(self, tx: Stores, change: CommentChanged, now: datetime) -> None:
        """E-mail the site's moderators when a comment newly waits in Pending and the queue
        reached its threshold, or reports hid it; at most one of each per period."""
        comment, before = change.comment, change.before
        if comment.status is not Status.PENDING:
            return
        if before is not None and before.status is Status.PENDING:
            return
        site = await self.site(comment.site_id)
        if not (site.alert_pending_threshold or site.alert_on_reports):
            return
        last = comment.findings[-1].get("guideline") if comment.findings else None
        reported = before is not None and last == "reports"
        pending = await tx.notifications.pending_count(comment.site_id)
        if reported and site.alert_on_reports:
            kind = "reports"
        elif site.alert_pending_threshold and pending >= site.alert_pending_threshold:
            kind = "pending"
        else:
            return
        payload = {
            "alert": kind,
            "pending": pending,
            "threshold": site.alert_pending_threshold,
            "comment": {**_bell(comment, None, change.story), "report_count": comment.report_count},
        }
        quiet = timedelta(minutes=site.alert_every_minutes)
        for staff_id in await tx.notifications.staff_with_email(comment.site_id):
            group = f"alert:{kind}:{staff_id}"
            due = await notify.next_slot(tx, group, quiet, now)
            await notify.enqueue(
                tx,
                "moderator_alert",
                staff_id,
                payload,
                f"{group}:{due.isoformat()}",
                now=now,
                site_id=comment.site_id,
                group_key=group,
                not_before=due,
            )

    async def _events(self, tx: Stores, change: Change, now: datetime) -> None:
        for event, site, data in await _event_data(tx, change):
            await notify.enqueue_event(tx, site, event, data, now=now)


def _site_of(change: Change) -> str | None:
    if isinstance(change, CommentChanged | ReportAdded):
        return change.story.site_id
    if isinstance(change, UserBanned):
        return change.user.site_id
    return None


async def _event_data(tx: Stores, change: Change) -> list[tuple[str, str, dict[str, Any]]]:
    """The webhook events a change makes: (type, site, data)."""
    if isinstance(change, UserBanned):
        user = change.user
        return [
            (
                "user.banned",
                user.site_id,
                {
                    "user": {"id": user.id, "name": user.name},
                    "by": {"id": change.by.id, "name": change.by.name},
                    "reason": change.reason,
                },
            )
        ]
    if isinstance(change, ReportAdded):
        author = await tx.users.by_id(change.comment.author_id)
        found = {
            "comment": _comment(change.comment, author.name if author else None, change.story),
            "reason": change.reason,
            "report_count": change.comment.report_count,
        }
        return [("report.created", change.story.site_id, found)]
    if not isinstance(change, CommentChanged):
        return []
    comment, before = change.comment, change.before
    out: list[tuple[str, str, dict[str, Any]]] = []
    if change.view is not None:
        name = change.view.author_name
    else:
        author = await tx.users.by_id(comment.author_id)
        name = author.name if author else None
    data: dict[str, Any] = {"comment": _comment(comment, name, change.story)}
    site = change.story.site_id
    if before is None and comment.status is not Status.REJECTED:
        out.append(("comment.created", site, data))
    if comment.status is Status.PENDING and (before is None or before.status is not Status.PENDING):
        out.append(("comment.held", site, {**data, "guideline": _held_guideline(comment)}))
    if change.decided_by is not None:
        decided = {
            **data,
            "decision": "approved" if comment.status is Status.PUBLISHED else "rejected",
            "by": {"id": change.decided_by.id, "name": change.decided_by.name},
            "reason": change.reason,
        }
        out.append(("comment.decided", site, decided))
    return out

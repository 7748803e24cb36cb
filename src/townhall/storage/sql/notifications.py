"""Readers' notification choices, the outbox, the sender's lease, webhooks and signing keys."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update

from townhall.domain.notifications import Channel, Delivery, Digest, Message, Prefs, Webhook
from townhall.storage.sql.dialect import insert_for
from townhall.storage.sql.engine import SqlConnection
from townhall.storage.sql.tables import (
    comments,
    follows,
    inbox,
    leases,
    notification_prefs,
    outbox,
    sessions,
    signing_keys,
    users,
    webhooks,
)


def _message(row: Any) -> Message:
    return Message(
        id=row.id,
        site_id=row.site_id,
        channel=Channel(row.channel),
        kind=row.kind,
        recipient_id=row.recipient_id,
        payload=dict(row.payload or {}),
        idempotency_key=row.idempotency_key,
        group_key=row.group_key,
        status=Delivery(row.status),
        attempts=row.attempts,
        not_before=row.not_before,
        created_at=row.created_at,
        last_error=row.last_error,
        last_status=row.last_status,
        sent_at=row.sent_at,
    )


def _webhook(row: Any) -> Webhook:
    return Webhook(
        id=row.id,
        site_id=row.site_id,
        url=row.url,
        events=tuple(row.events or ()),
        secret=row.secret,
        format=row.format,
        is_active=bool(row.is_active),
        created_at=row.created_at,
    )


class SqlNotificationStore:
    """Everything the notification services keep."""

    def __init__(self, conn: SqlConnection) -> None:
        self.conn = conn
        self.queued = 0  # messages this transaction added to the outbox

    # Readers' choices
    async def prefs(self, user_id: int) -> Prefs:
        """A reader's choices (the defaults when never set)."""
        row = (
            await self.conn.execute(
                select(notification_prefs).where(notification_prefs.c.user_id == user_id)
            )
        ).first()
        if row is None:
            return Prefs()
        return Prefs(bool(row.notify_replies), bool(row.notify_decisions), Digest(row.digest))

    async def set_prefs(self, user_id: int, prefs: Prefs, now: datetime) -> None:
        """Store a reader's choices."""
        values = {
            "notify_replies": prefs.notify_replies,
            "notify_decisions": prefs.notify_decisions,
            "digest": prefs.digest.value,
            "updated_at": now,
        }
        stmt = insert_for(self.conn)(notification_prefs).values(user_id=user_id, **values)
        await self.conn.execute(stmt.on_conflict_do_update(index_elements=["user_id"], set_=values))

    # The outbox
    async def enqueue(self, values: dict[str, Any]) -> bool:
        """Add a message unless one with its idempotency key exists; whether it was added."""
        stmt = insert_for(self.conn)(outbox).values(**values)
        res = await self.conn.execute(
            stmt.on_conflict_do_nothing(index_elements=["idempotency_key"])
        )
        self.queued += bool(res.rowcount)
        return bool(res.rowcount)

    async def latest_in_group(self, group_key: str) -> datetime | None:
        """When the last message of a group that went, or will go, is (or was) due."""
        found: datetime | None = await self.conn.scalar(
            select(func.max(outbox.c.not_before)).where(
                outbox.c.group_key == group_key, outbox.c.status != Delivery.SKIPPED.value
            )
        )
        return found

    async def due(self, now: datetime, limit: int) -> list[Message]:
        """Pending messages whose time has come, oldest first."""
        rows = await self.conn.execute(
            select(outbox)
            .where(outbox.c.status == Delivery.PENDING.value, outbox.c.not_before <= now)
            .order_by(outbox.c.not_before, outbox.c.id)
            .limit(limit)
        )
        return [_message(r) for r in rows]

    async def pending_in_group(self, group_key: str, now: datetime) -> list[Message]:
        """The group's pending messages due by now, oldest first (sent as one digest)."""
        rows = await self.conn.execute(
            select(outbox)
            .where(
                outbox.c.group_key == group_key,
                outbox.c.status == Delivery.PENDING.value,
                outbox.c.not_before <= now,
            )
            .order_by(outbox.c.id)
        )
        return [_message(r) for r in rows]

    async def mark_sent(self, ids: Sequence[int], now: datetime, status: int | None) -> None:
        """Delivered: never sent again."""
        await self.conn.execute(
            update(outbox)
            .where(outbox.c.id.in_(list(ids)), outbox.c.status == Delivery.PENDING.value)
            .values(
                status=Delivery.SENT.value,
                sent_at=now,
                attempts=outbox.c.attempts + 1,
                last_status=status,
            )
        )

    async def mark_skipped(self, ids: Sequence[int], why: str) -> None:
        """Nothing to deliver to any more (unsubscribed, no address, webhook gone)."""
        await self.conn.execute(
            update(outbox)
            .where(outbox.c.id.in_(list(ids)), outbox.c.status == Delivery.PENDING.value)
            .values(status=Delivery.SKIPPED.value, last_error=why)
        )

    async def mark_failed(
        self,
        ids: Sequence[int],
        *,
        error: str,
        status: int | None,
        retry_at: datetime | None,
    ) -> None:
        """One more failed attempt: try again at retry_at, or give up (None)."""
        values: dict[str, Any] = {
            "attempts": outbox.c.attempts + 1,
            "last_error": error[:1000],
            "last_status": status,
        }
        if retry_at is None:
            values["status"] = Delivery.DEAD.value
        else:
            values["not_before"] = retry_at
        await self.conn.execute(
            update(outbox)
            .where(outbox.c.id.in_(list(ids)), outbox.c.status == Delivery.PENDING.value)
            .values(**values)
        )

    async def purge(self, before: datetime) -> int:
        """Delete finished messages created before a moment; how many."""
        res = await self.conn.execute(
            delete(outbox).where(
                outbox.c.status != Delivery.PENDING.value, outbox.c.created_at < before
            )
        )
        return int(res.rowcount or 0)

    async def message(self, message_id: int) -> Message | None:
        """One outbox row."""
        row = (await self.conn.execute(select(outbox).where(outbox.c.id == message_id))).first()
        return _message(row) if row else None

    async def queue_stats(self, site_id: str | None = None) -> dict[str, int]:
        """Messages per (channel, status)."""
        stmt = select(outbox.c.channel, outbox.c.status, func.count()).group_by(
            outbox.c.channel, outbox.c.status
        )
        if site_id is not None:
            stmt = stmt.where(outbox.c.site_id == site_id)
        return {f"{c}.{s}": int(n) for c, s, n in await self.conn.execute(stmt)}

    async def deliveries(self, webhook_id: int, limit: int) -> list[Message]:
        """A webhook's latest deliveries, newest first."""
        rows = await self.conn.execute(
            select(outbox)
            .where(outbox.c.channel == Channel.WEBHOOK.value, outbox.c.recipient_id == webhook_id)
            .order_by(outbox.c.id.desc())
            .limit(limit)
        )
        return [_message(r) for r in rows]

    async def recent_failures(self, site_id: str, limit: int) -> list[Message]:
        """The latest messages that failed at least once, newest first."""
        rows = await self.conn.execute(
            select(outbox)
            .where(outbox.c.site_id == site_id, outbox.c.last_error.is_not(None))
            .order_by(outbox.c.id.desc())
            .limit(limit)
        )
        return [_message(r) for r in rows]

    # The sender's lease
    async def take_lease(self, name: str, holder: str, now: datetime, until: datetime) -> bool:
        """Hold the lease until `until` if it is free, expired or already ours."""
        res = await self.conn.execute(
            update(leases)
            .where(
                leases.c.name == name,
                or_(leases.c.holder == holder, leases.c.expires_at < now),
            )
            .values(holder=holder, expires_at=until)
        )
        if res.rowcount:
            return True
        stmt = insert_for(self.conn)(leases).values(name=name, holder=holder, expires_at=until)
        res = await self.conn.execute(stmt.on_conflict_do_nothing(index_elements=["name"]))
        return bool(res.rowcount)

    async def drop_lease(self, name: str, holder: str) -> None:
        """Let another process take over at once."""
        await self.conn.execute(
            delete(leases).where(leases.c.name == name, leases.c.holder == holder)
        )

    # Webhooks
    async def add_webhook(self, values: dict[str, Any]) -> Webhook:
        """Register a URL."""
        new_id = (
            await self.conn.execute(webhooks.insert().values(**values).returning(webhooks.c.id))
        ).scalar_one()
        found = await self.webhook(values["site_id"], int(new_id))
        assert found is not None
        return found

    async def webhook(self, site_id: str, webhook_id: int) -> Webhook | None:
        """One of a site's webhooks."""
        row = (
            await self.conn.execute(
                select(webhooks).where(webhooks.c.site_id == site_id, webhooks.c.id == webhook_id)
            )
        ).first()
        return _webhook(row) if row else None

    async def webhooks(self, site_id: str) -> list[Webhook]:
        """A site's webhooks, oldest first."""
        rows = await self.conn.execute(
            select(webhooks).where(webhooks.c.site_id == site_id).order_by(webhooks.c.id)
        )
        return [_webhook(r) for r in rows]

    async def update_webhook(self, webhook_id: int, **values: Any) -> None:
        """Change a webhook."""
        await self.conn.execute(
            update(webhooks).where(webhooks.c.id == webhook_id).values(**values)
        )

    async def delete_webhook(self, webhook_id: int) -> None:
        """Remove a webhook; its pending deliveries stop."""
        await self.conn.execute(
            update(outbox)
            .where(
                outbox.c.channel == Channel.WEBHOOK.value,
                outbox.c.recipient_id == webhook_id,
                outbox.c.status == Delivery.PENDING.value,
            )
            .values(status=Delivery.DEAD.value, last_error="webhook removed")
        )
        await self.conn.execute(delete(webhooks).where(webhooks.c.id == webhook_id))

    # The widget's bell
    async def add_to_inbox(
        self, user_id: int, kind: str, payload: dict[str, Any], key: str, now: datetime
    ) -> bool:
        """Put an item in a reader's bell unless one with this key exists."""
        stmt = insert_for(self.conn)(inbox).values(
            user_id=user_id, kind=kind, payload=payload, dedupe_key=key, created_at=now
        )
        res = await self.conn.execute(stmt.on_conflict_do_nothing(index_elements=["dedupe_key"]))
        return bool(res.rowcount)

    async def inbox(
        self, user_id: int, limit: int, before: int | None = None
    ) -> list[dict[str, Any]]:
        """A reader's latest bell items, newest first."""
        stmt = select(inbox).where(inbox.c.user_id == user_id)
        if before is not None:
            stmt = stmt.where(inbox.c.id < before)
        rows = await self.conn.execute(stmt.order_by(inbox.c.id.desc()).limit(limit))
        return [dict(r._mapping) for r in rows]

    async def unread(self, user_id: int) -> int:
        """How many bell items the reader has not read."""
        found = await self.conn.scalar(
            select(func.count()).where(inbox.c.user_id == user_id, inbox.c.read_at.is_(None))
        )
        return int(found or 0)

    async def mark_read(self, user_id: int, ids: Sequence[int] | None, now: datetime) -> None:
        """Mark some (or, with None, all) of the reader's bell items read."""
        stmt = update(inbox).where(inbox.c.user_id == user_id, inbox.c.read_at.is_(None))
        if ids is not None:
            stmt = stmt.where(inbox.c.id.in_(list(ids)))
        await self.conn.execute(stmt.values(read_at=now))

    async def follow(self, user_id: int, story_id: int, now: datetime) -> None:
        """Follow a story (again: nothing changes)."""
        stmt = insert_for(self.conn)(follows).values(
            user_id=user_id, story_id=story_id, created_at=now
        )
        await self.conn.execute(stmt.on_conflict_do_nothing(index_elements=["user_id", "story_id"]))

    async def unfollow(self, user_id: int, story_id: int) -> None:
        """Stop following a story."""
        await self.conn.execute(
            delete(follows).where(follows.c.user_id == user_id, follows.c.story_id == story_id)
        )

    async def follows(self, user_id: int, story_id: int) -> bool:
        """Whether the reader follows the story."""
        found = await self.conn.scalar(
            select(follows.c.user_id).where(
                follows.c.user_id == user_id, follows.c.story_id == story_id
            )
        )
        return found is not None

    async def followers(self, story_id: int) -> list[int]:
        """Everyone who follows a story."""
        rows = await self.conn.execute(
            select(follows.c.user_id).where(follows.c.story_id == story_id)
        )
        return [int(r[0]) for r in rows]

    # Moderator alerts
    async def pending_count(self, site_id: str) -> int:
        """Comments waiting in the site's Pending queue."""
        found = await self.conn.scalar(
            select(func.count()).where(
                comments.c.site_id == site_id, comments.c.status == "pending"
            )
        )
        return int(found or 0)

    async def staff_with_email(self, site_id: str) -> list[int]:
        """Moderators and admins of the site who have an e-mail address."""
        rows = await self.conn.execute(
            select(users.c.id).where(
                users.c.site_id == site_id,
                users.c.role.in_(["moderator", "admin"]),
                users.c.email.is_not(None),
                users.c.is_banned.is_(False),
            )
        )
        return [int(r[0]) for r in rows]

    # Local accounts' addresses and passwords
    async def email_verified(self, user_id: int) -> bool:
        """Whether a local account proved it reads its address."""
        found = await self.conn.scalar(
            select(users.c.email_verified_at).where(users.c.id == user_id)
        )
        return found is not None

    async def verify_email(self, user_id: int, email_key: str, now: datetime) -> bool:
        """Mark the address verified if it is still the account's; whether it was."""
        res = await self.conn.execute(
            update(users)
            .where(users.c.id == user_id, users.c.email_key == email_key)
            .values(email_verified_at=func.coalesce(users.c.email_verified_at, now))
        )
        return bool(res.rowcount)

    async def password_hash(self, user_id: int) -> str | None:
        """A local account's password hash (None for publisher sign-in)."""
        found: str | None = await self.conn.scalar(
            select(users.c.password_hash).where(users.c.id == user_id)
        )
        return found

    async def set_password(self, user_id: int, digest: str, now: datetime) -> None:
        """Replace the password and end every session of the account."""
        await self.conn.execute(
            update(users).where(users.c.id == user_id).values(password_hash=digest)
        )
        await self.conn.execute(
            update(sessions)
            .where(sessions.c.user_id == user_id, sessions.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    # Signing keys
    async def signing_key(self, site_id: str, now: datetime) -> str:
        """The site's key for signed links, made on first use."""
        found: str | None = await self.conn.scalar(
            select(signing_keys.c.secret).where(signing_keys.c.site_id == site_id)
        )
        if found:
            return found
        stmt = insert_for(self.conn)(signing_keys).values(
            site_id=site_id, secret=secrets.token_urlsafe(48), created_at=now
        )
        await self.conn.execute(stmt.on_conflict_do_nothing(index_elements=["site_id"]))
        made: str = await self.conn.scalar(
            select(signing_keys.c.secret).where(signing_keys.c.site_id == site_id)
        )
        return made

"""The sender: delivers due outbox messages, retrying with exponential back-off.

Every server process may run one, and `townhall worker` runs one on its own; a lease in
the database lets one sender at a time work, and another takes over when its holder
stops renewing it (a crash included). A message is marked sent only after the relay or
receiver took it, so a crash in between sends it again on restart with the same
Message-ID / Idempotency-Key: delivery is at least once, duplicates are recognisable.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import socket
import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx

from townhall import metrics
from townhall.delivery import mail, webhooks
from townhall.domain.notifications import UNVERIFIED_OK, Channel, Message, retry_delay
from townhall.services import account_mail
from townhall.services import notifications as notify
from townhall.services.context import Context

log = logging.getLogger("townhall.outbox")

LEASE = "outbox-sender"
LEASE_SECONDS = 15.0
BATCH = 50


def message_id(msg: Message) -> str:
    """A stable id for a message, the same on every attempt."""
    return "townhall." + hashlib.sha256(msg.idempotency_key.encode()).hexdigest()[:32]


class Sender:
    """Delivers the outbox of one database while it holds the lease."""

    def __init__(self, ctx: Context, wake: asyncio.Event | None = None) -> None:
        self.ctx = ctx
        self.settings = ctx.settings
        self.wake = wake or asyncio.Event()
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.templates = mail.template_env(self.settings.mail_templates_dir)
        self.relay = mail.Relay.from_url(self.settings.smtp_url) if self.settings.smtp_url else None
        self._http: httpx.AsyncClient | None = None
        self._stopping = False
        self._purged: datetime | None = None

    @property
    def http(self) -> httpx.AsyncClient:
        """One HTTP client for every webhook delivery."""
        if self._http is None:
            self._http = webhooks.webhook_client(allow_private=self.settings.webhook_allow_private)
        return self._http

    async def run(self) -> None:
        """Deliver until stopped: at once when woken, else every poll interval."""
        while not self._stopping:
            try:
                await self.run_once()
            except Exception:
                log.exception("outbox sender failed; trying again")
            self.wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), self.settings.outbox_poll_seconds)

    async def close(self) -> None:
        """Stop and give the lease back so another process takes over at once."""
        self._stopping = True
        self.wake.set()
        if self._http is not None:
            await self._http.aclose()
        with contextlib.suppress(Exception):
            async with self.ctx.write() as tx:
                await tx.notifications.drop_lease(LEASE, self.holder)

    async def _lease(self) -> bool:
        now = self.ctx.clock()
        async with self.ctx.write() as tx:
            return await tx.notifications.take_lease(
                LEASE, self.holder, now, now + timedelta(seconds=LEASE_SECONDS)
            )

    async def run_once(self) -> int:
        """Deliver what is due now (if this process holds the lease); messages handled."""
        if not await self._lease():
            return 0
        await self._purge()
        async with self.ctx.read() as tx:
            due = await tx.notifications.due(self.ctx.clock(), BATCH)
        done: set[int] = set()
        for msg in due:
            if msg.id in done:
                continue
            if msg.channel is Channel.EMAIL:
                done.update(await self._email(msg))
            else:
                await self._webhook(msg)
                done.add(msg.id)
        return len(done)

    async def _purge(self) -> None:
        """Once an hour, drop finished messages older than the retention period."""
        now = self.ctx.clock()
        if self._purged is not None and now - self._purged < timedelta(hours=1):
            return
        self._purged = now
        async with self.ctx.write() as tx:
            await tx.notifications.purge(now - timedelta(days=self.settings.outbox_keep_days))

    async def _failed(self, msgs: list[Message], error: str, status: int | None) -> None:
        now = self.ctx.clock()
        first = msgs[0]
        retry_at: datetime | None = now + retry_delay(
            first.attempts + 1, self.settings.outbox_retry_seconds
        )
        give_up = first.created_at + timedelta(hours=self.settings.outbox_give_up_hours)
        if retry_at is not None and retry_at > give_up:
            retry_at = None
        metrics.OUTBOX_FAILURES.labels(first.channel.value).inc()
        log.warning(
            "delivery failed",
            extra={"outbox_id": first.id, "error": error, "retry": bool(retry_at)},
        )
        async with self.ctx.write() as tx:
            await tx.notifications.mark_failed(
                [m.id for m in msgs], error=error, status=status, retry_at=retry_at
            )

    async def _sent(self, msgs: list[Message], status: int | None) -> None:
        async with self.ctx.write() as tx:
            await tx.notifications.mark_sent([m.id for m in msgs], self.ctx.clock(), status)
        metrics.OUTBOX_SENT.labels(msgs[0].channel.value).inc(len(msgs))

    async def _skip(self, msgs: list[Message], why: str) -> None:
        async with self.ctx.write() as tx:
            await tx.notifications.mark_skipped([m.id for m in msgs], why)

    async def _email(self, msg: Message) -> set[int]:
        group = [msg]
        async with self.ctx.read() as tx:
            if msg.group_key:
                group = await tx.notifications.pending_in_group(
                    msg.group_key, self.ctx.clock()
                ) or [msg]
            user = await tx.users.by_id(msg.recipient_id) if msg.recipient_id else None
            prefs = await tx.notifications.prefs(user.id) if user else None
            # Publisher sign-in vouches for its addresses and staff are made by operators;
            # a self-registered address gets nothing but its own check until proven.
            unproven = (
                user is not None
                and user.sso_sub is None
                and not user.is_staff
                and msg.kind not in UNVERIFIED_OK
                and not await tx.notifications.email_verified(user.id)
            )
        ids = {m.id for m in group}
        if user is None or not user.email or prefs is None:
            await self._skip(group, "no address")
            return ids
        if not notify.allows(prefs, msg.kind):
            await self._skip(group, "unsubscribed")
            return ids
        if unproven:
            await self._skip(group, "address not verified")
            return ids
        if self.relay is None:
            await self._failed(group, "no mail relay set (smtp_url)", None)
            return ids
        try:
            built = await self._compose(msg, group, user.id, user.email)
            await mail.send(self.relay, built)
        except mail.MailError as exc:
            await self._failed(group, str(exc), None)
            return ids
        await self._sent(group, None)
        return ids

    async def _compose(self, msg: Message, group: list[Message], user_id: int, to: str) -> Any:
        site = await self.ctx.site(msg.site_id)
        unsubscribe = None
        base = self.settings.public_url
        if base and notify.topic_of(msg.kind) != "all":
            key = await notify.signing_key(self.ctx, msg.site_id)
            token = notify.unsubscribe_token(key, user_id, notify.topic_of(msg.kind))
            unsubscribe = f"{base.rstrip('/')}/api/v1/unsubscribe?token={token}"
        context: dict[str, Any] = {
            **msg.payload,
            "site_name": site.name,
            "unsubscribe_url": unsubscribe,
            "public_url": (base or "").rstrip("/"),
        }
        if msg.kind in account_mail.KINDS:
            context["link"] = await account_mail.link(self.ctx, msg.kind, user_id, msg.site_id)
        if msg.kind == "reply":
            context["replies"] = [m.payload for m in group]
            titles = {(m.payload.get("reply") or {}).get("story", {}).get("title") for m in group}
            context["story_title"] = titles.pop() if len(titles) == 1 else None
        subject, text, html = mail.render(self.templates, msg.kind, context)
        return mail.compose(
            sender=self.settings.mail_from,
            to=to,
            subject=subject,
            text=text,
            html=html,
            message_id=message_id(msg),
            unsubscribe_url=unsubscribe,
        )

    async def _webhook(self, msg: Message) -> None:
        async with self.ctx.read() as tx:
            hook = (
                await tx.notifications.webhook(msg.site_id, msg.recipient_id)
                if msg.recipient_id
                else None
            )
        if hook is None or not hook.is_active:
            await self._skip([msg], "webhook removed or paused")
            return
        try:
            status = await webhooks.deliver(
                self.http,
                url=hook.url,
                secret=hook.secret,
                event=msg.payload,
                fmt=hook.format,
                delivery_id=message_id(msg),
                wait=self.settings.webhook_timeout_seconds,
            )
        except webhooks.WebhookError as exc:
            await self._failed([msg], str(exc), exc.status)
            return
        await self._sent([msg], status)

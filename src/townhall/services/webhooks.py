"""Admins' webhooks: register URLs for events, send a test event, read the delivery log."""

from __future__ import annotations

import secrets
from typing import Any

from townhall.delivery.webhooks import WebhookError, check_target
from townhall.domain.changes import WebhooksChanged
from townhall.domain.models import User
from townhall.domain.notifications import WEBHOOK_FORMATS, Delivery, Message, Webhook
from townhall.errors import NotFound, ValidationFailed
from townhall.presenter import iso
from townhall.services import notifications as notify
from townhall.services.context import Context

DELIVERY_LOG = 50


def webhook_json(hook: Webhook, *, secret: bool = False) -> dict[str, Any]:
    """A webhook as admins see it (its secret only when just created)."""
    return {
        "id": hook.id,
        "url": hook.url,
        "events": list(hook.events),
        "format": hook.format,
        "is_active": hook.is_active,
        "created_at": iso(hook.created_at),
        "secret": hook.secret if secret else None,
    }


def delivery_json(msg: Message) -> dict[str, Any]:
    """One delivery (outbox message) for the log."""
    return {
        "id": msg.id,
        "event": msg.kind,
        "status": msg.status.value,
        "attempts": msg.attempts,
        "last_status": msg.last_status,
        "last_error": msg.last_error,
        "created_at": iso(msg.created_at),
        "next_attempt_at": iso(msg.not_before) if msg.status is Delivery.PENDING else None,
        "sent_at": iso(msg.sent_at),
    }


async def _checked_url(ctx: Context, url: Any) -> str:
    if not isinstance(url, str):
        raise ValidationFailed("url must be text", field="url", rule="type")
    try:
        await check_target(url, allow_private=ctx.settings.webhook_allow_private)
    except (ValueError, WebhookError) as exc:
        raise ValidationFailed(str(exc), field="url", rule="target") from None
    return url


def _format(fmt: Any) -> str:
    if fmt not in WEBHOOK_FORMATS:
        raise ValidationFailed("format must be json or slack", field="format", rule="enum")
    return str(fmt)


async def list_webhooks(ctx: Context, admin: User) -> dict[str, Any]:
    """The site's webhooks."""
    async with ctx.read() as tx:
        hooks = await tx.notifications.webhooks(admin.site_id)
    return {"webhooks": [webhook_json(h) for h in hooks]}


async def create_webhook(
    ctx: Context, admin: User, *, url: Any, events: Any, fmt: Any = "json"
) -> dict[str, Any]:
    """Register a URL for events; the answer holds its signing secret, shown this once."""
    checked = await _checked_url(ctx, url)
    wanted = notify.check_events(events)
    async with ctx.write() as tx:
        hook = await tx.notifications.add_webhook(
            {
                "site_id": admin.site_id,
                "url": checked,
                "events": list(wanted),
                "secret": "whsec_" + secrets.token_urlsafe(32),
                "format": _format(fmt),
                "is_active": True,
                "created_at": ctx.clock(),
            }
        )
        await tx.audit.add(
            site_id=admin.site_id,
            actor=admin,
            action="webhook.create",
            target_type="webhook",
            target_id=hook.id,
            before=None,
            after={"url": hook.url, "events": list(hook.events), "format": hook.format},
            now=ctx.clock(),
        )
        tx.record(WebhooksChanged(admin.site_id))
    return webhook_json(hook, secret=True)


async def _hook(ctx: Context, admin: User, webhook_id: int) -> Webhook:
    async with ctx.read() as tx:
        hook = await tx.notifications.webhook(admin.site_id, webhook_id)
    if hook is None:
        raise NotFound("webhook not found")
    return hook


async def update_webhook(
    ctx: Context, admin: User, webhook_id: int, changes: dict[str, Any]
) -> dict[str, Any]:
    """Change a webhook's URL, events, format or whether it is active."""
    hook = await _hook(ctx, admin, webhook_id)
    values: dict[str, Any] = {}
    if changes.get("url") is not None:
        values["url"] = await _checked_url(ctx, changes["url"])
    if changes.get("events") is not None:
        values["events"] = list(notify.check_events(changes["events"]))
    if changes.get("format") is not None:
        values["format"] = _format(changes["format"])
    if changes.get("is_active") is not None:
        values["is_active"] = bool(changes["is_active"])
    async with ctx.write() as tx:
        if values:
            await tx.notifications.update_webhook(hook.id, **values)
            await tx.audit.add(
                site_id=admin.site_id,
                actor=admin,
                action="webhook.update",
                target_type="webhook",
                target_id=hook.id,
                before={k: getattr(hook, k) for k in values if k != "events"},
                after=values,
                now=ctx.clock(),
            )
            tx.record(WebhooksChanged(admin.site_id))
        after = await tx.notifications.webhook(admin.site_id, hook.id)
    assert after is not None
    return webhook_json(after)


async def delete_webhook(ctx: Context, admin: User, webhook_id: int) -> None:
    """Remove a webhook; its pending deliveries stop."""
    hook = await _hook(ctx, admin, webhook_id)
    async with ctx.write() as tx:
        await tx.notifications.delete_webhook(hook.id)
        await tx.audit.add(
            site_id=admin.site_id,
            actor=admin,
            action="webhook.delete",
            target_type="webhook",
            target_id=hook.id,
            before={"url": hook.url},
            after=None,
            now=ctx.clock(),
        )
        tx.record(WebhooksChanged(admin.site_id))


async def send_test(ctx: Context, admin: User, webhook_id: int) -> dict[str, Any]:
    """Queue a `test` event to one webhook (delivered like any other, signed, retried)."""
    hook = await _hook(ctx, admin, webhook_id)
    async with ctx.write() as tx:
        await notify.enqueue_event(
            tx,
            admin.site_id,
            "test",
            {"message": "Test event from townhall", "by": {"id": admin.id, "name": admin.name}},
            now=ctx.clock(),
            hook_ids=[hook.id],
        )
        queued = await tx.notifications.deliveries(hook.id, 1)
    if not hook.is_active or not queued:
        raise ValidationFailed("the webhook is paused", field="is_active", rule="active")
    return delivery_json(queued[0])


async def deliveries(ctx: Context, admin: User, webhook_id: int) -> dict[str, Any]:
    """A webhook's latest deliveries, newest first."""
    hook = await _hook(ctx, admin, webhook_id)
    async with ctx.read() as tx:
        found = await tx.notifications.deliveries(hook.id, DELIVERY_LOG)
    return {"deliveries": [delivery_json(m) for m in found]}


async def outbox_overview(ctx: Context, staff: User) -> dict[str, Any]:
    """Queue length, failures and the latest failed messages, for the dashboard."""
    async with ctx.read() as tx:
        counts = await tx.notifications.queue_stats(staff.site_id)
        failures = await tx.notifications.recent_failures(staff.site_id, 20)
    pending = sum(n for k, n in counts.items() if k.endswith(".pending"))
    dead = sum(n for k, n in counts.items() if k.endswith(".dead"))
    return {
        "counts": counts,
        "pending": pending,
        "failed": dead,
        "recent_failures": [delivery_json(m) for m in failures],
        "mail_configured": bool(ctx.settings.smtp_url),
    }

"""Notifications: what other features call to send a reader an e-mail or fire a webhook.

Everything here writes to the outbox inside the caller's transaction; the sender
(`townhall.delivery.sender`) delivers after the commit, with retries. docs/notifications.md
describes the API for features that add a kind of message.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer

from townhall.domain.models import User
from townhall.domain.notifications import (
    DIGEST_PERIOD,
    EVENTS,
    PREFERENCE_OF,
    THREAD_QUIET,
    Channel,
    Digest,
    Prefs,
)
from townhall.errors import TownhallError, ValidationFailed
from townhall.services.context import Context
from townhall.storage.protocols import Stores

UNSUBSCRIBE_SALT = "townhall.unsubscribe"
TOPICS = ("replies", "decisions", "all")


class BadLink(TownhallError):
    code, status, title = "bad-link", 400, "Link not valid"


async def enqueue(
    tx: Stores,
    kind: str,
    recipient: User | int,
    payload: dict[str, Any],
    idempotency_key: str,
    *,
    now: datetime,
    site_id: str | None = None,
    group_key: str | None = None,
    not_before: datetime | None = None,
) -> bool:
    """Queue an e-mail of `kind` (a template name) to a reader, in the caller's transaction.

    The address and the reader's choices are read again when it is sent, so a change of
    address or an unsubscribe in between wins. A second call with the same idempotency
    key adds nothing; returns whether a message was added.
    """
    user_id = recipient.id if isinstance(recipient, User) else recipient
    if site_id is None:
        if not isinstance(recipient, User):
            raise ValueError("site_id is required when the recipient is an id")
        site_id = recipient.site_id
    return await tx.notifications.enqueue(
        {
            "site_id": site_id,
            "channel": Channel.EMAIL.value,
            "kind": kind,
            "recipient_id": user_id,
            "payload": payload,
            "idempotency_key": idempotency_key,
            "group_key": group_key,
            "not_before": not_before or now,
            "created_at": now,
        }
    )


async def add_to_bell(
    tx: Stores,
    user_id: int,
    kind: str,
    payload: dict[str, Any],
    dedupe_key: str,
    *,
    now: datetime,
) -> bool:
    """Put an item in a reader's bell in the widget (`reply`, `decision`, `staff_reply`,
    `pick`, …), in the caller's transaction; the same key is added once."""
    return await tx.notifications.add_to_inbox(user_id, kind, payload, dedupe_key, now)


async def reply_schedule(
    tx: Stores, user_id: int, root_id: int, prefs: Prefs, now: datetime
) -> tuple[str, datetime]:
    """(group, due time) of a reply e-mail: the first of a thread at once, the next ones
    of the hour together an hour later; with a digest chosen, everything per period."""
    if prefs.digest is not Digest.OFF:
        group, quiet = f"digest:{user_id}", DIGEST_PERIOD[prefs.digest]
        latest = await tx.notifications.latest_in_group(group)
        if latest is not None and latest > now:
            return group, latest
        return group, now + quiet
    group = f"thread:{user_id}:{root_id}"
    return group, await next_slot(tx, group, THREAD_QUIET, now)


async def next_slot(tx: Stores, group: str, quiet: timedelta, now: datetime) -> datetime:
    """When the next message of a group may go: now if the last went `quiet` ago or
    longer, else with the one already waiting, else `quiet` after the last."""
    latest = await tx.notifications.latest_in_group(group)
    if latest is None or latest <= now - quiet:
        return now
    if latest > now:
        return latest
    return latest + quiet


async def enqueue_event(
    tx: Stores,
    site_id: str,
    event: str,
    data: dict[str, Any],
    *,
    now: datetime,
    hook_ids: list[int] | None = None,
    event_id: str | None = None,
) -> int:
    """Queue a webhook event for every active webhook of the site that wants it (or for
    the given ones); how many deliveries were queued."""
    event_id = event_id or uuid.uuid4().hex
    hooks = await tx.notifications.webhooks(site_id)
    wanted = [
        h
        for h in hooks
        if h.is_active and (h.id in hook_ids if hook_ids is not None else event in h.events)
    ]
    body = {"id": event_id, "type": event, "created_at": _iso(now), "data": data}
    added = 0
    for hook in wanted:
        added += await tx.notifications.enqueue(
            {
                "site_id": site_id,
                "channel": Channel.WEBHOOK.value,
                "kind": event,
                "recipient_id": hook.id,
                "payload": body,
                "idempotency_key": f"webhook:{hook.id}:{event_id}",
                "group_key": None,
                "not_before": now,
                "created_at": now,
            }
        )
    return added


def _iso(when: datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")


def prefs_json(prefs: Prefs) -> dict[str, Any]:
    """A reader's choices as the API shows them."""
    return {
        "notify_replies": prefs.notify_replies,
        "notify_decisions": prefs.notify_decisions,
        "digest": prefs.digest.value,
    }


async def get_prefs(ctx: Context, user: User) -> dict[str, Any]:
    """The signed-in reader's choices."""
    async with ctx.read() as tx:
        return prefs_json(await tx.notifications.prefs(user.id))


def _flag(changes: dict[str, Any], name: str, current: bool) -> bool:
    if name not in changes:
        return current
    value = changes[name]
    if not isinstance(value, bool):
        raise ValidationFailed(f"{name} must be true or false", field=name, rule="type")
    return value


async def update_prefs(ctx: Context, user: User, changes: dict[str, Any]) -> dict[str, Any]:
    """Change some of the reader's choices; the rest stay."""
    known = {"notify_replies", "notify_decisions", "digest"}
    for name in changes:
        if name not in known:
            raise ValidationFailed(f"unknown field {name}", field=name, rule="unknown")
    digest_raw = changes.get("digest")
    if "digest" in changes and digest_raw not in {d.value for d in Digest}:
        raise ValidationFailed(
            "digest must be one of: off, daily, weekly", field="digest", rule="enum"
        )
    async with ctx.write() as tx:
        current = await tx.notifications.prefs(user.id)
        new = Prefs(
            notify_replies=_flag(changes, "notify_replies", current.notify_replies),
            notify_decisions=_flag(changes, "notify_decisions", current.notify_decisions),
            digest=Digest(str(digest_raw)) if "digest" in changes else current.digest,
        )
        await tx.notifications.set_prefs(user.id, new, ctx.clock())
    return prefs_json(new)


def allows(prefs: Prefs, kind: str) -> bool:
    """Whether the reader's choices let an e-mail of this kind through."""
    name = PREFERENCE_OF.get(kind)
    return True if name is None else bool(getattr(prefs, name))


def topic_of(kind: str) -> str:
    """The unsubscribe topic of an e-mail kind."""
    name = PREFERENCE_OF.get(kind)
    return {"notify_replies": "replies", "notify_decisions": "decisions"}.get(name or "", "all")


def _signer(key: str) -> URLSafeSerializer:
    return URLSafeSerializer(key, salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(key: str, user_id: int, topic: str) -> str:
    """A signed, sign-in-free token that turns one kind of e-mail off for one reader."""
    return str(_signer(key).dumps({"u": user_id, "t": topic}))


async def signing_key(ctx: Context, site_id: str) -> str:
    """The site's key for links in e-mails."""
    async with ctx.write() as tx:
        return await tx.notifications.signing_key(site_id, ctx.clock())


async def unsubscribe(ctx: Context, token: str, site_id: str) -> str:
    """Apply a signed unsubscribe link; the topic turned off."""
    key = await signing_key(ctx, site_id)
    try:
        data = _signer(key).loads(token)
        user_id, topic = int(data["u"]), str(data["t"])
    except (BadSignature, KeyError, TypeError, ValueError):
        raise BadLink("this unsubscribe link is not valid", field="token") from None
    if topic not in TOPICS:
        raise BadLink("this unsubscribe link is not valid", field="token")
    async with ctx.write() as tx:
        user = await tx.users.by_id(user_id)
        if user is None or user.site_id != site_id:
            raise BadLink("this unsubscribe link is not valid", field="token")
        prefs = await tx.notifications.prefs(user_id)
        await tx.notifications.set_prefs(
            user_id,
            Prefs(
                notify_replies=prefs.notify_replies and topic not in ("replies", "all"),
                notify_decisions=prefs.notify_decisions and topic not in ("decisions", "all"),
                digest=prefs.digest,
            ),
            ctx.clock(),
        )
    return topic


def check_events(events: Any) -> tuple[str, ...]:
    """A webhook's event list, validated."""
    if not isinstance(events, list) or not events:
        raise ValidationFailed(
            f"events must be a list of: {', '.join(EVENTS)}", field="events", rule="required"
        )
    for event in events:
        if event not in EVENTS:
            raise ValidationFailed(
                f"events must be a list of: {', '.join(EVENTS)}", field="events", rule="enum"
            )
    return tuple(dict.fromkeys(events))

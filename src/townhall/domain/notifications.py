"""Notifications: readers' choices, outbox messages, webhook events and retry timing; no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any


class Digest(StrEnum):
    OFF = "off"
    DAILY = "daily"
    WEEKLY = "weekly"


DIGEST_PERIOD = {Digest.DAILY: timedelta(days=1), Digest.WEEKLY: timedelta(days=7)}
# Replies in one thread: one e-mail at once, then the rest of the hour in one digest.
THREAD_QUIET = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Prefs:
    """What a reader wants to hear about by e-mail. Replies are off until they opt in."""

    notify_replies: bool = False
    notify_decisions: bool = True
    digest: Digest = Digest.OFF


class Channel(StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"


class Delivery(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"  # gave up after the retry period
    SKIPPED = "skipped"  # nobody to send to any more: unsubscribed, no address, hook removed


# Which preference allows an e-mail of each kind (None: always sent, e.g. account mail).
# Features that add a kind of e-mail add it here and a template in delivery/templates.
PREFERENCE_OF: dict[str, str | None] = {
    "reply": "notify_replies",
    "decision": "notify_decisions",
    "moderator_alert": None,
    "verify_email": None,
    "password_reset": None,
}
# Sent to local accounts whose address is not verified yet (every other e-mail waits for it).
UNVERIFIED_OK = frozenset({"verify_email", "password_reset"})

# Webhook event types an admin can subscribe a URL to ("test" is sent on request only).
EVENTS = ("comment.created", "comment.held", "comment.decided", "report.created", "user.banned")
WEBHOOK_FORMATS = ("json", "slack")


@dataclass(frozen=True, slots=True)
class Message:
    """One row of the outbox."""

    id: int
    site_id: str
    channel: Channel
    kind: str
    recipient_id: int | None
    payload: dict[str, Any]
    idempotency_key: str
    group_key: str | None
    status: Delivery
    attempts: int
    not_before: datetime
    created_at: datetime
    last_error: str | None = None
    last_status: int | None = None
    sent_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Webhook:
    """A URL an admin registered for some events."""

    id: int
    site_id: str
    url: str
    events: tuple[str, ...]
    secret: str
    format: str
    is_active: bool
    created_at: datetime


def retry_delay(
    attempts: int, base_seconds: float, cap: timedelta = timedelta(hours=1)
) -> timedelta:
    """Exponential back-off after the given number of failed attempts, capped."""
    seconds = base_seconds * (2 ** max(0, attempts - 1))
    return min(timedelta(seconds=seconds), cap)

"""Schemas of the notification, unsubscribe and webhook endpoints."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from townhall.api.params import Id
from townhall.domain.limits import LIST_LIMIT_MAX
from townhall.domain.notifications import EVENTS

Event = Literal[
    "comment.created", "comment.held", "comment.decided", "report.created", "user.banned"
]
assert set(EVENTS) == set(Event.__args__)  # type: ignore[attr-defined]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PreferencesOut(BaseModel):
    notify_replies: bool = Field(description="E-mail me when someone replies to my comments")
    notify_decisions: bool = Field(
        description="E-mail me when a moderator publishes or rejects my held comment"
    )
    digest: Literal["off", "daily", "weekly"] = Field(
        description="Collect reply e-mails into one per day or week"
    )


class PreferencesPatchIn(_In):
    notify_replies: StrictBool | None = None
    notify_decisions: StrictBool | None = None
    digest: Literal["off", "daily", "weekly"] | None = None


class UnsubscribedOut(BaseModel):
    unsubscribed: str = Field(description="The kind of e-mail turned off: replies or decisions")


class WebhookIn(_In):
    url: str = Field(min_length=8, max_length=2048)
    events: list[Event] = Field(min_length=1, max_length=len(EVENTS))
    format: Literal["json", "slack"] = "json"


class WebhookPatchIn(_In):
    url: str | None = Field(default=None, min_length=8, max_length=2048)
    events: list[Event] | None = Field(default=None, min_length=1, max_length=len(EVENTS))
    format: Literal["json", "slack"] | None = None
    is_active: StrictBool | None = None


class WebhookOut(BaseModel):
    id: int
    url: str
    events: list[str]
    format: str
    is_active: bool
    created_at: str
    secret: str | None = Field(
        default=None, description="Shown once, when the webhook is created: keep it"
    )


class WebhooksOut(BaseModel):
    webhooks: list[WebhookOut]


class DeliveryOut(BaseModel):
    id: int
    event: str
    status: Literal["pending", "sent", "dead", "skipped"]
    attempts: int
    last_status: int | None
    last_error: str | None
    created_at: str
    next_attempt_at: str | None
    sent_at: str | None


class DeliveriesOut(BaseModel):
    deliveries: list[DeliveryOut]


class OutboxOut(BaseModel):
    counts: dict[str, int] = Field(description="Messages per `channel.status`")
    pending: int
    failed: int = Field(description="Given up after the retry period")
    recent_failures: list[DeliveryOut]
    mail_configured: bool


class NotificationOut(BaseModel):
    id: int
    kind: str = Field(description="reply, decision, staff_reply or pick")
    created_at: str
    read: bool
    data: dict[str, Any] = Field(
        description="comment_id, author_name, excerpt, url, story {id, title, url}; "
        "decisions add outcome and reason"
    )


class NotificationsOut(BaseModel):
    notifications: list[NotificationOut]
    unread: int


class MarkReadIn(_In):
    ids: list[Id] | None = Field(
        default=None, max_length=LIST_LIMIT_MAX, description="Omit to mark everything read"
    )


class UnreadOut(BaseModel):
    unread: int


class FollowOut(BaseModel):
    following: bool


class ResetRequestIn(_In):
    email: str = Field(min_length=3, max_length=320)


class ResetRequestedOut(BaseModel):
    detail: str


class ResetIn(_In):
    token: str = Field(min_length=1, max_length=512)
    password: str = Field(min_length=1, max_length=1024)


class VerifyIn(_In):
    token: str = Field(min_length=1, max_length=512)


class VerifiedOut(BaseModel):
    verified: bool

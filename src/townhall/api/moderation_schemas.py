"""Request and response schemas of the moderation and admin API (they document the OpenAPI)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from townhall.api.params import LanguageTag
from townhall.domain import limits


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


Seen = Literal["published", "pending", "rejected"]
SEEN_DOC = "The status the moderator saw; another one answers 409 already-decided"


class ApproveIn(_In):
    expected_status: Seen | None = Field(default=None, description=SEEN_DOC)


class RejectIn(_In):
    reason: str = Field(
        min_length=1, max_length=limits.REASON_MAX, description="Why it was rejected"
    )
    expected_status: Seen | None = Field(default=None, description=SEEN_DOC)


class BulkIn(_In):
    ids: list[Annotated[int, Field(ge=limits.MIN_ID, le=limits.MAX_ID)]] = Field(
        min_length=1, max_length=limits.BULK_MAX
    )
    action: Literal["approve", "reject"]
    reason: str | None = Field(
        default=None, max_length=limits.REASON_MAX, description="Required to reject"
    )


class BanIn(_In):
    reason: str | None = Field(default=None, max_length=limits.REASON_MAX)


class SuspendIn(_In):
    hours: int = Field(ge=1, le=24 * 365, description="Suspension length in hours")
    reason: str | None = Field(default=None, max_length=limits.REASON_MAX)


class UserPatchIn(_In):
    role: Literal["commenter", "moderator", "admin"] | None = None
    premium: bool | None = None


class StoryPatchIn(_In):
    is_closed: bool | None = None
    premoderate: bool | None = None
    premium_enabled: bool | None = None
    auto_close_days: int | None = Field(
        default=None, ge=1, le=3650, description="null turns auto-close off"
    )
    title: str | None = Field(
        default=None, max_length=limits.STORY_TITLE_MAX, description="Plain text"
    )
    url: str | None = Field(
        default=None,
        max_length=limits.STORY_URL_MAX,
        description="http(s) on an embedding origin; null clears",
    )
    prompt: str | None = Field(
        default=None,
        max_length=limits.PROMPT_MAX,
        description="A question shown above the form instead of the site's call to action "
        "(plain text); null or empty clears",
    )
    pinned_comment_id: int | None = Field(
        default=None,
        ge=limits.MIN_ID,
        le=limits.MAX_ID,
        description="A published staff comment of this story shown first; null unpins",
    )
    likes_closed: bool | None = Field(
        default=None, description="Closed for likes while comments stay open"
    )
    qa_mode: bool | None = Field(
        default=None, description="Questions and answers: staff and experts answer"
    )


class ModerationSettingsIn(_In):
    banned_words: list[str] | None = Field(default=None, max_length=5000)
    suspect_words: list[str] | None = Field(default=None, max_length=5000)
    allowed_words: list[str] | None = Field(default=None, max_length=5000)
    toxicity_hold: float | None = Field(default=None, ge=0, le=1)
    toxicity_reject: float | None = Field(default=None, ge=0, le=1)
    max_links: int | None = Field(default=None, ge=0, le=100)
    new_user_hold_count: int | None = Field(default=None, ge=0, le=1000)
    other_languages: Literal["publish", "hold"] | None = Field(
        default=None,
        description="Comments in a language no word list covers: publish, or hold for review",
    )


# Publisher's texts: surface → language → message id → text (a plural message: category → text).
MessageOverrides = dict[str, dict[str, dict[str, str | dict[str, str]]]]


class SitePatchIn(_In):
    premium_label: str | None = Field(default=None, max_length=80)
    learn_more_url: str | None = Field(default=None, max_length=500)
    guidelines: list[str] | None = Field(default=None, max_length=20)
    guidelines_url: str | None = Field(default=None, max_length=500)
    heading: str | None = Field(
        default=None, max_length=80, description="Empty: the catalogue's, in the reader's language"
    )
    call_to_action: str | None = Field(default=None, max_length=200)
    local_accounts: bool | None = None
    max_body: int | None = Field(default=None, ge=1, le=limits.BODY_MAX)
    edit_window_seconds: int | None = Field(default=None, ge=0, le=86_400)
    report_threshold: int | None = Field(default=None, ge=1, le=1000)
    premium_read_restricted: bool | None = None
    allowed_origins: list[str] | None = Field(default=None, max_length=100)
    post_rate_per_minute: int | None = Field(default=None, ge=1, le=1000)
    moderation: ModerationSettingsIn | None = None
    language: LanguageTag | None = Field(default=None, description="Default language, e.g. de")
    retention_days: int | None = Field(
        default=None, ge=1, le=3650, description="Days address hashes and addresses are kept"
    )
    name_quarantine_days: int | None = Field(
        default=None, ge=0, le=3650, description="Days a deleted account's name stays taken"
    )
    messages: MessageOverrides | None = Field(
        default=None, description="Overrides of catalogue messages; replaces the stored set"
    )
    alert_pending_threshold: int | None = Field(
        default=None,
        ge=0,
        le=100_000,
        description="E-mail moderators at this many pending (0: off)",
    )
    alert_on_reports: bool | None = Field(
        default=None, description="E-mail moderators when reader reports hide a comment"
    )
    alert_every_minutes: int | None = Field(
        default=None, ge=1, le=1440, description="At most one alert of each kind per this period"
    )


class HistoryOut(BaseModel):
    comments: int
    published: int
    pending: int
    rejected: int
    reports: int = Field(description="Reports readers filed against this user's comments")


class CardAuthorOut(BaseModel):
    id: int
    name: str | None
    email: str | None
    role: str
    premium: bool
    is_banned: bool
    suspended_until: str | None
    is_shadowbanned: bool
    history: HistoryOut | None = None


class ReportOut(BaseModel):
    reason: str
    note: str | None
    created_at: str
    by: str | None


class StoryRefOut(BaseModel):
    id: str
    title: str | None


class CardOut(BaseModel):
    id: int
    status: Literal["published", "pending", "rejected", "deleted"]
    stream: Literal["open", "premium"]
    body_html: str = Field(description="Server-sanitized HTML")
    created_at: str
    edited_at: str | None
    parent_id: int | None
    in_reply_to: str | None
    depth: int
    story: StoryRefOut
    story_url: str | None
    author: CardAuthorOut
    guideline: str | None = Field(description="Guideline that held or rejected it")
    reason: str | None = Field(description="Why the check held it")
    findings: list[dict[str, Any]]
    score: float | None = Field(description="Highest model score among the findings")
    like_count: int
    report_count: int
    reports: list[ReportOut]
    is_shadowed: bool
    decided_by: str | None
    decided_at: str | None
    featured: bool = Field(default=False, description="Picked by staff")
    feature_note: str | None = Field(default=None, description="The pick's public note")
    rejection_reason: str | None


class CountsOut(BaseModel):
    pending: int
    reported: int
    rejected: int
    all: int


class QueueOut(BaseModel):
    comments: list[CardOut]
    next_cursor: str | None
    counts: CountsOut


class BulkFailureOut(BaseModel):
    id: int
    code: str
    detail: str


class BulkOut(BaseModel):
    done: list[int]
    failed: list[BulkFailureOut]


class PrecisionRowOut(BaseModel):
    guideline: str = Field(description="The guideline the automatic review held comments for")
    decided: int = Field(description="Holds a moderator approved or rejected")
    approved: int
    rejected: int
    precision: float | None = Field(description="rejected / decided; null when none decided")


class PrecisionTotalOut(BaseModel):
    decided: int
    approved: int
    rejected: int
    precision: float | None


class PrecisionOut(BaseModel):
    days: int
    since: str
    until: str
    guidelines: list[PrecisionRowOut]
    total: PrecisionTotalOut


class UserAdminOut(BaseModel):
    id: int
    name: str | None
    email: str | None
    role: Literal["commenter", "moderator", "admin"]
    premium: bool
    status: Literal["active", "banned", "suspended"]
    is_banned: bool
    suspended_until: str | None
    is_shadowbanned: bool
    is_expert: bool = Field(default=False, description="Named an expert by staff")
    created_at: str
    history: HistoryOut | None = None


class UsersOut(BaseModel):
    users: list[UserAdminOut]


class AuditEntryOut(BaseModel):
    id: int
    created_at: str
    actor_id: int | None
    actor_name: str | None
    action: str
    target_type: str
    target_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class AuditOut(BaseModel):
    entries: list[AuditEntryOut]
    next_cursor: str | None


class UserDetailOut(BaseModel):
    user: UserAdminOut
    comments: list[CardOut]
    next_cursor: str | None
    actions: list[AuditEntryOut]


class StorySettingsOut(BaseModel):
    id: str
    title: str | None
    url: str | None
    created_at: str
    is_closed: bool
    is_closed_now: bool = Field(description="Closed by hand or by auto-close")
    premoderate: bool
    premium_enabled: bool
    auto_close_days: int | None
    prompt: str | None = None
    pinned_comment_id: int | None = None
    likes_closed: bool = False
    qa_mode: bool = False


class StoriesOut(BaseModel):
    stories: list[StorySettingsOut]


class SiteSettingsOut(BaseModel):
    name: str
    version: int
    premium_label: str
    premium_name: str
    learn_more_url: str
    guidelines: list[str]
    guidelines_url: str
    heading: str
    call_to_action: str
    local_accounts: bool
    max_body: int
    edit_window_seconds: int
    report_threshold: int
    premium_read_restricted: bool
    allowed_origins: list[str]
    post_rate_per_minute: int
    moderation: dict[str, Any]
    language: str
    messages: MessageOverrides
    alert_pending_threshold: int
    alert_on_reports: bool
    alert_every_minutes: int
    retention_days: int
    name_quarantine_days: int
    has_sso_secret: bool
    has_previous_sso_secret: bool = Field(
        description="The secret before the last rotation is still accepted"
    )


class RotateSecretIn(_In):
    revoke_previous: bool = Field(
        default=False, description="Stop accepting the current secret at once (a leak)"
    )


class SecretOut(BaseModel):
    sso_secret: str = Field(
        description="Shown once; the previous secret stays valid unless revoked"
    )

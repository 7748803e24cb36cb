"""Domain dataclasses and enums; no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


def utcnow() -> datetime:
    """Current time, timezone-aware UTC, microseconds kept."""
    return datetime.now(UTC)


class Stream(StrEnum):
    OPEN = "open"
    PREMIUM = "premium"


class Status(StrEnum):
    PUBLISHED = "published"
    PENDING = "pending"
    REJECTED = "rejected"
    DELETED = "deleted"


class Role(StrEnum):
    COMMENTER = "commenter"
    MODERATOR = "moderator"
    ADMIN = "admin"

    @property
    def is_staff(self) -> bool:
        """Moderators and admins."""
        return self is not Role.COMMENTER


class Sort(StrEnum):
    NEWEST = "newest"
    OLDEST = "oldest"
    MOST_LIKED = "most_liked"
    BEST = "best"


class UserState(StrEnum):
    ACTIVE = "active"
    BANNED = "banned"
    SUSPENDED = "suspended"


REPORT_REASONS: dict[str, str] = {
    "swearing": "Swearing or obscenity",
    "abuse": "Personal abuse or threats",
    "discrimination": "Racism, sexism, homophobia or other discrimination",
    "impersonation": "Impersonating someone",
    "private_info": "Reveals private information",
    "spam": "Spam or advertising",
    "disagree": "I disagree with this comment",
    "other": "Something else",
    "illegal": "Illegal content (explain why)",
}
# Reports that must say why; an "illegal" one goes to its own queue for legal review.
EXPLAINED_REASONS = frozenset({"illegal"})
# "disagree" is recorded but never counts towards hiding a comment.
FLAG_REASONS = frozenset(REPORT_REASONS) - {"disagree"}


@dataclass(frozen=True, slots=True)
class User:
    id: int
    site_id: str
    email: str | None
    name: str | None
    role: Role
    is_premium: bool
    is_banned: bool
    suspended_until: datetime | None
    is_shadowbanned: bool
    created_at: datetime
    sso_sub: str | None = None
    is_expert: bool = False

    def state(self, now: datetime | None = None) -> UserState:
        """Whether the user may take part right now."""
        if self.is_banned:
            return UserState.BANNED
        if self.suspended_until is not None and self.suspended_until > (now or utcnow()):
            return UserState.SUSPENDED
        return UserState.ACTIVE

    @property
    def is_staff(self) -> bool:
        """Moderator or admin."""
        return self.role.is_staff


@dataclass(frozen=True, slots=True)
class Story:
    id: int
    site_id: str
    key: str
    url: str | None
    title: str | None
    is_closed: bool
    premoderate: bool
    premium_enabled: bool
    auto_close_days: int | None
    created_at: datetime
    published_open: int = 0
    published_premium: int = 0
    prompt: str | None = None
    pinned_comment_id: int | None = None
    likes_closed: bool = False
    qa_mode: bool = False
    pick_count: int = 0  # comments that stand picked (some may since have been removed)

    def public_count(self, stream: Stream | None = None) -> int:
        """Published, non-shadowed comments (of one stream, or of both)."""
        if stream is None:
            return self.published_open + self.published_premium
        return self.published_open if stream is Stream.OPEN else self.published_premium

    def is_closed_at(self, now: datetime) -> bool:
        """Closed by hand, or by age when auto-close is set."""
        if self.is_closed:
            return True
        if self.auto_close_days:
            return (now - self.created_at).total_seconds() > self.auto_close_days * 86400
        return False

    @property
    def channel(self) -> str:
        """Live channel name for this story."""
        return f"story:{self.site_id}:{self.key}"


@dataclass(frozen=True, slots=True)
class Comment:
    id: int
    site_id: str
    story_id: int
    stream: Stream
    parent_id: int | None
    root_id: int | None
    depth: int
    author_id: int
    body: str
    status: Status
    created_at: datetime
    edited_at: datetime | None
    deleted_at: datetime | None
    like_count: int
    reply_count: int
    report_count: int
    is_shadowed: bool
    # Editorial facts (a pick, an answer, replies from staff) and the Best order's key.
    featured_at: datetime | None = None
    feature_note: str | None = None
    answered_at: datetime | None = None
    staff_replied: bool = False
    was_held: bool = False  # held by pre-moderation or by reports at some point
    best_rank: float = 0.0
    findings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_public(self) -> bool:
        """Visible to every reader (published and not shadow-banned)."""
        return self.status is Status.PUBLISHED and not self.is_shadowed

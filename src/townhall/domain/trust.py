"""Earned trust: a reader's standing from their recent record, the site's thresholds and
staff's say. Pure rules, no I/O: the service gathers the facts, this decides."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from townhall.errors import ValidationFailed


class Level(StrEnum):
    TRUSTED = "trusted"  # soft holds (suspect words, the classifier alone) are published
    STANDARD = "standard"
    NEW = "new"  # on probation: held until enough comments are approved, or for some hours
    PREMODERATED = "premoderated"  # every comment held for a moderator


# Levels staff may set by hand (for a time, or until changed); "auto" clears their choice.
MANUAL = (Level.TRUSTED.value, Level.PREMODERATED.value)


_BOUNDS = {
    "trusted_after": (0, 10_000),
    "trusted_window_days": (1, 3650),
    "trusted_max_rejected": (0, 10_000),
    "premod_after": (0, 10_000),
    "premod_window_days": (1, 3650),
    "premod_hours": (1, 24 * 365),
    "probation_hours": (0, 24 * 365),
}


@dataclass(frozen=True, slots=True)
class TrustRules:
    """A site's thresholds (the `trust` site setting); 0 switches a rule off."""

    trusted_after: int = 10  # comments published within the window that earn trust
    trusted_window_days: int = 90
    trusted_max_rejected: int = 0  # rejections within that window that still allow it
    premod_after: int = 3  # rejections within the window that bring pre-moderation
    premod_window_days: int = 30
    premod_hours: int = 72  # how long, from the last of those rejections
    probation_hours: int = 0  # new accounts are held this long after joining

    @classmethod
    def from_settings(cls, settings: dict[str, Any] | None) -> TrustRules:
        """Thresholds from the site setting; unknown keys and bad values are refused."""
        changes: dict[str, int] = {}
        for key, value in (settings or {}).items():
            if key not in _BOUNDS:
                raise ValidationFailed(
                    f"trust: unknown threshold '{key}'", field=f"trust.{key}", rule="unknown"
                )
            lo, hi = _BOUNDS[key]
            if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
                raise ValidationFailed(
                    f"trust.{key} must be a whole number from {lo} to {hi}",
                    field=f"trust.{key}",
                    rule="range",
                )
            changes[key] = value
        return replace(cls(), **changes)

    def windows(self, now: datetime) -> tuple[datetime, datetime]:
        """Since when comments count: toward trust (and its rejections), toward
        pre-moderation."""
        return (
            now - timedelta(days=self.trusted_window_days),
            now - timedelta(days=self.premod_window_days),
        )

    @property
    def enough(self) -> int:
        """Published comments in the window worth counting to decide: past the threshold
        more changes nothing (posting counts no further)."""
        return self.trusted_after

    def to_json(self) -> dict[str, int]:
        """Every threshold, defaults included."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, slots=True)
class Facts:
    """A reader's record as the rules need it."""

    joined_at: datetime
    published_total: int  # counted up to the probation count at most
    published_recent: int  # within trusted_window_days
    rejected_recent: int  # within trusted_window_days
    rejected_premod: int  # within premod_window_days
    last_rejected_at: datetime | None


@dataclass(frozen=True, slots=True)
class Override:
    """Staff's choice for one reader."""

    level: str
    until: datetime | None
    reason: str | None
    by: str | None


@dataclass(frozen=True, slots=True)
class Record:
    """What the database holds on a reader for trust, read in one statement: their
    comments in the two windows and staff's choice."""

    published_recent: int  # within trusted_window_days
    rejected_recent: int  # within trusted_window_days
    rejected_premod: int  # within premod_window_days
    last_rejected_at: datetime | None
    override: Override | None

    def facts(self, *, joined_at: datetime, published_total: int) -> Facts:
        """The record with what the caller knows besides (the published total is counted
        up to the probation count, which posting reads anyway)."""
        return Facts(
            joined_at=joined_at,
            published_total=published_total,
            published_recent=self.published_recent,
            rejected_recent=self.rejected_recent,
            rejected_premod=self.rejected_premod,
            last_rejected_at=self.last_rejected_at,
        )


@dataclass(frozen=True, slots=True)
class Standing:
    """Where a reader stands, why (a code and its figures) and until when."""

    level: Level
    why: str
    figures: dict[str, Any]
    until: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        """For the moderators' API (`until` still a datetime, for the presenter to write)."""
        out = asdict(self)
        out["level"] = self.level.value
        return out


def standing(
    rules: TrustRules,
    facts: Facts,
    *,
    now: datetime,
    override: Override | None = None,
    probation_count: int = 0,
) -> Standing:
    """The reader's level: staff's choice first, then rejections, trust, probation."""
    if override and (override.until is None or override.until > now):
        figures: dict[str, Any] = {"by": override.by, "reason": override.reason}
        return Standing(Level(override.level), "staff", figures, override.until)
    if rules.premod_after and facts.rejected_premod >= rules.premod_after:
        assert facts.last_rejected_at is not None
        until = facts.last_rejected_at + timedelta(hours=rules.premod_hours)
        if until > now:
            figures = {"rejected": facts.rejected_premod, "days": rules.premod_window_days}
            return Standing(Level.PREMODERATED, "rejections", figures, until)
    if probation_count and facts.published_total < probation_count:
        figures = {"published": facts.published_total, "needed": probation_count}
        return Standing(Level.NEW, "probation_count", figures)
    if rules.probation_hours:
        until = facts.joined_at + timedelta(hours=rules.probation_hours)
        if until > now:
            return Standing(Level.NEW, "probation_hours", {"hours": rules.probation_hours}, until)
    if (
        rules.trusted_after
        and facts.published_recent >= rules.trusted_after
        and facts.rejected_recent <= rules.trusted_max_rejected
    ):
        figures = {
            "published": facts.published_recent,
            "rejected": facts.rejected_recent,
            "days": rules.trusted_window_days,
        }
        return Standing(Level.TRUSTED, "record", figures)
    figures = {
        "published": facts.published_recent,
        "rejected": facts.rejected_recent,
        "days": rules.trusted_window_days,
        "needed": rules.trusted_after,
    }
    return Standing(Level.STANDARD, "record", figures)

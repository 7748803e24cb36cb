"""Sort orders, defined once: each sort's key columns, direction and cursor codec.

Every listing (comment pages, threads, first replies, moderation queues, user
histories) orders and paginates by this table (`storage/sql/order.py` turns a key into
ORDER BY and keyset terms), so a cursor always names the key its page was ordered by.
"""

from __future__ import annotations

import base64
import binascii
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from townhall.domain.limits import MAX_ID
from townhall.domain.models import Comment, Sort
from townhall.errors import ValidationFailed

_INT_COLUMNS = frozenset({"id", "like_count"})
_FLOAT_COLUMNS = frozenset({"best_rank"})


@dataclass(frozen=True, slots=True)
class SortKey:
    """A sort: comment columns, most significant first (ending with the unique id)."""

    columns: tuple[str, ...]
    descending: bool

    def encode(self, last: Comment) -> str:
        """An opaque cursor from the last row of a page."""
        values = [getattr(last, name) for name in self.columns]
        raw = orjson.dumps([v.isoformat() if isinstance(v, datetime) else v for v in values])
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def decode(self, cursor: str) -> list[Any]:
        """The key inside a cursor made for this sort, or a 422 naming the cursor."""
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            values = orjson.loads(raw)
            if not isinstance(values, list) or len(values) != len(self.columns):
                raise ValueError
            return [_value(name, v) for name, v in zip(self.columns, values, strict=True)]
        except (binascii.Error, ValueError, TypeError, orjson.JSONDecodeError):
            raise ValidationFailed(
                "cursor is not valid for this listing", field="cursor", rule="format"
            ) from None


def _value(name: str, value: Any) -> Any:
    if name in _FLOAT_COLUMNS:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(name)
        if not math.isfinite(value) or abs(value) > BEST_RANK_MAX:
            raise ValueError(name)
        return float(value)
    if name in _INT_COLUMNS:
        # A database integer: anything wider would fail in the driver, not here.
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_ID:
            raise ValueError(name)
        return value
    if not isinstance(value, str):
        raise ValueError(name)
    return datetime.fromisoformat(value)


ORDERS: dict[Sort, SortKey] = {
    Sort.NEWEST: SortKey(("created_at", "id"), descending=True),
    Sort.OLDEST: SortKey(("created_at", "id"), descending=False),
    Sort.MOST_LIKED: SortKey(("like_count", "created_at", "id"), descending=True),
    # The stored rank (see below): pages follow a key that moves only when a comment's
    # own inputs change, never with the clock, so a cursor stays meaningful.
    Sort.BEST: SortKey(("best_rank", "id"), descending=True),
}
# A thread's replies read oldest first, whatever the page's sort.
THREAD = ORDERS[Sort.OLDEST]


# -- The Best order -------------------------------------------------------------------
#
# quality = BASE
#         + LIKES_WEIGHT * wilson_lower_bound(likes, likes + valid reports)
#         + PICK_BONUS          when staff picked the comment
#         + STAFF_REPLY_BONUS   when staff (or a named expert) replied to it
#         - REPORT_PENALTY * valid reports (flags counted since a moderator last cleared them)
#         - HOLD_PENALTY        when pre-moderation or readers' reports ever held it
# score(now) = max(quality, QUALITY_FLOOR) * 2 ** -(age / HALF_LIFE)
#
# Sorting by score(now) is the same as sorting by
#     rank = ln(max(quality, QUALITY_FLOOR)) + created_at * ln 2 / HALF_LIFE
# at every moment (the clock adds the same amount to every comment's log-score), so the
# rank is stored with the comment and rewritten only when likes, reports, a pick, a staff
# reply or a hold change it; cursors page through it like any other column.

WILSON_Z = 1.96  # a 95 % interval
BASE = 1.0
LIKES_WEIGHT = 10.0
PICK_BONUS = 5.0
STAFF_REPLY_BONUS = 3.0
REPORT_PENALTY = 2.0
HOLD_PENALTY = 3.0
QUALITY_FLOOR = 0.05
HALF_LIFE_SECONDS = 12 * 3600
BEST_RANK_MAX = 1e9


def wilson_lower_bound(positive: int, total: int, z: float = WILSON_Z) -> float:
    """Lower bound of the Wilson score interval of positive/total (0 when total is 0)."""
    if total <= 0:
        return 0.0
    p = positive / total
    z2 = z * z
    centre = p + z2 / (2 * total)
    spread = z * math.sqrt((p * (1 - p) + z2 / (4 * total)) / total)
    return max(0.0, (centre - spread) / (1 + z2 / total))


@dataclass(frozen=True, slots=True)
class BestInputs:
    """What the Best order knows of a comment."""

    likes: int
    reports: int
    featured: bool
    staff_replied: bool
    held: bool
    created_at: datetime

    @classmethod
    def of(cls, c: Comment) -> BestInputs:
        """A comment's inputs."""
        return cls(
            likes=c.like_count,
            reports=c.report_count,
            featured=c.featured_at is not None,
            staff_replied=c.staff_replied,
            held=c.was_held,
            created_at=c.created_at,
        )

    def parts(self) -> dict[str, float]:
        """Each term of the quality, named (what "Why is this here?" shows)."""
        likes = max(self.likes, 0)
        reports = max(self.reports, 0)
        return {
            "base": BASE,
            "likes": LIKES_WEIGHT * wilson_lower_bound(likes, likes + reports),
            "pick": PICK_BONUS if self.featured else 0.0,
            "staff_reply": STAFF_REPLY_BONUS if self.staff_replied else 0.0,
            "reports": -REPORT_PENALTY * reports,
            "holds": -HOLD_PENALTY if self.held else 0.0,
        }

    def quality(self) -> float:
        """The sum of the parts, never below the floor."""
        return max(sum(self.parts().values()), QUALITY_FLOOR)

    def rank(self) -> float:
        """The stored key: orders exactly as score(now) does, for every now."""
        return math.log(self.quality()) + self.created_at.timestamp() * math.log(2) / (
            HALF_LIFE_SECONDS
        )

    def explain(self, now: datetime) -> dict[str, Any]:
        """The parts, the age decay and the score now, rounded for people to read."""
        age = max((now - self.created_at).total_seconds(), 0.0)
        decay = 2 ** -(age / HALF_LIFE_SECONDS)
        return {
            "parts": {k: round(v, 2) for k, v in self.parts().items()},
            "quality": round(self.quality(), 4),
            "age_hours": round(age / 3600, 1),
            "half_life_hours": HALF_LIFE_SECONDS / 3600,
            "decay": round(decay, 4),
            "score": round(self.quality() * decay, 4),
            "likes": self.likes,
            "reports": self.reports,
        }


def best_rank(
    *,
    likes: int,
    reports: int,
    featured: bool,
    staff_replied: bool,
    held: bool,
    created_at: datetime,
) -> float:
    """The Best order's stored key for these inputs."""
    return BestInputs(likes, reports, featured, staff_replied, held, created_at).rank()

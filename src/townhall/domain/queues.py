"""Moderation queues: their names and what a listing of one covers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# "illegal": comments readers reported as illegal content, kept apart for legal review.
QUEUES = ("pending", "reported", "rejected", "all", "illegal")


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """Which comments a queue listing covers (story and author must belong to the site)."""

    site_id: str
    queue: str = "pending"
    story_id: int | None = None
    stream: str | None = None
    guideline: str | None = None
    author_id: int | None = None
    story_title: str | None = None  # part of the story's title, any case
    author_name: str | None = None  # part of the author's commenting name, any case
    score_min: float | None = None  # score band: score_min <= score < score_max
    score_max: float | None = None
    created_before: datetime | None = None  # age band, from the queue's "now"
    created_after: datetime | None = None


# Score bands the dashboard offers (lower bound inclusive, upper exclusive), and age bands
# in hours (posted at least, at most this long ago); "none" is a comment no check scored.
SCORE_BANDS: dict[str, tuple[float | None, float | None]] = {
    "high": (0.75, None),
    "medium": (0.5, 0.75),
    "low": (None, 0.5),
}
AGE_BANDS: dict[str, tuple[int | None, int | None]] = {
    "hour": (None, 1),
    "day": (1, 24),
    "week": (24, 24 * 7),
    "older": (24 * 7, None),
}

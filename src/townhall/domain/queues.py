"""Moderation queues: their names and what a listing of one covers."""

from __future__ import annotations

from dataclasses import dataclass

QUEUES = ("pending", "reported", "rejected", "all")


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """Which comments a queue listing covers (story and author must belong to the site)."""

    site_id: str
    queue: str = "pending"
    story_id: int | None = None
    stream: str | None = None
    guideline: str | None = None
    author_id: int | None = None

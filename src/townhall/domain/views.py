"""Read models: what a listing returns, joined and counted in bulk."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from townhall.domain.models import Comment, Role


@dataclass(slots=True)
class CommentView:
    """A comment with the author and thread facts a reader sees."""

    comment: Comment
    author_name: str | None
    author_premium: bool
    author_role: Role
    in_reply_to: str | None = None
    author_expert: bool = False
    thread_total: int = 0
    liked_by_me: bool = False
    reported_by_me: bool = False
    replies: list[CommentView] = field(default_factory=list)
    # The database row the view was read from, when it was: its content identifies
    # everything a reader without an account sees of the comment itself.
    row_key: tuple[Any, ...] | None = None


@dataclass(slots=True)
class Page:
    """One page of a listing."""

    items: list[CommentView]
    next_cursor: str | None
    total: int

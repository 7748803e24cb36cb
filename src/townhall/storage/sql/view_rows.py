"""A reader's view of a comment: the columns it reads, their positions, and the mapping.

Listings read rows by position (the hot path of every page), so the positions are
named here, next to the columns they come from, and nowhere else.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from sqlalchemy import Select, and_, select

from townhall.domain.models import Comment, Role, Status, Stream
from townhall.domain.views import CommentView
from townhall.storage.sql.tables import comments as c
from townhall.storage.sql.tables import users

author = users.alias("author")
parent = c.alias("parent")
parent_author = users.alias("parent_author")

# What a reader's view needs, in this order: the Comment's own fields first (no
# moderation internals: findings, hashes and decisions stay out of listings), then
# the author's facts and the parent's author.
_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("id", c.c.id),
    ("site_id", c.c.site_id),
    ("story_id", c.c.story_id),
    ("stream", c.c.stream),
    ("parent_id", c.c.parent_id),
    ("root_id", c.c.root_id),
    ("depth", c.c.depth),
    ("author_id", c.c.author_id),
    ("body", c.c.body),
    ("status", c.c.status),
    ("created_at", c.c.created_at),
    ("edited_at", c.c.edited_at),
    ("deleted_at", c.c.deleted_at),
    ("like_count", c.c.like_count),
    ("reply_count", c.c.reply_count),
    ("report_count", c.c.report_count),
    ("is_shadowed", c.c.is_shadowed),
    ("featured_at", c.c.featured_at),
    ("feature_note", c.c.feature_note),
    ("answered_at", c.c.answered_at),
    ("staff_replied", c.c.staff_replied),
    ("was_held", c.c.guideline.is_not(None)),
    ("best_rank", c.c.best_rank),
    ("author_name", author.c.name),
    ("author_premium", author.c.is_premium),
    ("author_role", author.c.role),
    ("in_reply_to", parent_author.c.name),
    ("author_expert", author.c.is_expert),
)
POSITION = {name: i for i, (name, _) in enumerate(_COLUMNS)}
ROOT_ID = POSITION["root_id"]
STREAM = POSITION["stream"]
STATUS = POSITION["status"]
IS_SHADOWED = POSITION["is_shadowed"]
AUTHOR_NAME = POSITION["author_name"]
AUTHOR_PREMIUM = POSITION["author_premium"]
AUTHOR_ROLE = POSITION["author_role"]
IN_REPLY_TO = POSITION["in_reply_to"]
AUTHOR_EXPERT = POSITION["author_expert"]
STAFF_REPLIED = POSITION["staff_replied"]
WAS_HELD = POSITION["was_held"]
BEST_RANK = POSITION["best_rank"]
WIDTH = len(_COLUMNS)

_COMMENT_FIELDS = tuple(f.name for f in fields(Comment) if f.name != "findings")
if tuple(name for name, _ in _COLUMNS[:AUTHOR_NAME]) != _COMMENT_FIELDS:
    raise RuntimeError("the view's first columns must follow Comment's fields, in order")

_STREAMS = {s.value: s for s in Stream}
_STATUSES = {s.value: s for s in Status}
_ROLES = {r.value: r for r in Role}


def view_select() -> Select[Any]:
    """SELECT of the view columns with the author and the parent's author joined."""
    return (
        select(*(col for _, col in _COLUMNS))
        .join(author, author.c.id == c.c.author_id)
        .outerjoin(parent, parent.c.id == c.c.parent_id)
        # A reply names its parent's author only while the parent is public (#14).
        .outerjoin(
            parent_author,
            and_(
                parent_author.c.id == parent.c.author_id,
                parent.c.status == Status.PUBLISHED.value,
                parent.c.is_shadowed.is_(False),
            ),
        )
    )


# Comments read recently, by the content of their row: a page read again (most reads
# are) reuses the immutable Comment instead of building it anew. Bounded; emptied
# when full.
_COMMENTS: dict[tuple[Any, ...], Comment] = {}
MEMO_SIZE = 10_000


def to_view(row: Any) -> CommentView:
    """A row of view_select as a CommentView."""
    key = tuple(row[:WIDTH])
    comment = _COMMENTS.get(key)
    if comment is None:
        values = list(key[:AUTHOR_NAME])
        values[STREAM] = _STREAMS[values[STREAM]]
        values[STATUS] = _STATUSES[values[STATUS]]
        values[IS_SHADOWED] = bool(values[IS_SHADOWED])
        values[STAFF_REPLIED] = bool(values[STAFF_REPLIED])
        values[WAS_HELD] = bool(values[WAS_HELD])
        values[BEST_RANK] = float(values[BEST_RANK])
        comment = Comment(*values)
        if len(_COMMENTS) >= MEMO_SIZE:
            _COMMENTS.clear()
        _COMMENTS[key] = comment
    return CommentView(
        comment=comment,
        author_name=key[AUTHOR_NAME],
        author_premium=bool(key[AUTHOR_PREMIUM]),
        author_role=_ROLES[key[AUTHOR_ROLE]],
        in_reply_to=key[IN_REPLY_TO],
        author_expert=bool(key[AUTHOR_EXPERT]),
        row_key=key,
    )

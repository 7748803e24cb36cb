"""Comment rows: insert, read by id, change, count; the store joins listings and reactions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update

from townhall.domain.models import Comment, Status, Stream
from townhall.domain.sorting import BestInputs
from townhall.domain.views import CommentView
from townhall.storage.sql.counts import counted
from townhall.storage.sql.engine import SqlConnection
from townhall.storage.sql.listings import CommentListings, visible
from townhall.storage.sql.raw import hot
from townhall.storage.sql.reactions import Reactions
from townhall.storage.sql.rows import to_comment
from townhall.storage.sql.tables import comments as c
from townhall.storage.sql.tables import likes, stories
from townhall.storage.sql.view_rows import to_view, view_select

_SET_ROOT = hot(
    update(c).where(c.c.id == bindparam("comment_id")).values(root_id=bindparam("comment_id"))
)
_BY_ID = hot(
    select(c).where(c.c.id == bindparam("comment_id"), c.c.site_id == bindparam("site_id"))
)
_RECENT_BY_AUTHOR = hot(
    select(c.c.body, c.c.created_at)
    .where(c.c.author_id == bindparam("author_id"), c.c.created_at >= bindparam("since"))
    .order_by(c.c.created_at.desc())
    .limit(bindparam("limit"))
)
_PUBLISHED_BY_AUTHOR = hot(
    select(func.count()).select_from(
        select(c.c.id)
        .where(c.c.author_id == bindparam("author_id"), c.c.status == Status.PUBLISHED.value)
        .limit(bindparam("at_most"))
        .subquery()
    )
)
_INSERT = hot(c.insert().returning(*c.c))
# What posting inserts: a new comment's columns (the rest take their defaults).
POSTED = (
    "site_id", "story_id", "stream", "parent_id", "root_id", "depth", "author_id", "body",
    "status", "created_at", "is_shadowed", "findings", "guideline", "score", "best_rank",
)  # fmt: skip


def _add_counted() -> Any:
    """PostgreSQL: insert a comment and read its story's counts in one statement. The
    counts are those of the statement's snapshot, before this insert (a statement does not
    see the rows its own parts write, the count trigger's delta included)."""
    added = (
        c.insert()
        .values({name: bindparam(name, type_=c.c[name].type) for name in POSTED})
        .returning(*c.c)
        .cte("added")
    )
    return hot(
        select(
            added,
            counted("published_open", pg=True).label("story_open"),
            counted("published_premium", pg=True).label("story_premium"),
        ).where(stories.c.id == added.c.story_id),
        postgresql_only=True,
    )


_ADD_COUNTED = _add_counted()
_BY_ID_ANY_SITE = hot(select(c).where(c.c.id == bindparam("comment_id")))
_SET_RANK = update(c).where(c.c.id == bindparam("comment_id")).values(best_rank=bindparam("rank"))


class SqlCommentStore(CommentListings, Reactions):
    """Comment rows, the listings that show them, and readers' likes and reports."""

    def __init__(self, conn: SqlConnection) -> None:
        self.conn = conn

    async def add(self, values: dict[str, Any]) -> Comment:
        """Insert a comment row and return it."""
        return to_comment((await self.conn.execute(_INSERT, values)).one())

    async def add_counted(self, values: dict[str, Any]) -> tuple[Comment, int] | None:
        """A new top-level comment and its stream's public count with it, in one
        statement; None where that takes several (SQLite: add, set_root, public_count)."""
        if self.conn.dialect.name != "postgresql":
            return None
        row = (await self.conn.execute(_ADD_COUNTED, values)).one()
        comment = to_comment(row)
        before = row.story_open if comment.stream is Stream.OPEN else row.story_premium
        return comment, int(before) + (1 if comment.is_public else 0)

    async def by_id(
        self, site_id: str, comment_id: int, *, for_update: bool = False
    ) -> Comment | None:
        """One comment of a site, or None."""
        params = {"comment_id": comment_id, "site_id": site_id}
        q = _BY_ID
        if for_update and self.conn.dialect.name == "postgresql":
            q = q.with_for_update()
        row = (await self.conn.execute(q, params)).first()
        return to_comment(row) if row else None

    async def by_import_key(self, site_id: str, key: str) -> Comment | None:
        """A comment brought in by an earlier import."""
        row = (
            await self.conn.execute(select(c).where(c.c.site_id == site_id, c.c.import_key == key))
        ).first()
        return to_comment(row) if row else None

    async def set_root(self, comment_id: int) -> None:
        """Make a new top-level comment the root of its own thread."""
        await self.conn.execute(_SET_ROOT, {"comment_id": comment_id})

    async def update(self, comment_id: int, **values: Any) -> Comment:
        """Change columns of one comment and return the new row."""
        res = await self.conn.execute(
            update(c).where(c.c.id == comment_id).values(**values).returning(*c.c)
        )
        return to_comment(res.one())

    async def shift_likes_of(self, user_id: int, delta: int) -> list[Comment]:
        """Add delta to the like count of every comment the user likes; those comments."""
        liked = select(likes.c.comment_id).where(likes.c.user_id == user_id)
        res = await self.conn.execute(
            update(c)
            .where(c.c.id.in_(liked))
            .values(like_count=c.c.like_count + delta)
            .returning(*c.c)
        )
        return [to_comment(row) for row in res.all()]

    async def bump(self, comment_id: int, column: str, delta: int) -> int:
        """Atomically add delta to a counter column; returns the new value."""
        col = c.c[column]
        res = await self.conn.execute(
            update(c).where(c.c.id == comment_id).values({column: col + delta}).returning(col)
        )
        return int(res.scalar_one())

    async def has_live_children(self, comment_id: int) -> bool:
        """Whether any reply (published or held) hangs under this comment."""
        q = (
            select(c.c.id)
            .where(
                c.c.parent_id == comment_id,
                c.c.status.in_(
                    [Status.PUBLISHED.value, Status.PENDING.value, Status.DELETED.value]
                ),
            )
            .limit(1)
        )
        return (await self.conn.execute(q)).first() is not None

    async def recent_by_author(
        self, author_id: int, since: datetime, limit: int = 20
    ) -> list[tuple[str, datetime]]:
        """The author's latest bodies and times since a moment, newest first."""
        params = {"author_id": author_id, "since": since, "limit": limit}
        rows = (await self.conn.execute(_RECENT_BY_AUTHOR, params)).all()
        return [(r.body, r.created_at) for r in rows]

    async def published_count_by_author(self, author_id: int, at_most: int) -> int:
        """How many of the author's comments are published, counting no further than
        at_most (the trust check only asks whether a threshold is reached)."""
        if at_most <= 0:
            return 0
        params = {"author_id": author_id, "at_most": at_most}
        return int((await self.conn.execute(_PUBLISHED_BY_AUTHOR, params)).scalar_one())

    async def rerank(self, comment_id: int) -> Comment:
        """Write the comment's Best-order key from its current inputs; the row."""
        row = (await self.conn.execute(_BY_ID_ANY_SITE, {"comment_id": comment_id})).one()
        comment = to_comment(row)
        rank = BestInputs.of(comment).rank()
        if rank != comment.best_rank:
            await self.conn.execute(_SET_RANK, {"comment_id": comment_id, "rank": rank})
        return replace(comment, best_rank=rank)

    async def featured(
        self, story_id: int, streams: Sequence[Stream], limit: int
    ) -> list[CommentView]:
        """A story's public picks in these streams, latest pick first."""
        if not streams:
            return []
        q = (
            view_select()
            .where(
                c.c.story_id == story_id,
                c.c.featured_at.is_not(None),
                c.c.stream.in_([s.value for s in streams]),
                visible(None, tombstones=False),
            )
            .order_by(c.c.featured_at.desc(), c.c.id.desc())
            .limit(limit)
        )
        return [to_view(r) for r in (await self.conn.execute(q)).all()]

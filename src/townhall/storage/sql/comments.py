"""Comments, likes and reports on SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from functools import cache
from typing import Any

import orjson
from sqlalchemy import and_, bindparam, func, or_, select, tuple_, union_all, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import Select

from townhall.domain.models import Comment, Role, Sort, Status, Stream
from townhall.domain.views import CommentView
from townhall.errors import ValidationFailed
from townhall.storage.sql.raw import hot
from townhall.storage.sql.rows import to_comment
from townhall.storage.sql.tables import comments as c
from townhall.storage.sql.tables import likes, reports, users

FIRST_REPLIES = 3
# Up to this many replies in total, a page reads all replies of its threads at once.
SMALL_THREADS_ROWS = 200
_author = users.alias("author")
_parent = c.alias("parent")
_parent_author = users.alias("parent_author")


def encode_cursor(values: list[Any]) -> str:
    """Opaque cursor from the sort key of the last row."""
    raw = orjson.dumps([v.isoformat() if isinstance(v, datetime) else v for v in values])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: Sort) -> list[Any]:
    """Parse a cursor made by encode_cursor for the same sort, or refuse it."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = orjson.loads(raw)
        if sort is Sort.MOST_LIKED:
            likes_, when, ident = values
            return [int(likes_), datetime.fromisoformat(when), int(ident)]
        when, ident = values
        return [datetime.fromisoformat(when), int(ident)]
    except (binascii.Error, ValueError, TypeError, orjson.JSONDecodeError):
        raise ValidationFailed(
            "cursor is not valid for this listing", field="cursor", rule="format"
        ) from None


def visible(viewer_id: int | None, *, tombstones: bool = True) -> Any:
    """Rows a viewer may see: public ones, their own held or shadowed ones, tombstones."""
    cond = [and_(c.c.status == Status.PUBLISHED.value, c.c.is_shadowed.is_(False))]
    if tombstones:
        cond.append(and_(c.c.status == Status.DELETED.value, c.c.reply_count > 0))
    if viewer_id is not None:
        cond.append(
            and_(
                c.c.author_id == viewer_id,
                c.c.status.in_([Status.PUBLISHED.value, Status.PENDING.value]),
            )
        )
    return or_(*cond)


# What a reader's view of a comment needs, in this order (no moderation internals:
# findings, hashes and decisions stay out of listings, and decoding them cost time).
_VIEW_COLUMNS = (
    c.c.id,
    c.c.site_id,
    c.c.story_id,
    c.c.stream,
    c.c.parent_id,
    c.c.root_id,
    c.c.depth,
    c.c.author_id,
    c.c.body,
    c.c.status,
    c.c.created_at,
    c.c.edited_at,
    c.c.deleted_at,
    c.c.like_count,
    c.c.reply_count,
    c.c.report_count,
    c.c.is_shadowed,
    _author.c.name,
    _author.c.is_premium,
    _author.c.role,
    _parent_author.c.name,
)
_STREAMS = {s.value: s for s in Stream}
_STATUSES = {s.value: s for s in Status}
_ROLES = {r.value: r for r in Role}


def _view_select() -> Select:
    return (
        select(*_VIEW_COLUMNS)
        .join(_author, _author.c.id == c.c.author_id)
        .outerjoin(_parent, _parent.c.id == c.c.parent_id)
        # A reply names its parent's author only while the parent is public (#14).
        .outerjoin(
            _parent_author,
            and_(
                _parent_author.c.id == _parent.c.author_id,
                _parent.c.status == Status.PUBLISHED.value,
                _parent.c.is_shadowed.is_(False),
            ),
        )
    )


@cache
def _anon_top_level(sort: Sort) -> Select:
    """First page of top-level comments for anonymous readers, built once per sort."""
    if sort is Sort.MOST_LIKED:
        order = [c.c.like_count.desc(), c.c.created_at.desc(), c.c.id.desc()]
    elif sort is Sort.OLDEST:
        order = [c.c.created_at.asc(), c.c.id.asc()]
    else:
        order = [c.c.created_at.desc(), c.c.id.desc()]
    return hot(
        _view_select()
        .where(
            c.c.story_id == bindparam("story_id"),
            c.c.stream == bindparam("stream"),
            c.c.depth == 0,
            visible(None),
        )
        .order_by(*order)
        .limit(bindparam("limit"))
    )


@cache
def _thread_sizes_query(signed_in: bool) -> Select:
    """Visible replies per thread (for a signed-in viewer: theirs too), built once."""
    viewer = bindparam("viewer_id") if signed_in else None
    return hot(
        select(c.c.root_id, func.count())
        .where(
            c.c.root_id.in_(bindparam("root_ids", expanding=True)),
            c.c.depth > 0,
            visible(viewer),
        )
        .group_by(c.c.root_id)
    )


@cache
def _all_replies_query(signed_in: bool) -> Select:
    """Visible replies of some threads, oldest first per thread, up to a cap, built once."""
    viewer = bindparam("viewer_id") if signed_in else None
    return hot(
        _view_select()
        .where(
            c.c.root_id.in_(bindparam("root_ids", expanding=True)), c.c.depth > 0, visible(viewer)
        )
        .order_by(c.c.root_id, c.c.created_at, c.c.id)
        .limit(bindparam("cap"))
    )


def _first_of_each(root_ids: list[int], viewer_id: int | None, per_thread: int) -> Select:
    """The first replies of each thread, one index range per thread (for big threads)."""
    parts = [
        select(
            *_view_select()
            .where(c.c.root_id == root, c.c.depth > 0, visible(viewer_id))
            .order_by(c.c.created_at, c.c.id)
            .limit(per_thread)
            .subquery()
            .c
        )
        for root in root_ids
    ]
    return union_all(*parts) if len(parts) > 1 else parts[0]


@cache
def _view_by_id() -> Select:
    return hot(
        _view_select().where(c.c.id == bindparam("comment_id"), c.c.site_id == bindparam("site_id"))
    )


_SET_ROOT = hot(
    update(c).where(c.c.id == bindparam("comment_id")).values(root_id=bindparam("comment_id"))
)
_BY_ID = hot(
    select(c).where(c.c.id == bindparam("comment_id"), c.c.site_id == bindparam("site_id"))
)
_LIKED = hot(
    select(likes.c.comment_id).where(
        likes.c.user_id == bindparam("user_id"),
        likes.c.comment_id.in_(bindparam("ids", expanding=True)),
    )
)
_REPORTED = hot(
    select(reports.c.comment_id).where(
        reports.c.user_id == bindparam("user_id"),
        reports.c.comment_id.in_(bindparam("ids", expanding=True)),
    )
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


# Comments read recently, by the content of their row: a page read again (most reads
# are) reuses the immutable Comment instead of building it anew. Bounded; emptied
# when full.
_COMMENTS: dict[tuple, Comment] = {}
MEMO_SIZE = 10_000


def _to_view(row: Any) -> CommentView:
    """A row of _view_select, read by position (the hot path of every listing)."""
    key = tuple(row[:21])
    comment = _COMMENTS.get(key)
    if comment is None:
        (ident, site_id, story_id, stream, parent_id, root_id, depth, author_id, body, status,
         created_at, edited_at, deleted_at, like_count, reply_count, report_count,
         is_shadowed) = key[:17]  # fmt: skip
        comment = Comment(
            id=ident,
            site_id=site_id,
            story_id=story_id,
            stream=_STREAMS[stream],
            parent_id=parent_id,
            root_id=root_id,
            depth=depth,
            author_id=author_id,
            body=body,
            status=_STATUSES[status],
            created_at=created_at,
            edited_at=edited_at,
            deleted_at=deleted_at,
            like_count=like_count,
            reply_count=reply_count,
            report_count=report_count,
            is_shadowed=bool(is_shadowed),
        )
        if len(_COMMENTS) >= MEMO_SIZE:
            _COMMENTS.clear()
        _COMMENTS[key] = comment
    return CommentView(
        comment=comment,
        author_name=key[17],
        author_premium=bool(key[18]),
        author_role=_ROLES[key[19]],
        in_reply_to=key[20],
        row_key=key,
    )


class SqlCommentStore:
    """Comment rows, their likes and reports."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn
        self._insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert

    async def add(self, values: dict[str, Any]) -> Comment:
        """Insert a comment row and return it."""
        return to_comment((await self.conn.execute(_INSERT, values)).one())

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

    async def view(self, site_id: str, comment_id: int) -> CommentView | None:
        """One comment with author facts."""
        params = {"comment_id": comment_id, "site_id": site_id}
        row = (await self.conn.execute(_view_by_id(), params)).first()
        return _to_view(row) if row else None

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

    async def top_level(
        self,
        *,
        story_id: int,
        stream: Stream,
        sort: Sort,
        limit: int,
        cursor: str | None,
        viewer_id: int | None,
    ) -> tuple[list[CommentView], str | None]:
        """A page of top-level comments in sort order, keyset-paginated."""
        if viewer_id is None and not cursor:
            rows = (
                await self.conn.execute(
                    _anon_top_level(sort),
                    {"story_id": story_id, "stream": stream.value, "limit": limit + 1},
                )
            ).all()
            return self._page(rows, limit, sort)
        q = _view_select().where(
            c.c.story_id == story_id, c.c.stream == stream.value, c.c.depth == 0, visible(viewer_id)
        )
        if sort is Sort.MOST_LIKED:
            key = [c.c.like_count, c.c.created_at, c.c.id]
            order = [k.desc() for k in key]
        elif sort is Sort.OLDEST:
            key = [c.c.created_at, c.c.id]
            order = [k.asc() for k in key]
        else:
            key = [c.c.created_at, c.c.id]
            order = [k.desc() for k in key]
        if cursor:
            after = decode_cursor(cursor, sort)
            cmp = (
                tuple_(*key) > tuple_(*after)
                if sort is Sort.OLDEST
                else tuple_(*key) < tuple_(*after)
            )
            q = q.where(cmp)
        rows = (await self.conn.execute(q.order_by(*order).limit(limit + 1))).all()
        return self._page(rows, limit, sort)

    @staticmethod
    def _page(rows: list[Any], limit: int, sort: Sort) -> tuple[list[CommentView], str | None]:
        views = [_to_view(r) for r in rows[:limit]]
        next_cursor = None
        if len(rows) > limit:
            last = views[-1].comment
            vals: list[Any] = [last.created_at, last.id]
            if sort is Sort.MOST_LIKED:
                vals = [last.like_count, *vals]
            next_cursor = encode_cursor(vals)
        return views, next_cursor

    async def first_replies(
        self, root_ids: list[int], viewer_id: int | None, per_thread: int = FIRST_REPLIES
    ) -> tuple[dict[int, list[CommentView]], dict[int, int]]:
        """The first replies of many threads and each thread's size.

        Small threads (the usual page) come whole in one query, which also gives their
        sizes. When that query would pass SMALL_THREADS_ROWS rows, sizes come from one
        grouped count and each thread reads only its first few replies.
        """
        if not root_ids:
            return {}, {}
        params: dict[str, Any] = {"root_ids": root_ids, "cap": SMALL_THREADS_ROWS + 1}
        if viewer_id is not None:
            params["viewer_id"] = viewer_id
        rows = (await self.conn.execute(_all_replies_query(viewer_id is not None), params)).all()
        if len(rows) <= SMALL_THREADS_ROWS:
            totals: dict[int, int] = {}
            for row in rows:
                totals[row[5]] = totals.get(row[5], 0) + 1
        else:
            totals = await self._thread_sizes(root_ids, viewer_id)
            big = _first_of_each(list(totals), viewer_id, per_thread)
            rows = (await self.conn.execute(big)).all()
        replies: dict[int, list[CommentView]] = {}
        for row in rows:
            got = replies.setdefault(row[5], [])
            if len(got) < per_thread:
                got.append(_to_view(row))
        return replies, totals

    async def _thread_sizes(self, root_ids: list[int], viewer_id: int | None) -> dict[int, int]:
        """Visible replies per thread, for threads too big to read whole."""
        params: dict[str, Any] = {"root_ids": root_ids}
        if viewer_id is not None:
            params["viewer_id"] = viewer_id
        rows = await self.conn.execute(_thread_sizes_query(viewer_id is not None), params)
        return {root: int(n) for root, n in rows.all()}

    async def thread(
        self, *, root_id: int, limit: int, cursor: str | None, viewer_id: int | None
    ) -> tuple[list[CommentView], str | None, int]:
        """Replies of one thread, oldest first, keyset-paginated, with the thread size."""
        base = [c.c.root_id == root_id, c.c.depth > 0, visible(viewer_id)]
        q = _view_select().where(*base)
        if cursor:
            q = q.where(
                tuple_(c.c.created_at, c.c.id) > tuple_(*decode_cursor(cursor, Sort.OLDEST))
            )
        rows = (await self.conn.execute(q.order_by(c.c.created_at, c.c.id).limit(limit + 1))).all()
        views = [_to_view(r) for r in rows[:limit]]
        total = (
            await self.conn.execute(select(func.count()).select_from(c).where(*base))
        ).scalar_one()
        nxt = None
        if len(rows) > limit:
            nxt = encode_cursor([views[-1].comment.created_at, views[-1].comment.id])
        return views, nxt, int(total)

    async def mark_mine(self, user_id: int, views: list[CommentView]) -> None:
        """Set liked_by_me and reported_by_me on views and their replies, in two queries."""
        every = [x for v in views for x in (v, *v.replies)]
        liked, reported = await self.mine(user_id, [x.comment.id for x in every])
        for x in every:
            x.liked_by_me = x.comment.id in liked
            x.reported_by_me = x.comment.id in reported

    async def mine(self, user_id: int, comment_ids: list[int]) -> tuple[set[int], set[int]]:
        """Which of these comments the user liked, and which they reported."""
        if not comment_ids:
            return set(), set()
        params = {"user_id": user_id, "ids": list(comment_ids)}
        liked = (await self.conn.execute(_LIKED, params)).scalars()
        reported = (await self.conn.execute(_REPORTED, params)).scalars()
        return set(liked), set(reported)

    async def add_like(self, comment_id: int, user_id: int, now: datetime) -> bool:
        """Record a like; False when it already existed."""
        stmt = (
            self._insert(likes)
            .values(comment_id=comment_id, user_id=user_id, created_at=now)
            .on_conflict_do_nothing()
        )
        return (await self.conn.execute(stmt)).rowcount == 1

    async def remove_like(self, comment_id: int, user_id: int) -> bool:
        """Withdraw a like; False when there was none."""
        res = await self.conn.execute(
            likes.delete().where(likes.c.comment_id == comment_id, likes.c.user_id == user_id)
        )
        return res.rowcount == 1

    async def add_report(
        self, *, comment_id: int, user_id: int, reason: str, note: str | None, now: datetime
    ) -> bool:
        """Record a report; False when this user already reported the comment."""
        stmt = (
            self._insert(reports)
            .values(
                comment_id=comment_id,
                user_id=user_id,
                reason=reason,
                note=note,
                created_at=now,
            )
            .on_conflict_do_nothing()
        )
        return (await self.conn.execute(stmt)).rowcount == 1

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

"""What readers list: pages of top-level comments, first replies, threads, single views."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import (
    Select,
    and_,
    bindparam,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.types import NullType

from townhall.domain.models import Role, Sort, Status, Story, Stream
from townhall.domain.views import CommentView
from townhall.storage.sql.counts import story_columns
from townhall.storage.sql.engine import SqlConnection
from townhall.storage.sql.order import ORDERS, THREAD, after, order_by
from townhall.storage.sql.raw import hot
from townhall.storage.sql.rows import to_story
from townhall.storage.sql.tables import comments as c
from townhall.storage.sql.tables import stories
from townhall.storage.sql.view_rows import ROOT_ID, WIDTH, author, to_view, view_select

FIRST_REPLIES = 3
# Up to this many replies in total, a page reads all replies of its threads at once.
SMALL_THREADS_ROWS = 200


def visible(viewer_id: Any, *, tombstones: bool = True) -> Any:
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


@cache
def _top_level(
    sort: Sort, signed_in: bool, paged: bool, flat: bool = False, answered: bool = False
) -> Select[Any]:
    """A page of top-level comments (`flat`: of every comment, replies too; `answered`:
    of answered questions), built once per sort, reader kind, cursor use and view."""
    key = ORDERS[sort]
    q = view_select().where(
        c.c.story_id == bindparam("story_id"),
        c.c.stream == bindparam("stream"),
        visible(bindparam("viewer_id") if signed_in else None),
    )
    if not flat:
        q = q.where(c.c.depth == 0)
    if answered:
        q = q.where(c.c.answered_at.is_not(None))
    if paged:
        q = q.where(after(key, [bindparam(f"after_{n}", type_=c.c[n].type) for n in key.columns]))
    return hot(q.order_by(*order_by(key)).limit(bindparam("limit")))


@cache
def _thread_sizes_query(signed_in: bool) -> Select[Any]:
    """Visible replies per thread (for a signed-in viewer: theirs too), built once."""
    viewer: Any = bindparam("viewer_id") if signed_in else None
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
def _all_replies_query(signed_in: bool) -> Select[Any]:
    """Visible replies of some threads, oldest first per thread, up to a cap, built once."""
    viewer: Any = bindparam("viewer_id") if signed_in else None
    return hot(
        view_select()
        .where(
            c.c.root_id.in_(bindparam("root_ids", expanding=True)), c.c.depth > 0, visible(viewer)
        )
        .order_by(c.c.root_id, *order_by(THREAD))
        .limit(bindparam("cap"))
    )


def _first_of_each(root_ids: list[int], viewer_id: int | None, per_thread: int) -> Any:
    """The first replies of each thread, one index range per thread (for big threads)."""
    parts = [
        select(
            *view_select()
            .where(c.c.root_id == root, c.c.depth > 0, visible(viewer_id))
            .order_by(*order_by(THREAD))
            .limit(per_thread)
            .subquery()
            .c
        )
        for root in root_ids
    ]
    return union_all(*parts) if len(parts) > 1 else parts[0]


@cache
def _view_by_id() -> Select[Any]:
    return hot(
        view_select().where(c.c.id == bindparam("comment_id"), c.c.site_id == bindparam("site_id"))
    )


@cache
def _whole_page(sort: Sort, signed_in: bool, paged: bool) -> Select[Any]:
    """PostgreSQL: a story, its page of top-level comments and their replies (up to a
    cap), in one statement and one round trip.

    Each row holds the story's columns, then `part` (-1 for the story, 0 for the page,
    1 for replies), the view columns and the row's place in its part; the story's row
    comes first and has only the story's columns, the others only theirs. An unknown
    story gives no rows.
    """
    key = ORDERS[sort]
    viewer: Any = bindparam("viewer_id") if signed_in else None
    story = (
        select(*story_columns(pg=True))
        .where(stories.c.site_id == bindparam("site_id"), stories.c.key == bindparam("key"))
        .cte("s")
    )
    top = view_select().where(
        c.c.story_id == select(story.c.id).scalar_subquery(),
        c.c.stream == bindparam("stream"),
        c.c.depth == 0,
        visible(viewer),
    )
    if paged:
        top = top.where(
            after(key, [bindparam(f"after_{n}", type_=c.c[n].type) for n in key.columns])
        )
    top = top.add_columns(func.row_number().over(order_by=order_by(key)).label("n"))
    page = top.order_by(*order_by(key)).limit(bindparam("limit")).cte("t")
    # Each thread's replies by an index range of its own (a lateral join), oldest first,
    # at most `cap` each; then the first `cap` of them all. Written as `root_id IN (the
    # page)`, the planner's generic plan for the statement could instead walk the whole
    # thread index and merge (1.11 ms of backend CPU per page instead of 0.46 on the
    # bench's story, once the table had statistics).
    thread = (
        view_select()
        .where(c.c.root_id == page.c.id, c.c.depth > 0, visible(viewer))
        .order_by(*order_by(THREAD))
        .limit(bindparam("cap"))
        .lateral("thread")
    )
    in_order = [thread.c.root_id, *order_by(THREAD, thread)]
    replies = (
        select(*thread.c, func.row_number().over(order_by=in_order).label("n"))
        .select_from(page.join(thread, true()))
        .order_by(*in_order)
        .limit(bindparam("cap"))
        .cte("r")
    )
    # The story's columns come once, in a row of their own (part -1), not again on every
    # comment's row: decoding the repeats was a good share of the page's cost to the
    # client. Each part leaves the others' columns NULL.
    head = [col.label("story__" + col.name) for col in story.c]
    no_story = [_null_like(col).label("story__" + col.name) for col in story.c]
    no_view = [_null_like(col).label(col.name) for col in page.c]
    parts = union_all(
        select(*head, literal(-1).label("part"), *no_view),
        select(*no_story, literal(0).label("part"), *page.c),
        select(*no_story, literal(1).label("part"), *replies.c),
    ).subquery("u")
    return hot(select(parts).order_by(parts.c.part, parts.c.n), postgresql_only=True)


def _null_like(col: Any) -> Any:
    """A NULL of a column's type (PostgreSQL takes an untyped one from the other parts)."""
    return null() if isinstance(col.type, NullType) else cast(null(), col.type)


def _build_all() -> None:
    """Build every variant now, so the hot-statement registry lists them all."""
    for sort in Sort:
        for signed_in in (False, True):
            _thread_sizes_query(signed_in)
            _all_replies_query(signed_in)
            for paged in (False, True):
                for flat, answered in ((False, False), (True, False), (False, True)):
                    _top_level(sort, signed_in, paged, flat, answered)
                _whole_page(sort, signed_in, paged)
    _view_by_id()


_build_all()


class CommentListings:
    """Reads of comment views; part of SqlCommentStore."""

    conn: SqlConnection

    async def view(self, site_id: str, comment_id: int) -> CommentView | None:
        """One comment with author facts."""
        params = {"comment_id": comment_id, "site_id": site_id}
        row = (await self.conn.execute(_view_by_id(), params)).first()
        return to_view(row) if row else None

    async def views(self, site_id: str, comment_ids: list[int]) -> list[CommentView]:
        """Several comments with author facts (unknown ids left out)."""
        if not comment_ids:
            return []
        q = view_select().where(c.c.id.in_(comment_ids), c.c.site_id == site_id)
        return [to_view(row) for row in (await self.conn.execute(q)).all()]

    async def top_level(
        self,
        *,
        story_id: int,
        stream: Stream,
        sort: Sort,
        limit: int,
        cursor: str | None,
        viewer_id: int | None,
        flat: bool = False,
        answered: bool = False,
    ) -> tuple[list[CommentView], str | None]:
        """A page of top-level comments in sort order, keyset-paginated (`flat`: every
        comment, replies too, unthreaded; `answered`: answered questions only)."""
        key = ORDERS[sort]
        params: dict[str, Any] = {"story_id": story_id, "stream": stream.value, "limit": limit + 1}
        if viewer_id is not None:
            params["viewer_id"] = viewer_id
        if cursor:
            for name, value in zip(key.columns, key.decode(cursor), strict=True):
                params[f"after_{name}"] = value
        q = _top_level(sort, viewer_id is not None, bool(cursor), flat, answered)
        rows = (await self.conn.execute(q, params)).all()
        views = [to_view(r) for r in rows[:limit]]
        nxt = key.encode(views[-1].comment) if len(rows) > limit else None
        return views, nxt

    async def story_page(
        self,
        *,
        site_id: str,
        story_key: str,
        stream: Stream,
        sort: Sort,
        limit: int,
        cursor: str | None,
        viewer_id: int | None,
    ) -> tuple[Story | None, list[CommentView], str | None]:
        """A story and a page of its top-level comments with their first replies and
        thread sizes: one round trip on PostgreSQL (three on SQLite, where each is a
        call on the same thread)."""
        if self.conn.dialect.name != "postgresql":
            return await self._story_page_in_steps(
                site_id, story_key, stream, sort, limit, cursor, viewer_id
            )
        key = ORDERS[sort]
        params: dict[str, Any] = {
            "site_id": site_id,
            "key": story_key,
            "stream": stream.value,
            "limit": limit + 1,
            "cap": SMALL_THREADS_ROWS + 1,
        }
        if viewer_id is not None:
            params["viewer_id"] = viewer_id
        if cursor:
            for name, value in zip(key.columns, key.decode(cursor), strict=True):
                params[f"after_{name}"] = value
        q = _whole_page(sort, viewer_id is not None, bool(cursor))
        rows = (await self.conn.execute(q, params)).all()
        if not rows:
            return None, [], None
        width = len(stories.c)
        story = to_story(_StoryRow(rows[0], width))
        tops = [r[width + 1 : width + 1 + WIDTH] for r in rows if r[width] == 0]
        views = [to_view(r) for r in tops[:limit]]
        nxt = key.encode(views[-1].comment) if len(tops) > limit else None
        below = [r[width + 1 : width + 1 + WIDTH] for r in rows if r[width] == 1]
        if len(below) > SMALL_THREADS_ROWS:  # big threads: their first few and sizes apart
            replies, totals = await self.first_replies([v.comment.id for v in views], viewer_id)
        else:
            replies, totals = _group_replies(below, FIRST_REPLIES)
        for v in views:
            v.replies = replies.get(v.comment.id, [])
            v.thread_total = totals.get(v.comment.id, 0)
        return story, views, nxt

    async def _story_page_in_steps(
        self,
        site_id: str,
        story_key: str,
        stream: Stream,
        sort: Sort,
        limit: int,
        cursor: str | None,
        viewer_id: int | None,
    ) -> tuple[Story | None, list[CommentView], str | None]:
        from townhall.storage.sql.stories import SqlStoryStore

        story = await SqlStoryStore(self.conn).by_key(site_id, story_key)
        if story is None:
            return None, [], None
        items, nxt = await self.top_level(
            story_id=story.id, stream=stream, sort=sort, limit=limit, cursor=cursor,
            viewer_id=viewer_id,
        )  # fmt: skip
        replies, totals = await self.first_replies([v.comment.id for v in items], viewer_id)
        for v in items:
            v.replies = replies.get(v.comment.id, [])
            v.thread_total = totals.get(v.comment.id, 0)
        return story, items, nxt

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
                totals[row[ROOT_ID]] = totals.get(row[ROOT_ID], 0) + 1
        else:
            totals = await self._thread_sizes(root_ids, viewer_id)
            big = _first_of_each(list(totals), viewer_id, per_thread)
            rows = (await self.conn.execute(big)).all()
        replies, _sizes = _group_replies(rows, per_thread)
        return replies, totals

    async def answers(
        self, root_ids: list[int], per_thread: int = FIRST_REPLIES
    ) -> dict[int, list[CommentView]]:
        """Public replies from staff or named experts in these threads, oldest first."""
        if not root_ids:
            return {}
        q = (
            view_select()
            .where(
                c.c.root_id.in_(root_ids),
                c.c.depth > 0,
                visible(None, tombstones=False),
                or_(author.c.role != Role.COMMENTER.value, author.c.is_expert.is_(True)),
            )
            .order_by(c.c.root_id, *order_by(THREAD))
        )
        out: dict[int, list[CommentView]] = {}
        for row in (await self.conn.execute(q)).all():
            got = out.setdefault(row[ROOT_ID], [])
            if len(got) < per_thread:
                got.append(to_view(row))
        return out

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
        q = view_select().where(*base)
        if cursor:
            q = q.where(after(THREAD, THREAD.decode(cursor)))
        rows = (await self.conn.execute(q.order_by(*order_by(THREAD)).limit(limit + 1))).all()
        views = [to_view(r) for r in rows[:limit]]
        total = (
            await self.conn.execute(select(func.count()).select_from(c).where(*base))
        ).scalar_one()
        nxt = THREAD.encode(views[-1].comment) if len(rows) > limit else None
        return views, nxt, int(total)


def _group_replies(
    rows: list[Any], per_thread: int
) -> tuple[dict[int, list[CommentView]], dict[int, int]]:
    """Replies in thread order: the first few of each thread, and every thread's size."""
    replies: dict[int, list[CommentView]] = {}
    sizes: dict[int, int] = {}
    for row in rows:
        root = row[ROOT_ID]
        sizes[root] = sizes.get(root, 0) + 1
        got = replies.setdefault(root, [])
        if len(got) < per_thread:
            got.append(to_view(row))
    return replies, sizes


class _StoryRow:
    """The story's columns at the head of a whole-page row, by name."""

    __slots__ = ("_mapping",)

    def __init__(self, row: Any, width: int) -> None:
        self._mapping = dict(zip([col.name for col in stories.c], row[:width], strict=True))

"""Moderation queues, report details and user histories on SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.sql import Select

from townhall.domain.models import EXPLAINED_REASONS, Comment, Sort, Status
from townhall.domain.queues import AGE_BANDS, SCORE_BANDS, QueueFilter
from townhall.storage.sql.engine import SqlConnection
from townhall.storage.sql.order import ORDERS, after, order_by
from townhall.storage.sql.rows import to_comment
from townhall.storage.sql.tables import comments as c
from townhall.storage.sql.tables import reports, stories, users

_author = users.alias("q_author")
_decider = users.alias("q_decider")
_parent = c.alias("q_parent")
_parent_author = users.alias("q_parent_author")
_reported = c.alias("q_reported")


def _open_illegal() -> Any:
    """Comments with an "illegal content" report filed since their reports were last cleared."""
    return (
        select(reports.c.comment_id)
        .join(_reported, _reported.c.id == reports.c.comment_id)
        .where(
            reports.c.reason.in_(EXPLAINED_REASONS),
            or_(
                _reported.c.reports_cleared_at.is_(None),
                reports.c.created_at > _reported.c.reports_cleared_at,
            ),
        )
    )


def queue_condition(queue: str) -> Any:
    """The rows that belong to one queue."""
    if queue == "pending":
        return c.c.status == Status.PENDING.value
    if queue == "reported":
        # Driving from the (small) reports table keeps this off a full comments scan.
        return and_(
            c.c.id.in_(select(reports.c.comment_id)),
            c.c.status.in_([Status.PUBLISHED.value, Status.PENDING.value]),
            c.c.report_count > 0,
            c.c.id.notin_(_open_illegal()),
        )
    if queue == "illegal":
        return and_(
            c.c.id.in_(_open_illegal()),
            c.c.status.in_([Status.PUBLISHED.value, Status.PENDING.value]),
        )
    if queue == "rejected":
        return c.c.status == Status.REJECTED.value
    return c.c.status != Status.DELETED.value


def _contains(column: Any, part: str) -> Any:
    """Case-insensitive substring match, with the user's % and _ taken literally."""
    escaped = part.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped}%", escape="\\")


def _band(column: Any, lo: Any, hi: Any, *, closed: bool = False) -> list[Any]:
    cond = [column.is_not(None)]
    if lo is not None:
        cond.append(column >= lo)
    if hi is not None:
        cond.append(column <= hi if closed else column < hi)
    return cond


def queue_filters(f: QueueFilter) -> list[Any]:
    """SQL conditions of a queue filter (besides the queue itself)."""
    cond: list[Any] = []
    if f.story_id is not None:
        cond.append(c.c.story_id == f.story_id)
    if f.stream:
        cond.append(c.c.stream == f.stream)
    if f.guideline:
        cond.append(c.c.guideline == f.guideline)
    if f.author_id is not None:
        cond.append(c.c.author_id == f.author_id)
    if f.story_title:
        cond.append(
            c.c.story_id.in_(
                select(stories.c.id).where(
                    stories.c.site_id == f.site_id, _contains(stories.c.title, f.story_title)
                )
            )
        )
    if f.author_name:
        cond.append(
            c.c.author_id.in_(
                select(users.c.id).where(
                    users.c.site_id == f.site_id, _contains(users.c.name, f.author_name)
                )
            )
        )
    if f.score_min is not None:
        cond.append(c.c.score >= f.score_min)
    if f.score_max is not None:
        cond.append(c.c.score < f.score_max)
    if f.created_before is not None:
        cond.append(c.c.created_at <= f.created_before)
    if f.created_after is not None:
        cond.append(c.c.created_at >= f.created_after)
    if f.story_id is None and f.author_id is None:
        # Story and author ids are checked against the site by the caller; leaving the
        # site out then lets SQLite pick the story or author index.
        cond.append(c.c.site_id == f.site_id)
    return cond


def _card_select() -> Select[Any]:
    return (
        select(
            c,
            _author.c.name.label("a_name"),
            _author.c.email.label("a_email"),
            _author.c.role.label("a_role"),
            _author.c.is_premium.label("a_premium"),
            _author.c.is_banned.label("a_banned"),
            _author.c.suspended_until.label("a_suspended_until"),
            _author.c.is_shadowbanned.label("a_shadowbanned"),
            stories.c.key.label("s_key"),
            stories.c.title.label("s_title"),
            stories.c.url.label("s_url"),
            _parent_author.c.name.label("p_name"),
            _decider.c.name.label("d_name"),
        )
        .join(_author, _author.c.id == c.c.author_id)
        .join(stories, stories.c.id == c.c.story_id)
        .outerjoin(_parent, _parent.c.id == c.c.parent_id)
        .outerjoin(_parent_author, _parent_author.c.id == _parent.c.author_id)
        .outerjoin(_decider, _decider.c.id == c.c.decided_by)
    )


class SqlModerationStore:
    """Read models and bulk changes that moderators need."""

    def __init__(self, conn: SqlConnection) -> None:
        self.conn = conn

    async def queue(
        self, f: QueueFilter, *, sort: Sort, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """A page of queue rows (comment, author, story, decider), keyset-paginated."""
        # Pick the page's ids on the comments table alone, then join the few rows found.
        page = select(c.c.id).where(queue_condition(f.queue), *queue_filters(f))
        order = ORDERS[sort]
        if cursor:
            page = page.where(after(order, order.decode(cursor)))
        ids = list(
            (await self.conn.execute(page.order_by(*order_by(order)).limit(limit + 1))).scalars()
        )
        rows = []
        if ids:
            q = _card_select().where(c.c.id.in_(ids)).order_by(*order_by(order))
            rows = (await self.conn.execute(q)).all()
        items = [self._card(r) for r in rows[:limit]]
        nxt = None
        if len(rows) > limit:
            nxt = order.encode(items[-1]["comment"])
        return items, nxt

    async def card(self, site_id: str, comment_id: int) -> dict[str, Any] | None:
        """One queue row by comment id."""
        q = _card_select().where(c.c.site_id == site_id, c.c.id == comment_id)
        row = (await self.conn.execute(q)).first()
        return self._card(row) if row else None

    @staticmethod
    def _card(row: Any) -> dict[str, Any]:
        m = row._mapping
        return {
            "comment": to_comment(row),
            "guideline": m["guideline"],
            "decided_at": m["decided_at"],
            "decided_by": m["d_name"],
            "reports_cleared_at": m["reports_cleared_at"],
            "author": {
                "id": m["author_id"],
                "name": m["a_name"],
                "email": m["a_email"],
                "role": m["a_role"],
                "premium": bool(m["a_premium"]),
                "is_banned": bool(m["a_banned"]),
                "suspended_until": m["a_suspended_until"],
                "is_shadowbanned": bool(m["a_shadowbanned"]),
            },
            "story": {"id": m["story_id"], "key": m["s_key"], "title": m["s_title"]},
            "story_url": m["s_url"],
            "in_reply_to": m["p_name"],
        }

    async def counts(self, f: QueueFilter) -> dict[str, int]:
        """How many comments each queue holds, under the same filters."""
        by_status = select(c.c.status, func.count()).where(*queue_filters(f)).group_by(c.c.status)
        seen = {status: int(n) for status, n in (await self.conn.execute(by_status)).all()}
        reported = select(func.count()).where(queue_condition("reported"), *queue_filters(f))
        illegal = select(func.count()).where(queue_condition("illegal"), *queue_filters(f))
        return {
            "pending": seen.get(Status.PENDING.value, 0),
            "reported": int((await self.conn.execute(reported)).scalar_one()),
            "illegal": int((await self.conn.execute(illegal)).scalar_one()),
            "rejected": seen.get(Status.REJECTED.value, 0),
            "all": sum(n for status, n in seen.items() if status != Status.DELETED.value),
        }

    async def facets(self, f: QueueFilter, now: datetime) -> dict[str, dict[str, int]]:
        """Per filter, how many comments each of its choices would leave (the other
        filters applied): guidelines, streams, score bands and age bands."""
        base = [queue_condition(f.queue)]
        out: dict[str, dict[str, int]] = {}
        for column, name, g in (
            (c.c.guideline, "guideline", replace(f, guideline=None)),
            (c.c.stream, "stream", replace(f, stream=None)),
        ):
            q = select(column, func.count()).where(*base, *queue_filters(g)).group_by(column)
            out[name] = {k: int(n) for k, n in (await self.conn.execute(q)).all() if k}
        g = replace(f, score_min=None, score_max=None)
        bands = [
            func.sum(case((and_(*_band(c.c.score, lo, hi)), 1), else_=0))
            for lo, hi in SCORE_BANDS.values()
        ]
        bands.append(func.sum(case((c.c.score.is_(None), 1), else_=0)))
        row = (await self.conn.execute(select(*bands).where(*base, *queue_filters(g)))).one()
        out["score"] = dict(zip([*SCORE_BANDS, "none"], (int(n or 0) for n in row), strict=True))
        g = replace(f, created_before=None, created_after=None)
        ages = [
            func.sum(
                case(
                    (
                        and_(
                            *_band(
                                c.c.created_at,
                                None if hi is None else now - timedelta(hours=hi),
                                None if lo is None else now - timedelta(hours=lo),
                                closed=True,
                            )
                        ),
                        1,
                    ),
                    else_=0,
                )
            )
            for lo, hi in AGE_BANDS.values()
        ]
        row = (await self.conn.execute(select(*ages).where(*base, *queue_filters(g)))).one()
        out["age"] = dict(zip(AGE_BANDS, (int(n or 0) for n in row), strict=True))
        return out

    async def reports_for(self, comment_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
        """Open reports (since the last approval) per comment, oldest first, with reporters."""
        if not comment_ids:
            return {}
        q = (
            select(
                reports.c.comment_id,
                reports.c.reason,
                reports.c.note,
                reports.c.created_at,
                users.c.name.label("r_name"),
            )
            .join(c, c.c.id == reports.c.comment_id)
            .join(users, users.c.id == reports.c.user_id)
            .where(
                reports.c.comment_id.in_(comment_ids),
                or_(
                    c.c.reports_cleared_at.is_(None),
                    reports.c.created_at > c.c.reports_cleared_at,
                ),
            )
            .order_by(reports.c.created_at, reports.c.id)
        )
        out: dict[int, list[dict[str, Any]]] = {}
        for r in (await self.conn.execute(q)).all():
            out.setdefault(r.comment_id, []).append(
                {"reason": r.reason, "note": r.note, "created_at": r.created_at, "by": r.r_name}
            )
        return out

    async def histories(self, author_ids: list[int]) -> dict[int, dict[str, int]]:
        """Per author: comments written, published, rejected, and reports against them."""
        if not author_ids:
            return {}
        written = select(
            c.c.author_id,
            func.count().label("comments"),
            func.sum(case((c.c.status == Status.PUBLISHED.value, 1), else_=0)).label("published"),
            func.sum(case((c.c.status == Status.PENDING.value, 1), else_=0)).label("pending"),
            func.sum(case((c.c.status == Status.REJECTED.value, 1), else_=0)).label("rejected"),
        ).where(c.c.author_id.in_(author_ids), c.c.status != Status.DELETED.value)
        out = {
            a: {"comments": 0, "published": 0, "pending": 0, "rejected": 0, "reports": 0}
            for a in author_ids
        }
        for r in (await self.conn.execute(written.group_by(c.c.author_id))).all():
            out[r.author_id].update(
                comments=int(r.comments),
                published=int(r.published or 0),
                pending=int(r.pending or 0),
                rejected=int(r.rejected or 0),
            )
        against = (
            select(c.c.author_id, func.count().label("n"))
            .join(reports, reports.c.comment_id == c.c.id)
            .where(c.c.author_id.in_(author_ids))
            .group_by(c.c.author_id)
        )
        for r in (await self.conn.execute(against)).all():
            out[r.author_id]["reports"] = int(r.n)
        return out

    async def set_shadowed(self, site_id: str, author_id: int, shadowed: bool) -> list[Comment]:
        """Hide or reveal every live comment of an author; returns the rows as they were."""
        cond = [
            c.c.site_id == site_id,
            c.c.author_id == author_id,
            c.c.is_shadowed.is_(not shadowed),
            c.c.status.in_([Status.PUBLISHED.value, Status.PENDING.value]),
        ]
        rows = (await self.conn.execute(select(c).where(*cond))).all()
        before = [to_comment(r) for r in rows]
        if before:
            await self.conn.execute(
                update(c).where(c.c.id.in_([b.id for b in before])).values(is_shadowed=shadowed)
            )
        return before

    async def decider_of(self, comment_id: int) -> int | None:
        """Who decided a comment's current status (None: the automatic checks)."""
        q = select(c.c.decided_by).where(c.c.id == comment_id)
        value = (await self.conn.execute(q)).scalar()
        return int(value) if value is not None else None

    async def decide(
        self, comment_id: int, *, status: str, by: int, now: datetime, clear_reports: bool
    ) -> Comment:
        """Record a moderator's decision on one comment."""
        values: dict[str, Any] = {"status": status, "decided_by": by, "decided_at": now}
        if clear_reports:
            values.update(report_count=0, reports_cleared_at=now)
        res = await self.conn.execute(
            update(c).where(c.c.id == comment_id).values(**values).returning(*c.c)
        )
        return to_comment(res.one())

"""Readers' likes and reports of comments."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import bindparam, select

from townhall.domain.models import Status
from townhall.domain.views import CommentView
from townhall.storage.sql.dialect import insert_for
from townhall.storage.sql.engine import SqlConnection
from townhall.storage.sql.raw import hot
from townhall.storage.sql.tables import comments, likes, reports

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

_FINDINGS = select(comments.c.id, comments.c.findings).where(
    comments.c.author_id == bindparam("user_id"),
    comments.c.id.in_(bindparam("ids", expanding=True)),
)


class Reactions:
    """Likes and reports; part of SqlCommentStore."""

    conn: SqlConnection

    async def mark_mine(self, user_id: int, views: list[CommentView]) -> None:
        """Set liked_by_me and reported_by_me on views and their replies, and the findings of
        the user's own held comments (what they are told about them)."""
        every = [x for v in views for x in (v, *v.replies)]
        liked, reported = await self.mine(user_id, [x.comment.id for x in every])
        for x in every:
            x.liked_by_me = x.comment.id in liked
            x.reported_by_me = x.comment.id in reported
        # Listings leave findings out; the author of a held comment is told why (rare: one
        # query only when the page holds one of theirs).
        held = [
            x
            for x in every
            if x.comment.author_id == user_id and x.comment.status is Status.PENDING
        ]
        if held:
            params = {"user_id": user_id, "ids": [x.comment.id for x in held]}
            found = dict((await self.conn.execute(_FINDINGS, params)).all())
            for x in held:
                x.comment = replace(x.comment, findings=list(found.get(x.comment.id) or []))

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
            insert_for(self.conn)(likes)
            .values(comment_id=comment_id, user_id=user_id, created_at=now)
            .on_conflict_do_nothing()
        )
        return bool((await self.conn.execute(stmt)).rowcount == 1)

    async def remove_like(self, comment_id: int, user_id: int) -> bool:
        """Withdraw a like; False when there was none."""
        res = await self.conn.execute(
            likes.delete().where(likes.c.comment_id == comment_id, likes.c.user_id == user_id)
        )
        return bool(res.rowcount == 1)

    async def add_report(
        self, *, comment_id: int, user_id: int, reason: str, note: str | None, now: datetime
    ) -> bool:
        """Record a report; False when this user already reported the comment."""
        stmt = (
            insert_for(self.conn)(reports)
            .values(
                comment_id=comment_id,
                user_id=user_id,
                reason=reason,
                note=note,
                created_at=now,
            )
            .on_conflict_do_nothing()
        )
        return bool((await self.conn.execute(stmt)).rowcount == 1)

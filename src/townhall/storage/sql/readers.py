"""A reader's own data on SQL: their comments across stories, mutes, the rows an export
streams, erasing an account, and purging abuse-prevention data past its retention."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, select, update

from townhall.domain.models import Comment, Status
from townhall.domain.sorting import SortKey
from townhall.storage.sql.engine import SqlConnection
from townhall.storage.sql.order import after, order_by
from townhall.storage.sql.rows import to_comment
from townhall.storage.sql.tables import (
    audit_log,
    comments,
    likes,
    moderation_decisions,
    mutes,
    reports,
    sessions,
    stories,
    users,
)

_STORY = (stories.c.key.label("story_key"), stories.c.url.label("story_url"))


class SqlReaderStore:
    """What a reader's own space reads and changes."""

    def __init__(self, conn: SqlConnection) -> None:
        self.conn = conn

    async def comments_of(
        self, author_id: int, *, key: SortKey, limit: int, cursor: list[Any] | None
    ) -> list[dict[str, Any]]:
        """A page of the author's comments on every story, in `key`'s order, with the story."""
        q = (
            select(comments, stories.c.key.label("story_key"), stories.c.url.label("story_url"))
            .add_columns(stories.c.title.label("story_title"))
            .join(stories, stories.c.id == comments.c.story_id)
            .where(comments.c.author_id == author_id)
        )
        if cursor is not None:
            q = q.where(after(key, cursor))
        rows = await self.conn.execute(q.order_by(*order_by(key)).limit(limit))
        return [_comment_row(r) for r in rows]

    # -- mutes -------------------------------------------------------------------

    async def mute(self, user_id: int, muted_id: int, now: datetime) -> bool:
        """Mute a commenter; False when already muted."""
        if await self.is_muted(user_id, muted_id):
            return False
        await self.conn.execute(
            mutes.insert().values(user_id=user_id, muted_id=muted_id, created_at=now)
        )
        return True

    async def unmute(self, user_id: int, muted_id: int) -> bool:
        """Unmute; False when the commenter was not muted."""
        res = await self.conn.execute(
            delete(mutes).where(mutes.c.user_id == user_id, mutes.c.muted_id == muted_id)
        )
        return bool(res.rowcount)

    async def is_muted(self, user_id: int, muted_id: int) -> bool:
        """Whether the reader muted this commenter."""
        q = select(mutes.c.user_id).where(mutes.c.user_id == user_id, mutes.c.muted_id == muted_id)
        return (await self.conn.execute(q.limit(1))).first() is not None

    async def muters_of(self, author_id: int, user_ids: Sequence[int]) -> set[int]:
        """Which of these readers muted the author."""
        if not user_ids:
            return set()
        rows = await self.conn.execute(
            select(mutes.c.user_id).where(
                mutes.c.muted_id == author_id, mutes.c.user_id.in_(list(user_ids))
            )
        )
        return {r.user_id for r in rows}

    async def muted(self, user_id: int) -> list[dict[str, Any]]:
        """The commenters a reader muted, most recent first, with their names now."""
        rows = await self.conn.execute(
            select(mutes.c.muted_id, mutes.c.created_at, users.c.name)
            .join(users, users.c.id == mutes.c.muted_id)
            .where(mutes.c.user_id == user_id)
            .order_by(mutes.c.created_at.desc(), mutes.c.muted_id.desc())
        )
        return [{"id": r.muted_id, "name": r.name, "muted_at": r.created_at} for r in rows]

    # -- export ------------------------------------------------------------------

    async def export_comments(
        self, author_id: int, after_id: int, limit: int
    ) -> list[dict[str, Any]]:
        """The author's comments with ids above `after_id`, by id, with their stories."""
        q = (
            select(comments, *_STORY)
            .add_columns(stories.c.title.label("story_title"))
            .join(stories, stories.c.id == comments.c.story_id)
            .where(comments.c.author_id == author_id, comments.c.id > after_id)
            .order_by(comments.c.id)
            .limit(limit)
        )
        return [_comment_row(r) for r in await self.conn.execute(q)]

    async def export_likes(self, user_id: int, after_id: int, limit: int) -> list[dict[str, Any]]:
        """Likes the reader gave, by comment id above `after_id`, with the stories."""
        q = (
            select(likes.c.comment_id, likes.c.created_at, *_STORY)
            .join(comments, comments.c.id == likes.c.comment_id)
            .join(stories, stories.c.id == comments.c.story_id)
            .where(likes.c.user_id == user_id, likes.c.comment_id > after_id)
            .order_by(likes.c.comment_id)
            .limit(limit)
        )
        return [dict(r._mapping) for r in await self.conn.execute(q)]

    async def export_reports(self, user_id: int, after_id: int, limit: int) -> list[dict[str, Any]]:
        """Reports the reader made, by id above `after_id`, with the stories."""
        q = (
            select(
                reports.c.id,
                reports.c.comment_id,
                reports.c.reason,
                reports.c.note,
                reports.c.created_at,
                *_STORY,
            )
            .join(comments, comments.c.id == reports.c.comment_id)
            .join(stories, stories.c.id == comments.c.story_id)
            .where(reports.c.user_id == user_id, reports.c.id > after_id)
            .order_by(reports.c.id)
            .limit(limit)
        )
        return [dict(r._mapping) for r in await self.conn.execute(q)]

    # -- sessions and erasure ------------------------------------------------------

    async def end_sessions(
        self, user_id: int, now: datetime, *, keep_hash: str | None = None
    ) -> int:
        """Revoke every live session of a user (but `keep_hash`); how many ended."""
        cond = [sessions.c.user_id == user_id, sessions.c.revoked_at.is_(None)]
        if keep_hash is not None:
            cond.append(sessions.c.token_hash != keep_hash)
        res = await self.conn.execute(update(sessions).where(*cond).values(revoked_at=now))
        return int(res.rowcount or 0)

    async def is_deleted(self, user_id: int) -> bool:
        """Whether the account was deleted."""
        q = select(users.c.deleted_at).where(users.c.id == user_id)
        return (await self.conn.execute(q)).scalar_one_or_none() is not None

    async def password_hash(self, user_id: int) -> str | None:
        """The account's password hash (None for publisher sign-in)."""
        q = select(users.c.password_hash).where(users.c.id == user_id)
        found: str | None = (await self.conn.execute(q)).scalar_one_or_none()
        return found

    async def live_comments(self, author_id: int) -> list[Comment]:
        """Every comment of the author that is not deleted yet (as Comment rows)."""
        rows = await self.conn.execute(
            select(comments).where(
                comments.c.author_id == author_id, comments.c.status != Status.DELETED.value
            )
        )
        return [to_comment(r) for r in rows]

    async def tombstone(self, ids: Sequence[int], now: datetime) -> None:
        """Delete comments in bulk: text, findings, address hashes and the retraining
        examples taken from them are wiped."""
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            await self.conn.execute(
                update(comments)
                .where(comments.c.id.in_(chunk))
                .values(
                    status=Status.DELETED.value,
                    body="",
                    findings=None,
                    ip_hash=None,
                    deleted_at=now,
                )
            )
            await self.conn.execute(
                delete(moderation_decisions).where(moderation_decisions.c.comment_id.in_(chunk))
            )

    async def drop_replies(self, counts: dict[int, int]) -> None:
        """Take public replies off their parents' reply counts (parent id → how many)."""
        for parent_id, n in counts.items():
            await self.conn.execute(
                update(comments)
                .where(comments.c.id == parent_id)
                .values(reply_count=comments.c.reply_count - n)
            )

    async def erase_account(self, user_id: int, now: datetime) -> None:
        """Strip an account of e-mail, identities, password and name (its name key stays
        held until the quarantine ends); its sessions and mutes go."""
        await self.conn.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(
                email=None,
                email_key=None,
                sso_sub=None,
                password_hash=None,
                name=None,
                is_premium=False,
                role="commenter",
                deleted_at=now,
            )
        )
        await self.conn.execute(delete(sessions).where(sessions.c.user_id == user_id))
        await self.conn.execute(
            delete(mutes).where((mutes.c.user_id == user_id) | (mutes.c.muted_id == user_id))
        )
        await self.conn.execute(
            update(comments).where(comments.c.author_id == user_id).values(ip_hash=None)
        )

    async def audit_about(self, site_id: str, user_id: int) -> list[dict[str, Any]]:
        """Audit entries a user did or that concern their account."""
        rows = await self.conn.execute(
            select(
                audit_log.c.id, audit_log.c.actor_name, audit_log.c.before, audit_log.c.after
            ).where(
                audit_log.c.site_id == site_id,
                (audit_log.c.actor_id == user_id)
                | and_(audit_log.c.target_type == "user", audit_log.c.target_id == str(user_id)),
            )
        )
        return [dict(r._mapping) for r in rows]

    async def rewrite_audit(
        self, entry_id: int, before: Any, after: Any, actor_name: Any = ...
    ) -> None:
        """Replace an audit entry's before/after (to take personal data out)."""
        values: dict[str, Any] = {"before": before, "after": after}
        if actor_name is not ...:
            values["actor_name"] = actor_name
        await self.conn.execute(
            update(audit_log).where(audit_log.c.id == entry_id).values(**values)
        )

    # -- retention ---------------------------------------------------------------

    async def purge_address_hashes(self, site_id: str, before: datetime) -> int:
        """Forget the address hashes of comments written before a moment."""
        res = await self.conn.execute(
            update(comments)
            .where(
                comments.c.site_id == site_id,
                comments.c.created_at < before,
                comments.c.ip_hash.is_not(None),
            )
            .values(ip_hash=None)
        )
        return int(res.rowcount or 0)

    async def audit_with_addresses(
        self, site_id: str, action: str, before: datetime
    ) -> list[dict[str, Any]]:
        """Older audit entries of one action (their `after` may hold an address)."""
        rows = await self.conn.execute(
            select(audit_log.c.id, audit_log.c.before, audit_log.c.after).where(
                audit_log.c.site_id == site_id,
                audit_log.c.action == action,
                audit_log.c.created_at < before,
            )
        )
        return [dict(r._mapping) for r in rows]

    async def release_names(self, site_id: str, before: datetime) -> int:
        """Free the name keys of accounts deleted before a moment."""
        res = await self.conn.execute(
            update(users)
            .where(
                users.c.site_id == site_id,
                users.c.deleted_at < before,
                users.c.name_key.is_not(None),
            )
            .values(name_key=None)
        )
        return int(res.rowcount or 0)

    async def end_expired_sessions(self, before: datetime) -> int:
        """Delete sessions that expired or were revoked before a moment."""
        res = await self.conn.execute(
            delete(sessions).where(
                (sessions.c.expires_at < before) | (sessions.c.revoked_at < before)
            )
        )
        return int(res.rowcount or 0)


def _comment_row(row: Any) -> dict[str, Any]:
    m = row._mapping
    return {
        "comment": to_comment(row),
        "story_key": m["story_key"],
        "story_url": m["story_url"],
        "story_title": m["story_title"],
        "guideline": m["guideline"],
    }

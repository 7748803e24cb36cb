"""Sites, stories, users, sessions and the audit log on SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from townhall.domain.models import Story, Stream, User
from townhall.storage.sql.raw import hot
from townhall.storage.sql.rows import to_story, to_user
from townhall.storage.sql.tables import audit_log, sessions, sites, stories, users

# Statements of the hot paths, built once: building a select costs more than running it.
_STORY_BY_KEY = hot(
    select(stories).where(
        stories.c.site_id == bindparam("site_id"), stories.c.key == bindparam("key")
    )
)
_STORY_BY_ID = hot(select(stories).where(stories.c.id == bindparam("story_id")))
_COUNTS_BY_ID = hot(
    select(stories.c.published_open, stories.c.published_premium).where(
        stories.c.id == bindparam("story_id")
    )
)
_PUBLIC_COUNTS = hot(
    select(stories.c.key, stories.c.published_open + stories.c.published_premium).where(
        stories.c.site_id == bindparam("site_id"),
        stories.c.key.in_(bindparam("keys", expanding=True)),
    )
)
_STAFF_NAMES = hot(
    select(users.c.name).where(
        users.c.site_id == bindparam("site_id"),
        users.c.role.in_(["moderator", "admin"]),
        users.c.name.is_not(None),
    )
)
_USER_BY_SESSION = hot(
    select(users)
    .join(sessions, sessions.c.user_id == users.c.id)
    .where(
        sessions.c.token_hash == bindparam("token_hash"),
        sessions.c.revoked_at.is_(None),
        sessions.c.expires_at > bindparam("now"),
    )
)


def _insert_for(conn: AsyncConnection):
    return postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert


class SqlSiteStore:
    """Sites and their settings."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def get(self, site_id: str) -> dict[str, Any] | None:
        """A site row as a dict, or None."""
        row = (await self.conn.execute(select(sites).where(sites.c.id == site_id))).first()
        return dict(row._mapping) if row else None

    async def ensure(
        self, site_id: str, name: str, now: datetime, sso_secret: str | None = None
    ) -> None:
        """Create the site when it does not exist yet."""
        stmt = (
            _insert_for(self.conn)(sites)
            .values(
                id=site_id,
                name=name,
                settings={},
                created_at=now,
                sso_secret=sso_secret,
            )
            .on_conflict_do_nothing()
        )
        await self.conn.execute(stmt)

    async def update(self, site_id: str, **values: Any) -> dict[str, Any]:
        """Change a site's columns; bumps the settings version."""
        res = await self.conn.execute(
            update(sites)
            .where(sites.c.id == site_id)
            .values(**values, settings_version=sites.c.settings_version + 1)
            .returning(*sites.c)
        )
        return dict(res.one()._mapping)

    async def version(self, site_id: str) -> int | None:
        """The site's settings version (cheap staleness check)."""
        return (
            await self.conn.execute(select(sites.c.settings_version).where(sites.c.id == site_id))
        ).scalar()


class SqlStoryStore:
    """Stories, found by the publisher's key."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def by_key(self, site_id: str, key: str) -> Story | None:
        """A story by the publisher's story id."""
        row = (await self.conn.execute(_STORY_BY_KEY, {"site_id": site_id, "key": key})).first()
        return to_story(row) if row else None

    async def by_id(self, story_id: int) -> Story | None:
        """A story by its row id."""
        row = (await self.conn.execute(_STORY_BY_ID, {"story_id": story_id})).first()
        return to_story(row) if row else None

    async def get_or_create(
        self, site_id: str, key: str, *, url: str | None, title: str | None, now: datetime
    ) -> Story:
        """The story, created on first use (race-safe)."""
        story = await self.by_key(site_id, key)
        if story is not None and (story.url or not url) and (story.title or not title):
            return story
        stmt = (
            _insert_for(self.conn)(stories)
            .values(
                site_id=site_id,
                key=key,
                url=url,
                title=title,
                created_at=now,
            )
            .on_conflict_do_nothing()
        )
        await self.conn.execute(stmt)
        story = await self.by_key(site_id, key)
        assert story is not None
        if (url and not story.url) or (title and not story.title):
            await self.conn.execute(
                update(stories)
                .where(stories.c.id == story.id)
                .values(url=story.url or url, title=story.title or title)
            )
            story = await self.by_key(site_id, key)
            assert story is not None
        return story

    async def update(self, story_id: int, **values: Any) -> Story:
        """Change a story's settings."""
        res = await self.conn.execute(
            update(stories).where(stories.c.id == story_id).values(**values).returning(*stories.c)
        )
        return to_story(res.one())

    async def public_counts(self, site_id: str, keys: list[str]) -> dict[str, int]:
        """Public comment counts of stories by publisher id (unknown keys left out)."""
        rows = await self.conn.execute(_PUBLIC_COUNTS, {"site_id": site_id, "keys": list(keys)})
        return {key: int(n) for key, n in rows}

    async def public_count(self, story_id: int, stream: Stream | None = None) -> int:
        """A story's public comments (one stream, or both), as the triggers keep them."""
        row = (await self.conn.execute(_COUNTS_BY_ID, {"story_id": story_id})).first()
        if row is None:
            return 0
        if stream is None:
            return int(row[0] + row[1])
        return int(row[0] if stream is Stream.OPEN else row[1])

    async def search(self, site_id: str, text: str | None, limit: int = 50) -> list[Story]:
        """Stories of a site, newest first, optionally matching a title or key."""
        q = select(stories).where(stories.c.site_id == site_id)
        if text:
            like = f"%{text.lower()}%"
            q = q.where(
                or_(func.lower(stories.c.title).like(like), func.lower(stories.c.key).like(like))
            )
        rows = await self.conn.execute(q.order_by(stories.c.created_at.desc()).limit(limit))
        return [to_story(r) for r in rows]


class SqlUserStore:
    """Users and their sessions."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def by_id(self, user_id: int) -> User | None:
        """One user."""
        row = (await self.conn.execute(select(users).where(users.c.id == user_id))).first()
        return to_user(row) if row else None

    async def by_email(self, site_id: str, email_key: str) -> tuple[User, str | None] | None:
        """A user and password hash by normalized e-mail."""
        row = (
            await self.conn.execute(
                select(users).where(users.c.site_id == site_id, users.c.email_key == email_key)
            )
        ).first()
        return (to_user(row), row.password_hash) if row else None

    async def by_sso(self, site_id: str, sub: str) -> User | None:
        """A user by the publisher's subject id."""
        row = (
            await self.conn.execute(
                select(users).where(users.c.site_id == site_id, users.c.sso_sub == sub)
            )
        ).first()
        return to_user(row) if row else None

    async def name_key_taken(self, site_id: str, name_key: str, except_user: int | None) -> bool:
        """Whether another user holds a name with this skeleton."""
        q = select(users.c.id).where(users.c.site_id == site_id, users.c.name_key == name_key)
        if except_user is not None:
            q = q.where(users.c.id != except_user)
        return (await self.conn.execute(q.limit(1))).first() is not None

    async def name_taken_exact(
        self, site_id: str, name: str, except_user: int | None = None
    ) -> bool:
        """Whether another user holds a name exactly, ignoring case."""
        q = select(users.c.id).where(
            users.c.site_id == site_id, func.lower(users.c.name) == name.lower()
        )
        if except_user is not None:
            q = q.where(users.c.id != except_user)
        return (await self.conn.execute(q.limit(1))).first() is not None

    async def add(self, **values: Any) -> User:
        """Insert a user."""
        res = await self.conn.execute(users.insert().values(**values).returning(*users.c))
        return to_user(res.one())

    async def update(self, user_id: int, **values: Any) -> User:
        """Change a user's columns."""
        res = await self.conn.execute(
            update(users).where(users.c.id == user_id).values(**values).returning(*users.c)
        )
        return to_user(res.one())

    async def all_names(self, site_id: str) -> list[tuple[int, str]]:
        """(id, commenting name) of every named user of a site, oldest first."""
        rows = await self.conn.execute(
            select(users.c.id, users.c.name)
            .where(users.c.site_id == site_id, users.c.name.is_not(None))
            .order_by(users.c.id)
        )
        return [(r.id, r.name) for r in rows]

    async def names(self, site_id: str, user_ids: list[int]) -> list[str]:
        """Commenting names of some users."""
        if not user_ids:
            return []
        rows = await self.conn.execute(
            select(users.c.name).where(
                users.c.site_id == site_id, users.c.id.in_(user_ids), users.c.name.is_not(None)
            )
        )
        return [r.name for r in rows]

    async def staff_names(self, site_id: str) -> list[str]:
        """Commenting names of moderators and admins."""
        rows = await self.conn.execute(_STAFF_NAMES, {"site_id": site_id})
        return [name for (name,) in rows]

    async def search(self, site_id: str, text: str | None, limit: int = 50) -> list[User]:
        """Users matching a name or e-mail fragment."""
        q = select(users).where(users.c.site_id == site_id)
        if text:
            like = f"%{text.lower()}%"
            q = q.where(or_(func.lower(users.c.name).like(like), users.c.email_key.like(like)))
        rows = await self.conn.execute(q.order_by(users.c.id.desc()).limit(limit))
        return [to_user(r) for r in rows]

    async def add_session(
        self, *, token_hash: str, user_id: int, now: datetime, expires_at: datetime
    ) -> None:
        """Store a session by its token's hash."""
        await self.conn.execute(
            sessions.insert().values(
                token_hash=token_hash, user_id=user_id, created_at=now, expires_at=expires_at
            )
        )

    async def by_session(self, token_hash: str, now: datetime) -> User | None:
        """The user of a live session."""
        row = (
            await self.conn.execute(_USER_BY_SESSION, {"token_hash": token_hash, "now": now})
        ).first()
        return to_user(row) if row else None

    async def revoke_session(self, token_hash: str, now: datetime) -> None:
        """End a session."""
        await self.conn.execute(
            update(sessions).where(sessions.c.token_hash == token_hash).values(revoked_at=now)
        )


class SqlAuditStore:
    """The append-only audit log."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(
        self,
        *,
        site_id: str,
        actor: User | None,
        action: str,
        target_type: str,
        target_id: object,
        before: dict | None,
        after: dict | None,
        now: datetime,
    ) -> None:
        """Append one entry."""
        await self.conn.execute(
            audit_log.insert().values(
                site_id=site_id,
                actor_id=actor.id if actor else None,
                actor_name=(actor.name or actor.email) if actor else "system",
                action=action,
                target_type=target_type,
                target_id=None if target_id is None else str(target_id),
                before=before,
                after=after,
                created_at=now,
            )
        )

    async def list(
        self,
        site_id: str,
        *,
        action: str | None = None,
        actor_id: int | None = None,
        target_type: str | None = None,
        target_id: str | None = None,
        before_id: int | None = None,
        limit: int = 100,
    ) -> list[dict[str, Any]]:
        """Entries newest first, filtered."""
        q = select(audit_log).where(audit_log.c.site_id == site_id)
        if action:
            q = q.where(audit_log.c.action == action)
        if actor_id is not None:
            q = q.where(audit_log.c.actor_id == actor_id)
        if target_type:
            q = q.where(audit_log.c.target_type == target_type)
        if target_id:
            q = q.where(audit_log.c.target_id == target_id)
        if before_id:
            q = q.where(audit_log.c.id < before_id)
        rows = await self.conn.execute(q.order_by(audit_log.c.id.desc()).limit(limit))
        return [dict(r._mapping) for r in rows]

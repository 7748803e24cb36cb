"""Users and their sessions on SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, or_, select, true, update
from sqlalchemy.dialects.postgresql import aggregate_order_by

from townhall.domain.limits import RECENT_POSTS_CHECKED
from townhall.domain.models import Status, User
from townhall.storage.protocols import AuthorContext
from townhall.storage.sql.counts import story_columns
from townhall.storage.sql.engine import SqlConnection
from townhall.storage.sql.notes import open_warnings_of
from townhall.storage.sql.raw import hot
from townhall.storage.sql.rows import to_story, to_user
from townhall.storage.sql.tables import comments, sessions, stories, users
from townhall.storage.sql.tables import user_notes as notes
from townhall.storage.sql.trust import counts_of, setter_name, to_record

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


def _author_context() -> Any:
    """PostgreSQL: a session's user, the story, the user's recent comments (as two arrays,
    newest first), their published count, the site's staff names, the user's trust record
    and oldest open warning in one statement: one row while the session lives, else none.

    One row, not one per recent comment: each repeated row would carry the ~50 other
    columns again, and decoding those was most of the statement's cost to the client."""
    author = _USER_BY_SESSION.cte("author")
    author_id = select(author.c.id).scalar_subquery()
    story = (
        select(*(col.label("story_" + col.name) for col in story_columns(pg=True)))
        .where(stories.c.site_id == author.c.site_id, stories.c.key == bindparam("story_key"))
        .subquery("story")
    )
    latest = (
        select(comments.c.body, comments.c.created_at)
        .where(
            comments.c.author_id == author_id,
            comments.c.created_at >= bindparam("since"),
        )
        .order_by(comments.c.created_at.desc())
        .limit(RECENT_POSTS_CHECKED)
        .subquery("latest")
    )
    newest_first = latest.c.created_at.desc()
    recent = select(
        func.array_agg(aggregate_order_by(latest.c.body, newest_first)).label("recent_bodies"),
        func.array_agg(aggregate_order_by(latest.c.created_at, newest_first)).label("recent_ats"),
    ).subquery("recent")  # one row: on no comments, two NULLs
    mine = (
        select(comments.c.id)
        .where(comments.c.author_id == author.c.id, comments.c.status == Status.PUBLISHED.value)
        .limit(bindparam("at_most"))
        .subquery("mine")
    )
    published = select(func.count()).select_from(mine).scalar_subquery().label("published")
    staff = (
        select(func.array_agg(users.c.name))
        .where(
            users.c.site_id == author.c.site_id,
            users.c.role.in_(["moderator", "admin"]),
            users.c.name.is_not(None),
        )
        .scalar_subquery()
        .label("staff")
    )
    counts = counts_of(author_id).subquery("counts")
    warning = (
        open_warnings_of(author.c.id)
        .with_only_columns(notes.c.id.label("warning_id"), notes.c.text.label("warning_text"))
        .limit(1)
        .lateral("warning")
    )
    return hot(
        select(author, story, published, staff, setter_name(author), *counts.c, *warning.c)
        .add_columns(*recent.c)
        .select_from(
            author.outerjoin(story, true())
            .join(counts, true())
            .outerjoin(warning, true())
            .join(recent, true())
        ),
        postgresql_only=True,
    )


_AUTHOR_CONTEXT = _author_context()


class _Prefixed:
    """A row's columns that start with a prefix, under their names without it."""

    __slots__ = ("_mapping",)

    def __init__(self, row: Any, prefix: str) -> None:
        n = len(prefix)
        self._mapping = {k[n:]: v for k, v in row._mapping.items() if k.startswith(prefix)}


class SqlUserStore:
    """Users and their sessions."""

    def __init__(self, conn: SqlConnection) -> None:
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

    async def author_context(
        self,
        token_hash: str,
        now: datetime,
        *,
        story_key: str,
        since: datetime,
        at_most: int,
        recent_since: datetime,
        premod_since: datetime,
        enough: int,
    ) -> AuthorContext | None:
        """What posting reads before it writes: one statement on PostgreSQL; None on
        SQLite, where statements cost no round trip and each stays as small as it is.
        `at_most`, the two trust windows and `enough` are what the caller expects its site
        to ask."""
        if self.conn.dialect.name != "postgresql":
            return None
        params = {
            "token_hash": token_hash,
            "now": now,
            "story_key": story_key,
            "since": since,
            "at_most": max(at_most, 0),
            "recent_since": recent_since,
            "premod_since": premod_since,
            "enough": enough,
        }
        first = (await self.conn.execute(_AUTHOR_CONTEXT, params)).first()
        if first is None:
            return AuthorContext(user=None, story=None, recent=[], published=0, staff=[])
        return AuthorContext(
            user=to_user(first),
            story=to_story(_Prefixed(first, "story_")) if first.story_id is not None else None,
            recent=list(zip(first.recent_bodies or [], first.recent_ats or [], strict=True)),
            published=int(first.published) if at_most > 0 else 0,
            staff=list(first.staff or []),
            asked=(at_most, recent_since, premod_since, enough),
            trust=to_record(first),
            warning=(first.warning_id, first.warning_text)
            if first.warning_id is not None
            else None,
        )

    async def revoke_session(self, token_hash: str, now: datetime) -> None:
        """End a session."""
        await self.conn.execute(
            update(sessions).where(sessions.c.token_hash == token_hash).values(revoked_at=now)
        )

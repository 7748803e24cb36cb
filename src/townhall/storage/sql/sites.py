"""Sites and their settings on SQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from townhall.storage.sql.dialect import insert_for
from townhall.storage.sql.engine import SqlConnection
from townhall.storage.sql.tables import sites


class SqlSiteStore:
    """Sites and their settings."""

    def __init__(self, conn: SqlConnection) -> None:
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
            insert_for(self.conn)(sites)
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
        q = select(sites.c.settings_version).where(sites.c.id == site_id)
        found = (await self.conn.execute(q)).scalar()
        return None if found is None else int(found)

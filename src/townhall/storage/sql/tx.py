"""One transaction's stores, bundled."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from townhall.storage.sql.comments import SqlCommentStore
from townhall.storage.sql.moderation import SqlModerationStore
from townhall.storage.sql.others import SqlAuditStore, SqlSiteStore, SqlStoryStore, SqlUserStore
from townhall.storage.sql.shadow import SqlShadowStore


class Tx:
    """The stores of one connection or transaction."""

    __slots__ = ("audit", "comments", "conn", "moderation", "shadow", "sites", "stories", "users")

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn
        self.comments = SqlCommentStore(conn)
        self.stories = SqlStoryStore(conn)
        self.users = SqlUserStore(conn)
        self.sites = SqlSiteStore(conn)
        self.audit = SqlAuditStore(conn)
        self.moderation = SqlModerationStore(conn)
        self.shadow = SqlShadowStore(conn)

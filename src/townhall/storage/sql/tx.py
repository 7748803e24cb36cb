"""One transaction's stores, bundled."""

from __future__ import annotations

from townhall.domain.changes import Change
from townhall.storage.sql.audit import SqlAuditStore
from townhall.storage.sql.comments import SqlCommentStore
from townhall.storage.sql.decisions import SqlDecisionStore
from townhall.storage.sql.engine import SqlConnection
from townhall.storage.sql.imports import SqlImportStore
from townhall.storage.sql.live_events import SqlLiveEventStore
from townhall.storage.sql.moderation import SqlModerationStore
from townhall.storage.sql.notifications import SqlNotificationStore
from townhall.storage.sql.readers import SqlReaderStore
from townhall.storage.sql.shadow import SqlShadowStore
from townhall.storage.sql.sites import SqlSiteStore
from townhall.storage.sql.stories import SqlStoryStore
from townhall.storage.sql.users import SqlUserStore


class Tx:
    """The stores of one connection or transaction."""

    __slots__ = (
        "audit",
        "changes",
        "comments",
        "conn",
        "decisions",
        "imports",
        "live_events",
        "moderation",
        "notifications",
        "readers",
        "shadow",
        "sites",
        "stories",
        "users",
    )

    def __init__(self, conn: SqlConnection) -> None:
        self.conn = conn
        self.changes: list[Change] = []
        self.comments = SqlCommentStore(conn)
        self.stories = SqlStoryStore(conn)
        self.users = SqlUserStore(conn)
        self.sites = SqlSiteStore(conn)
        self.audit = SqlAuditStore(conn)
        self.moderation = SqlModerationStore(conn)
        self.notifications = SqlNotificationStore(conn)
        self.readers = SqlReaderStore(conn)
        self.decisions = SqlDecisionStore(conn)
        self.shadow = SqlShadowStore(conn)
        self.imports = SqlImportStore(conn)
        self.live_events = SqlLiveEventStore(conn)

    def record(self, change: Change) -> None:
        """Note a change; listeners get it once the transaction has committed."""
        self.changes.append(change)

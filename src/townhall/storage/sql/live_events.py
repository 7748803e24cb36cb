"""The live event log (`live_events`): appended in a write's own transaction on SQLite."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from townhall.storage.sql.engine import SqlConnection

INSERT_SQL = (
    "INSERT INTO live_events (channel, kind, data, audience, created_ms) "
    "VALUES (:channel, :kind, :data, :audience, :created_ms)"
)
INSERT = text(INSERT_SQL)


class SqlLiveEventStore:
    """Appends live events; townhall.live.database reads them back."""

    def __init__(self, conn: SqlConnection) -> None:
        self.conn = conn

    async def append(self, rows: list[dict[str, Any]]) -> None:
        """Add events (channel, kind, data as JSON text, audience, created_ms), in order."""
        if not rows:
            return
        driver = getattr(self.conn, "driver", None)
        if driver is not None:  # an inline SQLite connection: straight on the driver
            driver.executemany(INSERT_SQL, rows)
        else:
            await self.conn.execute(INSERT, rows)

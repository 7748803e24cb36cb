"""The live event log (`live_events`): appended in a write's own transaction on SQLite."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ARRAY, BigInteger, Text, bindparam, text

from townhall.storage.sql.engine import SqlConnection
from townhall.storage.sql.raw import hot

INSERT_SQL = (
    "INSERT INTO live_events (channel, kind, data, audience, created_ms) "
    "VALUES (:channel, :kind, :data, :audience, :created_ms)"
)
INSERT = text(INSERT_SQL)

# PostgreSQL: a batch in one statement, its own transaction. The advisory lock that orders
# the log is taken before any row draws its id (the rows join the lock's one-row result),
# and the NOTIFY goes out with the commit: one round trip instead of five (BEGIN, lock,
# insert, notify, COMMIT).
PG_APPEND = hot(
    text(
        "WITH held AS MATERIALIZED (SELECT pg_advisory_xact_lock(:k) AS locked), "
        "added AS (INSERT INTO live_events (channel, kind, data, audience, created_ms) "
        "SELECT e.channel, e.kind, e.data, e.audience, e.created_ms "
        "FROM held, unnest(:channels, :kinds, :datas, :audiences, :created) "
        "AS e(channel, kind, data, audience, created_ms) RETURNING id) "
        "SELECT pg_notify(:ch, ''), (SELECT count(*) FROM added)"
    ).bindparams(
        bindparam("k", type_=BigInteger),
        bindparam("channels", type_=ARRAY(Text)),
        bindparam("kinds", type_=ARRAY(Text)),
        bindparam("datas", type_=ARRAY(Text)),
        bindparam("audiences", type_=ARRAY(BigInteger)),
        bindparam("created", type_=ARRAY(BigInteger)),
        bindparam("ch", type_=Text),
    ),
    postgresql_only=True,
)


def pg_append_params(rows: list[dict[str, Any]], lock_key: int, channel: str) -> dict[str, Any]:
    """The parameters of PG_APPEND for these rows, in order."""
    return {
        "k": lock_key,
        "channels": [r["channel"] for r in rows],
        "kinds": [r["kind"] for r in rows],
        "datas": [r["data"] for r in rows],
        "audiences": [r["audience"] for r in rows],
        "created": [r["created_ms"] for r in rows],
        "ch": channel,
    }


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

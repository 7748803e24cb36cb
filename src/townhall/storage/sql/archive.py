"""Whole tables in and out, for the full archive (`townhall export --full`, `townhall import
townhall`): rows read from one consistent snapshot, in primary-key order, as plain values
of a few kinds, and written back exactly, on SQLite and PostgreSQL alike.

Values are encoded by kind: `int`, `str`, `bool`, `float`, `datetime` (ISO 8601, UTC),
`bytes` (base64) and `json`. A JSON column holds either SQL NULL or a JSON document that
may itself be `null`; the archive keeps the difference (`null` for SQL NULL, `[value]`
for a document).
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
    Text,
    bindparam,
    column,
    func,
    select,
    table,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from townhall.storage.sql.counts import COUNT_COLUMNS, counted
from townhall.storage.sql.tables import UTCDateTime

KINDS = ("int", "str", "bool", "float", "datetime", "bytes", "json")


class UnknownKind(TypeError):
    """A column whose type the archive cannot hold: the archive must learn it first."""


def kind_of(col: Column[Any]) -> str:
    """The archive's kind for a column, from its SQLAlchemy type."""
    t = col.type
    if isinstance(t, UTCDateTime | DateTime | Date):
        return "datetime"
    if isinstance(t, JSON):
        return "json"
    if isinstance(t, Boolean):
        return "bool"
    if isinstance(t, Integer):
        return "int"
    if isinstance(t, Float | Numeric):
        return "float"
    if isinstance(t, String | Text):
        return "str"
    if isinstance(t, LargeBinary):
        return "bytes"
    raise UnknownKind(f"column {col.table.name}.{col.name} has type {t!r}")


def _type_for(kind: str) -> Any:
    """The type that binds a decoded value of a kind exactly as the app stores it."""
    if kind == "datetime":
        return UTCDateTime()
    if kind == "json":
        # None is SQL NULL; JSON.NULL (see decode) is the document `null`.
        return JSON(none_as_null=True)
    return {"int": Integer(), "str": Text(), "bool": Boolean(), "float": Float()}.get(
        kind, LargeBinary()
    )


def encode(kind: str, value: Any, is_null: bool = False) -> Any:
    """A column value as it goes into the archive."""
    if kind == "json":
        return None if is_null else [value]
    if value is None:
        return None
    if kind == "datetime":
        return value.isoformat()
    if kind == "bytes":
        return base64.b64encode(value).decode("ascii")
    return value


def decode(kind: str, value: Any) -> Any:
    """An archived value as it is bound again."""
    if kind == "json":
        if value is None:
            return None
        if not isinstance(value, list) or len(value) != 1:
            raise ValueError("a JSON value is archived as [document]")
        return JSON.NULL if value[0] is None else value[0]
    if value is None:
        return None
    if kind == "datetime":
        return datetime.fromisoformat(value)
    if kind == "bytes":
        return base64.b64decode(value)
    if kind == "float":
        return float(value)
    return value


@asynccontextmanager
async def snapshot(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """One read-only snapshot across every table (PostgreSQL: repeatable read; SQLite: one
    WAL read transaction)."""
    async with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = await conn.execution_options(isolation_level="REPEATABLE READ")
        async with conn.begin():
            yield conn


async def stream_rows(
    conn: AsyncConnection, tbl: Table, kinds: Sequence[tuple[str, str]]
) -> AsyncIterator[list[Any]]:
    """Every row of a table in primary-key order, encoded by kind."""
    cols: list[Any] = [tbl.c[name] for name, _ in kinds]
    if tbl.name == "stories":  # on PostgreSQL the counts' pending changes too
        pg = conn.dialect.name == "postgresql"
        cols = [
            counted(n, pg=pg) if n in COUNT_COLUMNS else col
            for (n, _), col in zip(kinds, cols, strict=True)
        ]
    flags = [tbl.c[name].is_(None) for name, kind in kinds if kind == "json"]
    q = select(*cols, *flags).order_by(*tbl.primary_key.columns)
    result = await conn.stream(q.execution_options(yield_per=1000))
    async for row in result:
        values = list(row)
        flag_at = len(kinds)
        out = []
        for i, (_name, kind) in enumerate(kinds):
            if kind == "json":
                out.append(encode(kind, values[i], bool(values[flag_at])))
                flag_at += 1
            else:
                out.append(encode(kind, values[i]))
        yield out


def loader(name: str, kinds: Sequence[tuple[str, str]]) -> Any:
    """A table clause that binds decoded values of these columns."""
    return table(name, *(column(col, _type_for(kind)) for col, kind in kinds))


async def insert_rows(conn: AsyncConnection, target: Any, rows: list[dict[str, Any]]) -> None:
    """Insert decoded rows (several at a time)."""
    if rows:
        await conn.execute(target.insert(), rows)


async def set_columns(
    conn: AsyncConnection, target: Any, key: str, rows: list[dict[str, Any]]
) -> None:
    """Set columns of existing rows again, matched by `key` (values given as `v_<column>`)."""
    if not rows:
        return
    names = [k for k in rows[0] if k != "k"]
    stmt = (
        update(target)
        .where(target.c[key] == bindparam("k"))
        .values({n.removeprefix("v_"): bindparam(n) for n in names})
    )
    await conn.execute(stmt, rows)


async def count_rows(conn: AsyncConnection, name: str) -> int:
    """How many rows a table holds."""
    return int((await conn.execute(select(func.count()).select_from(table(name)))).scalar_one())


async def delete_rows(conn: AsyncConnection, name: str) -> None:
    """Empty a table."""
    await conn.execute(table(name).delete())


async def reset_sequence(conn: AsyncConnection, name: str, key: str) -> None:
    """After rows came in with their ids: new rows continue after the highest (PostgreSQL;
    SQLite continues after the highest rowid by itself)."""
    if conn.dialect.name != "postgresql":
        return
    seq = (
        await conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": name, "c": key})
    ).scalar_one()
    if seq is None:
        return
    top = (await conn.execute(select(func.max(column(key))).select_from(table(name)))).scalar()
    await conn.execute(
        text("SELECT setval(CAST(:seq AS regclass), :v, :called)"),
        {"seq": seq, "v": top or 1, "called": top is not None},
    )


async def table_columns(conn: AsyncConnection, name: str) -> set[str] | None:
    """The columns a table has in the database, or None when it does not exist."""

    def inspect(sync: Any) -> set[str] | None:
        from sqlalchemy import inspect as sa_inspect

        insp = sa_inspect(sync)
        if not insp.has_table(name):
            return None
        return {c["name"] for c in insp.get_columns(name)}

    return await conn.run_sync(inspect)


async def schema_revision(conn: AsyncConnection) -> str | None:
    """The migration the database is at, or None for a database never migrated."""

    def read(sync: Any) -> str | None:
        from sqlalchemy import inspect as sa_inspect

        if not sa_inspect(sync).has_table("alembic_version"):
            return None
        found = sync.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return None if found is None else str(found)

    return await conn.run_sync(read)

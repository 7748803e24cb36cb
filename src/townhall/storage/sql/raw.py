"""The hot statements of SQLite reads and posting, run straight on the sqlite3 driver.

SQLAlchemy builds these statements once (they are module constants with bound
parameters) and compiles them once per shape; what it still does on every
execution (an execution context, parameter and result bookkeeping, row objects)
cost more than the queries themselves: about a fifth of a post's CPU time. For a
statement registered with `hot()`, an inline SQLite connection instead takes the
compiled SQL, fills the parameters with SQLAlchemy's own `construct_params` and
bind processors, runs it on the driver cursor and converts the result columns
with SQLAlchemy's own result processors, so values come back exactly as through
SQLAlchemy. Rows offer what the stores use of SQLAlchemy rows: positions,
slices, attributes and `_mapping`. PostgreSQL, the async driver and every other
statement keep the ordinary path, and so does anything this module does not
handle (an empty IN list, for one).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar

from sqlalchemy import Float
from sqlalchemy.sql import Insert

from townhall.storage.sql.tables import UTCDateTime

S = TypeVar("S")
_HOT: dict[int, _Plan] = {}
_EXPAND = "__[POSTCOMPILE_{}]"


_PG_ONLY: set[int] = set()


def hot(statement: S, *, postgresql_only: bool = False) -> S:
    """Mark a prebuilt statement for the driver path; returns it unchanged."""
    _HOT.setdefault(id(statement), _Plan(statement))
    if postgresql_only:
        _PG_ONLY.add(id(statement))
    return statement


def postgresql_only() -> frozenset[int]:
    """The ids of hot statements only PostgreSQL runs (SQLite reads the same piecewise)."""
    return frozenset(_PG_ONLY)


def plan_for(statement: Any) -> _Plan | None:
    """The driver plan of a statement marked hot, else None."""
    return _HOT.get(id(statement))


def registered() -> list[Any]:
    """Every statement marked hot so far (the stores build theirs when imported)."""
    return [plan.statement for plan in _HOT.values()]


class Row(tuple[Any, ...]):
    """A result row: a tuple that also answers by column name."""

    __slots__ = ()
    _keys: ClassVar[dict[str, int]] = {}

    def __getattr__(self, name: str) -> Any:
        try:
            return self[self._keys[name]]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def _mapping(self) -> dict[str, Any]:
        return {k: self[i] for k, i in self._keys.items()}


class Result:
    """The part of SQLAlchemy's result API the stores use."""

    __slots__ = ("_rows", "rowcount")

    def __init__(self, rows: list[Row], rowcount: int) -> None:
        self._rows = rows
        self.rowcount = rowcount

    def __iter__(self) -> Iterator[Row]:
        return iter(self._rows)

    def all(self) -> list[Row]:
        return self._rows

    def first(self) -> Row | None:
        return self._rows[0] if self._rows else None

    def one(self) -> Row:
        if len(self._rows) != 1:
            raise ValueError(f"expected one row, got {len(self._rows)}")
        return self._rows[0]

    def scalar_one(self) -> Any:
        return self.one()[0]

    def scalar(self) -> Any:
        return self._rows[0][0] if self._rows else None

    def scalars(self) -> list[Any]:
        return [r[0] for r in self._rows]


def _utc_from_text(value: Any) -> datetime:
    # What SQLite's DATETIME processor and UTCDateTime do together, in one C call.
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    if value.tzinfo is UTC:  # asyncpg's timestamptz: already what UTCDateTime returns
        return value  # type: ignore[no-any-return]
    converted = _UTC_TYPE.process_result_value(value, None)
    assert converted is not None
    return converted


_UTC_TYPE = UTCDateTime()


def _result_processor(type_: Any, dialect: Any) -> Any:
    if isinstance(type_, UTCDateTime):
        return _utc_from_text
    if isinstance(type_, Float):
        # Drivers give floats as floats; asyncpg's processor would need the column's
        # type code, which a statement compiled here does not carry.
        return None
    return type_._cached_result_processor(dialect, None)


class _Shape:
    """One compiled form of a statement: SQL, parameter order and converters."""

    __slots__ = ("binds", "compiled", "convert", "expanding", "order", "row_type", "sql", "sqls")

    def __init__(self, compiled: Any, dialect: Any) -> None:
        self.compiled = compiled
        self.sql: str = compiled.string
        self.order: tuple[str, ...] = tuple(compiled.positiontup or ())
        self.expanding = frozenset(n for n in self.order if _EXPAND.format(n) in self.sql)
        self.binds = compiled._bind_processors
        columns = compiled._result_columns
        procs = [_result_processor(col[3], dialect) for col in columns]
        self.convert = [(i, p) for i, p in enumerate(procs) if p is not None]
        keys: dict[str, int] = {}
        for i, col in enumerate(columns):
            keys.setdefault(col[0], i)
        self.row_type = type("Row", (Row,), {"__slots__": (), "_keys": keys})
        self.sqls: dict[tuple[int, ...], str] = {}

    def statement(self, values: dict[str, Any]) -> tuple[str, list[Any]] | None:
        args: list[Any] = []
        sizes: list[int] = []
        for name in self.order:
            value = values[name]
            proc = self.binds.get(name)
            if name in self.expanding:
                if not value:
                    return None  # SQLAlchemy renders an empty IN its own way
                sizes.append(len(value))
                args.extend([proc(v) for v in value] if proc else value)
            else:
                args.append(proc(value) if proc else value)
        if not sizes:
            return self.sql, args
        key = tuple(sizes)
        sql = self.sqls.get(key)
        if sql is None:
            sql = self.sql
            for name, size in zip(
                (n for n in self.order if n in self.expanding), sizes, strict=True
            ):
                sql = sql.replace(_EXPAND.format(name), ", ".join("?" * size), 1)
            if len(self.sqls) < 64:
                self.sqls[key] = sql
        return sql, args


class _Plan:
    """A hot statement's compiled shapes (inserts have one per set of columns)."""

    __slots__ = ("shapes", "statement")

    def __init__(self, statement: Any) -> None:
        self.statement = statement
        self.shapes: dict[Any, _Shape] = {}

    def run(self, driver: Any, dialect: Any, params: dict[str, Any]) -> Result | None:
        """Execute on the driver connection; None when the ordinary path must run it."""
        key = tuple(params) if isinstance(self.statement, Insert) else None
        shape = self.shapes.get(key)
        if shape is None:
            kw = {"column_keys": list(params)} if key is not None else {}
            shape = _Shape(self.statement.compile(dialect=dialect, **kw), dialect)
            self.shapes[key] = shape
        built = shape.statement(shape.compiled.construct_params(params))
        if built is None:
            return None
        cursor = driver.execute(*built)
        if cursor.description is None:
            return Result([], cursor.rowcount)
        make = shape.row_type
        convert = shape.convert
        if not convert:
            return Result([make(raw) for raw in cursor.fetchall()], cursor.rowcount)
        rows = []
        for raw in cursor.fetchall():
            values = list(raw)
            for i, proc in convert:
                if values[i] is not None:
                    values[i] = proc(values[i])
            rows.append(make(values))
        return Result(rows, cursor.rowcount)

"""The hot statements of PostgreSQL reads and posting, run straight on asyncpg.

Through SQLAlchemy's asyncpg dialect every statement pays for an execution context, a
greenlet switch into the sync layer and back, parameter and row bookkeeping; and a read
snapshot paid three round trips besides its queries (the pool's pre-ping, BEGIN and
COMMIT). Here a statement marked hot (`raw.hot`) is compiled once by SQLAlchemy for the
connection's dialect and then run with `asyncpg.Connection.fetch`, whose statement cache
prepares it once per connection and afterwards sends only Bind/Execute; parameters and
result columns go through SQLAlchemy's own processors, so values come back exactly as
through SQLAlchemy. An `IN` list becomes `= ANY($n)` with one array parameter: one
prepared statement for every length of the list.

Reads run outside any transaction: each statement is its own snapshot, which is what
READ COMMITTED gave inside a transaction too, minus BEGIN and COMMIT. Every read that
must be consistent is one statement (a story's counts with their pending deltas, for one).
Writes begin their transaction at once, on a connection known to be alive.

Connections are not pinged on checkout. A connection whose socket asyncpg has seen closed
is discarded at checkout (the pool then takes another); one that dies unseen fails its
first statement: a read retries that statement once on a new connection, a write retries
its BEGIN. Anything else the write did is never retried.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from sqlalchemy import event, exc
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql import Insert

from townhall.storage.sql import raw

_EXPANDING = re.compile(r"(NOT )?IN \(__\[POSTCOMPILE_(\w+)\]\)")
_STATUS_COUNT = re.compile(r"(?:UPDATE|DELETE|INSERT \d+|SELECT) (\d+)")
ATTEMPTS = 3

_DISCONNECTS = (
    OSError,
    asyncpg.exceptions.PostgresConnectionError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.InterfaceError,
    # The protocol in a state it cannot leave: what a backend ended while the connection
    # sat idle in the pool leaves behind (its farewell message arrived unasked).
    asyncpg.exceptions.InternalClientError,
)


def is_disconnect(error: BaseException) -> bool:
    """Whether an error means the connection is gone (as opposed to a bad statement)."""
    seen: BaseException | None = error
    while seen is not None:  # SQLAlchemy wraps the driver's error, maybe twice
        if isinstance(seen, exc.DBAPIError) and seen.connection_invalidated:
            return True
        if isinstance(seen, _DISCONNECTS):
            return True
        seen = seen.__cause__ or getattr(seen, "orig", None)
    return False


def install(engine: AsyncEngine) -> None:
    """Discard, at checkout, pooled connections whose socket is known to be closed."""

    @event.listens_for(engine.sync_engine, "checkout")
    def _alive(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        driver = getattr(dbapi_conn, "driver_connection", None)
        if driver is not None and driver.is_closed():
            raise exc.DisconnectionError("connection closed while pooled")


class _Shape:
    """A hot statement compiled for asyncpg: SQL with $n parameters and converters."""

    __slots__ = ("arrays", "binds", "compiled", "convert", "order", "returns", "row_type", "sql")

    def __init__(self, compiled: Any, dialect: Any) -> None:
        self.compiled = compiled
        self.binds = compiled._bind_processors
        positions = list(compiled.positiontup or ())
        sql: str = compiled.string
        self.arrays = [m.group(2) for m in _EXPANDING.finditer(sql)]
        self.order = [n for n in positions if n not in self.arrays]
        numbered = len(self.order)
        names = iter(range(numbered + 1, numbered + 1 + len(self.arrays)))

        def as_array(m: re.Match[str]) -> str:
            return f"{'<> ALL' if m.group(1) else '= ANY'}(${next(names)})"

        self.sql = _EXPANDING.sub(as_array, sql)
        columns = compiled._result_columns
        self.returns = bool(columns)
        procs = [raw._result_processor(col[3], dialect) for col in columns]
        self.convert = [(i, p) for i, p in enumerate(procs) if p is not None]
        keys: dict[str, int] = {}
        for i, col in enumerate(columns):
            keys.setdefault(col[0], i)
        self.row_type = type("Row", (raw.Row,), {"__slots__": (), "_keys": keys})

    def args(self, params: dict[str, Any]) -> list[Any]:
        values = self.compiled.construct_params(params)
        out = []
        for name in self.order:
            proc = self.binds.get(name)
            out.append(proc(values[name]) if proc else values[name])
        for name in self.arrays:
            proc = self.binds.get(name)
            out.append([proc(v) for v in values[name]] if proc else list(values[name]))
        return out

    def result(self, records: list[Any]) -> raw.Result:
        make, convert = self.row_type, self.convert
        if not convert:
            return raw.Result([make(tuple(r)) for r in records], len(records))
        rows = []
        for record in records:
            values = list(record)
            for i, proc in convert:
                if values[i] is not None:
                    values[i] = proc(values[i])
            rows.append(make(values))
        return raw.Result(rows, len(records))


_SHAPES: dict[tuple[int, Any], _Shape] = {}


def _shape(plan: Any, dialect: Any, params: dict[str, Any]) -> _Shape:
    statement = plan.statement
    key = (id(statement), tuple(params) if isinstance(statement, Insert) else None)
    shape = _SHAPES.get(key)
    if shape is None:
        kw = {"column_keys": list(params)} if key[1] is not None else {}
        shape = _Shape(statement.compile(dialect=dialect, **kw), dialect)
        _SHAPES[key] = shape
    return shape


class PgConnection:
    """The part of AsyncConnection the stores use; hot statements run on asyncpg."""

    __slots__ = ("_fairy", "conn", "dialect", "writes")

    def __init__(self, conn: AsyncConnection, *, writes: bool, fairy: Any = None) -> None:
        self.conn = conn
        self.dialect = conn.dialect
        self.writes = writes
        self._fairy = fairy

    async def _driver(self) -> tuple[Any, Any]:
        if self._fairy is None:
            self._fairy = await self.conn.get_raw_connection()
        return self._fairy.dbapi_connection, self._fairy.driver_connection

    async def execute(self, statement: Any, parameters: Any = None, **kwargs: Any) -> Any:
        """Run a statement: on the driver when it is hot, else through SQLAlchemy."""
        if parameters is None or kwargs or (plan := raw.plan_for(statement)) is None:
            return await self.conn.execute(statement, parameters, **kwargs)
        shape = _shape(plan, self.dialect, parameters)
        args = shape.args(parameters)
        for attempt in range(ATTEMPTS):
            adapted, driver = await self._driver()
            try:
                if shape.returns:
                    return shape.result(await driver.fetch(shape.sql, *args))
                status = await driver.execute(shape.sql, *args)
                found = _STATUS_COUNT.match(status or "")
                return raw.Result([], int(found.group(1)) if found else -1)
            except Exception as error:
                # Each read statement stands alone, so it may run again elsewhere.
                retry = (
                    not self.writes
                    and not self.conn.in_transaction()
                    and attempt + 1 < ATTEMPTS
                    and is_disconnect(error)
                )
                if not retry:
                    self._raise(adapted, error, shape.sql, args)
                await self.conn.invalidate()
                self._fairy = None
        raise AssertionError("unreachable")

    def _raise(self, adapted: Any, error: Exception, sql: str, args: list[Any]) -> None:
        """Raise what SQLAlchemy would have raised for this driver error."""
        if not isinstance(error, asyncpg.exceptions.PostgresError | asyncpg.InterfaceError):
            raise error
        try:
            adapted._handle_exception(error)
        except Exception as dbapi_error:
            raise exc.DBAPIError.instance(
                sql,
                args,
                dbapi_error,
                self.dialect.loaded_dbapi.Error,
                dialect=self.dialect,
                ismulti=False,
            ) from error
        raise error

    async def scalar(self, statement: Any, parameters: Any = None, **kwargs: Any) -> Any:
        """The first column of the first row."""
        return (await self.execute(statement, parameters, **kwargs)).scalar()


@asynccontextmanager
async def snapshot(engine: AsyncEngine) -> AsyncIterator[PgConnection]:
    """Reads: each statement on its own, no BEGIN, no COMMIT, no ping."""
    async with engine.connect() as conn:
        try:
            yield PgConnection(conn, writes=False)
        finally:
            if conn.in_transaction():  # a statement that went through SQLAlchemy began one
                await conn.rollback()


@asynccontextmanager
async def write(engine: AsyncEngine) -> AsyncIterator[PgConnection]:
    """A transaction, begun at once (on another connection if this one proves dead),
    committed on success and rolled back on error."""
    for attempt in range(ATTEMPTS):
        conn = await engine.connect()
        try:
            await conn.begin()
            fairy: Any = await conn.get_raw_connection()
            # SQLAlchemy's adapter would send BEGIN with the first statement it runs; the
            # driver path runs statements itself, so the transaction starts here.
            await fairy.dbapi_connection._start_transaction()
            break
        except Exception as error:
            if attempt + 1 == ATTEMPTS or not is_disconnect(error):
                await conn.close()
                raise
            await conn.invalidate()
            await conn.close()
    try:
        yield PgConnection(conn, writes=True, fairy=fairy)
        await conn.commit()
    except BaseException:
        await conn.rollback()
        raise
    finally:
        await conn.close()


@asynccontextmanager
async def alone(engine: AsyncEngine) -> AsyncIterator[PgConnection]:
    """A write that is one statement: no BEGIN, no COMMIT; PostgreSQL runs the statement
    in a transaction of its own, committed when it succeeds. One round trip instead of
    three. A statement that fails is never sent again (it may have run)."""
    async with engine.connect() as conn:
        try:
            yield PgConnection(conn, writes=True)
        except BaseException:
            if conn.in_transaction():
                await conn.rollback()
            raise
        if conn.in_transaction():  # a statement that went through SQLAlchemy began one
            await conn.commit()

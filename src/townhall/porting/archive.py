"""The full archive: `townhall export --full` and `townhall import townhall FILE`.

A lossless, versioned copy of an installation: every table the database has (the list comes
from the SQLAlchemy metadata, and every table must say here whether it is kept and why),
each row as it is stored, read from one snapshot. Restoring it into an empty database gives
back the same rows, ids included, on SQLite or PostgreSQL (either way round).

The file is gzip-compressed JSON Lines (docs/operations.md describes it):

    {"format": "townhall-archive", "version": 1, "schema": "0009", "tables": [...], ...}
    {"table": "sites"}
    ["default", "The Daily Ledger", ...]            one array per row, columns as declared
    {"table": "users"}
    ...
    {"end": true, "rows": {"sites": 1, "users": 1200, ...}}

An archive written at an older schema restores too: the empty database is migrated to the
archive's schema, the rows go in, and the usual migrations bring it up to date.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import orjson

from townhall.errors import TownhallError
from townhall.storage.sql import archive as sql
from townhall.storage.sql.tables import metadata

FORMAT = "townhall-archive"
VERSION = 1
BATCH = 1000


class ArchiveError(TownhallError):
    code, status, title = "archive", 422, "Archive not usable"


@dataclass(frozen=True)
class Policy:
    """Whether a table goes into the archive, and why; `kept` names columns the database
    keeps up to date itself (triggers), written again once every row is in."""

    include: bool
    why: str
    kept: tuple[str, ...] = ()


TABLES: dict[str, Policy] = {
    "sites": Policy(True, "site settings, SSO secrets and the secrets retired"),
    "users": Policy(
        True, "accounts: names and their skeleton keys, roles, Premium, bans and suspensions"
    ),
    "sessions": Policy(
        False,
        "sign-ins are not restored: an older backup must not bring back sessions that were "
        "signed out or revoked since; readers sign in again",
    ),
    "stories": Policy(
        True,
        "stories, their settings and public counts",
        kept=("published_open", "published_premium"),
    ),
    "story_count_deltas": Policy(
        False,
        "changes to story counts not yet folded into the stories (PostgreSQL); the archive "
        "writes each story's counts with its pending changes added",
    ),
    "comments": Policy(True, "every comment with its status, findings and decisions"),
    "likes": Policy(True, "who liked what, and when"),
    "reports": Policy(True, "readers' reports with reasons and notes"),
    "audit_log": Policy(True, "the audit log, entry for entry"),
    "notification_prefs": Policy(True, "which e-mails each reader chose to get"),
    "outbox": Policy(
        False,
        "messages waiting or delivered: a restored backup must not send old e-mails or "
        "webhook events again",
    ),
    "leases": Policy(False, "which process runs the sender: held only while it runs"),
    "webhooks": Policy(True, "webhook URLs, their events, formats and signing secrets"),
    "signing_keys": Policy(True, "the key of unsubscribe links, so links already sent work"),
    "inbox": Policy(True, "readers' notifications in the widget's bell, read or not"),
    "follows": Policy(True, "which stories each reader follows"),
    "live_events": Policy(
        False,
        "live events are a short replay log for readers who reconnect; a restored site "
        "starts a new one",
    ),
    "moderation_decisions": Policy(
        True, "moderators' decisions on held comments: the labelled examples for retraining"
    ),
    "mutes": Policy(True, "which commenters each reader has muted"),
}


def policy(name: str) -> Policy:
    """The table's policy; a table nobody decided about stops the archive."""
    try:
        return TABLES[name]
    except KeyError:
        raise ArchiveError(
            f"table '{name}' has no archive policy: add it to porting/archive.py TABLES"
        ) from None


def archived_tables() -> list[Any]:
    """The tables written, parents before children."""
    return [t for t in metadata.sorted_tables if policy(t.name).include]


def columns_of(tbl: Any) -> list[tuple[str, str]]:
    """(column, kind) of a table, in its declared order."""
    return [(str(col.name), sql.kind_of(col)) for col in tbl.columns]


def _line(value: Any) -> bytes:
    return orjson.dumps(value) + b"\n"


async def write_archive(
    engine: Any, out: IO[bytes], *, schema: str, version: str
) -> dict[str, int]:
    """Stream every archived table to `out` (gzip); rows written per table."""
    tables = archived_tables()
    header = {
        "format": FORMAT,
        "version": VERSION,
        "schema": schema,
        "townhall": version,
        "created_at": datetime.now(UTC).isoformat(),
        "tables": [{"name": str(t.name), "columns": columns_of(t)} for t in tables],
        "excluded": {n: p.why for n, p in TABLES.items() if not p.include},
    }
    counts: dict[str, int] = {}
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6) as gz:
        gz.write(_line(header))
        async with sql.snapshot(engine) as conn:
            for tbl in tables:
                gz.write(_line({"table": str(tbl.name)}))
                n = 0
                async for row in sql.stream_rows(conn, tbl, columns_of(tbl)):
                    gz.write(_line(row))
                    n += 1
                counts[str(tbl.name)] = n
        gz.write(_line({"end": True, "rows": counts}))
    return counts


@dataclass
class Header:
    """What an archive says about itself."""

    schema: str
    townhall: str
    created_at: str
    tables: dict[str, list[tuple[str, str]]]


def _lines(path: Path) -> Iterator[Any]:
    try:
        with gzip.open(path, "rb") as f:
            for number, line in enumerate(f, 1):
                try:
                    yield orjson.loads(line)
                except orjson.JSONDecodeError:
                    raise ArchiveError(f"{path}: line {number} is not JSON") from None
    except (OSError, EOFError) as exc:  # not gzip, or cut short
        raise ArchiveError(f"{path}: not a townhall archive ({exc})") from None


def read_header(path: Path) -> Header:
    """The archive's header, checked."""
    first = next(_lines(path), None)
    if not isinstance(first, dict) or first.get("format") != FORMAT:
        raise ArchiveError(f"{path}: not a townhall archive")
    if first.get("version") != VERSION:
        raise ArchiveError(
            f"{path}: archive format version {first.get('version')} is not {VERSION}"
        )
    tables = {}
    for spec in first.get("tables", []):
        cols = [(str(n), str(k)) for n, k in spec["columns"]]
        for name, kind in cols:
            if kind not in sql.KINDS:
                raise ArchiveError(f"{path}: column {spec['name']}.{name} has unknown kind {kind}")
        tables[str(spec["name"])] = cols
    return Header(
        str(first["schema"]), str(first.get("townhall")), str(first.get("created_at")), tables
    )


def sections(path: Path, header: Header) -> Iterator[tuple[str, list[list[Any]] | None]]:
    """(table, a batch of rows) in file order; a last (table, None) closes each table."""
    lines = _lines(path)
    next(lines)
    current: str | None = None
    batch: list[list[Any]] = []
    counts: dict[str, int] = {}
    for line in lines:
        if isinstance(line, list):
            if current is None:
                raise ArchiveError(f"{path}: a row before any table")
            if len(line) != len(header.tables[current]):
                raise ArchiveError(f"{path}: a row of {current} has the wrong number of columns")
            batch.append(line)
            counts[current] = counts.get(current, 0) + 1
            if len(batch) >= BATCH:
                yield current, batch
                batch = []
            continue
        if current is not None:
            yield current, batch
            yield current, None
            batch = []
            current = None
        if isinstance(line, dict) and line.get("end"):
            if line.get("rows") != counts:
                raise ArchiveError(f"{path}: row counts do not match the archive's own")
            return
        if not isinstance(line, dict) or line.get("table") not in header.tables:
            raise ArchiveError(f"{path}: unexpected line {str(line)[:60]}")
        current = str(line["table"])
        counts[current] = 0
    raise ArchiveError(f"{path}: the archive ends early (cut short?)")


def _check_known(url: str, schema: str) -> None:
    from alembic.script import ScriptDirectory

    from townhall.storage.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config(url))
    try:
        known = script.get_revision(schema)
    except Exception:  # alembic raises several kinds for an unknown revision
        known = None
    if known is None:
        raise ArchiveError(
            f"the archive's schema {schema} is newer than this townhall knows: "
            "restore it with the townhall version that wrote it (or a later one)"
        )


CONTENT = ("users", "stories", "comments")


async def _refuse_if_not_empty(url: str) -> str | None:
    """The database's schema revision; refuses a database that holds anything of value."""
    from townhall.storage.sql.engine import make_engine

    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            revision = await sql.schema_revision(conn)
            held = []
            for name in CONTENT:
                if await sql.table_columns(conn, name) is not None:
                    n = await sql.count_rows(conn, name)
                    if n:
                        held.append(f"{n} {name}")
            if held:
                raise ArchiveError(
                    "the database is not empty (" + ", ".join(held) + "): restore into a new "
                    "database, or empty this one first"
                )
            return revision
    finally:
        await engine.dispose()


def _move_schema(url: str, current: str | None, target: str) -> None:
    """Bring an empty database to the archive's schema (up, or down on an empty one)."""
    from alembic import command

    from townhall.storage.migrate import alembic_config, upgrade

    if current == target:
        return
    if current is None:
        upgrade(url, target)
        return
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(url))
    below = {r.revision for r in script.iterate_revisions(current, "base")}
    if target in below:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=1) as pool:  # Alembic runs its own event loop
            pool.submit(command.downgrade, alembic_config(url), target).result()
    else:
        upgrade(url, target)


async def _load(url: str, path: Path, header: Header) -> dict[str, int]:
    from townhall.storage.sql.engine import make_engine

    engine = make_engine(url)
    counts: dict[str, int] = {}
    try:
        async with engine.begin() as conn:
            present = {}
            for name in {*(t.name for t in metadata.sorted_tables), *header.tables}:
                cols = await sql.table_columns(conn, name)
                if cols is not None:
                    present[name] = cols
            order = [t.name for t in reversed(metadata.sorted_tables) if t.name in present]
            for name in [*order, *(n for n in present if n not in order)]:
                await sql.delete_rows(conn, name)
            kept_rows: dict[str, list[dict[str, Any]]] = {}
            for name, batch in sections(path, header):
                kinds = header.tables[name]
                if name not in present or not {c for c, _ in kinds} <= present[name]:
                    raise ArchiveError(
                        f"table {name} of the archive does not fit schema {header.schema}"
                    )
                if batch is None:
                    if ("id", "int") in kinds:
                        await sql.reset_sequence(conn, name, "id")
                    continue
                target = sql.loader(name, kinds)
                rows = [
                    {c: sql.decode(k, v) for (c, k), v in zip(kinds, row, strict=True)}
                    for row in batch
                ]
                kept = TABLES[name].kept if name in TABLES else ()
                if kept and ("id", "int") in kinds:
                    kept_rows.setdefault(name, []).extend(
                        {"k": r["id"], **{f"v_{c}": r[c] for c in kept if c in r}} for r in rows
                    )
                await sql.insert_rows(conn, target, rows)
                counts[name] = counts.get(name, 0) + len(rows)
            # Triggers counted the rows as they came in: the stored values are the truth.
            for name, rows in kept_rows.items():
                await sql.set_columns(conn, sql.loader(name, header.tables[name]), "id", rows)
            if "story_count_deltas" in present:  # what the count trigger appended meanwhile
                await sql.delete_rows(conn, "story_count_deltas")
    finally:
        await engine.dispose()
    return counts


def restore_archive(url: str, path: Path) -> tuple[Header, dict[str, int]]:
    """Restore an archive into an empty database, then migrate it to the current schema."""
    import asyncio

    from townhall.storage.migrate import upgrade

    header = read_header(path)
    _check_known(url, header.schema)
    current = asyncio.run(_refuse_if_not_empty(url))
    _move_schema(url, current, header.schema)
    counts = asyncio.run(_load(url, path, header))
    upgrade(url, "head")
    return header, counts

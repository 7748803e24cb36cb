"""`townhall import` (Disqus, WordPress, Isso, Coral, Remark42, Commento/Comentario, the
generic JSON format, and townhall's own full archive) and `townhall export`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from townhall.errors import TownhallError

FORMATS = {
    "disqus": "Disqus XML export",
    "wxr": "WordPress export (WXR)",
    "isso": "Isso SQLite database",
    "coral": "Coral tenant download (a folder)",
    "remark42": "Remark42 backup file",
    "commento": "Commento or Comentario export",
    "comentario": "Comentario export (same reader as commento)",
    "json": "generic JSON Lines (docs/import-format.md)",
    "townhall": "townhall full archive (export --full): restore into an empty database",
}


class ImportFailed(TownhallError):
    code, status, title = "import-failed", 422, "Import failed"


def add_commands(sub: Any) -> None:
    """Register the import and export sub-commands."""
    p = sub.add_parser(
        "import",
        help="import comments from another system, or restore a full archive",
        description="Formats: " + "; ".join(f"{k}: {v}" for k, v in FORMATS.items()),
    )
    p.add_argument("format", choices=list(FORMATS))
    p.add_argument("path", type=Path)
    p.add_argument("--db", help="database URL or SQLite file path")
    p.add_argument("--dry-run", action="store_true", help="read and check; write nothing")
    p.add_argument("--source", help="json: the source's name when the file has no header")
    p.add_argument("--batch-size", type=int, default=None, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_import)
    p = sub.add_parser("export", help="export comments as JSON lines, or everything (--full)")
    p.add_argument("--db", help="database URL or SQLite file path")
    p.add_argument("--story", help="only this story id")
    p.add_argument("--full", action="store_true", help="a lossless archive of every table")
    p.add_argument("--output", "-o", type=Path, help="file (default: stdout)")
    p.set_defaults(func=cmd_export)


def _run(args: argparse.Namespace, job: Callable[[Any], Any]) -> Any:
    from townhall.app import build_context
    from townhall.cli import _settings
    from townhall.services.sites import bootstrap_site
    from townhall.storage.migrate import upgrade

    settings = _settings(args)
    upgrade(settings.database_url)

    async def run() -> Any:
        ctx = build_context(settings)
        try:
            await bootstrap_site(ctx)
            return await job(ctx)
        finally:
            await ctx.live.close()
            await ctx.db.dispose()

    return asyncio.run(run())


def reader_for(fmt: str, *, source: str | None = None) -> Callable[..., Iterator[Any]]:
    """The reader of a format: (path, tracker=None) → imported comments, streamed."""
    from townhall.porting.generic import read_generic
    from townhall.porting.peers import read_commento, read_coral, read_remark42
    from townhall.porting.readers import read_disqus, read_isso, read_wxr

    readers: dict[str, Callable[..., Iterator[Any]]] = {
        "disqus": read_disqus,
        "wxr": read_wxr,
        "isso": read_isso,
        "coral": read_coral,
        "remark42": read_remark42,
        "commento": read_commento,
        "comentario": read_commento,
        "json": partial(read_generic, source=source),
    }
    return readers[fmt]


def _unreadable(args: argparse.Namespace, exc: BaseException) -> ImportFailed:
    # One line, no traceback: the file is the user's, not a bug of ours.
    reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return ImportFailed(f"cannot import {args.path} as {args.format}: {reason}")


def cmd_import(args: argparse.Namespace) -> int:
    """Import a foreign export; a file that cannot be read changes nothing."""
    from townhall.porting.files import Tracker
    from townhall.porting.progress import Progress
    from townhall.porting.readers import UNREADABLE

    if not args.path.exists():
        raise ImportFailed(f"no such file: {args.path}")
    if args.format == "townhall":
        return _restore(args)
    if args.batch_size is not None and args.batch_size < 1:
        raise ImportFailed("--batch-size must be at least 1")
    read = reader_for(args.format, source=args.source)
    if not args.dry_run:
        _check(args, read)
    tracker = Tracker()
    shown = Progress(tracker, ("dry run " if args.dry_run else "importing ") + args.path.name)

    def progress(report: Any) -> None:
        shown.update(report.read, _counts(report))

    from townhall.porting.importer import BATCH, import_comments

    def job(ctx: Any) -> Any:
        return import_comments(
            ctx,
            read(args.path, tracker),
            args.format,
            batch_size=args.batch_size or BATCH,
            dry_run=args.dry_run,
            progress=progress,
        )

    try:
        report = _run(args, job)
        shown.update(report.read, _counts(report), final=True)
    except UNREADABLE as exc:
        raise _unreadable(args, exc) from None
    finally:
        shown.close()
    _print_report(report)
    return 0


def _check(args: argparse.Namespace, read: Callable[..., Iterator[Any]]) -> None:
    """Read the whole file once before writing, so that a damaged or cut-short file stops
    the import with nothing written: XML by its syntax alone (fast), other formats by
    reading every comment."""
    from townhall.porting.files import Tracker
    from townhall.porting.progress import Progress
    from townhall.porting.readers import UNREADABLE, check_xml

    tracker = Tracker()
    shown = Progress(tracker, f"checking {args.path.name}")
    try:
        if args.format in XML_ROOTS:
            check_xml(args.path, *XML_ROOTS[args.format], tracker)
            return
        for n, _item in enumerate(read(args.path, tracker), 1):
            if n % 5000 == 0:
                shown.update(n, f"{n:,} comments")
    except UNREADABLE as exc:
        raise _unreadable(args, exc) from None
    finally:
        shown.close()


XML_ROOTS = {"disqus": ("disqus", "a Disqus export"), "wxr": ("rss", "a WordPress export")}


def _counts(report: Any) -> str:
    return f"{report.read:,} read, {report.comments:,} new, {report.skipped:,} skipped"


def _print_report(report: Any) -> None:
    verb = "would import" if report.dry_run else "imported"
    print(
        f"{verb} {report.comments} comments, {report.users} users, {report.stories} "
        f"stories; skipped {report.skipped} (already imported or not importable)"
    )
    for source in sorted(report.sources)[:10]:
        print(f"  source: {source}")
    if report.orphans:
        print(f"  {report.orphans} replies whose parent is not in the file became top-level")
    for problem in report.problems[:20]:
        print(f"  skipped: {problem}")
    for old, new in report.renamed:
        print(f'  renamed: "{old}" → "{new}" (reserved for staff or the publisher, or profane)')


def _restore(args: argparse.Namespace) -> int:
    from townhall.cli import _safe_url, _settings
    from townhall.porting.archive import restore_archive

    if args.dry_run:
        raise ImportFailed("--dry-run does not apply to restoring an archive")
    settings = _settings(args)
    header, counts = restore_archive(settings.database_url, args.path)
    print(
        f"restored {sum(counts.values())} rows of {len(counts)} tables into "
        f"{_safe_url(settings.database_url)} (archive of schema {header.schema}, "
        f"written by townhall {header.townhall} at {header.created_at})"
    )
    for name, n in counts.items():
        print(f"  {name}: {n}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Export comments as JSON lines, or everything as a full archive."""
    if args.full:
        return _export_full(args)
    from townhall.porting.exporter import export_comments

    if args.output:
        with args.output.open("w", encoding="utf-8") as out:
            n = _run(args, lambda ctx: export_comments(ctx, out, args.story))
        print(f"exported {n} comments to {args.output}", file=sys.stderr)
    else:
        _run(args, lambda ctx: export_comments(ctx, sys.stdout, args.story))
    return 0


def _export_full(args: argparse.Namespace) -> int:
    from alembic.script import ScriptDirectory

    from townhall import __version__
    from townhall.porting.archive import write_archive
    from townhall.storage.migrate import alembic_config

    if args.story:
        raise ImportFailed("--story does not apply to a full archive")
    if args.output is None and sys.stdout.isatty():
        raise ImportFailed("a full archive is binary: name a file with -o, or redirect stdout")

    def job(ctx: Any) -> Any:
        [head] = ScriptDirectory.from_config(alembic_config(ctx.db.url)).get_heads()
        return write_archive(ctx.db.engine, out, schema=head, version=__version__)

    if args.output is not None:
        partial_file = args.output.with_name(args.output.name + ".partial")
        with partial_file.open("wb") as out:
            counts = _run(args, job)
        partial_file.replace(args.output)  # a file under the final name is always whole
        where = str(args.output)
    else:
        out = sys.stdout.buffer
        counts = _run(args, job)
        where = "stdout"
    total = sum(counts.values())
    print(f"archived {total} rows of {len(counts)} tables to {where}", file=sys.stderr)
    return 0

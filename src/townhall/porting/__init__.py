"""`townhall import` (Disqus XML, WordPress WXR, Isso SQLite) and `townhall export`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path


def add_commands(sub) -> None:
    """Register the import and export sub-commands."""
    p = sub.add_parser("import", help="import comments from Disqus, WordPress or Isso")
    p.add_argument("format", choices=["disqus", "wxr", "isso"])
    p.add_argument("path", type=Path)
    p.add_argument("--db", help="database URL or SQLite file path")
    p.set_defaults(func=cmd_import)
    p = sub.add_parser("export", help="export comments as JSON lines")
    p.add_argument("--db", help="database URL or SQLite file path")
    p.add_argument("--story", help="only this story id")
    p.add_argument("--output", "-o", type=Path, help="file (default: stdout)")
    p.set_defaults(func=cmd_export)


def _run(args: argparse.Namespace, job):
    from townhall.app import build_context
    from townhall.cli import _settings
    from townhall.services.sites import bootstrap_site
    from townhall.storage.migrate import upgrade

    settings = _settings(args)
    upgrade(settings.database_url)

    async def run():
        ctx = build_context(settings)
        try:
            await bootstrap_site(ctx)
            return await job(ctx)
        finally:
            await ctx.db.dispose()

    return asyncio.run(run())


def cmd_import(args: argparse.Namespace) -> int:
    """Import a foreign export file; a file that cannot be read changes nothing."""
    from townhall.porting.importer import import_comments
    from townhall.porting.readers import READERS, UNREADABLE

    if not args.path.is_file():
        print(f"townhall: no such file: {args.path}", file=sys.stderr)
        return 2
    try:
        items = list(READERS[args.format](args.path))
    except UNREADABLE as exc:
        # One line, no traceback: the file is the user's, not a bug of ours.
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        print(f"townhall: cannot import {args.path} as {args.format}: {reason}", file=sys.stderr)
        return 2
    report = _run(args, lambda ctx: import_comments(ctx, items, args.format))
    print(
        f"imported {report.comments} comments, {report.users} users, {report.stories} "
        f"stories; skipped {report.skipped}"
    )
    for problem in report.problems[:20]:
        print(f"  skipped: {problem}")
    for old, new in report.renamed:
        print(f'  renamed: "{old}" → "{new}" (reserved for staff or the publisher, or profane)')
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Export comments as JSON lines."""
    from townhall.porting.exporter import export_comments

    if args.output:
        with args.output.open("w", encoding="utf-8") as out:
            n = _run(args, lambda ctx: export_comments(ctx, out, args.story))
        print(f"exported {n} comments to {args.output}", file=sys.stderr)
    else:
        n = _run(args, lambda ctx: export_comments(ctx, sys.stdout, args.story))
    return 0

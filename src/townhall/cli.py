"""The `townhall` command: serve | demo | migrate | check-config | worker | create-admin |
names | purge | moderate | moderation export-decisions | import | export."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import logging
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path

from townhall import __version__, porting
from townhall.cli_errors import OneLineParser, expected
from townhall.config import Settings, load_settings


def _settings(args: argparse.Namespace, **extra) -> Settings:
    overrides = {}
    if getattr(args, "db", None):
        overrides["database_url"] = (
            args.db if "://" in args.db else f"sqlite+aiosqlite:///{Path(args.db).resolve()}"
        )
    overrides.update(extra)
    return load_settings(getattr(args, "config", None), None, **overrides)


def cmd_migrate(args: argparse.Namespace) -> int:
    """Apply migrations."""
    from townhall.storage.migrate import upgrade

    settings = _settings(args)
    upgrade(settings.database_url)
    print(f"database migrated: {_safe_url(settings.database_url)}")
    return 0


def _safe_url(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the HTTP server (uvicorn)."""
    from townhall.logs import setup_logging
    from townhall.storage.migrate import upgrade

    settings = _settings(args)
    setup_logging(settings.log_level, settings.log_json)
    # The app is built in uvicorn from the environment: hand the options on.
    import os

    os.environ["TOWNHALL_DATABASE_URL"] = settings.database_url
    if args.config:
        os.environ["TOWNHALL_CONFIG"] = str(Path(args.config).resolve())
    if not args.no_migrate:
        upgrade(settings.database_url)
    logging.getLogger("townhall").info(
        "townhall %s serving on http://%s:%s", __version__, args.host, args.port
    )
    with worker_files(args.workers, redis=bool(settings.redis_url)):
        _run_uvicorn(args, settings)
    return 0


@contextlib.contextmanager
def worker_files(workers: int, *, redis: bool) -> Iterator[None]:
    """What several workers share: a private directory (rate limits without Redis) and
    Prometheus multiprocess files; emptied at start, removed at exit."""
    import os
    import shutil
    import tempfile

    metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if metrics_dir:  # the operator's own directory: start it empty
        Path(metrics_dir).mkdir(parents=True, exist_ok=True)
        for stale in Path(metrics_dir).glob("*.db"):
            stale.unlink(missing_ok=True)
    if workers <= 1:
        yield
        return
    shm = Path("/dev/shm")  # noqa: S108 (tmpfs; mkdtemp makes the directory 0700)
    base = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
    shared = tempfile.mkdtemp(prefix="townhall-workers-", dir=base)
    os.environ["TOWNHALL_WORKER_DIR"] = shared
    if not metrics_dir:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(Path(shared) / "metrics")
        (Path(shared) / "metrics").mkdir()
    logging.getLogger("townhall").info(
        "%d workers share live events, rate limits and metrics through %s",
        workers,
        "Redis" if redis else "the database and " + shared,
    )
    try:
        yield
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def _run_uvicorn(args: argparse.Namespace, settings: Settings) -> None:
    import uvicorn

    from townhall.http_guard import guarded_protocol
    from townhall.logs import log_config

    uvicorn.run(
        "townhall.asgi:app",
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_config=log_config(settings.log_level, settings.log_json),
        log_level=settings.log_level,
        access_log=args.access_log,
        proxy_headers=True,
        forwarded_allow_ips=args.forwarded_allow_ips,
        timeout_graceful_shutdown=5,
        limit_concurrency=args.limit_concurrency,
        # uvicorn takes a protocol factory too; its annotation names classes only.
        http=guarded_protocol(header_timeout=settings.header_timeout_seconds),  # type: ignore[arg-type]
    )


def cmd_demo(args: argparse.Namespace) -> int:
    """Seed a demo site on SQLite and serve the sample article."""
    import os

    import uvicorn

    from townhall.demo import seed_demo
    from townhall.logs import log_config
    from townhall.storage.migrate import upgrade

    db = args.db or "townhall-demo.sqlite3"
    secret = os.environ.get("TOWNHALL_SSO_SECRET") or "demo-sso-secret-change-me-0123456789ab"
    os.environ["TOWNHALL_SSO_SECRET"] = secret
    settings = _settings(argparse.Namespace(db=db, config=args.config), sso_secret=secret)
    upgrade(settings.database_url)
    users = asyncio.run(seed_demo(settings))
    address = f"http://{args.host}:{args.port}/"
    print("\n  townhall demo")
    print(f"  Article with comments:  {address}")
    print(f"  Moderator dashboard:    {address}admin")
    print(f"  API documentation:      {address}api/docs")
    print("  Demo accounts (e-mail / password):")
    for user in users:
        print(f"    {user['email']:<28} {user['password']:<22} {user.get('note', '')}")
    print(f"  SSO secret for publisher tokens: {secret}\n", flush=True)
    os.environ["TOWNHALL_DATABASE_URL"] = settings.database_url
    uvicorn.run(
        "townhall.asgi:demo_app",
        host=args.host,
        port=args.port,
        log_config=log_config("warning", settings.log_json),
        log_level="warning",
        timeout_graceful_shutdown=3,
    )
    return 0


def cmd_create_admin(args: argparse.Namespace) -> int:
    """Create an admin (or moderator); password from stdin when piped, else generated."""
    from townhall.app import build_context
    from townhall.domain.models import Role
    from townhall.services.accounts import create_admin
    from townhall.services.sites import bootstrap_site
    from townhall.storage.migrate import upgrade

    settings = _settings(args)
    generated = False
    if args.password_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
    elif args.prompt:
        password = getpass.getpass("Password: ")
    else:
        password = secrets.token_urlsafe(15)
        generated = True
    upgrade(settings.database_url)

    async def run():
        ctx = build_context(settings)
        try:
            await bootstrap_site(ctx)
            return await create_admin(
                ctx, email=args.email, password=password, name=args.name, role=Role(args.role)
            )
        finally:
            await ctx.db.dispose()

    user = asyncio.run(run())
    print(f"{user.role.value} {user.email} ready (id {user.id})")
    if generated:
        print(f"one-time password: {password}")
    return 0


def cmd_names(args: argparse.Namespace) -> int:
    """List commenting names that look alike (after an upgrade of the skeleton rule)."""
    from townhall.app import build_context
    from townhall.services.name_review import look_alike_names, report_lines
    from townhall.storage.migrate import upgrade

    settings = _settings(args)
    upgrade(settings.database_url)

    async def run():
        ctx = build_context(settings)
        try:
            return await look_alike_names(ctx)
        finally:
            await ctx.db.dispose()

    for line in report_lines(asyncio.run(run())):
        print(line)
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    """Purge personal data past the site's retention; print what was purged."""
    from townhall.app import build_context
    from townhall.services.retention import purge_personal_data
    from townhall.services.sites import bootstrap_site
    from townhall.storage.migrate import upgrade

    settings = _settings(args)
    upgrade(settings.database_url)

    async def run():
        ctx = build_context(settings)
        try:
            await bootstrap_site(ctx)
            return await purge_personal_data(ctx)
        finally:
            await ctx.db.dispose()

    for what, count in asyncio.run(run()).items():
        print(f"{what}: {count}")
    return 0


def cmd_moderate(args: argparse.Namespace) -> int:
    """Run the moderation pipeline on stdin lines; one JSON verdict per line."""
    from townhall.moderation.cli import run_moderate
    from townhall.moderation.pipeline import Rules

    rules = Rules.from_settings(_site_moderation_settings(args))
    return run_moderate(sys.stdin, rules, sys.stdout)


def _site_moderation_settings(args: argparse.Namespace) -> dict:
    """The default site's moderation settings from the database, if it has any."""
    from townhall.app import build_context

    settings = _settings(args)

    async def run():
        ctx = build_context(settings)
        try:
            return dict((await ctx.site()).moderation)
        except Exception:
            return {}
        finally:
            await ctx.db.dispose()

    return asyncio.run(run())


def cmd_worker(args: argparse.Namespace) -> int:
    """Deliver the outbox (e-mail, webhooks) until interrupted."""
    from townhall.app import build_context
    from townhall.delivery.sender import Sender
    from townhall.logs import setup_logging

    settings = _settings(args)
    setup_logging(settings.log_level, settings.log_json)

    async def run() -> None:
        import signal

        ctx = build_context(settings)
        sender = Sender(ctx)
        loop = asyncio.get_running_loop()
        task = asyncio.ensure_future(sender.run())
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, task.cancel)
        logging.getLogger("townhall").info("townhall worker delivering the outbox")
        try:
            await task
        except asyncio.CancelledError:
            pass
        finally:
            await sender.close()
            await ctx.live.close()
            await ctx.db.dispose()

    asyncio.run(run())
    return 0


def cmd_export_decisions(args: argparse.Namespace) -> int:
    """Write moderators' decisions on held comments as labelled examples (JSONL or CSV)."""
    from townhall.app import build_context
    from townhall.services.decisions import export_decisions, parse_since
    from townhall.storage.migrate import upgrade

    since = parse_since(args.since)
    settings = _settings(args)
    upgrade(settings.database_url)

    async def run(out) -> int:
        ctx = build_context(settings)
        try:
            return await export_decisions(ctx, out, fmt=args.format, site_id=args.site, since=since)
        finally:
            await ctx.db.dispose()

    if args.output in (None, "-"):
        count = asyncio.run(run(sys.stdout))
    else:
        with open(args.output, "w", encoding="utf-8", newline="") as out:
            count = asyncio.run(run(out))
    print(f"{count} decisions written", file=sys.stderr)
    return 0


def cmd_check_config(args: argparse.Namespace) -> int:
    """Check settings, environment, database, Redis and mail; print what was found."""
    from townhall.checkup import run_checks

    return run_checks(args)


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = OneLineParser(prog="townhall", description=__doc__)
    parser.add_argument("--version", action="version", version=f"townhall {__version__}")
    parser.add_argument("--config", help="TOML settings file (default: ./townhall.toml)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="run the HTTP server")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--db", help="database URL or SQLite file path")
    p.add_argument("--no-migrate", action="store_true", help="do not migrate at start-up")
    p.add_argument("--access-log", action="store_true")
    p.add_argument("--forwarded-allow-ips", default="127.0.0.1")
    p.add_argument("--limit-concurrency", type=int, default=None)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("demo", help="serve the demo article with sample comments (SQLite)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--db", help="SQLite file (default: townhall-demo.sqlite3)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("migrate", help="apply database migrations")
    p.add_argument("--db", help="database URL or SQLite file path")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser(
        "check-config", help="check settings, database, Redis and mail; exit 1 on a problem"
    )
    p.add_argument("--db", help="database URL or SQLite file path")
    p.set_defaults(func=cmd_check_config)

    p = sub.add_parser("worker", help="deliver the outbox: e-mail and webhooks, with retries")
    p.add_argument("--db", help="database URL or SQLite file path")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("create-admin", help="create an admin account")
    p.add_argument("email")
    p.add_argument("--name", help="commenting name")
    p.add_argument("--role", choices=["admin", "moderator"], default="admin")
    p.add_argument("--db", help="database URL or SQLite file path")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p.add_argument("--prompt", action="store_true", help="ask for the password")
    p.set_defaults(func=cmd_create_admin)

    p = sub.add_parser("names", help="list commenting names that look alike, for review")
    p.add_argument("--db", help="database URL or SQLite file path")
    p.set_defaults(func=cmd_names)

    p = sub.add_parser(
        "purge", help="purge personal data past the site's retention (address hashes, names)"
    )
    p.add_argument("--db", help="database URL or SQLite file path")
    p.set_defaults(func=cmd_purge)

    p = sub.add_parser("moderate", help="check comments from stdin against the site's rules")
    p.add_argument("--db", help="database URL or SQLite file path")
    p.set_defaults(func=cmd_moderate)

    p = sub.add_parser("moderation", help="moderators' decisions, for retraining the review")
    msub = p.add_subparsers(dest="moderation_command", required=True)
    p = msub.add_parser(
        "export-decisions",
        help="write decisions on held comments as labelled examples (docs/moderation.md)",
    )
    p.add_argument("--since", help="only decisions from this date on (2026-11-01)")
    p.add_argument("--site", help="only this site's decisions (default: every site)")
    p.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    p.add_argument("--output", help="file to write (default: standard output)")
    p.add_argument("--db", help="database URL or SQLite file path")
    p.add_argument("--config", default=argparse.SUPPRESS, help="TOML settings file")
    p.set_defaults(func=cmd_export_decisions)

    porting.add_commands(sub)
    for command in sub.choices.values():  # `townhall serve --config FILE` works too
        command.add_argument("--config", default=argparse.SUPPRESS, help="TOML settings file")
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("townhall: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        known = expected(exc)
        if known is None:
            raise
        print(f"townhall: {known[0]}", file=sys.stderr)
        return known[1]


if __name__ == "__main__":
    sys.exit(main())

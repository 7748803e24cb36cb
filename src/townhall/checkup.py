"""`townhall check-config`: what the settings are and whether what they name answers.

It reads the settings the way `serve` does, flags TOWNHALL_* variables that name no
setting (a typo is otherwise ignored), connects to the database (reachable? migrated to
the schema this version expects?), to Redis and to the mail server when they are set,
and prints one line per finding. It changes nothing: a missing SQLite file is reported,
not created. Exit status 0 when all is well, 1 when anything needs fixing.
"""

from __future__ import annotations

import argparse
import asyncio
import difflib
import os
import smtplib
import ssl
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from townhall.config import Settings, env_name, setting_origins, unknown_env_names
from townhall.errors import ConfigError

TIMEOUT = 10.0  # seconds for each service to answer
SECRET_WORDS = ("secret", "password", "token")


@dataclass
class Finding:
    """One line of the report: an area, whether it is a problem, and what was found."""

    area: str
    text: str
    problem: bool = False


def masked_url(url: str) -> str:
    """A URL with its password (if any) hidden."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return parts._replace(netloc=f"{user}:***@{host}{port}").geturl()


def shown(key: str, value: Any) -> str:
    """A setting's value as the report shows it (secrets never)."""
    if value is None:
        return "(not set)"
    if any(word in key for word in SECRET_WORDS):
        return "(set)"
    if isinstance(value, str) and "://" in value:
        return masked_url(value)
    if isinstance(value, tuple):
        return ", ".join(map(str, value)) or "(none)"
    return str(value)


def settings_findings(settings: Settings, origins: dict[str, str]) -> list[Finding]:
    """Every setting with its value and where it came from."""
    found = []
    for key in Settings.model_fields:
        where = origins.get(key, "default")
        found.append(Finding("setting", f"{key} = {shown(key, getattr(settings, key))} ({where})"))
    return found


def environment_findings(env: dict[str, str]) -> list[Finding]:
    """TOWNHALL_* variables no setting reads."""
    known = [env_name(k) for k in Settings.model_fields]
    found = []
    for name in unknown_env_names(env):
        close = difflib.get_close_matches(name.upper(), known, n=1, cutoff=0.75)
        hint = f" (did you mean {close[0]}?)" if close else ""
        found.append(Finding("environment", f"{name} names no setting{hint}", problem=True))
    return found


def _sqlite_path(url: str) -> Path | None:
    if not url.startswith("sqlite"):
        return None
    path = url.split(":///", 1)[1] if ":///" in url else ""
    if not path or ":memory:" in path or path.startswith("file:"):
        return None
    return Path(path.split("?", 1)[0])


async def database_finding(url: str) -> Finding:
    """Reachable, and at which schema against the one this version expects."""
    from alembic.script import ScriptDirectory

    from townhall.cli_errors import expected, first_line
    from townhall.storage.migrate import alembic_config
    from townhall.storage.sql.archive import schema_revision
    from townhall.storage.sql.engine import make_engine, normalize_url

    where = masked_url(url)
    file = _sqlite_path(normalize_url(url))
    if file is not None and not file.exists():
        return Finding(
            "database",
            f"the SQLite file {file} does not exist yet (`townhall migrate` creates it)",
            problem=True,
        )
    try:
        engine = make_engine(url)
    except Exception as exc:
        known = expected(exc)
        if known is None:
            raise
        return Finding("database", f"{where}: {known[0]}", problem=True)
    try:
        async with asyncio.timeout(TIMEOUT), engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                version = "PostgreSQL " + str(
                    (await conn.exec_driver_sql("SHOW server_version")).scalar()
                )
            else:
                version = "SQLite " + str(
                    (await conn.exec_driver_sql("SELECT sqlite_version()")).scalar()
                )
            revision = await schema_revision(conn)
    except TimeoutError:
        return Finding("database", f"{where}: no answer within {TIMEOUT:.0f} s", problem=True)
    except Exception as exc:
        if expected(exc) is None:
            raise
        return Finding("database", f"{where}: {first_line(exc)}", problem=True)
    finally:
        await engine.dispose()
    script = ScriptDirectory.from_config(alembic_config(url))
    head = script.get_current_head()
    if revision is None:
        return Finding(
            "database", f"{version} at {where}: not migrated (run `townhall migrate`)", True
        )
    if revision == head:
        return Finding("database", f"{version} at {where}: schema {revision} (current)")
    known_revisions = {r.revision for r in script.walk_revisions()}
    if revision in known_revisions:
        return Finding(
            "database",
            f"{version} at {where}: schema {revision}, this version expects {head} "
            "(run `townhall migrate`)",
            problem=True,
        )
    return Finding(
        "database",
        f"{version} at {where}: schema {revision} is newer than this version's {head} "
        "(fine while a rolling upgrade is under way; otherwise upgrade townhall)",
    )


async def redis_finding(url: str | None) -> Finding:
    """Redis answers PING, and its version."""
    if not url:
        return Finding("redis", "not configured (fine for a single instance)")
    import redis.asyncio as aioredis

    from townhall.cli_errors import expected, first_line

    client = aioredis.from_url(url, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT)
    try:
        async with asyncio.timeout(TIMEOUT * 2):
            await client.ping()
            info = await client.info("server")
        return Finding("redis", f"Redis {info.get('redis_version', '?')} at {masked_url(url)}")
    except TimeoutError:
        return Finding("redis", f"{masked_url(url)}: no answer", problem=True)
    except Exception as exc:
        if expected(exc) is None:
            raise
        return Finding("redis", f"{masked_url(url)}: {first_line(exc)}", problem=True)
    finally:
        await client.aclose()


def smtp_finding(url: str | None) -> Finding:
    """The mail server greets, offers TLS where the URL asks for it, and accepts the login."""
    if not url:
        return Finding("mail", "not configured (no e-mail is sent)")
    parts = urlsplit(url)
    where = masked_url(url)
    if parts.scheme not in ("smtp", "smtps", "smtp+starttls") or not parts.hostname:
        return Finding("mail", f"{where}: expected smtp://, smtps:// or smtp+starttls://", True)
    context = ssl.create_default_context()
    try:
        if parts.scheme == "smtps":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                parts.hostname, parts.port or 465, timeout=TIMEOUT, context=context
            )
        else:
            default = 587 if parts.scheme == "smtp+starttls" else 25
            client = smtplib.SMTP(parts.hostname, parts.port or default, timeout=TIMEOUT)
        with client:
            client.ehlo()
            tls = parts.scheme == "smtps"
            if parts.scheme == "smtp+starttls" or client.has_extn("starttls"):
                client.starttls(context=context)
                client.ehlo()
                tls = True
            if parts.username:
                client.login(unquote(parts.username), unquote(parts.password or ""))
            banner = "TLS" if tls else "no TLS"
            login = "signed in" if parts.username else "no login"
            return Finding("mail", f"SMTP at {where}: answers ({banner}, {login})")
    except (OSError, smtplib.SMTPException, ssl.SSLError) as exc:
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return Finding("mail", f"{where}: {reason}", problem=True)


def run_checks(args: argparse.Namespace) -> int:
    """Print every finding; 1 when any is a problem."""
    from townhall.cli import _settings

    env = dict(os.environ)
    findings: list[Finding] = []
    settings: Settings | None = None
    try:
        settings = _settings(args)
    except ConfigError as exc:
        findings.append(Finding("settings", exc.detail, problem=True))
    if settings is not None:
        overrides = {"database_url": settings.database_url} if getattr(args, "db", None) else {}
        origins = setting_origins(getattr(args, "config", None), env, **overrides)
        findings.extend(settings_findings(settings, origins))
    findings.extend(environment_findings(env))
    if settings is not None:
        findings.append(asyncio.run(database_finding(settings.database_url)))
        findings.append(asyncio.run(redis_finding(settings.redis_url)))
        if "smtp_url" in Settings.model_fields:
            findings.append(smtp_finding(getattr(settings, "smtp_url", None)))
        else:
            findings.append(Finding("mail", "not supported by this version"))
    for f in findings:
        print(f"{'PROBLEM' if f.problem else 'ok':<8} {f.area:<12} {f.text}")
    problems = sum(f.problem for f in findings)
    if problems:
        noun = "problem" if problems == 1 else "problems"
        print(f"townhall: {problems} {noun} found by check-config", file=sys.stderr)
        return 1
    print("all checks passed")
    return 0

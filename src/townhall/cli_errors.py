"""Failures the `townhall` command expects, told in one line each.

A wrong database address, a database or Redis that does not answer, a file that is missing
or cannot be read: these are the operator's to fix, so the command says what failed and
exits non-zero without a traceback. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import socket
import sys
from typing import NoReturn

from townhall.errors import TownhallError

# Exit statuses: 1 when something failed or a check found problems, 2 for bad usage or input.
FAILED = 1
USAGE = 2


class OneLineParser(argparse.ArgumentParser):
    """argparse, with its usage errors in the same one-line shape as every other failure."""

    def error(self, message: str) -> NoReturn:
        """Print `townhall: <what> (see --help)` and exit 2."""
        command = self.prog.removeprefix("townhall").strip()
        where = f"townhall {command} --help" if command else "townhall --help"
        print(f"townhall: {message} (see {where})", file=sys.stderr)
        raise SystemExit(USAGE)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines() or [type(exc).__name__])[0]


def _cause(exc: BaseException) -> BaseException:
    """The driver's own error under SQLAlchemy's wrapper, if any."""
    return getattr(exc, "orig", None) or exc.__cause__ or exc


def first_line(exc: BaseException) -> str:
    """The first line of what the failing library (the driver, under SQLAlchemy) said."""
    return _first_line(_cause(exc))


def expected(exc: BaseException) -> tuple[str, int] | None:
    """(one line, exit status) for a failure the operator can fix; None for a bug."""
    if isinstance(exc, TownhallError):
        return exc.detail, USAGE
    from sqlalchemy import exc as sa

    if isinstance(exc, sa.NoSuchModuleError | sa.ArgumentError):
        return f"database URL not understood: {_first_line(exc)}", USAGE
    if isinstance(exc, sa.DBAPIError):
        return f"database: {_first_line(_cause(exc))}", FAILED
    import asyncpg
    import redis.exceptions

    if isinstance(exc, asyncpg.PostgresError | asyncpg.InterfaceError):
        return f"database: {_first_line(exc)}", FAILED
    if isinstance(exc, redis.exceptions.RedisError):
        return f"redis: {_first_line(exc)}", FAILED
    if isinstance(exc, socket.gaierror):
        return f"cannot resolve a host name: {_first_line(exc)}", FAILED
    if isinstance(exc, ConnectionError | TimeoutError):
        return f"cannot connect: {_first_line(exc)}", FAILED
    if isinstance(
        exc, FileNotFoundError | PermissionError | IsADirectoryError | NotADirectoryError
    ):
        return f"{exc.strerror}: {exc.filename}", FAILED
    if isinstance(exc, OSError) and exc.errno is not None:
        return f"{_first_line(exc)}", FAILED
    return None

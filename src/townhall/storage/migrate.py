"""Run Alembic migrations programmatically (no alembic.ini needed)."""

from __future__ import annotations

import asyncio
import errno
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at the packaged migrations."""
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("townhall") / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database schema up to date.

    Alembic's env starts its own event loop, which fails inside a thread that
    already runs one (an async server, a test harness), so it gets a thread of its own.
    """
    _folder_exists(url)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(command.upgrade, alembic_config(url), revision).result()


def _folder_exists(url: str) -> None:
    """A SQLite file's folder must exist: SQLite creates the file, never the folder (and the
    async driver's failure then is hard to read)."""
    if not url.startswith("sqlite") or ":///" not in url:
        return
    path = url.split(":///", 1)[1].split("?", 1)[0]
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    folder = Path(path).parent
    if not folder.is_dir():
        raise FileNotFoundError(
            errno.ENOENT, "the SQLite database's folder does not exist", str(folder)
        )


async def upgrade_async(url: str) -> None:
    """upgrade() from async code (Alembic's env runs its own event loop)."""
    await asyncio.to_thread(upgrade, url)

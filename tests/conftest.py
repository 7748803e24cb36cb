"""Shared fixtures: a migrated database per test on SQLite, and on PostgreSQL when configured."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.factories import SSO_SECRET
from townhall.storage.migrate import upgrade

IN_CI = bool(os.environ.get("CI"))
PG_URL = os.environ.get("TOWNHALL_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("TOWNHALL_TEST_REDIS_URL")
TABLES = (
    "user_notes",
    "appeals",
    "bulk_items",
    "bulk_actions",
    "live_events",
    "moderation_decisions",
    "audit_log",
    "mutes",
    "likes",
    "reports",
    "sessions",
    "notification_prefs",
    "outbox",
    "leases",
    "webhooks",
    "signing_keys",
    "inbox",
    "follows",
    "story_count_deltas",
    "comments",
    "stories",
    "users",
    "sites",
)


def need(value: str | None, what: str) -> str:
    """Skip locally when a service is not configured; fail in CI, where nothing may skip."""
    if value:
        return value
    if IN_CI:
        pytest.fail(f"{what} is required in CI but not configured")
    pytest.skip(f"{what} not configured (set the environment variable to run this test)")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite file, copied for each test (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


def pg_execute(url: str, *statements: str) -> None:
    """Run statements on PostgreSQL through asyncpg, outside any transaction."""
    import asyncio

    import asyncpg

    async def run():
        conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            for stmt in statements:
                await conn.execute(stmt)
        finally:
            await conn.close()

    asyncio.run(run())


@pytest.fixture(scope="session")
def pg_database() -> str:
    """A fresh PostgreSQL database for this test session, migrated once."""
    base = need(PG_URL, "TOWNHALL_TEST_DATABASE_URL (PostgreSQL)")
    name = f"townhall_test_{uuid.uuid4().hex[:10]}"
    pg_execute(base, f'CREATE DATABASE "{name}"')
    url = base.rsplit("/", 1)[0] + "/" + name
    upgrade(url)
    yield url
    pg_execute(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path) -> str:
    """A clean, migrated database on each backend."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "test.sqlite3"
        shutil.copy(template, path)
        return f"sqlite+aiosqlite:///{path}"
    url = request.getfixturevalue("pg_database")
    _truncate(url)
    return url


def _truncate(url: str) -> None:
    pg_execute(url, "TRUNCATE " + ", ".join(TABLES) + " RESTART IDENTITY CASCADE")


@pytest.fixture
def sqlite_url(sqlite_template, tmp_path) -> str:
    """A clean, migrated SQLite database (for tests that need only one backend)."""
    path = tmp_path / "one.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
def make_settings():
    """Settings for tests; keyword overrides."""
    from townhall.config import load_settings

    def make(url: str, **overrides):
        values = {"database_url": url, "sso_secret": SSO_SECRET, "rate_limits": False}
        # TOWNHALL_TEST_LIVE_BROKER=database runs the live tests on the event-log broker.
        values["live_broker"] = os.environ.get("TOWNHALL_TEST_LIVE_BROKER", "auto")
        values.update(overrides)
        return load_settings(env={}, **values)

    return make


@pytest.fixture
async def app_client(db_url, make_settings) -> AsyncIterator:
    """An httpx client on the ASGI app over the test database."""
    async with _client(make_settings(db_url)) as client:
        yield client


@pytest.fixture
async def sqlite_client(sqlite_url, make_settings) -> AsyncIterator:
    """An httpx client on the ASGI app over SQLite only."""
    async with _client(make_settings(sqlite_url)) as client:
        yield client


class _client:
    def __init__(self, settings) -> None:
        self.settings = settings

    async def __aenter__(self):
        import httpx

        from townhall.app import create_app
        from townhall.services.sites import bootstrap_site

        self.app = create_app(self.settings)
        await bootstrap_site(self.app.state.ctx)
        self.client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app), base_url="http://testserver"
        )
        self.client.app = self.app
        self.client.ctx = self.app.state.ctx
        return self.client

    async def __aexit__(self, *exc):
        await self.client.aclose()
        if self.app.state.ctx.cache is not None:
            await self.app.state.ctx.cache.close()
        await self.app.state.ctx.live.close()
        await self.app.state.ctx.db.dispose()


_BROWSER_FIXTURES = {"page", "browser", "context", "browser_context_args", "browser_type"}


def _is_browser(item: pytest.Item) -> bool:
    return bool(item.get_closest_marker("browser")) or bool(
        _BROWSER_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def pytest_collection_modifyitems(config, items):
    """Run browser tests last, in every process.

    Playwright's sync API keeps an event loop running in the main thread for as long
    as its session-scoped browser lives; asyncio tests scheduled after the first
    browser test would then fail to start their own loop.

    Under pytest-xdist (`-n N --dist loadfile --no-loadscope-reorder`, as `make test` runs
    it) whole files are handed out in this order, so each worker gets its browser files
    after all of its other ones; that holds only while no file mixes the two kinds.
    """
    browser = [i for i in items if _is_browser(i)]
    if hasattr(config, "workerinput"):
        mixed = {i.path for i in browser} & {i.path for i in items if not _is_browser(i)}
        if mixed:
            raise pytest.UsageError(
                "browser tests need files of their own (pytest-xdist hands out whole files): "
                + ", ".join(sorted(str(p) for p in mixed))
            )
    items[:] = [i for i in items if not _is_browser(i)] + browser


def pytest_configure(config: pytest.Config) -> None:
    """Refuse xdist scheduling modes that would run async tests after browser tests."""
    dist = getattr(config.option, "dist", "no")
    if dist != "no" and (dist != "loadfile" or config.option.loadscopereorder):
        raise pytest.UsageError(
            "run the suite in parallel with `-n N --dist loadfile --no-loadscope-reorder` "
            "(browser tests must come after every async test in each worker)"
        )

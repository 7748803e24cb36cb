"""create_app(settings): the only wiring code."""

from __future__ import annotations

import asyncio
import gc
import re
from contextlib import asynccontextmanager, suppress
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.staticfiles import StaticFiles

from townhall import __version__, metrics
from townhall.api import errors
from townhall.api.lane import Lane
from townhall.api.middleware import EdgeMiddleware
from townhall.api.routes import (
    account_links,
    admin_pages,
    appeals,
    auth,
    checks,
    languages,
    live,
    me,
    moderation,
    notes,
    notifications,
    ops,
    public,
    stats,
)
from townhall.cache import build_cache
from townhall.config import Settings, load_settings
from townhall.demo_pages import install_demo_pages
from townhall.listeners import CacheListener, LiveListener
from townhall.listeners.notifications import NotificationListener
from townhall.live.broker import Broker
from townhall.live.memory import MemoryBroker
from townhall.logs import RequestIdMiddleware
from townhall.moderation.pipeline import warm_up
from townhall.ratelimit import MemoryRateLimiter, NoRateLimiter, RateLimiter
from townhall.services.comments import site_rules
from townhall.services.context import Context
from townhall.services.retention import run_retention
from townhall.services.sites import bootstrap_site
from townhall.storage.sql.counts import CountFolder
from townhall.storage.sql.engine import Database

WEB = Path(str(resources.files("townhall") / "web"))


def build_context(settings: Settings) -> Context:
    """Database, broker and rate limiter for these settings.

    With Redis, live events and rate limits are shared through it. Without, several
    workers of one `townhall serve` share them through the database (an event log each
    tails) and a rate-limit table in a file they all map; one process keeps both in memory.
    """
    db = Database(settings.database_url, settings.db_pool_size)
    live: Broker = MemoryBroker()
    limiter: RateLimiter = MemoryRateLimiter() if settings.rate_limits else NoRateLimiter()
    if settings.redis_url:
        from townhall.live.redis import RedisBroker, RedisRateLimiter

        live = RedisBroker(settings.redis_url, prefix=settings.redis_prefix)
        if settings.rate_limits:
            limiter = RedisRateLimiter(settings.redis_url, prefix=settings.redis_prefix + "rl:")
    else:
        if settings.live_broker == "database" or (
            settings.live_broker == "auto" and settings.worker_dir
        ):
            from townhall.live.database import DatabaseBroker, wake_path

            live = DatabaseBroker(db, wake=wake_path(settings.database_url, settings.worker_dir))
        if settings.worker_dir and settings.rate_limits:
            from townhall.shared import SharedRateLimiter

            limiter = SharedRateLimiter(Path(settings.worker_dir) / "rate-limits")
    ctx = Context(
        settings=settings,
        db=db,
        live=live,
        limiter=limiter,
        cache=build_cache(settings),
    )
    # After a commit: drop stale cached pages first, so a reader who hears of a change
    # and reloads gets it; then tell the live streams.
    if ctx.cache is not None:
        ctx.feed.register(CacheListener(ctx.cache))
    ctx.feed.register(LiveListener(ctx))
    ctx.feed.register(NotificationListener(lambda: ctx.clock(), ctx.site))
    return ctx


def outbox_wake(ctx: Context) -> asyncio.Event:
    """The event that tells this process's sender a write queued something."""
    for listener in ctx.feed.listeners:
        if isinstance(listener, NotificationListener):
            return listener.wake
    raise LookupError("no notification listener registered")


def settle_heap() -> None:
    """Move what start-up built (the models, word lists, compiled statements: hundreds of
    thousands of objects that live as long as the process) out of the collector's sight.

    Python's full collection walks every tracked object; with those in the heap one took
    over 100 ms every few seconds under load, a stall every request in flight waited out.
    Frozen, they are never walked again; what requests create is collected as before.
    """
    gc.collect()
    gc.freeze()


def create_app(settings: Settings | None = None, *, demo: bool = False) -> FastAPI:
    """The ASGI application."""
    settings = settings or load_settings()
    ctx = build_context(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await bootstrap_site(ctx)
        # The model, the language detector and the site's word lists load before the first
        # request, so no comment waits for them or spends its review's time budget on them.
        warm_up(site_rules(await ctx.site()))
        settle_heap()
        folder = CountFolder(ctx.db)
        folder.start()
        interval = ctx.settings.retention_interval_seconds
        purging = asyncio.create_task(run_retention(ctx, interval)) if interval > 0 else None
        sender_task = None
        if settings.outbox_sender:
            from townhall.delivery.sender import Sender

            sender = app.state.sender = Sender(ctx, outbox_wake(ctx))
            sender_task = asyncio.create_task(sender.run(), name="outbox sender")
        yield
        if sender_task is not None:
            await app.state.sender.close()
            sender_task.cancel()
            with suppress(asyncio.CancelledError):
                await sender_task
        if purging is not None:
            purging.cancel()
            with suppress(asyncio.CancelledError):
                await purging
        await folder.stop()
        await ctx.live.close()
        metrics.process_exited()
        close_limiter = getattr(ctx.limiter, "close", None)
        if close_limiter is not None:
            await close_limiter()
        await ctx.db.dispose()

    app = FastAPI(
        title="townhall",
        version=__version__,
        description="Comments and community moderation for news publishers.",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.ctx = ctx
    errors.install(app)
    app.include_router(public.router)
    app.include_router(public.pages)
    app.include_router(checks.router)
    app.include_router(auth.router)
    app.include_router(me.router)
    app.include_router(ops.router)
    app.include_router(moderation.router)
    app.include_router(appeals.router)
    app.include_router(stats.router)
    app.include_router(notes.router)
    app.include_router(live.router)
    app.include_router(admin_pages.router)
    app.include_router(languages.router)
    app.include_router(account_links.api)
    app.include_router(account_links.pages)
    app.include_router(notifications.me)
    app.include_router(notifications.admin)
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")

    @app.api_route("/embed.js", methods=["GET", "HEAD"], include_in_schema=False)
    async def embed_js() -> Response:
        return FileResponse(
            WEB / "static" / "embed.js",
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=300"},
        )

    if demo:
        install_demo_pages(app, ctx)

        @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
        async def demo_page(request: Request) -> Response:
            origin = str(request.base_url).rstrip("/")
            html = (WEB / "demo" / "article.html").read_text(encoding="utf-8")
            # Only JWT characters may reach the attribute.
            token = re.sub(r"[^A-Za-z0-9_.-]", "", request.query_params.get("sso", ""))[:4096]
            html = html.replace("{{ORIGIN}}", origin).replace("{{SSO_TOKEN}}", token)
            return HTMLResponse(html)

    app.add_middleware(Lane, ctx=ctx)
    app.add_middleware(EdgeMiddleware, ctx=ctx)
    app.add_middleware(RequestIdMiddleware)
    return app

"""What every use case needs: settings, database, live broker, rate limits, site cache."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from townhall.config import Settings
from townhall.domain.changes import Change, SiteChanged
from townhall.domain.models import utcnow
from townhall.domain.site import SiteConfig, site_config_from_row
from townhall.errors import NotFound
from townhall.live.broker import Broker
from townhall.ratelimit import RateLimiter
from townhall.services.feed import ChangeFeed, NewComment
from townhall.storage.protocols import Stores
from townhall.storage.sql.engine import Database
from townhall.storage.sql.tx import Tx

DEFAULT_SITE = "default"
SITE_CACHE_SECONDS = 2.0


@dataclass
class Context:
    """Dependencies of the services, built once per process by create_app."""

    settings: Settings
    db: Database
    live: Broker
    limiter: RateLimiter
    clock: Callable[[], datetime] = utcnow
    cache: Any = None  # townhall.cache.ResponseCache, when enabled (read by the lane)
    feed: ChangeFeed = field(default_factory=ChangeFeed)
    _sites: dict[str, tuple[float, SiteConfig]] = field(default_factory=dict)
    _last_site: SiteConfig | None = None
    name: ClassVar[str] = "site settings"

    def __post_init__(self) -> None:
        self.feed.register(self)

    @asynccontextmanager
    async def write(self, *, alone: NewComment | None = None) -> AsyncIterator[Stores]:
        """A write transaction's stores; what it records goes to the feed after commit.

        `alone`: the caller adds this comment with one statement, so on PostgreSQL it may
        run as its own transaction (unless a listener would write alongside it)."""
        one_statement = alone is not None and self.feed.quiet_for(alone)
        async with self.db.write(alone=one_statement) as conn:
            tx = Tx(conn)
            yield tx
            if tx.changes:
                await self.feed.stage(tx, tx.changes)
        if tx.changes:
            await self.feed.publish(tx.changes)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Stores]:
        """A read snapshot's stores."""
        async with self.db.snapshot() as conn:
            yield Tx(conn)

    async def site(self, site_id: str = DEFAULT_SITE, tx: Stores | None = None) -> SiteConfig:
        """The site's settings, cached briefly so changes apply without a restart.

        A caller inside a read passes its stores: a second connection taken while one is
        held could wait forever once every pooled connection is held that way.
        """
        hit = self._sites.get(site_id)
        now = time.monotonic()
        if hit and now - hit[0] < SITE_CACHE_SECONDS:
            return hit[1]
        if tx is not None:
            row = await tx.sites.get(site_id)
        else:
            async with self.read() as own:
                row = await own.sites.get(site_id)
        if row is None:
            raise NotFound(f"site '{site_id}' does not exist")
        config = site_config_from_row(row)
        self._sites[site_id] = (now, config)
        self._last_site = config
        return config

    def site_seen(self) -> SiteConfig | None:
        """The settings this process read last, however old: a guess for a read that must
        be shaped before the request's site is known (the caller checks it afterwards)."""
        return self._last_site

    def forget_site(self, site_id: str) -> None:
        """Drop this process's copy of the site's settings (after a change)."""
        self._sites.pop(site_id, None)

    async def committed(self, changes: Sequence[Change]) -> None:
        """Forget the site settings a committed write changed."""
        for change in changes:
            if isinstance(change, SiteChanged):
                self.forget_site(change.site_id)

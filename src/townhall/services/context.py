"""What every use case needs: settings, database, live broker, rate limits, site cache."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from townhall.config import Settings
from townhall.domain.models import utcnow
from townhall.domain.site import SiteConfig, site_config_from_row
from townhall.errors import NotFound
from townhall.live.broker import Broker
from townhall.ratelimit import RateLimiter
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
    cache: Any = None  # townhall.cache.ResponseCache, when enabled
    _sites: dict[str, tuple[float, SiteConfig]] = field(default_factory=dict)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[Tx]:
        """A write transaction's stores."""
        async with self.db.write() as conn:
            yield Tx(conn)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Tx]:
        """A read snapshot's stores."""
        async with self.db.snapshot() as conn:
            yield Tx(conn)

    async def site(self, site_id: str = DEFAULT_SITE) -> SiteConfig:
        """The site's settings, cached briefly so changes apply without a restart."""
        hit = self._sites.get(site_id)
        now = time.monotonic()
        if hit and now - hit[0] < SITE_CACHE_SECONDS:
            return hit[1]
        async with self.read() as tx:
            row = await tx.sites.get(site_id)
        if row is None:
            raise NotFound(f"site '{site_id}' does not exist")
        config = site_config_from_row(row)
        self._sites[site_id] = (now, config)
        return config

    def forget_site(self, site_id: str) -> None:
        """Drop the cached settings after a change."""
        self._sites.pop(site_id, None)
        if self.cache is not None:
            self.cache.invalidate_all_soon()

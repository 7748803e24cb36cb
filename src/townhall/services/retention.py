"""Retention: personal data kept only to prevent abuse is purged after the site's number of
days (default 90), by the server every `retention_interval_seconds` and by `townhall purge`.

What goes, and when (docs/privacy.md lists every field):
- comments' address hashes, `retention_days` after the comment was written;
- the client address in "attack on a staff account" audit entries, after as long;
- sessions that expired or were signed out that long ago;
- a deleted account's commenting name is released `name_quarantine_days` after deletion.
The clock is the context's, so tests move time instead of waiting for it.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from townhall.services.accounts import STAFF_ATTACK
from townhall.services.context import DEFAULT_SITE, Context

log = logging.getLogger("townhall.retention")
ADDRESS_KEYS = ("last_address",)


async def purge_personal_data(ctx: Context, site_id: str = DEFAULT_SITE) -> dict[str, int]:
    """Purge what the site's retention allows no longer; how many of each were purged."""
    ctx.forget_site(site_id)
    site = await ctx.site(site_id)
    now = ctx.clock()
    cutoff = now - timedelta(days=site.retention_days)
    async with ctx.write() as tx:
        hashes = await tx.readers.purge_address_hashes(site.id, cutoff)
        addresses = 0
        for entry in await tx.readers.audit_with_addresses(site.id, STAFF_ATTACK, cutoff):
            after: Any = entry["after"]
            if isinstance(after, dict) and any(k in after for k in ADDRESS_KEYS):
                kept = {k: v for k, v in after.items() if k not in ADDRESS_KEYS}
                await tx.readers.rewrite_audit(entry["id"], entry["before"], kept)
                addresses += 1
        sessions = await tx.readers.end_expired_sessions(cutoff)
        names = await tx.readers.release_names(
            site.id, now - timedelta(days=site.name_quarantine_days)
        )
    return {
        "address_hashes": hashes,
        "audit_addresses": addresses,
        "sessions": sessions,
        "names_released": names,
    }


async def run_retention(ctx: Context, interval: float) -> None:
    """Purge now and then every `interval` seconds until cancelled (a failure is logged)."""
    while True:
        try:
            purged = await purge_personal_data(ctx)
            if any(purged.values()):
                log.info("retention purge", extra={"purged": purged})
        except Exception:
            log.exception("retention purge failed")
        await asyncio.sleep(interval)

"""Numbers people can look at: moderators' statistics, and the public transparency report
(counts only, never a person)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from townhall.domain.limits import STATS_DAYS_MAX, TRANSPARENCY_MONTHS
from townhall.domain.models import User
from townhall.errors import ValidationFailed
from townhall.presenter import iso
from townhall.services.context import DEFAULT_SITE, Context

PERCENTILES = [0.5, 0.9, 0.99, 1.0]
TOP_STORIES = 10


def _hours(since: datetime, now: datetime) -> list[str]:
    """Every UTC hour label from since to now, as the database writes them."""
    start = since.replace(minute=0, second=0, microsecond=0)
    out = []
    while start <= now:
        out.append(start.strftime("%Y-%m-%dT%H:00"))
        start += timedelta(hours=1)
    return out


async def moderation_stats(ctx: Context, staff: User, days: int) -> dict[str, Any]:
    """Comments per hour, held and rejected per guideline, pending ages, decisions per
    moderator, appeal outcomes and the busiest stories, over the last `days` days."""
    if not 1 <= days <= STATS_DAYS_MAX:
        raise ValidationFailed(
            f"days must be between 1 and {STATS_DAYS_MAX}", field="days", rule="range"
        )
    now = ctx.clock()
    since = now - timedelta(days=days)
    site = staff.site_id
    async with ctx.read() as tx:
        hourly = await tx.stats.per_hour(site, since)
        guidelines = await tx.stats.by_guideline(site, since)
        pending = await tx.stats.pending_ages(site, now, PERCENTILES)
        decisions = await tx.stats.decisions(site, since)
        appeals = await tx.stats.appeal_outcomes(site, since)
        top = await tx.stats.top_stories(site, since, TOP_STORIES)
    decided = appeals["upheld"] + appeals["overturned"]
    return {
        "days": days,
        "since": iso(since),
        "until": iso(now),
        "comments_per_hour": [{"hour": h, "count": hourly.get(h, 0)} for h in _hours(since, now)],
        "comments": sum(hourly.values()),
        "guidelines": dict(sorted(guidelines.items())),
        "pending_age_seconds": {k: v for k, v in pending.items() if k != "count"},
        "pending": pending["count"],
        "decisions": decisions,
        "appeals": {
            **appeals,
            "overturn_rate": round(appeals["overturned"] / decided, 4) if decided else None,
        },
        "top_stories": top,
    }


async def transparency(ctx: Context, site_id: str = DEFAULT_SITE) -> dict[str, Any]:
    """The public report: per month, holds and removals per guideline, decisions and the
    median time to one, appeal outcomes. Counts only; nothing about any person."""
    site = await ctx.site(site_id)
    now = ctx.clock()
    first = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    for _ in range(TRANSPARENCY_MONTHS - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    async with ctx.read() as tx:
        months = await tx.stats.monthly(site.id, first)
    return {"site": site.name, "since": iso(first), "months": months}

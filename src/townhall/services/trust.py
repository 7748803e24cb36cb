"""Earned trust: a reader's standing for pre-moderation and the moderators' user page, and
staff setting it by hand."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from townhall.domain.limits import REASON_MAX, TRUST_HOURS_MAX
from townhall.domain.models import User
from townhall.domain.site import SiteConfig
from townhall.domain.trust import MANUAL, Level, Record, Standing, TrustRules, standing
from townhall.errors import Forbidden, NotFound, ValidationFailed
from townhall.presenter import iso
from townhall.services.context import Context
from townhall.storage.protocols import Stores

EXACT = 2**31 - 1  # "count them all" (the moderators' user page)


async def reader_standing(
    tx: Stores,
    user: User,
    site: SiteConfig,
    *,
    now: datetime,
    probation_count: int,
    published: int | None = None,
    record: Record | None = None,
    exact: bool = True,
) -> Standing:
    """Where the reader stands now under the site's thresholds. `published` is the reader's
    published count up to `probation_count`, and `record` their trust record for the site's
    windows as of now, when the caller has read them already. Not `exact`: published
    comments are counted only up to the trust threshold (enough to decide; posting's way)."""
    rules = TrustRules.from_settings(site.trust)
    if published is None:
        published = await tx.comments.published_count_by_author(user.id, probation_count)
    if record is None:
        recent_since, premod_since = rules.windows(now)
        record = await tx.trust.record(
            user.id,
            recent_since=recent_since,
            premod_since=premod_since,
            enough=EXACT if exact else rules.enough,
        )
    facts = record.facts(joined_at=user.created_at, published_total=published)
    return standing(
        rules, facts, now=now, override=record.override, probation_count=probation_count
    )


def held_reason(s: Standing) -> str | None:
    """Why every comment of this reader is held (for the finding), or None."""
    until = f" until {iso(s.until)}" if s.until else ""
    if s.level is Level.PREMODERATED and s.why == "staff":
        return f"per-user pre-moderation set by staff{until}"
    if s.level is Level.PREMODERATED:
        n, days = s.figures["rejected"], s.figures["days"]
        return f"per-user pre-moderation: {n} rejections in {days} days{until}"
    if s.level is Level.NEW and s.why == "probation_hours":
        return f"new commenter: held for the first {s.figures['hours']} hours{until}"
    return None


async def set_trust(
    ctx: Context,
    staff: User,
    user_id: int,
    *,
    level: str,
    hours: int | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    """Staff set a reader's level by hand (for some hours, or until changed), or hand it
    back to the thresholds with `auto`; audited."""
    if level not in (*MANUAL, "auto"):
        raise ValidationFailed(
            "level must be trusted, premoderated or auto", field="level", rule="enum"
        )
    if hours is not None and not 1 <= hours <= TRUST_HOURS_MAX:
        raise ValidationFailed(
            f"hours must be between 1 and {TRUST_HOURS_MAX}", field="hours", rule="range"
        )
    if reason is not None and len(reason) > REASON_MAX:
        raise ValidationFailed(
            f"reason must be at most {REASON_MAX} characters", field="reason", rule="max-length"
        )
    now = ctx.clock()
    site = await ctx.site(staff.site_id)
    async with ctx.write() as tx:
        user = await tx.users.by_id(user_id)
        if user is None or user.site_id != staff.site_id:
            raise NotFound("user not found")
        if user.is_staff:
            raise Forbidden("staff accounts have no trust level")
        before = await tx.trust.override(user.id)
        until = now + timedelta(hours=hours) if hours else None
        manual = level != "auto"
        await tx.trust.set_override(
            user.id,
            level=level if manual else None,
            until=until if manual else None,
            reason=(reason or None) if manual else None,
            by=staff.id if manual else None,
        )
        await tx.audit.add(
            site_id=staff.site_id,
            actor=staff,
            action="user.trust",
            target_type="user",
            target_id=user.id,
            before={"level": before.level if before else "auto"},
            after={"level": level, "until": iso(until), **({"reason": reason} if reason else {})},
            now=now,
        )
        result = await reader_standing(
            tx, user, site, now=now, probation_count=_probation_count(site)
        )
    return {**result.to_json(), "until": iso(result.until)}


def _probation_count(site: SiteConfig) -> int:
    from townhall.services.comments import site_rules

    return site_rules(site).new_user_hold_count


async def standing_json(ctx: Context, tx: Stores, user: User) -> dict[str, Any] | None:
    """A reader's standing for the moderators' user page (None for staff)."""
    if user.is_staff:
        return None
    site = await ctx.site(user.site_id)
    s = await reader_standing(
        tx, user, site, now=ctx.clock(), probation_count=_probation_count(site)
    )
    return {**s.to_json(), "until": iso(s.until)}

"""Site bootstrap and settings changes."""

from __future__ import annotations

from typing import Any

from townhall.domain.changes import SiteChanged
from townhall.domain.models import User
from townhall.domain.site import SiteConfig, site_config_from_row, validate_settings
from townhall.services.context import DEFAULT_SITE, Context


async def bootstrap_site(ctx: Context, site_id: str = DEFAULT_SITE) -> None:
    """Create the default site on first start; a new SSO secret in the environment rotates in."""
    now = ctx.clock()
    async with ctx.write() as tx:
        await tx.sites.ensure(site_id, ctx.settings.site_name, now, ctx.settings.sso_secret)
        row = await tx.sites.get(site_id)
        assert row is not None
        if ctx.settings.sso_secret and ctx.settings.sso_secret not in (
            row["sso_secret"],
            row["previous_sso_secret"],
        ):
            # A new secret in the environment is a rotation: the stored one keeps
            # working until the next rotation, so tokens already signed still pass.
            await tx.sites.update(
                site_id,
                sso_secret=ctx.settings.sso_secret,
                previous_sso_secret=row["sso_secret"],
            )
    ctx.forget_site(site_id)


async def update_site_settings(ctx: Context, actor: User, changes: dict[str, Any]) -> SiteConfig:
    """Apply validated settings; audited; effective without restart."""
    clean = validate_settings(changes)
    async with ctx.write() as tx:
        row = await tx.sites.get(actor.site_id)
        assert row is not None
        before = dict(row["settings"] or {})
        after = {**before, **clean}
        new = await tx.sites.update(actor.site_id, settings=after)
        await tx.audit.add(
            site_id=actor.site_id,
            actor=actor,
            action="site.settings",
            target_type="site",
            target_id=actor.site_id,
            before={k: before.get(k) for k in clean},
            after=clean,
            now=ctx.clock(),
        )
        tx.record(SiteChanged(actor.site_id))
    return site_config_from_row(new)


async def rotate_sso_secret(ctx: Context, actor: User, new_secret: str) -> None:
    """Set a new SSO secret; the previous one keeps working until the next rotation."""
    async with ctx.write() as tx:
        row = await tx.sites.get(actor.site_id)
        assert row is not None
        await tx.sites.update(
            actor.site_id, sso_secret=new_secret, previous_sso_secret=row["sso_secret"]
        )
        await tx.audit.add(
            site_id=actor.site_id,
            actor=actor,
            action="site.sso_secret_rotated",
            target_type="site",
            target_id=actor.site_id,
            before=None,
            after=None,
            now=ctx.clock(),
        )
    ctx.forget_site(actor.site_id)

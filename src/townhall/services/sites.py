"""Site bootstrap and settings changes."""

from __future__ import annotations

import logging
from typing import Any

from townhall.auth import sso_secrets
from townhall.domain import urls
from townhall.domain.changes import SiteChanged
from townhall.domain.models import User
from townhall.domain.site import SiteConfig, site_config_from_row, validate_settings
from townhall.errors import Conflict
from townhall.services.context import DEFAULT_SITE, Context

log = logging.getLogger(__name__)


def story_origins(ctx: Context, site: SiteConfig, own_origin: str | None = None) -> set[str]:
    """Origins whose pages may name a story's address: the publisher's embedding
    origins, the server's public origin and the one the request reached ("*" in the
    configured origins lets any http(s) origin through)."""
    found = {o.rstrip("/").lower() for o in (*ctx.settings.allowed_origins, *site.allowed_origins)}
    for origin in (ctx.settings.public_url, own_origin):
        if origin and (normal := urls.http_origin(origin)):
            found.add(normal)
    return found


async def bootstrap_site(ctx: Context, site_id: str = DEFAULT_SITE) -> None:
    """Create the default site on first start; a changed SSO secret in the environment
    rotates in, and a retired one is never installed again."""
    now = ctx.clock()
    env = ctx.settings.sso_secret
    async with ctx.write() as tx:
        await tx.sites.ensure(site_id, ctx.settings.site_name, now, env)
        row = await tx.sites.get(site_id)
        assert row is not None
        changes, note = sso_secrets.adopt_environment_secret(row, env)
        if changes:
            await tx.sites.update(site_id, **changes)
        if "sso_secret" in changes:
            await tx.audit.add(
                site_id=site_id,
                actor=None,
                action="site.sso_secret_rotated",
                target_type="site",
                target_id=site_id,
                before=None,
                after={"source": "environment"},
                now=now,
            )
    if note:
        log.warning("%s", note)
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


async def rotate_sso_secret(
    ctx: Context, actor: User, new_secret: str, *, revoke_previous: bool = False
) -> None:
    """Set a new SSO secret; the current one keeps working until the next rotation
    (or stops at once with revoke_previous); the one that drops out is retired."""
    async with ctx.write() as tx:
        row = await tx.sites.get(actor.site_id)
        assert row is not None
        changes = sso_secrets.rotate(row, new_secret, revoke_previous=revoke_previous)
        await tx.sites.update(actor.site_id, **changes)
        await tx.audit.add(
            site_id=actor.site_id,
            actor=actor,
            action="site.sso_secret_rotated",
            target_type="site",
            target_id=actor.site_id,
            before=None,
            after={"source": "dashboard", "previous_revoked": revoke_previous},
            now=ctx.clock(),
        )
    ctx.forget_site(actor.site_id)


async def revoke_previous_sso_secret(ctx: Context, actor: User) -> None:
    """Stop accepting the previous SSO secret now (a leak); audited; never reinstalled."""
    async with ctx.write() as tx:
        row = await tx.sites.get(actor.site_id)
        assert row is not None
        if not row["previous_sso_secret"]:
            raise Conflict("there is no previous SSO secret to revoke")
        await tx.sites.update(actor.site_id, **sso_secrets.revoke_previous(row))
        await tx.audit.add(
            site_id=actor.site_id,
            actor=actor,
            action="site.sso_secret_revoked",
            target_type="site",
            target_id=actor.site_id,
            before=None,
            after=None,
            now=ctx.clock(),
        )
    ctx.forget_site(actor.site_id)

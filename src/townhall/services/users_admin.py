"""Staff actions on accounts (ban, suspend, shadow-ban, restore, role, premium) and the site."""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from townhall.domain.changes import CommentChanged, LikesChanged, SiteChanged, UserBanned
from townhall.domain.models import Role, Sort, User
from townhall.domain.site import SiteConfig
from townhall.errors import Forbidden, NotFound, ValidationFailed
from townhall.presenter import iso
from townhall.services import sites
from townhall.services.audit import audit_json
from townhall.services.comments import _adjust_parent
from townhall.services.context import Context
from townhall.services.moderation import QueueQuery, list_queue
from townhall.storage.protocols import Stores

MAX_SUSPEND_HOURS = 24 * 365
MAX_SEARCH = 200


def user_admin_json(
    user: User, now: datetime, history: dict[str, int] | None = None
) -> dict[str, Any]:
    """An account as staff see it, shadow-ban included."""
    state = user.state(now)
    out: dict[str, Any] = {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "role": user.role.value,
        "premium": user.is_premium,
        "status": state.value,
        "is_banned": user.is_banned,
        "suspended_until": iso(user.suspended_until) if state.value == "suspended" else None,
        "is_shadowbanned": user.is_shadowbanned,
        "is_expert": user.is_expert,
        "created_at": iso(user.created_at),
    }
    if history is not None:
        out["history"] = history
    return out


async def _target(tx: Stores, staff: User, user_id: int, *, enforcing: bool = True) -> User:
    user = await tx.users.by_id(user_id)
    if user is None or user.site_id != staff.site_id:
        raise NotFound("user not found")
    if enforcing and user.id == staff.id:
        raise Forbidden("you cannot take this action on your own account")
    if enforcing and user.is_staff:
        raise Forbidden("staff accounts cannot be banned, suspended or shadow-banned")
    return user


def _state(user: User) -> dict[str, Any]:
    return {
        "is_banned": user.is_banned,
        "suspended_until": iso(user.suspended_until),
        "is_shadowbanned": user.is_shadowbanned,
    }


async def _enforce(
    ctx: Context,
    staff: User,
    user_id: int,
    action: str,
    *,
    reason: str | None = None,
    **values: Any,
) -> dict[str, Any]:
    """Change an account's standing, shadow its comments if needed, audit, announce."""
    now = ctx.clock()
    async with ctx.write() as tx:
        before = await _target(tx, staff, user_id)
        after = await tx.users.update(user_id, **values)
        if before.is_shadowbanned != after.is_shadowbanned:
            hidden = after.is_shadowbanned
            # A shadow-banned reader's likes stop counting, and count again on restore.
            recount = await tx.comments.shift_likes_of(user_id, -1 if hidden else 1)
            for old in await tx.moderation.set_shadowed(staff.site_id, user_id, hidden):
                new = replace(old, is_shadowed=hidden)
                await _adjust_parent(tx, old, new)
                story = await tx.stories.by_id(old.story_id)
                assert story is not None
                tx.record(CommentChanged(story, new, before=old))
            for liked in recount:
                story = await tx.stories.by_id(liked.story_id)
                if story is not None:
                    tx.record(LikesChanged(story, liked, liked.like_count))
        await tx.audit.add(
            site_id=staff.site_id,
            actor=staff,
            action=action,
            target_type="user",
            target_id=user_id,
            before=_state(before),
            after={**_state(after), **({"reason": reason} if reason else {})},
            now=now,
        )
        if after.is_banned and not before.is_banned:
            tx.record(UserBanned(after, staff, reason))
    return user_admin_json(after, now)


def _reason(reason: Any) -> str | None:
    if reason is None:
        return None
    if not isinstance(reason, str) or len(reason) > 500:
        raise ValidationFailed(
            "reason must be at most 500 characters", field="reason", rule="length"
        )
    return reason.strip() or None


async def ban_user(ctx: Context, staff: User, user_id: int, reason: Any = None) -> dict[str, Any]:
    """Ban for good: the user can read but not post, like or report."""
    return await _enforce(ctx, staff, user_id, "user.ban", reason=_reason(reason), is_banned=True)


async def suspend_user(
    ctx: Context, staff: User, user_id: int, hours: Any, reason: Any = None
) -> dict[str, Any]:
    """Suspend until now + hours; the user is told until when."""
    if isinstance(hours, bool) or not isinstance(hours, int) or not 1 <= hours <= MAX_SUSPEND_HOURS:
        raise ValidationFailed(
            f"hours must be a whole number from 1 to {MAX_SUSPEND_HOURS}",
            field="hours",
            rule="range",
        )
    until = ctx.clock() + timedelta(hours=hours)
    return await _enforce(
        ctx, staff, user_id, "user.suspend", reason=_reason(reason), suspended_until=until
    )


async def shadowban_user(
    ctx: Context, staff: User, user_id: int, reason: Any = None
) -> dict[str, Any]:
    """Hide the user's comments from everyone but themselves, without telling them."""
    return await _enforce(
        ctx, staff, user_id, "user.shadowban", reason=_reason(reason), is_shadowbanned=True
    )


async def restore_user(ctx: Context, staff: User, user_id: int) -> dict[str, Any]:
    """Lift ban, suspension and shadow-ban; shadowed comments become public again."""
    return await _enforce(
        ctx,
        staff,
        user_id,
        "user.restore",
        is_banned=False,
        suspended_until=None,
        is_shadowbanned=False,
    )


async def search_users(
    ctx: Context, staff: User, text: str | None, limit: int = 50
) -> list[dict[str, Any]]:
    """Accounts matching a name or e-mail fragment, with history summaries."""
    if text is not None and len(text) > 200:
        raise ValidationFailed("q must be at most 200 characters", field="q", rule="max-length")
    if not 1 <= limit <= MAX_SEARCH:
        raise ValidationFailed(f"limit must be 1-{MAX_SEARCH}", field="limit", rule="range")
    now = ctx.clock()
    async with ctx.read() as tx:
        found = await tx.users.search(staff.site_id, (text or "").strip() or None, limit=limit)
        hist = await tx.moderation.histories([u.id for u in found])
    return [user_admin_json(u, now, hist.get(u.id)) for u in found]


async def user_detail(
    ctx: Context, staff: User, user_id: int, *, cursor: str | None = None, limit: int = 20
) -> dict[str, Any]:
    """An account, its history summary, its comments across stories and actions taken on it."""
    now = ctx.clock()
    async with ctx.read() as tx:
        user = await _target(tx, staff, user_id, enforcing=False)
        hist = await tx.moderation.histories([user.id])
        actions = await tx.audit.list(
            staff.site_id, target_type="user", target_id=str(user.id), limit=50
        )
    page = await list_queue(
        ctx,
        staff,
        QueueQuery(queue="all", user_id=user.id, sort=Sort.NEWEST, cursor=cursor, limit=limit),
    )
    return {
        "user": user_admin_json(user, now, hist.get(user.id)),
        "comments": page["comments"],
        "next_cursor": page["next_cursor"],
        "actions": [audit_json(a) for a in actions],
    }


async def update_user(
    ctx: Context, admin: User, user_id: int, changes: dict[str, Any]
) -> dict[str, Any]:
    """Admins change a user's role or premium status; audited."""
    values: dict[str, Any] = {}
    if "role" in changes:
        try:
            values["role"] = Role(changes["role"]).value
        except ValueError:
            raise ValidationFailed(
                "role must be commenter, moderator or admin", field="role", rule="enum"
            ) from None
    if "premium" in changes:
        if not isinstance(changes["premium"], bool):
            raise ValidationFailed("premium must be true or false", field="premium", rule="type")
        values["is_premium"] = changes["premium"]
    if not values:
        raise ValidationFailed("give role or premium", field="body", rule="required")
    now = ctx.clock()
    async with ctx.write() as tx:
        before = await _target(tx, admin, user_id, enforcing=False)
        if before.id == admin.id and values.get("role", before.role.value) != before.role.value:
            raise Forbidden("you cannot change your own role")
        after = await tx.users.update(user_id, **values)
        await tx.audit.add(
            site_id=admin.site_id,
            actor=admin,
            action="user.update",
            target_type="user",
            target_id=user_id,
            before={"role": before.role.value, "premium": before.is_premium},
            after={"role": after.role.value, "premium": after.is_premium},
            now=now,
        )
    return user_admin_json(after, now)


async def set_expert(ctx: Context, staff: User, user_id: int, is_expert: bool) -> dict[str, Any]:
    """Staff name a reader an expert (a badge; their replies answer Q&A questions), or
    take the badge back; audited."""
    now = ctx.clock()
    async with ctx.write() as tx:
        before = await _target(tx, staff, user_id, enforcing=False)
        after = before
        if before.is_expert != is_expert:
            after = await tx.users.update(user_id, is_expert=is_expert)
            await tx.audit.add(
                site_id=staff.site_id,
                actor=staff,
                action="user.expert",
                target_type="user",
                target_id=user_id,
                before={"is_expert": before.is_expert},
                after={"is_expert": is_expert},
                now=now,
            )
            # The badge shows on every story the user wrote in.
            tx.record(SiteChanged(staff.site_id))
    return user_admin_json(after, now)


def site_admin_json(site: SiteConfig) -> dict[str, Any]:
    """Site settings an admin edits (secrets are never shown)."""
    from townhall.services.comments import site_rules

    rules = site_rules(site)
    return {
        "name": site.name,
        "version": site.version,
        "premium_label": site.premium_label,
        "premium_name": site.premium_name,
        "learn_more_url": site.learn_more_url,
        "guidelines": list(site.guidelines),
        "guidelines_url": site.guidelines_url,
        "heading": site.heading,
        "call_to_action": site.call_to_action,
        "local_accounts": site.local_accounts,
        "max_body": site.max_body,
        "edit_window_seconds": site.edit_window_seconds,
        "report_threshold": site.report_threshold,
        "premium_read_restricted": site.premium_read_restricted,
        "allowed_origins": list(site.allowed_origins),
        "post_rate_per_minute": site.post_rate_per_minute,
        "moderation": {
            "banned_words": list(rules.banned_words),
            "suspect_words": list(rules.suspect_words),
            "allowed_words": list(rules.allowed_words),
            "toxicity_hold": rules.toxicity_hold,
            "toxicity_reject": rules.toxicity_reject,
            "max_links": rules.max_links,
            "new_user_hold_count": rules.new_user_hold_count,
            "other_languages": rules.other_languages,
        },
        "language": site.language,
        "messages": site.messages,
        "alert_pending_threshold": site.alert_pending_threshold,
        "alert_on_reports": site.alert_on_reports,
        "alert_every_minutes": site.alert_every_minutes,
        "retention_days": site.retention_days,
        "name_quarantine_days": site.name_quarantine_days,
        "has_sso_secret": bool(site.sso_secrets),
        "has_previous_sso_secret": len(site.sso_secrets) > 1,
    }


async def get_site(ctx: Context, admin: User) -> dict[str, Any]:
    """The site's settings as admins edit them."""
    ctx.forget_site(admin.site_id)
    return site_admin_json(await ctx.site(admin.site_id))


async def update_site(ctx: Context, admin: User, changes: dict[str, Any]) -> dict[str, Any]:
    """Apply a settings patch (moderation keys merge into the stored ones); audited."""
    if not changes:
        raise ValidationFailed("nothing to change", field="body", rule="required")
    if isinstance(changes.get("moderation"), dict):
        current = dict((await ctx.site(admin.site_id)).moderation or {})
        changes = {**changes, "moderation": {**current, **changes["moderation"]}}
    await sites.update_site_settings(ctx, admin, changes)
    return await get_site(ctx, admin)


async def rotate_secret(ctx: Context, admin: User, *, revoke_previous: bool = False) -> str:
    """Make a new SSO secret; the current one stays valid until the next rotation
    unless revoke_previous stops it at once."""
    secret = secrets.token_urlsafe(32)
    await sites.rotate_sso_secret(ctx, admin, secret, revoke_previous=revoke_previous)
    return secret


async def revoke_previous_secret(ctx: Context, admin: User) -> dict[str, Any]:
    """Stop accepting the previous SSO secret now; the site's settings after it."""
    await sites.revoke_previous_sso_secret(ctx, admin)
    return await get_site(ctx, admin)

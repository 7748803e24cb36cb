"""Moderation and admin API: queues, decisions, enforcement, users, stories, site, audit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import Response

from townhall.api import params
from townhall.api.deps import admin_user, get_ctx, staff_user
from townhall.api.me_schemas import ErasedOut, EraseUserIn
from townhall.api.moderation_schemas import (
    ApproveIn,
    AuditOut,
    BanIn,
    BulkIn,
    BulkOut,
    CardOut,
    CountsOut,
    PrecisionOut,
    QueueOut,
    RejectIn,
    RotateSecretIn,
    SecretOut,
    SitePatchIn,
    SiteSettingsOut,
    StoriesOut,
    StoryPatchIn,
    StorySettingsOut,
    SuspendIn,
    UserAdminOut,
    UserDetailOut,
    UserPatchIn,
    UsersOut,
)
from townhall.api.request import own_origin
from townhall.api.responses import json_response
from townhall.api.schemas import PROBLEMS, CommentOut, FeatureIn
from townhall.domain import limits
from townhall.domain.models import Sort, User
from townhall.services import audit, decisions, editorial, privacy, story_settings, users_admin
from townhall.services import moderation as svc
from townhall.services.context import Context

mod = APIRouter(prefix="/api/v1/moderation", tags=["moderation"], responses=PROBLEMS)
admin = APIRouter(prefix="/api/v1/admin", tags=["admin"], responses=PROBLEMS)

Id = Annotated[params.Id, Path()]
StoryKey = Annotated[params.StoryKey, Path()]
Staff = Annotated[User, Depends(staff_user)]
Admin = Annotated[User, Depends(admin_user)]
Ctx = Annotated[Context, Depends(get_ctx)]
NO_STORE = {"Cache-Control": "no-store"}


def _json(data, status: int = 200) -> Response:
    return json_response(data, status=status, headers=NO_STORE)


async def _queue_query(q: Annotated[params.QueueParams, Query()]) -> svc.QueueQuery:
    return svc.QueueQuery(
        queue=q.queue,
        story_key=q.story_id,
        stream=q.stream,
        guideline=q.guideline,
        user_id=q.user_id,
        sort=Sort(q.sort),
        cursor=q.cursor,
        limit=q.limit,
    )


QueueParams = Annotated[svc.QueueQuery, Depends(_queue_query)]


@mod.get("/queue", response_model=QueueOut)
async def list_queue(q: QueueParams, ctx: Ctx, staff: Staff) -> Response:
    """A page of a moderation queue: pending, reported, rejected or all recent comments."""
    return _json(await svc.list_queue(ctx, staff, q))


@mod.get("/counts", response_model=CountsOut)
async def queue_counts(q: QueueParams, ctx: Ctx, staff: Staff) -> Response:
    """How many comments each queue holds (same filters as the queue)."""
    return _json(await svc.queue_counts(ctx, staff, q))


@mod.post("/comments/{comment_id}/approve", response_model=CardOut)
async def approve_comment(
    comment_id: Id, ctx: Ctx, staff: Staff, payload: ApproveIn | None = None
) -> Response:
    """Publish a held comment, or keep a reported one and clear its reports."""
    expected = payload.expected_status if payload else None
    return _json(await svc.approve_comment(ctx, staff, comment_id, expected=expected))


@mod.post("/comments/{comment_id}/reject", response_model=CardOut)
async def reject_comment(comment_id: Id, payload: RejectIn, ctx: Ctx, staff: Staff) -> Response:
    """Reject a comment with a reason; readers stop seeing it at once."""
    return _json(
        await svc.reject_comment(
            ctx, staff, comment_id, payload.reason, expected=payload.expected_status
        )
    )


@mod.post("/comments/{comment_id}/feature", response_model=CommentOut)
async def feature_comment(
    comment_id: Id, ctx: Ctx, staff: Staff, payload: FeatureIn | None = None
) -> Response:
    """Pick a published comment, with an optional public note on why; shown first to
    readers, audited and announced live. Picking again replaces the note."""
    note = payload.note if payload else None
    return _json(await editorial.feature_comment(ctx, staff, comment_id, note))


@mod.delete("/comments/{comment_id}/feature", response_model=CommentOut)
async def unfeature_comment(comment_id: Id, ctx: Ctx, staff: Staff) -> Response:
    """Take a pick back (idempotent)."""
    return _json(await editorial.unfeature_comment(ctx, staff, comment_id))


@mod.post("/comments/bulk", response_model=BulkOut)
async def bulk_decide(payload: BulkIn, ctx: Ctx, staff: Staff) -> Response:
    """Approve or reject several comments at once; failures are listed per comment."""
    return _json(await svc.bulk_decide(ctx, staff, payload.ids, payload.action, payload.reason))


@mod.get("/precision", response_model=PrecisionOut)
async def hold_precision(
    q: Annotated[params.PrecisionParams, Query()], ctx: Ctx, staff: Staff
) -> Response:
    """How often moderators agreed with the automatic holds, per guideline.

    Over the last `days` days (1-365, default 30): held comments a moderator decided,
    how many were approved and rejected, and the precision of the holds
    (rejected / decided).
    """
    return _json(await decisions.hold_precision(ctx, staff, q.days))


@mod.post("/users/{user_id}/ban", response_model=UserAdminOut)
async def ban_user(user_id: Id, ctx: Ctx, staff: Staff, payload: BanIn | None = None) -> Response:
    """Ban a user for good: they can read but not post, like or report."""
    return _json(await users_admin.ban_user(ctx, staff, user_id, payload and payload.reason))


@mod.post("/users/{user_id}/suspend", response_model=UserAdminOut)
async def suspend_user(user_id: Id, payload: SuspendIn, ctx: Ctx, staff: Staff) -> Response:
    """Suspend a user for some hours; they are told until when."""
    return _json(await users_admin.suspend_user(ctx, staff, user_id, payload.hours, payload.reason))


@mod.post("/users/{user_id}/shadowban", response_model=UserAdminOut)
async def shadowban_user(
    user_id: Id, ctx: Ctx, staff: Staff, payload: BanIn | None = None
) -> Response:
    """Hide a user's comments from everyone but themselves, without telling them."""
    return _json(await users_admin.shadowban_user(ctx, staff, user_id, payload and payload.reason))


@mod.post("/users/{user_id}/restore", response_model=UserAdminOut)
async def restore_user(user_id: Id, ctx: Ctx, staff: Staff) -> Response:
    """Lift a ban, suspension and shadow-ban."""
    return _json(await users_admin.restore_user(ctx, staff, user_id))


@mod.put("/users/{user_id}/expert", response_model=UserAdminOut)
async def mark_expert(user_id: Id, ctx: Ctx, staff: Staff) -> Response:
    """Name a user an expert: an Expert badge on their comments, and on Q&A stories their
    replies answer questions (idempotent)."""
    return _json(await users_admin.set_expert(ctx, staff, user_id, True))


@mod.delete("/users/{user_id}/expert", response_model=UserAdminOut)
async def unmark_expert(user_id: Id, ctx: Ctx, staff: Staff) -> Response:
    """Take the expert badge back (idempotent)."""
    return _json(await users_admin.set_expert(ctx, staff, user_id, False))


@mod.post("/users/{user_id}/erase", response_model=ErasedOut)
async def erase_user(user_id: Id, payload: EraseUserIn, ctx: Ctx, staff: Staff) -> Response:
    """Erase a reader's account on their request: the same effects as deleting it
    themselves (sessions end, name and e-mail gone, comments deleted or kept nameless);
    audited as yours."""
    return _json(await privacy.erase_user(ctx, staff, user_id, comments=payload.comments))


@mod.get("/users", response_model=UsersOut)
async def search_users(
    ctx: Ctx,
    staff: Staff,
    q: Annotated[str | None, Query(max_length=limits.SEARCH_MAX)] = None,
    limit: Annotated[int, Query(ge=1, le=limits.USER_SEARCH_LIMIT_MAX)] = 50,
) -> Response:
    """Find users by commenting name or e-mail."""
    return _json({"users": await users_admin.search_users(ctx, staff, q, limit)})


@mod.get("/users/{user_id}", response_model=UserDetailOut)
async def user_detail(
    user_id: Id,
    ctx: Ctx,
    staff: Staff,
    cursor: Annotated[str | None, Query(max_length=limits.CURSOR_MAX)] = None,
    limit: Annotated[int, Query(ge=1, le=limits.LIST_LIMIT_MAX)] = 20,
) -> Response:
    """A user's status, history summary, comments across stories and actions taken."""
    return _json(await users_admin.user_detail(ctx, staff, user_id, cursor=cursor, limit=limit))


@mod.patch("/users/{user_id}", response_model=UserAdminOut)
async def update_user(user_id: Id, payload: UserPatchIn, ctx: Ctx, admin: Admin) -> Response:
    """Admins: change a user's role or premium status."""
    changes = payload.model_dump(exclude_unset=True)
    return _json(await users_admin.update_user(ctx, admin, user_id, changes))


@mod.get("/stories", response_model=StoriesOut)
async def list_stories(
    ctx: Ctx, staff: Staff, q: Annotated[str | None, Query(max_length=limits.SEARCH_MAX)] = None
) -> Response:
    """Stories, newest first, optionally matching a title or id."""
    return _json({"stories": await story_settings.list_stories(ctx, staff, q)})


@mod.get(params.MODERATION_STORY, response_model=StorySettingsOut)
async def get_story(story_id: StoryKey, ctx: Ctx, staff: Staff) -> Response:
    """A story's settings."""
    return _json(await story_settings.get_story(ctx, staff, story_id))


@mod.patch(params.MODERATION_STORY, response_model=StorySettingsOut)
async def update_story(
    story_id: StoryKey, payload: StoryPatchIn, ctx: Ctx, staff: Staff, request: Request
) -> Response:
    """Open or close a story, pre-moderate it, toggle Premium, set auto-close days, correct
    its title (plain text) and address (http(s) on an embedding origin)."""
    changes = payload.model_dump(exclude_unset=True)
    return _json(
        await story_settings.update_story(
            ctx, staff, story_id, changes, own_origin=own_origin(request.scope)
        )
    )


@mod.get("/audit", response_model=AuditOut)
async def list_audit(q: Annotated[params.AuditParams, Query()], ctx: Ctx, staff: Staff) -> Response:
    """The audit log, newest first, filtered by action, actor or target."""
    filters = q.model_dump(exclude={"cursor", "limit"})
    return _json(await audit.list_audit(ctx, staff, cursor=q.cursor, limit=q.limit, **filters))


@mod.get(
    "/audit.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "The audit log as CSV"}},
)
async def audit_csv(q: Annotated[params.AuditFilters, Query()], ctx: Ctx, staff: Staff) -> Response:
    """The filtered audit log as a CSV download."""
    return Response(
        await audit.audit_csv(ctx, staff, **q.model_dump()),
        media_type="text/csv; charset=utf-8",
        headers={**NO_STORE, "Content-Disposition": 'attachment; filename="audit-log.csv"'},
    )


@admin.get("/site", response_model=SiteSettingsOut)
async def get_site(ctx: Ctx, admin: Admin) -> Response:
    """Admins: the site's settings."""
    return _json(await users_admin.get_site(ctx, admin))


@admin.patch("/site", response_model=SiteSettingsOut)
async def update_site(payload: SitePatchIn, ctx: Ctx, admin: Admin) -> Response:
    """Admins: change site settings; they apply without a restart."""
    changes = payload.model_dump(exclude_unset=True)
    return _json(await users_admin.update_site(ctx, admin, changes))


@admin.post("/site/sso-secret", response_model=SecretOut)
async def rotate_sso_secret(
    ctx: Ctx, admin: Admin, payload: RotateSecretIn | None = None
) -> Response:
    """Admins: make a new SSO secret, shown once; the current one keeps working until the
    next rotation, unless `revoke_previous` stops it at once."""
    revoke = payload.revoke_previous if payload else False
    return _json(
        {"sso_secret": await users_admin.rotate_secret(ctx, admin, revoke_previous=revoke)}
    )


@admin.post("/site/sso-secret/revoke-previous", response_model=SiteSettingsOut)
async def revoke_previous_sso_secret(ctx: Ctx, admin: Admin) -> Response:
    """Admins: stop accepting the previous SSO secret now (audited; never reinstalled).
    409 when there is none."""
    return _json(await users_admin.revoke_previous_secret(ctx, admin))


router = APIRouter()
router.include_router(mod)
router.include_router(admin)

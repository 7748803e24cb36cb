"""Readers' notification choices, one-click unsubscribe, webhooks and the outbox panel."""

from __future__ import annotations

from html import escape
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from starlette.responses import HTMLResponse, Response

from townhall.api import params
from townhall.api.deps import admin_user, current_user, get_ctx, staff_user
from townhall.api.notification_schemas import (
    DeliveriesOut,
    DeliveryOut,
    FollowOut,
    MarkReadIn,
    NotificationsOut,
    OutboxOut,
    PreferencesOut,
    PreferencesPatchIn,
    UnreadOut,
    UnsubscribedOut,
    WebhookIn,
    WebhookOut,
    WebhookPatchIn,
    WebhooksOut,
)
from townhall.api.responses import json_response
from townhall.api.schemas import PROBLEMS
from townhall.domain.models import User
from townhall.services import inbox, notifications, webhooks
from townhall.services.context import DEFAULT_SITE, Context

me = APIRouter(prefix="/api/v1", tags=["notifications"], responses=PROBLEMS)
admin = APIRouter(prefix="/api/v1/admin", tags=["admin"], responses=PROBLEMS)

Ctx = Annotated[Context, Depends(get_ctx)]
Reader = Annotated[User, Depends(current_user)]
Admin = Annotated[User, Depends(admin_user)]
Staff = Annotated[User, Depends(staff_user)]
Id = Annotated[params.Id, Path()]
StoryId = Annotated[params.StoryKey, Path()]
Token = Annotated[str, Query(min_length=1, max_length=512, description="The signed link's token")]
NO_STORE = {"Cache-Control": "no-store"}


def _json(data: object, status: int = 200) -> Response:
    return json_response(data, status=status, headers=NO_STORE)


@me.get("/me/preferences", response_model=PreferencesOut)
async def get_preferences(ctx: Ctx, user: Reader) -> Response:
    """Which e-mails the signed-in reader gets (replies are off until they opt in)."""
    return _json(await notifications.get_prefs(ctx, user))


@me.patch("/me/preferences", response_model=PreferencesOut)
async def update_preferences(payload: PreferencesPatchIn, ctx: Ctx, user: Reader) -> Response:
    """Change some of the reader's choices; fields left out stay as they are."""
    changes = payload.model_dump(exclude_unset=True)
    return _json(await notifications.update_prefs(ctx, user, changes))


@me.get("/me/notifications", response_model=NotificationsOut)
async def list_notifications(
    ctx: Ctx,
    user: Reader,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    before: Annotated[params.Id | None, Query(description="Items older than this id")] = None,
) -> Response:
    """The reader's bell: replies to them, decisions on their comments, staff replies on
    stories they follow, picks; newest first, with the unread count."""
    return _json(await inbox.list_notifications(ctx, user, limit=limit, before=before))


@me.post("/me/notifications/read", response_model=UnreadOut)
async def mark_notifications_read(payload: MarkReadIn, ctx: Ctx, user: Reader) -> Response:
    """Mark the given items, or all of them, read."""
    return _json(await inbox.mark_read(ctx, user, payload.ids))


@me.get("/me/follows/{story_id:path}", response_model=FollowOut)
async def following(story_id: StoryId, ctx: Ctx, user: Reader) -> Response:
    """Whether the reader follows this story."""
    return _json(await inbox.is_following(ctx, user, story_id))


@me.put("/me/follows/{story_id:path}", response_model=FollowOut)
async def follow(story_id: StoryId, ctx: Ctx, user: Reader) -> Response:
    """Follow this story: staff replies on it (and picks) go to the reader's bell."""
    return _json(await inbox.set_follow(ctx, user, story_id, True))


@me.delete("/me/follows/{story_id:path}", response_model=FollowOut)
async def unfollow(story_id: StoryId, ctx: Ctx, user: Reader) -> Response:
    """Stop following this story."""
    return _json(await inbox.set_follow(ctx, user, story_id, False))


_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>{title}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36em; margin: 3em auto;">
<h1>{title}</h1>{body}</body></html>"""


@me.get("/unsubscribe", response_class=HTMLResponse, include_in_schema=True)
async def unsubscribe_page(token: Token) -> Response:
    """The page an unsubscribe link opens: one button (a GET changes nothing, so mail
    scanners that follow links do not unsubscribe anyone)."""
    body = (
        '<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">'
        '<p><button type="submit">Unsubscribe</button></p></form>'
    )
    html = _PAGE.format(title="Stop these e-mails?", body=body)
    # The form posts back to this address, token included.
    return HTMLResponse(html, headers={**NO_STORE, "Referrer-Policy": "no-referrer"})


@me.post("/unsubscribe", response_model=UnsubscribedOut)
async def unsubscribe(token: Token, ctx: Ctx) -> Response:
    """One-click unsubscribe (RFC 8058): the signed token is the only credential."""
    topic = await notifications.unsubscribe(ctx, token, DEFAULT_SITE)
    words = {"replies": "replies to your comments", "decisions": "moderation decisions"}
    html = _PAGE.format(
        title="Unsubscribed",
        body=f"<p>You will get no more e-mails about {escape(words.get(topic, topic))}.</p>",
    )
    return HTMLResponse(html, headers=NO_STORE)


@admin.get("/webhooks", response_model=WebhooksOut)
async def list_webhooks(ctx: Ctx, user: Admin) -> Response:
    """The site's webhooks (their secrets are never shown again)."""
    return _json(await webhooks.list_webhooks(ctx, user))


@admin.post("/webhooks", status_code=201, response_model=WebhookOut)
async def create_webhook(payload: WebhookIn, ctx: Ctx, user: Admin) -> Response:
    """Register a URL for events; the answer holds its signing secret, shown this once."""
    made = await webhooks.create_webhook(
        ctx, user, url=payload.url, events=list(payload.events), fmt=payload.format
    )
    return _json(made, status=201)


@admin.patch("/webhooks/{webhook_id}", response_model=WebhookOut)
async def update_webhook(
    webhook_id: Id, payload: WebhookPatchIn, ctx: Ctx, user: Admin
) -> Response:
    """Change a webhook's URL, events, format, or pause it."""
    changes = payload.model_dump(exclude_unset=True)
    return _json(await webhooks.update_webhook(ctx, user, webhook_id, changes))


@admin.delete("/webhooks/{webhook_id}", status_code=204)
async def delete_webhook(webhook_id: Id, ctx: Ctx, user: Admin) -> Response:
    """Remove a webhook; deliveries still pending for it stop."""
    await webhooks.delete_webhook(ctx, user, webhook_id)
    return Response(status_code=204)


@admin.post("/webhooks/{webhook_id}/test", status_code=202, response_model=DeliveryOut)
async def test_webhook(webhook_id: Id, ctx: Ctx, user: Admin) -> Response:
    """Queue a signed `test` event to this webhook."""
    return _json(await webhooks.send_test(ctx, user, webhook_id), status=202)


@admin.get("/webhooks/{webhook_id}/deliveries", response_model=DeliveriesOut)
async def webhook_deliveries(webhook_id: Id, ctx: Ctx, user: Admin) -> Response:
    """The webhook's latest 50 deliveries with attempts, answers and errors."""
    return _json(await webhooks.deliveries(ctx, user, webhook_id))


@admin.get("/outbox", response_model=OutboxOut)
async def outbox(ctx: Ctx, user: Staff) -> Response:
    """Messages waiting, sent and given up, and the latest failures."""
    return _json(await webhooks.outbox_overview(ctx, user))

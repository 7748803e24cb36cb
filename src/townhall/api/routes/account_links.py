"""Links in account e-mails: verifying an address, resetting a forgotten password.

The JSON routes serve clients; the pages under /auth/ are where the e-mails' links land: a
GET shows a form and changes nothing (mail scanners follow links), its POST does the work
and answers with a page that says what happened (status 200 either way).
"""

from __future__ import annotations

from html import escape
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import HTMLResponse, Response

from townhall.api.deps import client_address, get_ctx
from townhall.api.notification_schemas import (
    ResetIn,
    ResetRequestedOut,
    ResetRequestIn,
    VerifiedOut,
    VerifyIn,
)
from townhall.api.responses import json_response
from townhall.api.schemas import PROBLEMS
from townhall.errors import TownhallError
from townhall.services import account_mail
from townhall.services.context import Context

api = APIRouter(prefix="/api/v1/auth", tags=["accounts"], responses=PROBLEMS)
pages = APIRouter(include_in_schema=False)
Ctx = Annotated[Context, Depends(get_ctx)]
Token = Annotated[str, Query(min_length=1, max_length=512)]
HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}

_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>{title}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36em; margin: 3em auto;">
<main><h1>{title}</h1>{body}</main></body></html>"""


def _page(title: str, body: str) -> HTMLResponse:
    # A page for a person, whatever happened: it says what; API clients use the JSON routes.
    return HTMLResponse(_PAGE.format(title=escape(title), body=body), headers=HEADERS)


@api.post("/password-reset", status_code=202, response_model=ResetRequestedOut)
async def request_password_reset(request: Request, payload: ResetRequestIn, ctx: Ctx) -> Response:
    """E-mail a link to choose a new password (single use, one hour). The answer is the
    same whether or not the address has an account."""
    await account_mail.request_reset(ctx, payload.email, client=client_address(request))
    return json_response({"detail": account_mail.RESET_REQUESTED}, status=202)


@api.post("/password-reset/confirm", status_code=204)
async def confirm_password_reset(payload: ResetIn, ctx: Ctx) -> Response:
    """Set a new password with the e-mailed token; every session of the account ends."""
    await account_mail.reset_password(ctx, payload.token, payload.password)
    return Response(status_code=204)


@api.post("/verify", response_model=VerifiedOut)
async def verify_email(payload: VerifyIn, ctx: Ctx) -> Response:
    """Confirm a local account's e-mail address with the e-mailed token."""
    await account_mail.verify_email(ctx, payload.token)
    return json_response({"verified": True})


@pages.get("/auth/verify")
async def verify_page(token: Token) -> Response:
    """The verification link: one button."""
    return _page(
        "Confirm your e-mail address",
        '<form method="post"><p><button type="submit">Confirm my address</button></p></form>',
    )


@pages.post("/auth/verify")
async def verify_submit(token: Token, ctx: Ctx) -> Response:
    """The button of the verification page."""
    try:
        await account_mail.verify_email(ctx, token)
    except TownhallError as exc:
        return _page("Link not valid", f"<p>{escape(exc.detail)}</p>")
    return _page("Address confirmed", "<p>Thank you: your e-mail address is confirmed.</p>")


_RESET_FORM = """<form method="post">
<p><label for="password">New password</label><br>
<input id="password" name="password" type="password" autocomplete="new-password" required
 minlength="10"></p>
<p><button type="submit">Save the new password</button></p></form>"""


@pages.get("/auth/reset")
async def reset_page(token: Token) -> Response:
    """The reset link: a form for the new password."""
    return _page("Choose a new password", _RESET_FORM)


@pages.post("/auth/reset")
async def reset_submit(request: Request, token: Token, ctx: Ctx) -> Response:
    """The reset form's answer."""
    fields = parse_qs((await request.body()).decode("utf-8", "replace"), max_num_fields=5)
    password = (fields.get("password") or [""])[0]
    try:
        await account_mail.reset_password(ctx, token, password)
    except TownhallError as exc:
        again = _RESET_FORM if exc.code == "validation" else ""
        return _page("Password not changed", f"<p>{escape(exc.detail)}</p>{again}")
    return _page("Password changed", "<p>Your new password is saved. Sign in with it.</p>")

"""Languages: the shipped message catalogues, and which moderation checks cover which language.

Catalogues are public, same-origin JSON (no script, so a strict CSP needs nothing new).
The widget asks for ``/api/v1/i18n/widget/<lang>?v=<hash>`` with the hash its bundle was
built with; that address never changes content, so browsers keep it for a year. The
dashboard's catalogue carries the site's own overrides and is revalidated every time.
"""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import Response

from townhall import i18n
from townhall.api import params
from townhall.api.deps import get_ctx, staff_user
from townhall.api.responses import etag_for, json_response
from townhall.api.schemas import PROBLEMS, CoverageOut, LanguagesOut
from townhall.domain.models import User
from townhall.errors import NotFound
from townhall.moderation.language import coverage
from townhall.services.comments import site_rules
from townhall.services.context import Context

router = APIRouter(prefix=params.API, tags=["languages"], responses=PROBLEMS)
YEAR = 365 * 24 * 3600


@router.get("/i18n", response_model=LanguagesOut)
async def languages() -> Response:
    """The languages townhall ships: tag, own name, writing direction, catalogue versions."""
    return json_response(
        {
            "languages": [
                {
                    "code": lang.code,
                    "name": lang.name,
                    "dir": lang.dir,
                    "versions": {s: i18n.version(s, lang.code) for s in i18n.SURFACES},
                }
                for lang in i18n.LANGUAGES.values()
            ]
        },
        headers={"Cache-Control": "public, max-age=300"},
    )


@router.get(
    "/i18n/{surface}/{lang}",
    responses={200: {"description": "Message id → text (plural messages: category → text)"}},
)
async def catalogue(
    request: Request,
    surface: Annotated[params.Surface, Path()],
    lang: Annotated[params.LanguageTag, Path()],
    q: Annotated[params.CatalogueParams, Query()],
    ctx: Context = Depends(get_ctx),
) -> Response:
    """One surface's messages in one language (the dashboard's with the site's overrides)."""
    if lang not in i18n.LANGUAGES:
        raise NotFound(f"no {surface} catalogue for '{lang}'")
    if surface == "widget" or q.shipped:
        body = i18n.raw_catalogue(surface, lang)
        # The widget's overrides come with its first page, so this file is the same for every
        # site and, under its version, for ever.
        current = q.v is not None and q.v == i18n.version(surface, lang)
        cache = f"public, max-age={YEAR}, immutable" if current else "public, no-cache"
    else:
        site = await ctx.site()
        own = site.messages.get(surface, {}).get(lang, {})
        body = orjson.dumps({**i18n.catalogue(surface, lang), **own})
        cache = "public, no-cache"
    tag = etag_for(body)
    headers = {"ETag": tag, "Cache-Control": cache, "Vary": "Origin"}
    match = request.headers.get("if-none-match")
    if match and tag in {t.strip().removeprefix("W/") for t in match.split(",")}:
        return Response(status_code=304, headers=headers)
    return Response(body, headers=headers, media_type="application/json")


@router.get("/moderation/languages", response_model=CoverageOut)
async def moderation_languages(
    staff: Annotated[User, Depends(staff_user)], ctx: Context = Depends(get_ctx)
) -> Response:
    """Which automatic checks cover which language, and what happens to other languages."""
    site = await ctx.site(staff.site_id)
    return json_response(coverage(site_rules(site)), headers={"Cache-Control": "no-store"})

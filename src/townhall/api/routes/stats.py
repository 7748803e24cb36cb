"""Numbers people can look at: moderators' statistics, and the public transparency report
as JSON and as a page."""

from __future__ import annotations

from html import escape
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query
from pydantic import BaseModel, Field
from starlette.responses import HTMLResponse, Response

from townhall import i18n
from townhall.api.deps import get_ctx, staff_user
from townhall.api.responses import json_response
from townhall.api.schemas import PROBLEMS
from townhall.domain.limits import STATS_DAYS_MAX
from townhall.domain.models import User
from townhall.services import stats as svc
from townhall.services.context import Context

router = APIRouter(responses=PROBLEMS)
Ctx = Annotated[Context, Depends(get_ctx)]


class HourOut(BaseModel):
    hour: str = Field(description="A UTC hour, e.g. 2026-12-01T13:00")
    count: int


class DecisionsOut(BaseModel):
    id: int
    name: str | None
    approved: int
    rejected: int


class AppealStatsOut(BaseModel):
    open: int
    upheld: int
    overturned: int
    overturn_rate: float | None = Field(description="Overturned among decided appeals")


class TopStoryOut(BaseModel):
    id: str
    title: str | None
    comments: int
    held: int
    rejected: int


class StatsOut(BaseModel):
    days: int
    since: str
    until: str
    comments_per_hour: list[HourOut]
    comments: int = Field(description="Comments written in the period")
    guidelines: dict[str, dict[str, int]] = Field(
        description="Per guideline: comments of the period now held and rejected"
    )
    pending: int = Field(description="Comments pending now")
    pending_age_seconds: dict[str, int | None] = Field(
        description="Age of the pending comments at the 50th, 90th, 99th and 100th percentile"
    )
    decisions: list[DecisionsOut] = Field(description="Standing decisions per moderator")
    appeals: AppealStatsOut
    top_stories: list[TopStoryOut]


class MonthOut(BaseModel):
    guidelines: dict[str, dict[str, int]] = Field(description="Held and removed per guideline")
    decisions: int
    median_seconds_to_decision: int | None
    appeals: dict[str, int] = Field(description="Appeals upheld and overturned")


class TransparencyOut(BaseModel):
    site: str
    since: str
    months: dict[str, MonthOut] = Field(description="Per UTC month, e.g. 2026-12")


@router.get("/api/v1/moderation/stats", response_model=StatsOut, tags=["moderation"])
async def moderation_stats(
    ctx: Ctx,
    staff: Annotated[User, Depends(staff_user)],
    days: Annotated[int, Query(ge=1, le=STATS_DAYS_MAX)] = 7,
) -> Response:
    """Moderation over the last `days` days: comments per hour, held and rejected per
    guideline, pending ages, decisions per moderator, appeal overturn rate, top stories."""
    out = await svc.moderation_stats(ctx, staff, days)
    return json_response(out, headers={"Cache-Control": "no-store"})


@router.get("/api/v1/transparency", response_model=TransparencyOut, tags=["public"])
async def transparency_json(ctx: Ctx) -> Response:
    """The public transparency report: per month, comments held and removed per guideline,
    decisions and the median time to one, appeal outcomes. Counts only."""
    out = await svc.transparency(ctx)
    return json_response(out, headers={"Cache-Control": "public, max-age=300"})


def _duration(t: dict[str, Any], seconds: int | None) -> str:
    if seconds is None:
        return "–"
    hours, minutes = divmod(round(seconds / 60), 60)
    return str(t["transparency.duration"]).format(hours=hours, minutes=minutes)


def render_transparency(report: dict[str, Any], code: str) -> str:
    """The report as a plain, accessible HTML page in one language."""
    t = i18n.catalogue("dashboard", code)
    site = escape(report["site"])
    lang = i18n.LANGUAGES[code]

    def name(g: str) -> str:
        return escape(str(t.get(f"guideline.{g}", g)))

    parts = []
    for month, m in sorted(report["months"].items(), reverse=True):
        rows = (
            "".join(
                f"<tr><th scope=row>{name(g)}</th><td>{v['held']}</td><td>{v['removed']}</td></tr>"
                for g, v in sorted(m["guidelines"].items())
            )
            or f"<tr><td colspan=3>{escape(str(t['transparency.none']))}</td></tr>"
        )
        parts.append(
            f"<section><h2>{escape(month)}</h2>"
            f"<table><thead><tr><th scope=col>{escape(str(t['transparency.guideline']))}</th>"
            f"<th scope=col>{escape(str(t['transparency.held']))}</th>"
            f"<th scope=col>{escape(str(t['transparency.removed']))}</th></tr></thead>"
            f"<tbody>{rows}</tbody></table><dl>"
            f"<dt>{escape(str(t['transparency.decisions']))}</dt><dd>{m['decisions']}</dd>"
            f"<dt>{escape(str(t['transparency.median']))}</dt>"
            f"<dd>{escape(_duration(t, m['median_seconds_to_decision']))}</dd>"
            f"<dt>{escape(str(t['transparency.upheld']))}</dt><dd>{m['appeals']['upheld']}</dd>"
            f"<dt>{escape(str(t['transparency.overturned']))}</dt>"
            f"<dd>{m['appeals']['overturned']}</dd></dl></section>"
        )
    body = "".join(parts) or f"<p>{escape(str(t['transparency.empty']))}</p>"
    title = escape(str(t["transparency.title"]))
    intro = escape(str(t["transparency.intro"]).format(site=report["site"]))
    return (
        f'<!doctype html><html lang="{code}" dir="{lang.dir}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title} – {site}</title><style>"
        "body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;"
        "color:#1d1d1b}table{border-collapse:collapse;width:100%}th,td{text-align:start;"
        "padding:.3rem .5rem;border-bottom:1px solid #ccc}dl{display:grid;"
        "grid-template-columns:max-content 1fr;gap:.2rem 1rem}dd{margin:0}"
        f"</style></head><body><main><h1>{title}</h1><p>{intro}</p>{body}</main></body></html>"
    )


@router.get("/transparency", response_class=HTMLResponse, include_in_schema=False)
async def transparency_page(
    ctx: Ctx, accept_language: Annotated[str | None, Header()] = None
) -> Response:
    """The transparency report as a page, in the reader's language."""
    site = await ctx.site()
    code = i18n.negotiate(accept_language, default=site.language)
    html = render_transparency(await svc.transparency(ctx), code)
    return HTMLResponse(
        html, headers={"Cache-Control": "public, max-age=300", "Vary": "Accept-Language"}
    )

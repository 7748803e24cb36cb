"""The demo site's own pages behind the widget's links: guidelines and subscribe."""

from __future__ import annotations

import html

from fastapi import FastAPI
from starlette.responses import HTMLResponse, Response

from townhall import i18n
from townhall.services.context import Context

_PAGE = """<!doctype html><html lang="en-GB"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>body{{font:1.0625rem/1.6 Georgia,serif;max-width:40rem;margin:2rem auto;padding:0 1rem;
color:#161616}}h1{{font-size:2rem;line-height:1.2}}a{{color:#c8102e}}</style></head>
<body><p><a href="/">&larr; Back to the article</a></p><h1>{title}</h1>{body}</body></html>"""


def install_demo_pages(app: FastAPI, ctx: Context) -> None:
    """Serve the pages the demo site's settings link to (full guidelines, subscribing)."""

    @app.api_route("/community-guidelines", methods=["GET", "HEAD"], include_in_schema=False)
    async def guidelines() -> Response:
        site = await ctx.site()
        # The demo's pages are English; the widget shows the same defaults in each language.
        rules = site.guidelines or [
            str(text)
            for key, text in i18n.catalogue("widget", "en").items()
            if key.startswith("guidelines.")
        ]
        items = "".join(f"<li>{html.escape(g)}</li>" for g in rules)
        body = (
            f"<p>{html.escape(site.name)} wants its comment sections to be a place for "
            "lively, informed debate. Posting means agreeing to these rules.</p>"
            f"<ul>{items}</ul><p>Comments are checked automatically before they appear; "
            "some are held for a moderator. Repeated breaches lead to suspension or a "
            "ban.</p>"
        )
        return HTMLResponse(_PAGE.format(title="Community guidelines", body=body))

    @app.api_route("/subscribe", methods=["GET", "HEAD"], include_in_schema=False)
    async def subscribe() -> Response:
        site = await ctx.site()
        label = html.escape(site.premium_name)
        body = (
            f"<p>{label} subscribers support independent journalism and join the "
            "subscriber-only conversation under every article.</p><p>This is a demo "
            "site: sign in as one of the printed premium demo accounts to try it.</p>"
        )
        return HTMLResponse(_PAGE.format(title=label, body=body))

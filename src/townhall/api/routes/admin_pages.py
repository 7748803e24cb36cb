"""The moderator dashboard: one static HTML page and its scripts and styles, no build step.

The page itself holds no data; every figure comes from the moderation API with the
moderator's bearer token, so the API enforces who may see and do what.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from fastapi import APIRouter
from starlette.responses import FileResponse, Response

from townhall.errors import NotFound

ADMIN = Path(str(resources.files("townhall") / "web" / "admin"))
_ASSET = re.compile(r"^[a-z][a-z0-9-]{0,40}\.(js|css|svg)$")
_TYPES = {"js": "text/javascript", "css": "text/css", "svg": "image/svg+xml"}

router = APIRouter(include_in_schema=False)


@router.get("/admin")
@router.get("/admin/")
async def dashboard() -> Response:
    """The dashboard page (a sign-in form until a moderator signs in)."""
    return FileResponse(
        ADMIN / "index.html",
        media_type="text/html; charset=utf-8",
        headers={"Cache-Control": "no-cache"},
    )


@router.get("/admin/assets/{name}")
async def asset(name: str) -> Response:
    """A script, stylesheet or icon of the dashboard."""
    match = _ASSET.match(name)
    path = ADMIN / name
    if not match or not path.is_file():
        raise NotFound("no such dashboard file")
    return FileResponse(
        path, media_type=_TYPES[match.group(1)], headers={"Cache-Control": "no-cache"}
    )

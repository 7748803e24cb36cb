"""Posting a comment: shared by the route and by a lane that skips FastAPI routing.

Posting is the write hot path. For a well-formed request (a bearer token, a JSON
body that CommentIn accepts) the lane validates with the same model, calls the
same service (which checks the token) and answers with the same JSON; domain
errors, an unknown token's 401 included, get the same problem-details answer.
Anything else (no token, a body the model refuses, another content type) is
handed to FastAPI untouched, with the body replayed, so its errors stay the
canonical ones.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from pydantic import ValidationError

from townhall.api.deps import own_origin
from townhall.api.errors import domain_problem
from townhall.api.schemas import CommentIn
from townhall.domain.models import Stream, User
from townhall.errors import TownhallError
from townhall.presenter import present
from townhall.services import comments as svc
from townhall.services.context import Context

Receive = Callable[[], Awaitable[dict[str, Any]]]


async def create(
    ctx: Context,
    user: User | str,
    story_key: str,
    payload: CommentIn,
    client: str,
    origin: str | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Post the comment as a user (or the holder of a bearer token); its JSON for the
    author and the response headers."""
    draft = svc.Draft(
        story_key=story_key,
        body=payload.body,
        stream=Stream(payload.stream),
        parent_id=payload.parent_id,
        story_url=payload.story_url,
        story_title=payload.story_title,
        client=client,
        own_origin=origin,
    )
    view = await svc.post_comment(ctx, user, draft)
    site = await ctx.site(view.comment.site_id)
    data = present(
        view,
        viewer_id=view.comment.author_id,
        story_key=story_key,
        edit_window=site.edit_window_seconds,
        now=ctx.clock(),
    )
    return data, {"Location": f"/api/v1/comments/{view.comment.id}"}


async def read_body(receive: Receive) -> tuple[bytes, Receive]:
    """The whole request body, and a receive that hands it out again (then waits on
    the real one, which reports a disconnect)."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    sent = False

    async def replay() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay


def _bearer(scope) -> str | None:
    token = None
    json_body = False
    for name, value in scope["headers"]:
        if name == b"authorization":
            if token is not None:
                return None
            scheme, _, rest = value.decode("latin-1").partition(" ")
            token = rest.strip() if scheme.lower() == "bearer" else None
            if not token:
                return None
        elif name == b"content-type":
            json_body = value.split(b";")[0].strip().lower() == b"application/json"
    return token if json_body else None


async def answer(ctx: Context, scope, body: bytes, story_key: str, send) -> bool:
    """Serve a post without FastAPI; False (nothing sent) when FastAPI should."""
    token = _bearer(scope)
    if token is None or not 1 <= len(story_key) <= 255:
        return False
    try:
        payload = CommentIn.model_validate_json(body)
    except ValidationError:
        return False
    client = scope.get("client")
    try:
        # The token is checked in the post's own read snapshot; an unknown one
        # gets the same 401 the route's dependency gives.
        data, headers = await create(
            ctx, token, story_key, payload, client[0] if client else "unknown", own_origin(scope)
        )
    except TownhallError as exc:
        await domain_problem(exc, scope["path"])(scope, _no_body, send)
        return True
    raw = orjson.dumps(data)
    await send(
        {
            "type": "http.response.start",
            "status": 201,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(raw)).encode()),
                (b"location", headers["Location"].encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": raw})
    return True


async def _no_body() -> dict[str, Any]:
    return {"type": "http.disconnect"}

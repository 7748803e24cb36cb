"""The ceiling: a bare ASGI callable answering every request with the same captured bytes."""

from __future__ import annotations

import os
from pathlib import Path

BODY = Path(os.environ["BENCH_CEILING_BODY"]).read_bytes()
START = {
    "type": "http.response.start",
    "status": 200,
    "headers": [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(BODY)).encode()),
    ],
}
MESSAGE = {"type": "http.response.body", "body": BODY}


async def app(scope, receive, send):
    """Answer HTTP with the captured body; accept lifespan events."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    await send(START)
    await send(MESSAGE)

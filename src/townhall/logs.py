"""Structured (JSON lines) logging on the standard library, with a request id per request."""

from __future__ import annotations

import logging
import logging.config
import os
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import orjson

_RESERVED = set(vars(logging.makeLogRecord({}))) | {"color_message"}
REQUEST_ID: ContextVar[str | None] = ContextVar("townhall_request_id", default=None)
REQUEST_ID_HEADER = b"x-request-id"
MAX_REQUEST_ID = 64
# An id a proxy sends is kept only if it is short and plain, so it cannot forge log lines.
_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-")
PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def _access_fields(record: logging.LogRecord) -> dict[str, Any]:
    """uvicorn's access line as fields: client, method, path, status."""
    args = record.args
    if record.name != "uvicorn.access" or not isinstance(args, tuple) or len(args) != 5:
        return {}
    client, method, path, _http_version, status = args
    return {"client": client, "method": method, "path": path, "status": status}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = REQUEST_ID.get()
        if request_id is not None:
            data["request_id"] = request_id
        data.update(_access_fields(record))
        for key, value in vars(record).items():
            if key not in _RESERVED and not key.startswith("_"):
                data[key] = value
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(data, default=str).decode()


class PlainFormatter(logging.Formatter):
    """Human-readable lines (TOWNHALL_LOG_JSON=off), still naming the request."""

    def __init__(self) -> None:
        super().__init__(PLAIN_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        request_id = REQUEST_ID.get()
        return line if request_id is None else f"{line} [request {request_id}]"


def log_config(level: str = "info", as_json: bool = True) -> dict[str, Any]:
    """A `logging.config.dictConfig` that also takes over uvicorn's loggers.

    Handed to uvicorn as `log_config`, so each worker process applies it too: uvicorn's
    lifecycle and access lines reach the same handler and formatter as ours.
    """
    formatter = "townhall.logs.JsonFormatter" if as_json else "townhall.logs.PlainFormatter"
    inherit = {"handlers": [], "propagate": True}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"townhall": {"()": formatter}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "townhall",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["stderr"], "level": level.upper()},
        "loggers": {name: inherit for name in ("uvicorn", "uvicorn.error", "uvicorn.access")},
    }


def setup_logging(level: str = "info", as_json: bool = True) -> None:
    """Configure the root logger (and uvicorn's) once."""
    logging.config.dictConfig(log_config(level, as_json))


def _usable_id(raw: bytes | None) -> str | None:
    if raw is None or not 0 < len(raw) <= MAX_REQUEST_ID:
        return None
    text = raw.decode("latin-1")
    return text if _ID_CHARS.issuperset(text) else None


class RequestIdMiddleware:
    """Gives each HTTP request an id (a proxy's X-Request-ID, else a new one) for its logs.

    The id is echoed in the `X-Request-ID` response header, and every log line written
    while the request is handled (uvicorn's access line included) carries it.
    """

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = next((v for k, v in scope["headers"] if k == REQUEST_ID_HEADER), None)
        request_id = _usable_id(raw) or os.urandom(8).hex()
        token = REQUEST_ID.set(request_id)
        header = (REQUEST_ID_HEADER, request_id.encode("latin-1"))

        async def send_with_id(message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        await self.app(scope, receive, send_with_id)
        # Not reset when the app raised: the 500 handler outside this middleware still
        # needs the id (each request runs in its own task, so it does not leak).
        REQUEST_ID.reset(token)

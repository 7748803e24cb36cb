"""Webhooks: signed POSTs to URLs the admin registered, refusing private targets by default."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import socket
import time
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson

SIGNATURE_HEADER = "Townhall-Signature"
# A receiver should refuse signatures older than this (replays).
TOLERANCE_SECONDS = 300


class WebhookError(Exception):
    """The receiver failed, timed out or is not allowed; `status` when it answered."""

    def __init__(self, detail: str, status: int | None = None) -> None:
        super().__init__(detail)
        self.status = status


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The signature header value: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, body: bytes, header: str, *, now: float | None = None) -> bool:
    """Check a signature header as a receiver would (the sample in docs/notifications.md)."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
    except (ValueError, KeyError):
        return False
    if abs((now or time.time()) - timestamp) > TOLERANCE_SECONDS:
        return False
    expected = sign(secret, body, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, fields.get("v1", ""))


def check_url(url: str) -> str:
    """The URL if it is http(s) with a host; ValueError naming what is wrong."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ValueError("url must start with http:// or https://")
    if not parts.hostname:
        raise ValueError("url must name a host")
    if parts.username or parts.password:
        raise ValueError("url must not carry a user name or password")
    return url


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def check_target(url: str, *, allow_private: bool) -> None:
    """Refuse loopback, private, link-local and reserved targets unless allowed."""
    check_url(url)
    if allow_private:
        return
    host = urlsplit(url).hostname or ""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise WebhookError(f"cannot resolve {host}: {exc}") from exc
    for info in infos:
        if not _is_public(str(info[4][0])):
            raise WebhookError(
                f"{host} resolves to a private or loopback address ({info[4][0]}); "
                "set webhook_allow_private to allow it"
            )


def slack_text(event: dict[str, Any]) -> str:
    """A one-paragraph summary of an event for a Slack-compatible incoming webhook."""
    data = event.get("data") or {}
    kind = str(event.get("type"))
    comment = data.get("comment") or {}
    who = comment.get("author_name") or "someone"
    story = (comment.get("story") or {}).get("title") or (comment.get("story") or {}).get("id")
    where = f" on “{story}”" if story else ""
    words = {
        "comment.created": f"New comment by {who}{where}",
        "comment.held": f"Comment by {who}{where} held for review ({data.get('guideline')})",
        "comment.decided": f"Comment by {who}{where} {data.get('decision')}",
        "report.created": f"Comment by {who}{where} reported ({data.get('reason')})",
        "user.banned": f"{(data.get('user') or {}).get('name')} was banned",
        "test": "Test event from townhall",
    }
    text = words.get(kind, kind)
    body = comment.get("body")
    if body:
        text += "\n> " + str(body)[:300].replace("\n", "\n> ")
    if comment.get("url"):
        text += f"\n{comment['url']}"
    # Slack reads &, < and > as markup: escape them so nothing a reader wrote becomes a link.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def body_for(event: dict[str, Any], fmt: str) -> bytes:
    """The request body: the event itself, or Slack's `{"text": …}`."""
    if fmt == "slack":
        return orjson.dumps({"text": slack_text(event)})
    return orjson.dumps(event)


async def deliver(
    client: httpx.AsyncClient,
    *,
    url: str,
    secret: str,
    event: dict[str, Any],
    fmt: str,
    delivery_id: str,
    allow_private: bool,
    wait: float,
) -> int:
    """POST one event; its HTTP status on 2xx, WebhookError otherwise."""
    await check_target(url, allow_private=allow_private)
    body = body_for(event, fmt)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "townhall-webhooks",
        "Townhall-Event": str(event.get("type")),
        "Townhall-Delivery": delivery_id,
        "Idempotency-Key": delivery_id,
        SIGNATURE_HEADER: sign(secret, body, int(time.time())),
    }
    try:
        res = await client.post(
            url, content=body, headers=headers, timeout=wait, follow_redirects=False
        )
    except httpx.HTTPError as exc:
        raise WebhookError(f"{type(exc).__name__}: {exc}") from exc
    if not 200 <= res.status_code < 300:
        raise WebhookError(f"receiver answered {res.status_code}", status=res.status_code)
    return res.status_code

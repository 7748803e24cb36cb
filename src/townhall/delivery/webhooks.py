"""Webhooks: signed POSTs to URLs the admin registered, refusing private targets by default."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import socket
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import httpcore
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


async def resolve(host: str) -> list[str]:
    """Every address a host name resolves to (an address resolves to itself)."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise WebhookError(f"cannot resolve {host}: {exc}") from exc
    return [str(info[4][0]) for info in infos]


async def public_addresses(host: str) -> list[str]:
    """The host's addresses, or WebhookError if any of them is not public."""
    addresses = await resolve(host)
    for address in addresses:
        if not _is_public(address):
            raise WebhookError(
                f"{host} resolves to a private or loopback address ({address}); "
                "set webhook_allow_private to allow it"
            )
    return addresses


async def check_target(url: str, *, allow_private: bool) -> None:
    """Refuse loopback, private, link-local and reserved targets unless allowed."""
    check_url(url)
    if not allow_private:
        await public_addresses(urlsplit(url).hostname or "")


class _PublicOnly(httpcore.AsyncNetworkBackend):
    """Connects only to public addresses, checking the very addresses it connects to.

    Checking a name and then letting the client resolve it again leaves a gap: a name
    can answer with a public address for the check and with a private one a moment
    later (DNS rebinding). Here the name is resolved once, every answer checked, and the
    connection made to a checked address. TLS still verifies the certificate against
    the URL's host name (httpcore passes it on as the server name)."""

    def __init__(self) -> None:
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await public_addresses(host)
        failure: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None  # resolve() gives at least one address or raises
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise WebhookError("webhooks go to http(s) URLs only")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


# The delivery client's connection pool, whichever targets it may reach.
_LIMITS = httpx.Limits(max_connections=20, max_keepalive_connections=10, keepalive_expiry=5.0)


class _PublicOnlyTransport(httpx.AsyncHTTPTransport):
    """httpx's transport on a connection pool that connects through `_PublicOnly`.

    httpx (0.28) takes no network backend, so the pool it builds is replaced by one that
    has it, with the same TLS context; tests/integration/test_webhooks.py checks that a
    name turning private after the check is still refused."""

    def __init__(self) -> None:
        super().__init__(trust_env=False, limits=_LIMITS)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=_LIMITS.max_connections,
            max_keepalive_connections=_LIMITS.max_keepalive_connections,
            keepalive_expiry=_LIMITS.keepalive_expiry,
            network_backend=_PublicOnly(),
        )


def webhook_client(*, allow_private: bool) -> httpx.AsyncClient:
    """The HTTP client for webhook deliveries: unless private targets are allowed, it
    connects only to public addresses, whatever a name resolves to by then."""
    if allow_private:
        return httpx.AsyncClient(trust_env=False, limits=_LIMITS)
    return httpx.AsyncClient(trust_env=False, transport=_PublicOnlyTransport())


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
    wait: float,
) -> int:
    """POST one event with a `webhook_client`; its HTTP status on 2xx, WebhookError
    otherwise (a private target included, unless the client allows them)."""
    check_url(url)
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

"""Addresses and titles that come from outside: what is safe to store and to link.

Browsers forgive a lot when they follow a link: `//evil` and `/\\evil` are other
hosts, `https:evil` is `https://evil`, tabs and newlines vanish, `user@host` hides
the host. So only two forms are accepted: an absolute http(s) address with its two
slashes and a plain host, and a site-relative path that starts with exactly one "/".
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import urlsplit

import nh3

from townhall.domain.limits import STORY_TITLE_KEPT, STORY_URL_MAX

_FORBIDDEN = re.compile(r"[\x00-\x20\x7f\\]")  # controls, spaces and backslashes


def http_origin(url: str) -> str | None:
    """'scheme://host[:port]' of an absolute http(s) address, or None for anything else."""
    if not isinstance(url, str) or len(url) > STORY_URL_MAX or _FORBIDDEN.search(url):
        return None
    if not url.lower().startswith(("http://", "https://")):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname
    if parts.scheme.lower() not in ("http", "https") or not host or "@" in parts.netloc:
        return None
    origin = f"{parts.scheme.lower()}://{host}"
    return f"{origin}:{port}" if port is not None else origin


def is_site_path(url: str) -> bool:
    """A path on the page's own site: one leading slash, never `//` or `/\\`."""
    return (
        isinstance(url, str)
        and len(url) <= STORY_URL_MAX
        and url.startswith("/")
        and not url.startswith("//")
        and not _FORBIDDEN.search(url)
    )


def is_safe_link(url: str) -> bool:
    """Whether a link to this address stays on an http(s) page: absolute or site path."""
    return http_origin(url) is not None or is_site_path(url)


def normalize_origin(value: str) -> str | None:
    """An embedding origin as the browser sends it ('https://host[:port]'), or None."""
    origin = http_origin(value.rstrip("/")) if isinstance(value, str) else None
    if origin is None or origin.lower() != value.rstrip("/").lower():
        return None  # a path, query or credentials: not an origin
    return origin


def story_url(url: str | None, allowed: set[str]) -> str | None:
    """The address a reader's request gives for a story, if it is http(s) on one of
    the publisher's origins; None otherwise (the story keeps no address)."""
    if not url:
        return None
    origin = http_origin(url)
    if origin is None or not (origin in allowed or "*" in allowed):
        return None
    return url


def plain_title(raw: str | None) -> str | None:
    """A story title as plain text: tags dropped, entities decoded, invisible and
    control characters removed, whitespace collapsed, length bounded."""
    if not isinstance(raw, str):
        return None
    text = html.unescape(nh3.clean(raw, tags=set()))
    text = "".join(
        " " if ch.isspace() else "" if unicodedata.category(ch) in ("Cc", "Cf") else ch
        for ch in text
    )
    text = " ".join(text.split())[:STORY_TITLE_KEPT].strip()
    return text or None

"""Plain text with paragraphs and links → sanitized HTML."""

from __future__ import annotations

import html
import re
from functools import lru_cache

import nh3

# Deliberately narrow: http(s) and bare www. links, stopping at whitespace,
# quotes and angle brackets; trailing punctuation is handed back to the text.
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""
_ALLOWED_TAGS = {"p", "br", "a"}
_ALLOWED_ATTRS = {"a": {"href"}}


_SPLIT = re.compile(f"({_URL.pattern})", re.IGNORECASE)


def _link(url: str) -> str:
    tail = ""
    while url and url[-1] in _TRAILING:
        tail = url[-1] + tail
        url = url[:-1]
    href = url if url.lower().startswith("http") else "https://" + url
    esc = html.escape
    return f'<a href="{esc(href, quote=True)}">{esc(url, quote=True)}</a>{esc(tail, quote=True)}'


@lru_cache(maxsize=20_000)
def render_body(body: str) -> str:
    """Escape the author's text, keep paragraphs and line breaks, link URLs, sanitize."""
    paragraphs = [p for p in re.split(r"\n\s*\n", body.replace("\r\n", "\n").strip()) if p.strip()]
    parts = []
    for para in paragraphs:
        # Links are found in the raw text, then each piece is escaped: matching on
        # escaped text would cut entities such as "&gt;" in half.
        pieces = _SPLIT.split(para.strip())
        linked = "".join(
            _link(p) if i % 2 else html.escape(p, quote=True) for i, p in enumerate(pieces)
        )
        parts.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return nh3.clean(
        "".join(parts),
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRS,
        url_schemes={"http", "https"},
        link_rel="nofollow ugc noopener",
    )


def count_links(body: str) -> int:
    """How many links the renderer would make."""
    return len(_URL.findall(body))

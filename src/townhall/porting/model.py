"""What an import reads from another comment system, whatever its format."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import nh3

from townhall.domain.models import Status, Stream

_BREAKS = re.compile(r"<\s*br\s*/?\s*>|<\s*/\s*p\s*>", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ImportedComment:
    """One comment from a foreign export, with the ids it used there.

    `source` names the installation the comment comes from (a WordPress site's address,
    a Disqus forum, an Isso database's key, ...): comment ids are unique only within
    it, so the import key holds both. `author_key` is the author's id there, used to
    tell apart authors who left no e-mail address.
    """

    source_id: str
    parent_source_id: str | None
    story_key: str
    story_url: str | None
    story_title: str | None
    author_name: str | None
    author_email: str | None
    body: str
    created_at: datetime
    status: Status
    like_count: int = 0
    source: str = ""
    author_key: str | None = None
    stream: Stream = Stream.OPEN
    edited_at: datetime | None = None


def source_tag(source: str) -> str:
    """A short, fixed-length stand-in for a source's identity inside import keys."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def import_key(fmt: str, source: str, source_id: str) -> str:
    """The key an imported comment is stored under: format, source and its id there."""
    if len(source_id) > 200:  # ids are short in every known format; keys stay in 255
        source_id = "#" + hashlib.sha256(source_id.encode("utf-8")).hexdigest()
    return f"{fmt}:{source_tag(source)}:{source_id}"


def legacy_import_key(fmt: str, source_id: str) -> str:
    """The key of a comment imported before keys named their source (see migration 0009)."""
    return f"{fmt}::{source_id}"


def html_to_text(markup: str) -> str:
    """Foreign comments are HTML; townhall stores the author's plain text with paragraphs."""
    with_breaks = _BREAKS.sub("\n", markup or "")
    text = html.unescape(nh3.clean(with_breaks, tags=set()))
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def parse_time(value: str | float | int | None) -> datetime:
    """ISO 8601, 'YYYY-MM-DD HH:MM:SS' (UTC) or a Unix timestamp → aware UTC."""
    if value is None or value == "":
        return datetime.now(UTC)
    if isinstance(value, int | float):
        return datetime.fromtimestamp(float(value), UTC)
    text = value.strip().replace("Z", "+00:00")
    parsed = datetime.fromisoformat(text)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)

"""What an import reads from another comment system, whatever its format."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import nh3

from townhall.domain.models import Status

_BREAKS = re.compile(r"<\s*br\s*/?\s*>|<\s*/\s*p\s*>", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ImportedComment:
    """One comment from a foreign export, with the ids it used there."""

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

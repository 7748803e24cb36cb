"""The generic JSON Lines import format (docs/import-format.md): for systems townhall has no
reader for, and for the output of `townhall export`.

The first line may be a header naming the source: `{"format": "townhall-comments",
"version": 1, "source": "cms.example.org"}`; every other line is one comment.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from townhall.domain.models import Status, Stream
from townhall.porting.files import Tracker
from townhall.porting.model import ImportedComment, html_to_text, parse_time
from townhall.porting.peers import _lines
from townhall.porting.readers import WrongFormat

FORMAT = "townhall-comments"
VERSION = 1
_STATUS = {
    "published": Status.PUBLISHED,
    "pending": Status.PENDING,
    "rejected": Status.REJECTED,
    "deleted": Status.DELETED,
    # Written by a shadow-banned author: never public there, so held here for a moderator.
    "shadowed": Status.PENDING,
}


def _text(value: Any, field: str, number: int, *, required: bool = False) -> str | None:
    if value is None or value == "":
        if required:
            raise WrongFormat(f"line {number}: '{field}' is required")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise WrongFormat(f"line {number}: '{field}' must be a string")
    return str(value)


def read_generic(
    path: Path, tracker: Tracker | None = None, *, source: str | None = None
) -> Iterator[ImportedComment]:
    """Comments of a file in the generic format; the source comes from its header line or,
    failing that, from `source` (`--source`)."""
    number = 0
    for number, line in enumerate(_lines(path, tracker), 1):
        if number == 1 and "format" in line:
            if line.get("format") != FORMAT or line.get("version") != VERSION:
                raise WrongFormat(
                    f"header: format {line.get('format')!r} version {line.get('version')!r}"
                    f" is not {FORMAT!r} version {VERSION}"
                )
            source = source or _text(line.get("source"), "source", number, required=True)
            continue
        if not source:
            raise WrongFormat("name the source: a header line with 'source', or --source")
        yield _comment(line, number, source)


def _comment(c: dict[str, Any], number: int, source: str) -> ImportedComment:
    author = c.get("author") or {}
    if not isinstance(author, dict):
        raise WrongFormat(f"line {number}: 'author' must be an object")
    body = _text(c.get("body"), "body", number)
    if body is None and c.get("body_html") is not None:
        body = html_to_text(_text(c.get("body_html"), "body_html", number) or "")
    status_name = _text(c.get("status"), "status", number) or "published"
    if status_name not in _STATUS:
        raise WrongFormat(f"line {number}: status {status_name!r} is not one of {list(_STATUS)}")
    stream = _text(c.get("stream"), "stream", number) or "open"
    if stream not in ("open", "premium"):
        raise WrongFormat(f"line {number}: stream {stream!r} is not 'open' or 'premium'")
    likes = c.get("like_count") or 0
    if isinstance(likes, bool) or not isinstance(likes, int) or likes < 0:
        raise WrongFormat(f"line {number}: 'like_count' must be a whole number, 0 or more")
    created = _text(c.get("created_at"), "created_at", number, required=True)
    edited = _text(c.get("edited_at"), "edited_at", number)
    status = _STATUS[status_name]
    return ImportedComment(
        source_id=_text(c.get("id"), "id", number, required=True) or "",
        parent_source_id=_text(c.get("parent_id"), "parent_id", number),
        story_key=_text(c.get("story_id"), "story_id", number, required=True) or "",
        story_url=_text(c.get("story_url"), "story_url", number),
        story_title=_text(c.get("story_title"), "story_title", number),
        author_name=_text(author.get("name"), "author.name", number),
        author_email=_text(author.get("email"), "author.email", number),
        body="" if status is Status.DELETED else (body or "").strip(),
        created_at=parse_time(created),
        status=status,
        like_count=likes,
        source="json:" + source,
        author_key=_text(author.get("id"), "author.id", number),
        stream=Stream(stream),
        edited_at=parse_time(edited) if edited else None,
    )

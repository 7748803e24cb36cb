"""Readers for Coral (its tenant download), Remark42 (its backup file) and Commento /
Comentario (their domain export, versions 1 and 3), each in the shape the tool writes.

- Coral's `utilities/download` writes a folder per tenant with one JSON document per line
  in `stories.json`, `users.json`, `comments.json` and `archivedComments.json`.
- Remark42's backup (`remark42 backup`, and its daily automatic ones) is gzip-compressed:
  a first line with the site's users and posts, then one comment per line.
- Commento's export, and Comentario's, is one gzip-compressed JSON document
  (`{"version": 1, "comments": [...], "commenters": [...]}`; Comentario 3 adds `pages`);
  it is read twice in a stream (people first, then comments), never loaded whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ijson
import orjson

from townhall.domain.models import Status
from townhall.porting.files import Tracker, open_input
from townhall.porting.model import ImportedComment, html_to_text, parse_time
from townhall.porting.readers import WrongFormat


def _lines(path: Path, tracker: Tracker | None) -> Iterator[dict[str, Any]]:
    """JSON objects, one per line (blank lines skipped)."""
    with open_input(path, tracker) as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            value = orjson.loads(line)
            if not isinstance(value, dict):
                raise WrongFormat(f"line {number} is not a JSON object")
            yield value


# Coral ---------------------------------------------------------------------------------

_CORAL_STATUS = {
    "NONE": Status.PUBLISHED,
    "APPROVED": Status.PUBLISHED,
    "PREMOD": Status.PENDING,
    "SYSTEM_WITHHELD": Status.PENDING,
    "REJECTED": Status.REJECTED,
}


def read_coral(path: Path, tracker: Tracker | None = None) -> Iterator[ImportedComment]:
    """Comments of a Coral tenant folder (comments and archived comments); stories keep
    Coral's story id, and the source is the tenant."""
    if not path.is_dir() or not (path / "comments.json").is_file():
        raise WrongFormat("not a Coral download: expected a folder with comments.json")
    stories: dict[str, tuple[str | None, str | None]] = {}
    if (path / "stories.json").is_file():
        for s in _lines(path / "stories.json", None):
            title = (s.get("metadata") or {}).get("title")
            stories[str(s["id"])] = (s.get("url"), title)
    people: dict[str, tuple[str | None, str | None]] = {}
    if (path / "users.json").is_file():
        for u in _lines(path / "users.json", None):
            people[str(u["id"])] = (u.get("username"), u.get("email"))
    files = [path / "comments.json", path / "archivedComments.json"]
    present = [f for f in files if f.is_file()]
    if tracker is not None:
        tracker.total = sum(f.stat().st_size for f in present)
    done = 0
    for file in present:
        inner = Tracker()
        for c in _lines(file, inner):
            if tracker is not None:
                tracker.done = done + inner.done
            yield _coral_comment(c, stories, people)
        done += inner.total or 0


def _coral_comment(
    c: dict[str, Any],
    stories: dict[str, tuple[str | None, str | None]],
    people: dict[str, tuple[str | None, str | None]],
) -> ImportedComment:
    revisions = c.get("revisions") or []
    last = revisions[-1] if revisions else {}
    story_id = str(c["storyID"])
    url, title = stories.get(story_id, (None, None))
    author_id = c.get("authorID")
    name, email = people.get(str(author_id), (None, None)) if author_id else (None, None)
    status = _CORAL_STATUS.get(str(c.get("status")), Status.PENDING)
    if c.get("deletedAt"):
        status = Status.DELETED
    reactions = (c.get("actionCounts") or {}).get("REACTION", 0)
    return ImportedComment(
        source_id=str(c["id"]),
        parent_source_id=str(c["parentID"]) if c.get("parentID") else None,
        story_key=story_id,
        story_url=url,
        story_title=title,
        author_name=name,
        author_email=email,
        body=html_to_text(str(last.get("body") or "")),
        created_at=parse_time(c.get("createdAt")),
        status=status,
        like_count=max(0, int(reactions or 0)),
        source="coral:" + str(c.get("tenantID") or ""),
        author_key=str(author_id) if author_id else None,
        edited_at=parse_time(last["createdAt"]) if len(revisions) > 1 else None,
    )


# Remark42 ------------------------------------------------------------------------------


def read_remark42(path: Path, tracker: Tracker | None = None) -> Iterator[ImportedComment]:
    """Comments of a Remark42 backup file; the source is the Remark42 site id."""
    lines = _lines(path, tracker)
    meta = next(lines, None)
    if meta is None or "version" not in meta or "id" in meta:
        raise WrongFormat("not a Remark42 backup: the first line is not its header")
    for c in lines:
        locator = c.get("locator") or {}
        user = c.get("user") or {}
        votes = c.get("votes") or {}
        likes = sum(1 for up in votes.values() if up) if votes else max(0, c.get("score") or 0)
        edit = c.get("edit") or {}
        url = str(locator.get("url") or "")
        yield ImportedComment(
            source_id=str(c["id"]),
            parent_source_id=str(c["pid"]) if c.get("pid") else None,
            story_key=url,
            story_url=url or None,
            story_title=c.get("title") or None,
            author_name=user.get("name"),
            author_email=None,  # Remark42 keeps no e-mail addresses in its comments
            body=html_to_text(str(c.get("text") or "")),
            created_at=parse_time(c.get("time")),
            status=Status.DELETED if c.get("delete") else Status.PUBLISHED,
            like_count=likes,
            source="remark42:" + str(locator.get("site") or ""),
            author_key=user.get("id") or None,
            edited_at=parse_time(edit["time"]) if edit.get("time") else None,
        )


# Commento and Comentario -----------------------------------------------------------------

_ANONYMOUS = {"anonymous", "0" * 64, "00000000-0000-0000-0000-000000000000"}


def _items(path: Path, prefix: str, tracker: Tracker | None = None) -> Iterator[Any]:
    with open_input(path, tracker) as f:
        yield from ijson.items(f, prefix, use_float=True)


def read_commento(path: Path, tracker: Tracker | None = None) -> Iterator[ImportedComment]:
    """Comments of a Commento or Comentario export (format 1 or 3); the source is the
    commented domain (Comentario 3: the domain's id)."""
    versions = list(_items(path, "version"))
    if not versions:
        raise WrongFormat("not a Commento or Comentario export: it has no version")
    version = int(versions[0])
    if version not in (1, 3):
        raise WrongFormat(f"Commento/Comentario export version {version} is not known")
    people = {
        str(p.get("commenterHex") or p.get("id")): (p.get("name"), p.get("email"))
        for p in _items(path, "commenters.item")
    }
    pages: dict[str, dict[str, Any]] = {}
    if version == 3:
        pages = {str(p["id"]): p for p in _items(path, "pages.item")}
    for c in _items(path, "comments.item", tracker):
        yield _commento_v3(c, pages, people) if version == 3 else _commento_v1(c, people)


def _author(key: str | None, people: dict[str, tuple[Any, Any]], fallback: str | None):
    if not key or key in _ANONYMOUS:
        return fallback or "Anonymous", None, None
    name, email = people.get(key, (fallback, None))
    return name, email, key


def _commento_v1(c: dict[str, Any], people: dict[str, tuple[Any, Any]]) -> ImportedComment:
    path = str(c.get("path") or c.get("url") or "/")
    domain = str(c.get("domain") or c.get("host") or "")
    name, email, key = _author(c.get("commenterHex"), people, None)
    markdown = str(c.get("markdown") or "")
    status = {"approved": Status.PUBLISHED}.get(str(c.get("state")), Status.PENDING)
    if c.get("deleted") or markdown == "[deleted]":
        status = Status.DELETED
    parent = c.get("parentHex")
    return ImportedComment(
        source_id=str(c["commentHex"]),
        parent_source_id=str(parent) if parent and parent != "root" else None,
        story_key=path,
        story_url=path,
        story_title=None,
        author_name=name,
        author_email=email,
        body="" if status is Status.DELETED else markdown.strip(),
        created_at=parse_time(c.get("creationDate")),
        status=status,
        like_count=max(0, int(c.get("score") or 0)),
        source="commento:" + domain.lower(),
        author_key=key,
    )


def _commento_v3(
    c: dict[str, Any], pages: dict[str, dict[str, Any]], people: dict[str, tuple[Any, Any]]
) -> ImportedComment:
    page = pages.get(str(c.get("pageId")), {})
    path = str(page.get("path") or "/")
    name, email, key = _author(c.get("userCreated"), people, c.get("authorName"))
    if c.get("isDeleted"):
        status = Status.DELETED
    elif c.get("isApproved"):
        status = Status.PUBLISHED
    elif c.get("isPending"):
        status = Status.PENDING
    else:
        status = Status.REJECTED
    return ImportedComment(
        source_id=str(c["id"]),
        parent_source_id=str(c["parentId"]) if c.get("parentId") else None,
        story_key=path,
        story_url=path,
        story_title=page.get("title") or None,
        author_name=name,
        author_email=email,
        body="" if status is Status.DELETED else str(c.get("markdown") or "").strip(),
        created_at=parse_time(c.get("createdTime")),
        status=status,
        like_count=max(0, int(c.get("score") or 0)),
        source="comentario:" + str(page.get("domainId") or ""),
        author_key=key,
        edited_at=parse_time(c["editedTime"]) if c.get("editedTime") else None,
    )

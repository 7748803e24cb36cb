"""Readers for Disqus XML, WordPress WXR and Isso SQLite exports."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

from defusedxml import DefusedXmlException, ElementTree

from townhall.domain.models import Status
from townhall.porting.model import ImportedComment, html_to_text, parse_time

DSQ = "{http://disqus.com/disqus-internals}id"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(el, name: str):
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _text(el, name: str) -> str | None:
    c = _child(el, name)
    return c.text.strip() if c is not None and c.text is not None else None


def read_disqus(path: Path) -> Iterator[ImportedComment]:
    """Comments of a Disqus XML export (defusedxml: exports are untrusted input)."""
    root = ElementTree.parse(path).getroot()
    threads: dict[str, tuple[str, str | None, str | None]] = {}
    for el in root:
        if _local(el.tag) == "thread":
            link = _text(el, "link")
            key = _text(el, "id") or link or el.get(DSQ)
            threads[el.get(DSQ)] = (key, link, _text(el, "title"))
    for el in root:
        if _local(el.tag) != "post":
            continue
        thread = _child(el, "thread")
        if thread is None or thread.get(DSQ) not in threads:
            continue
        key, link, title = threads[thread.get(DSQ)]
        parent = _child(el, "parent")
        author = _child(el, "author")
        status = Status.PUBLISHED
        if (_text(el, "isDeleted") or "").lower() == "true":
            status = Status.DELETED
        elif (_text(el, "isSpam") or "").lower() == "true":
            status = Status.REJECTED
        yield ImportedComment(
            source_id=el.get(DSQ) or _text(el, "id") or "",
            parent_source_id=parent.get(DSQ) if parent is not None else None,
            story_key=key,
            story_url=link,
            story_title=title,
            author_name=_text(author, "name") if author is not None else None,
            author_email=_text(author, "email") if author is not None else None,
            body=html_to_text(_text(el, "message") or ""),
            created_at=parse_time(_text(el, "createdAt")),
            status=status,
        )


_WP_STATUS = {
    "1": Status.PUBLISHED,
    "0": Status.PENDING,
    "spam": Status.REJECTED,
    "trash": Status.DELETED,
}


def read_wxr(path: Path) -> Iterator[ImportedComment]:
    """Comments of a WordPress WXR export (any wp: namespace version)."""
    root = ElementTree.parse(path).getroot()
    channel = _child(root, "channel")
    if channel is None:
        return
    for item in channel:
        if _local(item.tag) != "item":
            continue
        post_id = _text(item, "post_id")
        link = _text(item, "link")
        title = _text(item, "title")
        key = post_id or link or title or ""
        for c in item:
            if _local(c.tag) != "comment":
                continue
            kind = _text(c, "comment_type") or ""
            if kind in ("pingback", "trackback"):
                continue
            parent = _text(c, "comment_parent")
            when = _text(c, "comment_date_gmt")
            if not when or when.startswith("0000"):
                when = _text(c, "comment_date")
            yield ImportedComment(
                source_id=_text(c, "comment_id") or "",
                parent_source_id=parent if parent and parent != "0" else None,
                story_key=key,
                story_url=link,
                story_title=title,
                author_name=_text(c, "comment_author"),
                author_email=_text(c, "comment_author_email"),
                body=html_to_text(_text(c, "comment_content") or ""),
                created_at=parse_time(when),
                status=_WP_STATUS.get(_text(c, "comment_approved") or "1", Status.PENDING),
            )


_ISSO_MODE = {1: Status.PUBLISHED, 2: Status.PENDING, 4: Status.DELETED}


def read_isso(path: Path) -> Iterator[ImportedComment]:
    """Comments of an Isso SQLite database (opened read-only)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT c.id, c.parent, t.uri, t.title, c.author, c.email, c.text, c.created,"
            " c.mode, c.likes FROM comments c JOIN threads t ON t.id = c.tid ORDER BY c.id"
        )
        for cid, parent, uri, title, author, email, text, created, mode, likes in rows:
            yield ImportedComment(
                source_id=str(cid),
                parent_source_id=str(parent) if parent else None,
                story_key=uri,
                story_url=uri,
                story_title=title,
                author_name=author,
                author_email=email,
                body=html_to_text(text or "") if "<" in (text or "") else (text or "").strip(),
                created_at=parse_time(created),
                status=_ISSO_MODE.get(mode, Status.PENDING),
                like_count=max(0, likes or 0),
            )
    finally:
        conn.close()


READERS = {"disqus": read_disqus, "wxr": read_wxr, "isso": read_isso}
# What a damaged or foreign file raises while read (nothing is written by then).
UNREADABLE = (
    sqlite3.DatabaseError,
    ElementTree.ParseError,
    DefusedXmlException,
    ValueError,
    TypeError,
    OverflowError,
    UnicodeError,
)

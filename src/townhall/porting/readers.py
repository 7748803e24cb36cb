"""Readers for Disqus XML, WordPress WXR and Isso SQLite exports.

Each reader yields comments as it parses, so a file of any size is read in a bounded
amount of memory: XML is parsed incrementally (defusedxml's iterparse: exports are
untrusted input) and every element is dropped once read.
"""

from __future__ import annotations

import hashlib
import pyexpat
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from defusedxml import DefusedXmlException, ElementTree

from townhall.domain.models import Status
from townhall.porting.files import Tracker, open_input
from townhall.porting.model import ImportedComment, html_to_text, parse_time

DSQ = "{http://disqus.com/disqus-internals}id"


class WrongFormat(ValueError):
    """The file is readable but is not an export of the format named."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(el: Any, name: str) -> Any:
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _text(el: Any, name: str) -> str | None:
    c = _child(el, name)
    return c.text.strip() if c is not None and c.text is not None else None


def _top_elements(path: Path, tracker: Tracker | None, root_name: str, what: str, depth: int):
    """(root, element) for each element `depth` levels below the root, once fully read;
    each is cleared from its parent afterwards, so memory stays flat."""
    with open_input(path, tracker) as f:
        stack: list[Any] = []
        for event, el in ElementTree.iterparse(f, events=("start", "end")):
            if event == "start":
                if not stack and _local(el.tag) != root_name:
                    raise WrongFormat(f"not {what}: the root element is <{_local(el.tag)}>")
                stack.append(el)
                continue
            stack.pop()
            if len(stack) == depth:
                yield stack[0], el
                stack[-1].clear()


def check_xml(path: Path, root_name: str, what: str, tracker: Tracker | None = None) -> None:
    """Read the whole file once with expat alone (no tree: about a second per 100 MB) to
    find a damaged or cut-short file before anything is written; a DTD is refused, as
    defusedxml refuses it (no entity expansion, no external references)."""

    def forbid(*_args: Any) -> Any:
        raise DefusedXmlException("a DTD or entity declaration is not allowed in an export")

    def first(name: str, _attrs: Any) -> None:
        if _local(name) != root_name:
            raise WrongFormat(f"not {what}: the root element is <{_local(name)}>")
        parser.StartElementHandler = None

    parser = pyexpat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = forbid
    parser.EntityDeclHandler = forbid
    parser.ExternalEntityRefHandler = forbid
    parser.StartElementHandler = first
    with open_input(path, tracker) as f:
        try:
            parser.ParseFile(f)
        except pyexpat.ExpatError as exc:
            raise ElementTree.ParseError(str(exc)) from None


def read_disqus(path: Path, tracker: Tracker | None = None) -> Iterator[ImportedComment]:
    """Comments of a Disqus XML export; the source is the thread's forum (shortname)."""
    threads: dict[str, tuple[str, str | None, str | None, str]] = {}
    early: list[Any] = []  # posts read before their thread (not the order Disqus writes)
    forum = "disqus"
    for _root, el in _top_elements(path, tracker, "disqus", "a Disqus export", 1):
        kind = _local(el.tag)
        if kind == "category":
            forum = _text(el, "forum") or forum
        elif kind == "thread":
            link = _text(el, "link")
            key = _text(el, "id") or link or el.get(DSQ) or ""
            threads[el.get(DSQ)] = (key, link, _text(el, "title"), _text(el, "forum") or forum)
        elif kind == "post":
            thread = _child(el, "thread")
            tid = thread.get(DSQ) if thread is not None else None
            if tid in threads:
                yield _disqus_post(el, threads[tid])
            elif tid is not None:
                early.append(el)
    for el in early:
        thread_id = _child(el, "thread").get(DSQ)
        if thread_id in threads:
            yield _disqus_post(el, threads[thread_id])


def _disqus_post(el: Any, thread: tuple[str, str | None, str | None, str]) -> ImportedComment:
    key, link, title, forum = thread
    parent = _child(el, "parent")
    author = _child(el, "author")
    status = Status.PUBLISHED
    if (_text(el, "isDeleted") or "").lower() == "true":
        status = Status.DELETED
    elif (_text(el, "isSpam") or "").lower() == "true":
        status = Status.REJECTED
    return ImportedComment(
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
        source=f"disqus:{forum}",
        author_key=_text(author, "username") if author is not None else None,
    )


_WP_STATUS = {
    "1": Status.PUBLISHED,
    "0": Status.PENDING,
    "spam": Status.REJECTED,
    "trash": Status.DELETED,
}
_WP_SITE = ("base_blog_url", "base_site_url", "link")


def _site_address(url: str) -> str:
    """A site's address without the differences that do not make it another site."""
    parts = urlsplit(url.strip())
    return f"{parts.netloc.lower()}{parts.path.rstrip('/')}" or url.strip()


def read_wxr(path: Path, tracker: Tracker | None = None) -> Iterator[ImportedComment]:
    """Comments of a WordPress WXR export (any wp: namespace version); the source is the
    blog's address (its comment ids are numbered per site)."""
    site: dict[str, str] = {}
    for _root, el in _top_elements(path, tracker, "rss", "a WordPress export", 2):
        kind = _local(el.tag)
        if kind != "item":
            if kind in (*_WP_SITE, "title") and el.text and el.text.strip():
                site.setdefault(kind, el.text.strip())
            continue
        link = _text(el, "link")
        if not site.get("item") and link:
            site["item"] = link
        source = next((site[k] for k in _WP_SITE if site.get(k)), None)
        if source is None:
            source = _origin(site.get("item")) or site.get("title") or "wordpress"
        yield from _wxr_comments(el, link, "wordpress:" + _site_address(source))


def _origin(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else None


def _wxr_comments(item: Any, link: str | None, source: str) -> Iterator[ImportedComment]:
    post_id = _text(item, "post_id")
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
        user_id = _text(c, "comment_user_id")
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
            source=source,
            author_key=user_id if user_id and user_id != "0" else None,
        )


_ISSO_MODE = {1: Status.PUBLISHED, 2: Status.PENDING, 4: Status.DELETED}


def _isso_identity(conn: sqlite3.Connection) -> str:
    """Which Isso database this is: its random session key (hashed: Isso signs cookies with
    it), or failing that its first comment."""
    try:
        row = conn.execute("SELECT value FROM preferences WHERE key = 'session-key'").fetchone()
    except sqlite3.OperationalError:
        row = None
    if row and row[0]:
        return "isso:" + hashlib.sha256(str(row[0]).encode()).hexdigest()[:32]
    first = conn.execute(
        "SELECT c.id, c.created, t.uri FROM comments c JOIN threads t ON t.id = c.tid"
        " ORDER BY c.id LIMIT 1"
    ).fetchone()
    return "isso:first:" + ":".join(str(v) for v in first or ())


def read_isso(path: Path, tracker: Tracker | None = None) -> Iterator[ImportedComment]:
    """Comments of an Isso SQLite database (opened read-only); the source is the database."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        source = _isso_identity(conn)
        if tracker is not None:
            tracker.total = conn.execute("SELECT count(*) FROM comments").fetchone()[0]
            tracker.unit = "rows"
        rows = conn.execute(
            "SELECT c.id, c.parent, t.uri, t.title, c.author, c.email, c.text, c.created,"
            " c.modified, c.mode, c.likes FROM comments c JOIN threads t ON t.id = c.tid"
            " ORDER BY c.id"
        )
        for cid, parent, uri, title, author, email, text, created, modified, mode, likes in rows:
            if tracker is not None:
                tracker.done += 1
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
                source=source,
                edited_at=parse_time(modified) if modified else None,
            )
    finally:
        conn.close()


# What a damaged or foreign file raises while read.
UNREADABLE: tuple[type[BaseException], ...] = (
    sqlite3.DatabaseError,
    ElementTree.ParseError,
    DefusedXmlException,
    ValueError,
    TypeError,
    KeyError,
    OverflowError,
    UnicodeError,
    EOFError,
)

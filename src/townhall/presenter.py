"""Comment read models → the public JSON shape (one place, used by API and live events)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from townhall.domain.models import Role, Status
from townhall.domain.views import CommentView
from townhall.moderation.findings import author_notice
from townhall.render import render_body


def iso(when: datetime | None) -> str | None:
    """RFC 3339 UTC with a Z."""
    return None if when is None else when.isoformat().replace("+00:00", "Z")


def _badge(view: CommentView) -> str | None:
    if view.author_role is not Role.COMMENTER:
        return "staff"
    if view.author_expert:
        return "expert"
    return "subscriber" if view.author_premium else None


# What readers without an account see of a comment itself (its replies and thread
# size aside), by the content of the row it was read from and the story key: most
# reads show comments that have not changed since the last one. Bounded; emptied
# when full. The nested objects are shared, so presented comments are never mutated.
_PUBLIC: dict[tuple, dict[str, Any]] = {}
MEMO_SIZE = 10_000


def present(
    view: CommentView, *, viewer_id: int | None, story_key: str, edit_window: int, now: datetime
) -> dict[str, Any]:
    """The JSON a reader gets for one comment (tombstones carry no text or author)."""
    if viewer_id is None and view.row_key is not None:
        key = (view.row_key, story_key)
        base = _PUBLIC.get(key)
        if base is None:
            base = _present(view, None, story_key, edit_window, now)
            if len(_PUBLIC) >= MEMO_SIZE:
                _PUBLIC.clear()
            _PUBLIC[key] = base
        out = base.copy()
        if view.comment.depth == 0:
            out["reply_count"] = view.thread_total
        out["replies"] = [
            present(r, viewer_id=None, story_key=story_key, edit_window=edit_window, now=now)
            for r in view.replies
        ]
        return out
    out = _present(view, viewer_id, story_key, edit_window, now)
    out["replies"] = [
        present(r, viewer_id=viewer_id, story_key=story_key, edit_window=edit_window, now=now)
        for r in view.replies
    ]
    return out


def _present(
    view: CommentView, viewer_id: int | None, story_key: str, edit_window: int, now: datetime
) -> dict[str, Any]:
    """One comment without its replies (an empty list stands in for them)."""
    c = view.comment
    deleted = c.status is Status.DELETED
    mine = viewer_id is not None and viewer_id == c.author_id and not deleted
    editable_until = None
    if mine and c.status in (Status.PUBLISHED, Status.PENDING):
        until = c.created_at + timedelta(seconds=edit_window)
        if until > now:
            editable_until = iso(until)
    moderation = None
    if mine and c.status is Status.PENDING:
        # Guideline, passage and suggestion when the findings were read with the row.
        notice = author_notice(c.findings)
        moderation = {
            "guideline": notice["guideline"],
            "reason": notice["reason"],
            "findings": notice["findings"],
        }
    return {
        "id": c.id,
        "story_id": story_key,
        "parent_id": c.parent_id,
        "root_id": c.root_id,
        "depth": c.depth,
        "stream": c.stream.value,
        # A shadow-banned author sees their comment as published: nothing tells them.
        "status": c.status.value,
        "body_html": "" if deleted else render_body(c.body),
        "author": None
        if deleted
        else {
            "id": c.author_id,
            "name": view.author_name,
            "premium": view.author_premium,
            "badge": _badge(view),
        },
        "in_reply_to": view.in_reply_to if c.depth > 0 else None,
        "created_at": iso(c.created_at),
        "edited_at": None if deleted else iso(c.edited_at),
        "edited": c.edited_at is not None and not deleted,
        "deleted": deleted,
        "like_count": c.like_count,
        "reply_count": view.thread_total if c.depth == 0 else c.reply_count,
        "liked_by_me": view.liked_by_me,
        "reported_by_me": view.reported_by_me,
        "is_mine": mine,
        "editable_until": editable_until,
        "moderation": moderation,
        # A pick, with staff's public note on why (plain text: shown as text, never markup).
        "featured": c.featured_at is not None and not deleted,
        "feature_note": c.feature_note if c.featured_at is not None and not deleted else None,
        # A question of a Q&A story that staff or an expert answered.
        "answered": c.answered_at is not None,
        "replies": [],
    }

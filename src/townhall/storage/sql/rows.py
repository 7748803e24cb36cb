"""Row → domain mapping shared by the SQL stores."""

from __future__ import annotations

from typing import Any

from townhall.domain.models import Comment, Role, Status, Story, Stream, User


def to_user(row: Any) -> User:
    """Map a users row."""
    m = row._mapping
    return User(
        id=m["id"],
        site_id=m["site_id"],
        email=m["email"],
        name=m["name"],
        role=Role(m["role"]),
        is_premium=bool(m["is_premium"]),
        is_banned=bool(m["is_banned"]),
        suspended_until=m["suspended_until"],
        is_shadowbanned=bool(m["is_shadowbanned"]),
        created_at=m["created_at"],
        sso_sub=m["sso_sub"],
        is_expert=bool(m["is_expert"]),
    )


def to_story(row: Any) -> Story:
    """Map a stories row."""
    m = row._mapping
    return Story(
        id=m["id"],
        site_id=m["site_id"],
        key=m["key"],
        url=m["url"],
        title=m["title"],
        is_closed=bool(m["is_closed"]),
        premoderate=bool(m["premoderate"]),
        premium_enabled=bool(m["premium_enabled"]),
        auto_close_days=m["auto_close_days"],
        created_at=m["created_at"],
        published_open=m["published_open"],
        published_premium=m["published_premium"],
        prompt=m["prompt"],
        pinned_comment_id=m["pinned_comment_id"],
        likes_closed=bool(m["likes_closed"]),
        qa_mode=bool(m["qa_mode"]),
        pick_count=m["pick_count"],
    )


def to_comment(row: Any) -> Comment:
    """Map a comments row."""
    m = row._mapping
    return Comment(
        id=m["id"],
        site_id=m["site_id"],
        story_id=m["story_id"],
        stream=Stream(m["stream"]),
        parent_id=m["parent_id"],
        root_id=m["root_id"],
        depth=m["depth"],
        author_id=m["author_id"],
        body=m["body"],
        status=Status(m["status"]),
        created_at=m["created_at"],
        edited_at=m["edited_at"],
        deleted_at=m["deleted_at"],
        like_count=m["like_count"],
        reply_count=m["reply_count"],
        report_count=m["report_count"],
        is_shadowed=bool(m["is_shadowed"]),
        featured_at=m["featured_at"],
        feature_note=m["feature_note"],
        answered_at=m["answered_at"],
        staff_replied=bool(m["staff_replied"]),
        was_held=m["guideline"] is not None,
        best_rank=float(m["best_rank"]),
        findings=list(m["findings"] or []),
    )

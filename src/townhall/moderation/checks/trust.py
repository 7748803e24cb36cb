"""Trust: hold comments from new users, readers on pre-moderation, or everything on a
pre-moderated story."""

from __future__ import annotations

from townhall.moderation.findings import Finding, Submission


def premoderated_story(sub: Submission) -> Finding | None:
    """Hold every comment on a story set to pre-moderate everything."""
    if sub.story_premoderate and not sub.author_is_staff:
        return Finding.hold("trust", "this story is pre-moderated")
    return None


def held_reader(sub: Submission) -> Finding | None:
    """Hold every comment of a reader on per-user pre-moderation or probation by hours."""
    if sub.author_held and not sub.author_is_staff:
        return Finding.hold("trust", sub.author_held)
    return None


def new_user(sub: Submission) -> Finding | None:
    """Hold the first N comments of a new user, as the site configures."""
    limit = sub.rules.new_user_hold_count
    if sub.author_is_staff or sub.author_published_count >= limit:
        return None
    return Finding.hold(
        "trust", f"new commenter: {sub.author_published_count} of {limit} comments approved"
    )

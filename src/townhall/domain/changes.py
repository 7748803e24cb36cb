"""What a write changed, recorded on its transaction and handed to listeners after commit."""

from __future__ import annotations

from dataclasses import dataclass

from townhall.domain.models import Comment, Story, User
from townhall.domain.views import CommentView


@dataclass(frozen=True, slots=True)
class CommentChanged:
    """A comment was posted, edited, decided, hidden, shown again or deleted.

    `view` (the author's view) and `count` (the stream's public total afterwards)
    save listeners a read when the writer already holds them.
    """

    story: Story
    comment: Comment
    before: Comment | None = None
    view: CommentView | None = None
    count: int | None = None
    decided_by: User | None = None  # the moderator, when this change is a decision
    reason: str | None = None  # the moderator's reason for it


@dataclass(frozen=True, slots=True)
class LikesChanged:
    """A comment's public like count moved."""

    story: Story
    comment: Comment
    count: int


@dataclass(frozen=True, slots=True)
class StoryChanged:
    """A story's settings changed, or its comments did in bulk (an import)."""

    story: Story
    comments_changed: bool = False


@dataclass(frozen=True, slots=True)
class SiteChanged:
    """Site settings, or something shown on every story (an author's name), changed."""

    site_id: str


@dataclass(frozen=True, slots=True)
class CommentPicked:
    """Staff picked a comment (`featured`) or took the pick back.

    Listeners: the response cache drops the story's pages, the live broker sends a
    `featured` event, and the notifications listener tells the author of a new pick
    what `services.editorial.notify_author_of_pick` says.
    """

    story: Story
    comment: Comment
    featured: bool
    picked_by: int | None = None


@dataclass(frozen=True, slots=True)
class ReportAdded:
    """A reader reported a comment."""

    story: Story
    comment: Comment
    reason: str
    reporter_id: int


@dataclass(frozen=True, slots=True)
class UserBanned:
    """A moderator banned an account."""

    user: User
    by: User
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class WebhooksChanged:
    """An admin added, changed or removed a webhook."""

    site_id: str


Change = (
    CommentChanged
    | LikesChanged
    | StoryChanged
    | SiteChanged
    | ReportAdded
    | UserBanned
    | WebhooksChanged
    | CommentPicked
)

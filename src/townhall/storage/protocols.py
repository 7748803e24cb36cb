"""The stores services depend on, as protocols; `storage/sql/` implements them on SQLite and
PostgreSQL through one SQLAlchemy Core store each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from townhall.domain.changes import Change
from townhall.domain.models import Comment, Sort, Story, Stream, User
from townhall.domain.notifications import Message, Prefs, Webhook
from townhall.domain.queues import QueueFilter
from townhall.domain.sorting import SortKey
from townhall.domain.trust import Override, Record
from townhall.domain.views import CommentView


class CommentStore(Protocol):
    """Comment rows, the listings that show them, and readers' likes and reports."""

    async def add_counted(self, values: dict[str, Any]) -> tuple[Comment, int] | None:
        """A new top-level comment and its stream's public count with it, in one
        statement; None where that takes several."""
        ...

    async def add(self, values: dict[str, Any]) -> Comment:
        """Insert a comment row and return it."""
        ...

    async def by_id(
        self, site_id: str, comment_id: int, *, for_update: bool = False
    ) -> Comment | None:
        """One comment of a site, or None."""
        ...

    async def by_import_key(self, site_id: str, key: str) -> Comment | None:
        """A comment brought in by an earlier import."""
        ...

    async def set_root(self, comment_id: int) -> None:
        """Make a new top-level comment the root of its own thread."""
        ...

    async def update(self, comment_id: int, **values: Any) -> Comment:
        """Change columns of one comment and return the new row."""
        ...

    async def shift_likes_of(self, user_id: int, delta: int) -> list[Comment]:
        """Add delta to the like count of every comment the user likes; those comments."""
        ...

    async def bump(self, comment_id: int, column: str, delta: int) -> int:
        """Atomically add delta to a counter column; returns the new value."""
        ...

    async def has_live_children(self, comment_id: int) -> bool:
        """Whether any reply (published or held) hangs under this comment."""
        ...

    async def recent_by_author(
        self, author_id: int, since: datetime, limit: int = 20
    ) -> list[tuple[str, datetime]]:
        """The author's latest bodies and times since a moment, newest first."""
        ...

    async def published_count_by_author(self, author_id: int, at_most: int) -> int:
        """How many of the author's comments are published, counting no further than"""
        ...

    async def view(self, site_id: str, comment_id: int) -> CommentView | None:
        """One comment with author facts."""
        ...

    async def views(self, site_id: str, comment_ids: list[int]) -> list[CommentView]:
        """Several comments with author facts (unknown ids left out)."""
        ...

    async def top_level(
        self,
        *,
        story_id: int,
        stream: Stream,
        sort: Sort,
        limit: int,
        cursor: str | None,
        viewer_id: int | None,
        flat: bool = False,
        answered: bool = False,
    ) -> tuple[list[CommentView], str | None]:
        """A page of top-level comments in sort order, keyset-paginated (`flat`: every
        comment, unthreaded; `answered`: answered questions only)."""
        ...

    async def first_replies(
        self, root_ids: list[int], viewer_id: int | None, per_thread: int = 3
    ) -> tuple[dict[int, list[CommentView]], dict[int, int]]:
        """The first replies of many threads and each thread's size."""
        ...

    async def story_page(
        self,
        *,
        site_id: str,
        story_key: str,
        stream: Stream,
        sort: Sort,
        limit: int,
        cursor: str | None,
        viewer_id: int | None,
    ) -> tuple[Story | None, list[CommentView], str | None]:
        """A story and a page of its top-level comments with first replies and sizes."""
        ...

    async def thread(
        self, *, root_id: int, limit: int, cursor: str | None, viewer_id: int | None
    ) -> tuple[list[CommentView], str | None, int]:
        """Replies of one thread, oldest first, keyset-paginated, with the thread size."""
        ...

    async def answers(
        self, root_ids: list[int], per_thread: int = 3
    ) -> dict[int, list[CommentView]]:
        """Public replies from staff or named experts in these threads, oldest first."""
        ...

    async def mark_mine(self, user_id: int, views: list[CommentView]) -> None:
        """Set liked_by_me and reported_by_me on views and their replies, in two queries."""
        ...

    async def mine(self, user_id: int, comment_ids: list[int]) -> tuple[set[int], set[int]]:
        """Which of these comments the user liked, and which they reported."""
        ...

    async def add_like(self, comment_id: int, user_id: int, now: datetime) -> bool:
        """Record a like; False when it already existed."""
        ...

    async def remove_like(self, comment_id: int, user_id: int) -> bool:
        """Withdraw a like; False when there was none."""
        ...

    async def add_report(
        self, *, comment_id: int, user_id: int, reason: str, note: str | None, now: datetime
    ) -> bool:
        """Record a report; False when this user already reported the comment."""
        ...

    async def rerank(self, comment_id: int) -> Comment:
        """Write the comment's Best-order key from its current inputs; the row."""
        ...

    async def featured(
        self, story_id: int, streams: Sequence[Stream], limit: int
    ) -> list[CommentView]:
        """A story's public picks in these streams, latest pick first."""
        ...


class StoryStore(Protocol):
    """Stories, found by the publisher's key, and their kept counts."""

    async def by_key(self, site_id: str, key: str) -> Story | None:
        """A story by the publisher's story id."""
        ...

    async def by_id(self, story_id: int) -> Story | None:
        """A story by its row id."""
        ...

    async def get_or_create(
        self, site_id: str, key: str, *, url: str | None, title: str | None, now: datetime
    ) -> Story:
        """The story, created on first use (race-safe)."""
        ...

    async def update(self, story_id: int, **values: Any) -> Story:
        """Change a story's settings."""
        ...

    async def add_picks(self, story_id: int, delta: int) -> None:
        """Count a comment of the story picked (+1) or unpicked (-1)."""
        ...

    async def public_counts(self, site_id: str, keys: list[str]) -> dict[str, int]:
        """Public comment counts of stories by publisher id (unknown keys left out)."""
        ...

    async def public_count(self, story_id: int, stream: Stream | None = None) -> int:
        """A story's public comments (one stream, or both), as the triggers keep them."""
        ...

    async def search(self, site_id: str, text: str | None, limit: int = 50) -> list[Story]:
        """Stories of a site, newest first, optionally matching a title or key."""
        ...


@dataclass(frozen=True, slots=True)
class AuthorContext:
    """A session's user and what judging their new comment needs, read at once."""

    user: User | None  # None: no live session
    story: Story | None  # the story of the key, on the user's site
    recent: list[tuple[str, datetime]]  # bodies and times since `since`, newest first, <= 20
    published: int  # published comments, counted up to `at_most`
    staff: list[str]  # commenting names of the site's moderators and admins
    # What it was read for: (at_most, recent_since, premod_since, enough); a caller whose
    # site asks other values reads those parts again.
    asked: tuple[int, datetime, datetime, int] | None = None
    trust: Record | None = None  # the trust record for the windows asked
    warning: tuple[int, str] | None = None  # the oldest warning not yet acknowledged


class UserStore(Protocol):
    """Users and their sessions."""

    async def by_id(self, user_id: int) -> User | None:
        """One user."""
        ...

    async def by_email(self, site_id: str, email_key: str) -> tuple[User, str | None] | None:
        """A user and password hash by normalized e-mail."""
        ...

    async def by_sso(self, site_id: str, sub: str) -> User | None:
        """A user by the publisher's subject id."""
        ...

    async def name_key_taken(self, site_id: str, name_key: str, except_user: int | None) -> bool:
        """Whether another user holds a name with this skeleton."""
        ...

    async def name_taken_exact(
        self, site_id: str, name: str, except_user: int | None = None
    ) -> bool:
        """Whether another user holds a name exactly, ignoring case."""
        ...

    async def all_names(self, site_id: str) -> list[tuple[int, str]]:
        """(id, commenting name) of every named user of a site, oldest first."""
        ...

    async def add(self, **values: Any) -> User:
        """Insert a user."""
        ...

    async def update(self, user_id: int, **values: Any) -> User:
        """Change a user's columns."""
        ...

    async def names(self, site_id: str, user_ids: list[int]) -> list[str]:
        """Commenting names of some users."""
        ...

    async def staff_names(self, site_id: str) -> list[str]:
        """Commenting names of moderators and admins."""
        ...

    async def search(self, site_id: str, text: str | None, limit: int = 50) -> list[User]:
        """Users matching a name or e-mail fragment."""
        ...

    async def add_session(
        self, *, token_hash: str, user_id: int, now: datetime, expires_at: datetime
    ) -> None:
        """Store a session by its token's hash."""
        ...

    async def by_session(self, token_hash: str, now: datetime) -> User | None:
        """The user of a live session."""
        ...

    async def author_context(
        self,
        token_hash: str,
        now: datetime,
        *,
        story_key: str,
        since: datetime,
        at_most: int,
        recent_since: datetime,
        premod_since: datetime,
        enough: int,
    ) -> AuthorContext | None:
        """What posting reads before it writes, in one statement where the database
        allows it (None: read it piece by piece)."""
        ...

    async def revoke_session(self, token_hash: str, now: datetime) -> None:
        """End a session."""
        ...


class SiteStore(Protocol):
    """Sites and their settings."""

    async def get(self, site_id: str) -> dict[str, Any] | None:
        """A site row as a dict, or None."""
        ...

    async def ensure(
        self, site_id: str, name: str, now: datetime, sso_secret: str | None = None
    ) -> None:
        """Create the site when it does not exist yet."""
        ...

    async def update(self, site_id: str, **values: Any) -> dict[str, Any]:
        """Change a site's columns; bumps the settings version."""
        ...

    async def version(self, site_id: str) -> int | None:
        """The site's settings version (cheap staleness check)."""
        ...


class AuditStore(Protocol):
    """The append-only audit log."""

    async def add(
        self,
        *,
        site_id: str,
        actor: User | None,
        action: str,
        target_type: str,
        target_id: object,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        now: datetime,
    ) -> None:
        """Append one entry."""
        ...

    async def list(
        self,
        site_id: str,
        *,
        action: str | None = None,
        actor_id: int | None = None,
        target_type: str | None = None,
        target_id: str | None = None,
        before_id: int | None = None,
        limit: int = 100,
    ) -> list[dict[str, Any]]:
        """Entries newest first, filtered."""
        ...


class ModerationStore(Protocol):
    """Read models and bulk changes that moderators need."""

    async def decider_of(self, comment_id: int) -> int | None:
        """Who decided a comment's current status (None: the automatic checks)."""
        ...

    async def facets(self, f: QueueFilter, now: datetime) -> dict[str, dict[str, int]]:
        """Per filter, how many comments each of its choices would leave."""
        ...

    async def queue(
        self, f: QueueFilter, *, sort: Sort, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """A page of queue rows (comment, author, story, decider), keyset-paginated."""
        ...

    async def card(self, site_id: str, comment_id: int) -> dict[str, Any] | None:
        """One queue row by comment id."""
        ...

    async def counts(self, f: QueueFilter) -> dict[str, int]:
        """How many comments each queue holds, under the same filters."""
        ...

    async def reports_for(self, comment_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
        """Open reports (since the last approval) per comment, oldest first, with reporters."""
        ...

    async def histories(self, author_ids: list[int]) -> dict[int, dict[str, int]]:
        """Per author: comments written, published, rejected, and reports against them."""
        ...

    async def set_shadowed(self, site_id: str, author_id: int, shadowed: bool) -> list[Comment]:
        """Hide or reveal every live comment of an author; returns the rows as they were."""
        ...

    async def decide(
        self, comment_id: int, *, status: str, by: int, now: datetime, clear_reports: bool
    ) -> Comment:
        """Record a moderator's decision on one comment."""
        ...


@dataclass(frozen=True, slots=True)
class ImportedRow:
    """What a later import needs of a comment an import wrote: its place in the thread."""

    id: int
    root_id: int | None
    depth: int
    story_id: int
    story_key: str
    created_at: datetime
    stream: str


class ImportStore(Protocol):
    """Bulk reads and writes of an import run (one statement per kind of row)."""

    async def prepare(self) -> None:
        """Set the connection up for bulk writes."""
        ...

    async def comments_by_keys(self, site_id: str, keys: Sequence[str]) -> dict[str, ImportedRow]:
        """The comments earlier imports wrote under these keys, by key."""
        ...

    async def rekey(self, pairs: Sequence[tuple[int, str]]) -> None:
        """Give comments new import keys (comment id, key)."""
        ...

    async def reserve_comment_ids(self, n: int) -> list[int]:
        """Ids for n new comments, ascending (the write transaction keeps them free)."""
        ...

    async def add_comments(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert comment rows (with their ids), parents before replies."""
        ...

    async def add_replies(self, counts: dict[int, int]) -> None:
        """Add to the reply counts of parents (comment id → new public replies)."""
        ...

    async def users_by_subs(self, site_id: str, subs: Sequence[str]) -> dict[str, int]:
        """Ids of the users with these identities, by identity."""
        ...

    async def taken_name_keys(self, site_id: str, keys: Sequence[str]) -> set[str]:
        """Which of these name keys users of the site already hold."""
        ...

    async def add_users(self, rows: Sequence[dict[str, Any]]) -> list[int]:
        """Insert user rows; their ids, in the order given."""
        ...


class ShadowStore(Protocol):
    """What a shadow-banned author's own pages add to the public counts."""

    async def in_stream(self, story_id: int, stream: Stream, author_id: int) -> int:
        """The author's shadowed comments in one stream of a story."""
        ...

    async def children(self, parent_ids: list[int], author_id: int) -> dict[int, int]:
        """The author's shadowed direct replies, per parent."""
        ...


class BulkStore(Protocol):
    """Moderators' bulk decisions over a filtered queue: preview, act, undo."""

    async def count(self, f: QueueFilter, action: str) -> int:
        """How many comments of the filtered queue the action would change."""
        ...

    async def create(self, values: dict[str, Any]) -> int:
        """A new bulk action row (previewed); its id."""
        ...

    async def snapshot(self, bulk_id: int, f: QueueFilter, action: str) -> int:
        """Copy the filtered queue's actionable comments into the bulk's set; how many."""
        ...

    async def by_token(self, site_id: str, column: str, token: str) -> dict[str, Any] | None:
        """A bulk action by its preview (`token`) or undo (`undo_token`) token."""
        ...

    async def update(self, bulk_id: int, **values: Any) -> None:
        """Change a bulk action's row."""
        ...

    async def act(
        self,
        bulk_id: int,
        *,
        action: str,
        by: int,
        now: datetime,
        finding: dict[str, Any] | None,
    ) -> tuple[int, list[int]]:
        """Decide every previewed comment still as it was previewed; (how many, story ids)."""
        ...

    async def undo(
        self, bulk_id: int, *, status: str, by: int, acted_at: datetime
    ) -> tuple[int, list[int]]:
        """Put back every acted comment nobody decided since; (how many, story ids)."""
        ...

    async def expire(self, site_id: str, before: datetime) -> None:
        """Forget previews and undo windows that ended before this time."""
        ...


class TrustStore(Protocol):
    """A reader's record for earned trust, and staff's hand-set level."""

    async def record(
        self, author_id: int, *, recent_since: datetime, premod_since: datetime, enough: int
    ) -> Record:
        """The reader's comments in the two windows (published ones counted up to `enough`)
        and staff's choice, in one statement."""
        ...

    async def override(self, user_id: int) -> Override | None:
        """The level staff set for this reader, if any."""
        ...

    async def set_override(
        self,
        user_id: int,
        *,
        level: str | None,
        until: datetime | None,
        reason: str | None,
        by: int | None,
    ) -> None:
        """Set (or, with level None, clear) staff's level for a reader."""
        ...


class AppealStore(Protocol):
    """Appeals: filed once per comment, reviewed by someone other than the decider."""

    async def add(self, values: dict[str, Any]) -> dict[str, Any]:
        """File an appeal; the stored row."""
        ...

    async def by_comment(self, comment_id: int) -> dict[str, Any] | None:
        """The appeal against a comment's rejection, if any."""
        ...

    async def by_id(self, site_id: str, appeal_id: int) -> dict[str, Any] | None:
        """One appeal of a site."""
        ...

    async def listing(
        self, site_id: str, *, status: str, reviewer: int, limit: int
    ) -> list[dict[str, Any]]:
        """Appeals in a status, oldest first, leaving out those this reviewer decided."""
        ...

    async def decide(
        self, appeal_id: int, *, status: str, reviewer: int, reason: str | None, now: datetime
    ) -> None:
        """Record an appeal's outcome."""
        ...


class StatsStore(Protocol):
    """Read-only aggregates for moderators' statistics and the transparency page."""

    async def per_hour(self, site_id: str, since: datetime) -> dict[str, int]:
        """Comments written per UTC hour since a time (hours with none are left out)."""
        ...

    async def by_guideline(self, site_id: str, since: datetime) -> dict[str, dict[str, int]]:
        """Comments written since a time now held or rejected, per guideline."""
        ...

    async def pending_ages(self, site_id: str, now: datetime, ranks: list[float]) -> dict[str, Any]:
        """How many comments are pending, and their age at each percentile."""
        ...

    async def decisions(self, site_id: str, since: datetime) -> list[dict[str, Any]]:
        """Per moderator: comments whose standing decision they made since a time."""
        ...

    async def appeal_outcomes(self, site_id: str, since: datetime) -> dict[str, int]:
        """Appeals filed and decided since a time."""
        ...

    async def top_stories(self, site_id: str, since: datetime, limit: int) -> list[dict[str, Any]]:
        """The stories with the most comments written since a time."""
        ...

    async def monthly(self, site_id: str, since: datetime) -> dict[str, dict[str, Any]]:
        """Per UTC month: holds and removals per guideline, decisions, appeal outcomes."""
        ...


class NoteStore(Protocol):
    """Staff's notes on a reader, and warnings the reader acknowledges."""

    async def add(self, values: dict[str, Any]) -> int:
        """A new note or warning; its id."""
        ...

    async def of_user(self, user_id: int) -> list[dict[str, Any]]:
        """A reader's notes and warnings, newest first, with their authors' names."""
        ...

    async def open_warnings(self, user_id: int) -> list[dict[str, Any]]:
        """Warnings the reader has not acknowledged, oldest first."""
        ...

    async def acknowledge(self, user_id: int, note_id: int, now: datetime) -> bool:
        """Mark the reader's warning read; False when there is no such open warning."""
        ...


class NotificationStore(Protocol):
    """Readers' notification choices, the outbox, the sender's lease, webhooks, signing keys."""

    queued: int  # messages this transaction added to the outbox

    async def prefs(self, user_id: int) -> Prefs:
        """A reader's choices (the defaults when never set)."""
        ...

    async def set_prefs(self, user_id: int, prefs: Prefs, now: datetime) -> None:
        """Store a reader's choices."""
        ...

    async def enqueue(self, values: dict[str, Any]) -> bool:
        """Add a message unless one with its idempotency key exists; whether it was added."""
        ...

    async def latest_in_group(self, group_key: str) -> datetime | None:
        """When the last message of a group that went, or will go, is (or was) due."""
        ...

    async def due(self, now: datetime, limit: int) -> list[Message]:
        """Pending messages whose time has come, oldest first."""
        ...

    async def pending_in_group(self, group_key: str, now: datetime) -> list[Message]:
        """The group's pending messages due by now, oldest first (sent as one digest)."""
        ...

    async def mark_sent(self, ids: Sequence[int], now: datetime, status: int | None) -> None:
        """Delivered: never sent again."""
        ...

    async def mark_skipped(self, ids: Sequence[int], why: str) -> None:
        """Nothing to deliver to any more (unsubscribed, no address, webhook gone)."""
        ...

    async def mark_failed(
        self,
        ids: Sequence[int],
        *,
        error: str,
        status: int | None,
        retry_at: datetime | None,
    ) -> None:
        """One more failed attempt: try again at retry_at, or give up (None)."""
        ...

    async def purge(self, before: datetime) -> int:
        """Delete finished messages created before a moment; how many."""
        ...

    async def message(self, message_id: int) -> Message | None:
        """One outbox row."""
        ...

    async def queue_stats(self, site_id: str | None = None) -> dict[str, int]:
        """Messages per (channel, status)."""
        ...

    async def deliveries(self, webhook_id: int, limit: int) -> list[Message]:
        """A webhook's latest deliveries, newest first."""
        ...

    async def recent_failures(self, site_id: str, limit: int) -> list[Message]:
        """The latest messages that failed at least once, newest first."""
        ...

    async def take_lease(self, name: str, holder: str, now: datetime, until: datetime) -> bool:
        """Hold the lease until `until` if it is free, expired or already ours."""
        ...

    async def drop_lease(self, name: str, holder: str) -> None:
        """Let another process take over at once."""
        ...

    async def add_webhook(self, values: dict[str, Any]) -> Webhook:
        """Register a URL."""
        ...

    async def webhook(self, site_id: str, webhook_id: int) -> Webhook | None:
        """One of a site's webhooks."""
        ...

    async def webhooks(self, site_id: str) -> list[Webhook]:
        """A site's webhooks, oldest first."""
        ...

    async def update_webhook(self, webhook_id: int, **values: Any) -> None:
        """Change a webhook."""
        ...

    async def delete_webhook(self, webhook_id: int) -> None:
        """Remove a webhook; its pending deliveries stop."""
        ...

    async def add_to_inbox(
        self, user_id: int, kind: str, payload: dict[str, Any], key: str, now: datetime
    ) -> bool:
        """Put an item in a reader's bell unless one with this key exists."""
        ...

    async def inbox(
        self, user_id: int, limit: int, before: int | None = None
    ) -> list[dict[str, Any]]:
        """A reader's latest bell items, newest first."""
        ...

    async def unread(self, user_id: int) -> int:
        """How many bell items the reader has not read."""
        ...

    async def mark_read(self, user_id: int, ids: Sequence[int] | None, now: datetime) -> None:
        """Mark some (or, with None, all) of the reader's bell items read."""
        ...

    async def follow(self, user_id: int, story_id: int, now: datetime) -> None:
        """Follow a story (again: nothing changes)."""
        ...

    async def unfollow(self, user_id: int, story_id: int) -> None:
        """Stop following a story."""
        ...

    async def follows(self, user_id: int, story_id: int) -> bool:
        """Whether the reader follows the story."""
        ...

    async def followers(self, story_id: int) -> list[int]:
        """Everyone who follows a story."""
        ...

    async def pending_count(self, site_id: str) -> int:
        """Comments waiting in the site's Pending queue."""
        ...

    async def staff_with_email(self, site_id: str) -> list[int]:
        """Moderators and admins of the site who have an e-mail address."""
        ...

    async def email_verified(self, user_id: int) -> bool:
        """Whether a local account proved it reads its address."""
        ...

    async def verify_email(self, user_id: int, email_key: str, now: datetime) -> bool:
        """Mark the address verified if it is still the account's; whether it was."""
        ...

    async def password_hash(self, user_id: int) -> str | None:
        """A local account's password hash (None for publisher sign-in)."""
        ...

    async def set_password(self, user_id: int, digest: str, now: datetime) -> None:
        """Replace the password and end every session of the account."""
        ...

    async def signing_key(self, site_id: str, now: datetime) -> str:
        """The site's key for signed links, made on first use."""


class LiveEventStore(Protocol):
    """The live event log shared by processes without Redis."""

    async def append(self, rows: list[dict[str, Any]]) -> None:
        """Add events (channel, kind, data as JSON text, audience, created_ms), in order."""
        ...


class ReaderStore(Protocol):
    """A reader's own data: comments across stories, mutes, exports, erasure, retention."""

    async def comments_of(
        self, author_id: int, *, key: SortKey, limit: int, cursor: list[Any] | None
    ) -> list[dict[str, Any]]:
        """A page of the author's comments on every story, with the story."""
        ...

    async def mute(self, user_id: int, muted_id: int, now: datetime) -> bool:
        """Mute a commenter; False when already muted."""
        ...

    async def unmute(self, user_id: int, muted_id: int) -> bool:
        """Unmute; False when the commenter was not muted."""
        ...

    async def is_muted(self, user_id: int, muted_id: int) -> bool:
        """Whether the reader muted this commenter."""
        ...

    async def muters_of(self, author_id: int, user_ids: Sequence[int]) -> set[int]:
        """Which of these readers muted the author."""
        ...

    async def muted(self, user_id: int) -> list[dict[str, Any]]:
        """The commenters a reader muted, most recent first."""
        ...

    async def export_comments(
        self, author_id: int, after_id: int, limit: int
    ) -> list[dict[str, Any]]:
        """The author's comments with ids above `after_id`, by id, with their stories."""
        ...

    async def export_likes(self, user_id: int, after_id: int, limit: int) -> list[dict[str, Any]]:
        """Likes the reader gave, by comment id above `after_id`."""
        ...

    async def export_reports(self, user_id: int, after_id: int, limit: int) -> list[dict[str, Any]]:
        """Reports the reader made, by id above `after_id`."""
        ...

    async def end_sessions(
        self, user_id: int, now: datetime, *, keep_hash: str | None = None
    ) -> int:
        """Revoke every live session of a user (but `keep_hash`)."""
        ...

    async def is_deleted(self, user_id: int) -> bool:
        """Whether the account was deleted."""
        ...

    async def password_hash(self, user_id: int) -> str | None:
        """The account's password hash (None for publisher sign-in)."""
        ...

    async def live_comments(self, author_id: int) -> list[Comment]:
        """Every comment of the author that is not deleted yet."""
        ...

    async def tombstone(self, ids: Sequence[int], now: datetime) -> None:
        """Delete comments in bulk: text, findings, address hashes, retraining examples."""
        ...

    async def drop_replies(self, counts: dict[int, int]) -> None:
        """Take public replies off their parents' reply counts."""
        ...

    async def erase_account(self, user_id: int, now: datetime) -> None:
        """Strip an account of e-mail, identities, password and name."""
        ...

    async def audit_about(self, site_id: str, user_id: int) -> list[dict[str, Any]]:
        """Audit entries a user did or that concern their account."""
        ...

    async def rewrite_audit(
        self, entry_id: int, before: Any, after: Any, actor_name: Any = ...
    ) -> None:
        """Replace an audit entry's before/after."""
        ...

    async def purge_address_hashes(self, site_id: str, before: datetime) -> int:
        """Forget the address hashes of comments written before a moment."""
        ...

    async def audit_with_addresses(
        self, site_id: str, action: str, before: datetime
    ) -> list[dict[str, Any]]:
        """Older audit entries of one action."""
        ...

    async def release_names(self, site_id: str, before: datetime) -> int:
        """Free the name keys of accounts deleted before a moment."""
        ...

    async def end_expired_sessions(self, before: datetime) -> int:
        """Delete sessions that expired or were revoked before a moment."""
        ...


class DecisionStore(Protocol):
    """Moderators' decisions on held comments, kept as labelled examples."""

    async def add(
        self,
        *,
        site_id: str,
        comment_id: int,
        body: str,
        findings: list[dict[str, Any]],
        guideline: str | None,
        decision: str,
        moderator_id: int,
        now: datetime,
    ) -> None:
        """Record one decision (in the transaction that makes it)."""
        ...

    async def forget(self, comment_id: int) -> None:
        """Delete the examples taken from a comment (its author deleted it)."""
        ...

    async def tally(self, site_id: str, since: datetime) -> list[dict[str, Any]]:
        """Per automatic guideline since a time: decided, approved and rejected holds."""
        ...


class Stores(Protocol):
    """One transaction's (or read snapshot's) stores, and the changes it records."""

    @property
    def comments(self) -> CommentStore:
        """The comments store of this transaction."""
        ...

    @property
    def stories(self) -> StoryStore:
        """The stories store of this transaction."""
        ...

    @property
    def users(self) -> UserStore:
        """The users store of this transaction."""
        ...

    @property
    def sites(self) -> SiteStore:
        """The sites store of this transaction."""
        ...

    @property
    def audit(self) -> AuditStore:
        """The audit store of this transaction."""
        ...

    @property
    def notifications(self) -> NotificationStore:
        """The notifications store of this transaction."""
        ...

    @property
    def moderation(self) -> ModerationStore:
        """The moderation store of this transaction."""
        ...

    @property
    def decisions(self) -> DecisionStore:
        """The moderators' decisions kept as labelled examples."""
        ...

    @property
    def shadow(self) -> ShadowStore:
        """The shadowed-comment counts of this transaction."""
        ...

    @property
    def readers(self) -> ReaderStore:
        """A reader's own data in this transaction."""
        ...

    @property
    def imports(self) -> ImportStore:
        """The bulk import store of this transaction."""
        ...

    @property
    def bulk(self) -> BulkStore:
        """The bulk decision store of this transaction."""
        ...

    @property
    def trust(self) -> TrustStore:
        """The earned-trust store of this transaction."""
        ...

    @property
    def appeals(self) -> AppealStore:
        """The appeals store of this transaction."""
        ...

    @property
    def notes(self) -> NoteStore:
        """Notes and warnings on readers."""
        ...

    @property
    def stats(self) -> StatsStore:
        """The statistics of this transaction."""
        ...

    @property
    def live_events(self) -> LiveEventStore:
        """The live event log of this transaction."""
        ...

    def record(self, change: Change) -> None:
        """Note a change; listeners get it once the transaction has committed."""
        ...

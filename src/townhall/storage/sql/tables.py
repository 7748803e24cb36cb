"""SQLAlchemy Core tables shared by SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.types import TypeDecorator

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# SQLite has no BIGINT autoincrement; this keeps 64-bit ids on PostgreSQL.
Id = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both backends (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Any) -> datetime | None:
        if value is None:
            return None
        when: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
        return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


sites = Table(
    "sites",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("sso_secret", Text, nullable=True),
    Column("previous_sso_secret", Text, nullable=True),
    # SHA-256 of the environment secret last adopted, and of every retired secret (0007).
    Column("sso_env_digest", String(64), nullable=True),
    Column("retired_sso_secrets", JSON, nullable=True),
    Column("settings", JSON, nullable=False, server_default=text("'{}'")),
    Column("settings_version", Integer, nullable=False, server_default=text("1")),
    Column("created_at", UTCDateTime, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("site_id", String(64), ForeignKey("sites.id"), nullable=False),
    Column("email", String(320), nullable=True),
    Column("email_key", String(320), nullable=True),
    Column("sso_sub", String(255), nullable=True),
    Column("password_hash", Text, nullable=True),
    Column("name", String(64), nullable=True),
    Column("name_key", String(128), nullable=True),
    Column("role", String(16), nullable=False, server_default="commenter"),
    Column("is_premium", Boolean, nullable=False, server_default=text("false")),
    Column("is_banned", Boolean, nullable=False, server_default=text("false")),
    Column("suspended_until", UTCDateTime, nullable=True),
    Column("is_shadowbanned", Boolean, nullable=False, server_default=text("false")),
    Column("created_at", UTCDateTime, nullable=False),
    # A level staff set by hand (trusted, premoderated), until when, why, by whom (0016).
    Column("trust_level", String(16), nullable=True),
    Column("trust_until", UTCDateTime, nullable=True),
    Column("trust_reason", Text, nullable=True),
    Column("trust_set_by", Id, nullable=True),
    # A named expert: staff give the badge; an expert's reply answers a Q&A question (0015).
    Column("is_expert", Boolean, nullable=False, server_default=text("false")),
    # When a local account proved it reads its address (0013); SSO addresses are trusted.
    Column("email_verified_at", UTCDateTime, nullable=True),
    # Set when the account was deleted: the row stays, without e-mail, identities or name (0014).
    Column("deleted_at", UTCDateTime, nullable=True),
    UniqueConstraint("site_id", "email_key"),
    UniqueConstraint("site_id", "sso_sub"),
    UniqueConstraint("site_id", "name_key"),
    # Staff names are read for every post (impersonation check): no scan of all users.
    Index("ix_users_role", "site_id", "role"),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime, nullable=True),
    Index(None, "user_id"),
)

stories = Table(
    "stories",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("site_id", String(64), ForeignKey("sites.id"), nullable=False),
    Column("key", String(255), nullable=False),
    Column("url", Text, nullable=True),
    Column("title", Text, nullable=True),
    Column("is_closed", Boolean, nullable=False, server_default=text("false")),
    Column("premoderate", Boolean, nullable=False, server_default=text("false")),
    Column("premium_enabled", Boolean, nullable=False, server_default=text("true")),
    Column("auto_close_days", Integer, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    # Public (published, not shadowed) comments per stream, kept by triggers (0005).
    Column("published_open", Integer, nullable=False, server_default=text("0")),
    Column("published_premium", Integer, nullable=False, server_default=text("0")),
    # Editorial settings (0015): the question above the form, a pinned staff comment,
    # likes closed while comments stay open, questions and answers.
    Column("prompt", Text, nullable=True),
    Column("pinned_comment_id", Id, nullable=True),
    Column("likes_closed", Boolean, nullable=False, server_default=text("false")),
    Column("qa_mode", Boolean, nullable=False, server_default=text("false")),
    # Comments of the story that stand picked (kept by picking and unpicking).
    Column("pick_count", Integer, nullable=False, server_default=text("0")),
    UniqueConstraint("site_id", "key"),
)

# PostgreSQL: changes to the counts above, appended by the count trigger without locking
# the story row, folded into it in the background (0012, storage/sql/counts.py).
story_count_deltas = Table(
    "story_count_deltas",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("story_id", Id, nullable=False),
    Column("d_open", Integer, nullable=False),
    Column("d_premium", Integer, nullable=False),
    Index(None, "story_id"),
)

comments = Table(
    "comments",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("site_id", String(64), ForeignKey("sites.id"), nullable=False),
    Column("story_id", Id, ForeignKey("stories.id"), nullable=False),
    Column("stream", String(16), nullable=False),
    Column("parent_id", Id, ForeignKey("comments.id"), nullable=True),
    Column("root_id", Id, nullable=True),
    Column("depth", Integer, nullable=False, server_default=text("0")),
    Column("author_id", Id, ForeignKey("users.id"), nullable=False),
    Column("body", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("edited_at", UTCDateTime, nullable=True),
    Column("deleted_at", UTCDateTime, nullable=True),
    Column("like_count", Integer, nullable=False, server_default=text("0")),
    Column("reply_count", Integer, nullable=False, server_default=text("0")),
    Column("report_count", Integer, nullable=False, server_default=text("0")),
    Column("reports_cleared_at", UTCDateTime, nullable=True),
    Column("is_shadowed", Boolean, nullable=False, server_default=text("false")),
    Column("findings", JSON, nullable=True),
    Column("guideline", String(32), nullable=True),
    Column("decided_by", Id, nullable=True),
    Column("decided_at", UTCDateTime, nullable=True),
    Column("ip_hash", String(64), nullable=True),
    Column("import_key", String(255), nullable=True),
    # Deciding (or highest) finding score, for score-band queue filters (0016).
    Column("score", Float, nullable=True),
    # Editorial (0015): a pick and its public note, a Q&A answer, a staff reply, and the
    # stored key of the Best order (domain/sorting.py), rewritten when its inputs change.
    Column("featured_at", UTCDateTime, nullable=True),
    Column("feature_note", Text, nullable=True),
    Column("answered_at", UTCDateTime, nullable=True),
    Column("staff_replied", Boolean, nullable=False, server_default=text("false")),
    Column("best_rank", Float, nullable=False, server_default=text("0")),
    # Top-level page queries: (story, stream, top-level) then the sort key.
    Index("ix_comments_top_time", "story_id", "stream", "depth", "created_at", "id"),
    Index("ix_comments_top_likes", "story_id", "stream", "depth", "like_count", "created_at", "id"),
    Index("ix_comments_thread", "root_id", "created_at", "id"),
    Index("ix_comments_author", "author_id", "created_at"),
    Index("ix_comments_queue", "site_id", "status", "created_at"),
    # Moderation queues: all recent comments, and the reported ones.
    Index("ix_comments_site_time", "site_id", "created_at", "id"),
    Index("ix_comments_reported", "site_id", "report_count", "created_at"),
    Index("ix_comments_import_key", "site_id", "import_key", unique=True),
    Index("ix_comments_top_best", "story_id", "stream", "depth", "best_rank", "id"),
    Index("ix_comments_featured", "story_id", "featured_at"),
    # An author's rejections, for earned trust (0017).
    Index(
        "ix_comments_author_rejected",
        "author_id",
        sqlite_where=text("status = 'rejected'"),
        postgresql_where=text("status = 'rejected'"),
    ),
)

likes = Table(
    "likes",
    metadata,
    Column("comment_id", Id, ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_likes_user", "user_id", "comment_id"),
)

reports = Table(
    "reports",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("comment_id", Id, ForeignKey("comments.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("reason", String(32), nullable=False),
    Column("note", Text, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("comment_id", "user_id"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("site_id", String(64), nullable=False),
    Column("actor_id", Id, nullable=True),
    Column("actor_name", String(64), nullable=True),
    Column("action", String(64), nullable=False),
    Column("target_type", String(32), nullable=False),
    Column("target_id", String(255), nullable=True),
    Column("before", JSON, nullable=True),
    Column("after", JSON, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_audit_site_time", "site_id", "created_at"),
)

# A moderator's bulk decision over a filtered queue: previewed, acted, maybe undone (0016).
bulk_actions = Table(
    "bulk_actions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("site_id", String(64), ForeignKey("sites.id"), nullable=False),
    Column("token", String(64), nullable=False),
    Column("undo_token", String(64), nullable=True),
    Column("actor_id", Id, nullable=False),
    Column("action", String(16), nullable=False),
    Column("reason", Text, nullable=True),
    Column("filter", JSON, nullable=True),
    Column("state", String(16), nullable=False),
    Column("count", Integer, nullable=False, server_default=text("0")),
    Column("done", Integer, nullable=False, server_default=text("0")),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("acted_at", UTCDateTime, nullable=True),
    Column("undo_until", UTCDateTime, nullable=True),
    Column("undone_at", UTCDateTime, nullable=True),
    UniqueConstraint("token"),
    UniqueConstraint("undo_token"),
)

# The previewed comments of a bulk action, each as it was before (for acting and undo).
bulk_items = Table(
    "bulk_items",
    metadata,
    Column("bulk_id", Id, ForeignKey("bulk_actions.id", ondelete="CASCADE"), primary_key=True),
    Column("comment_id", Id, ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True),
    Column("story_id", Id, nullable=False),
    Column("status", String(16), nullable=False),
    Column("report_count", Integer, nullable=False),
    Column("reports_cleared_at", UTCDateTime, nullable=True),
    Column("decided_by", Id, nullable=True),
    Column("decided_at", UTCDateTime, nullable=True),
    Column("findings", JSON, nullable=True),
    Column("acted", Boolean, nullable=False, server_default=text("false")),
)

# An author's one appeal against a rejection; someone other than the decider reviews it (0016).
appeals = Table(
    "appeals",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("site_id", String(64), ForeignKey("sites.id"), nullable=False),
    Column("comment_id", Id, ForeignKey("comments.id", ondelete="CASCADE"), nullable=False),
    Column("author_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("text", Text, nullable=False),
    Column("status", String(16), nullable=False),  # open, upheld, overturned
    Column("decider_id", Id, nullable=True),  # who rejected the comment (None: automatic)
    Column("reviewer_id", Id, nullable=True),
    Column("outcome_reason", Text, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("decided_at", UTCDateTime, nullable=True),
    UniqueConstraint("comment_id"),
    Index("ix_appeals_site_status", "site_id", "status", "created_at"),
)

# Staff's private notes on a reader, and warnings the reader must acknowledge (0016).
user_notes = Table(
    "user_notes",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("site_id", String(64), ForeignKey("sites.id"), nullable=False),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("author_id", Id, nullable=True),
    Column("kind", String(16), nullable=False),  # note (staff only) or warning (shown)
    Column("text", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("acknowledged_at", UTCDateTime, nullable=True),
    Index("ix_user_notes_user", "user_id", "created_at"),
)

# Notifications (0013): readers' choices, the outbox of messages to deliver, webhooks.
notification_prefs = Table(
    "notification_prefs",
    metadata,
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("notify_replies", Boolean, nullable=False, server_default=text("false")),
    Column("notify_decisions", Boolean, nullable=False, server_default=text("true")),
    Column("digest", String(8), nullable=False, server_default="off"),
    Column("updated_at", UTCDateTime, nullable=False),
)

# Written in the transaction of the change that calls for it; delivered after commit.
outbox = Table(
    "outbox",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("site_id", String(64), nullable=False),
    Column("channel", String(16), nullable=False),  # email | webhook
    Column("kind", String(64), nullable=False),  # template or event type
    Column("recipient_id", Id, nullable=True),  # user (e-mail) or webhook id
    Column("payload", JSON, nullable=False),
    Column("idempotency_key", String(255), nullable=False),
    Column("group_key", String(255), nullable=True),  # one e-mail per group (digests)
    Column("status", String(16), nullable=False, server_default="pending"),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("not_before", UTCDateTime, nullable=False),
    Column("last_error", Text, nullable=True),
    Column("last_status", Integer, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime, nullable=True),
    UniqueConstraint("idempotency_key"),
    Index("ix_outbox_due", "status", "not_before"),
    Index("ix_outbox_group", "group_key", "not_before"),
    Index("ix_outbox_recipient", "channel", "recipient_id", "id"),
)

# Who runs the sender: one holder at a time among every process sharing the database.
leases = Table(
    "leases",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("holder", String(128), nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
)

webhooks = Table(
    "webhooks",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("site_id", String(64), ForeignKey("sites.id"), nullable=False),
    Column("url", Text, nullable=False),
    Column("events", JSON, nullable=False),
    Column("secret", String(128), nullable=False),
    Column("format", String(16), nullable=False, server_default="json"),
    Column("is_active", Boolean, nullable=False, server_default=text("true")),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_webhooks_site", "site_id"),
)

# The key that signs links in e-mails (unsubscribe), made once per site.
signing_keys = Table(
    "signing_keys",
    metadata,
    Column("site_id", String(64), ForeignKey("sites.id"), primary_key=True),
    Column("secret", String(128), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

# The widget's bell: what happened to a reader's comments and the stories they follow.
inbox = Table(
    "inbox",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("dedupe_key", String(255), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("read_at", UTCDateTime, nullable=True),
    UniqueConstraint("dedupe_key"),
    Index("ix_inbox_user", "user_id", "id"),
)

follows = Table(
    "follows",
    metadata,
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("story_id", Id, ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_follows_story", "story_id"),
)


# Live events of every story, for workers and instances that share no Redis: each process
# tails this log for its readers, and a reader that reconnects resumes from its row id.
# Pruned by age and size (townhall.live.database); never archived.
live_events = Table(
    "live_events",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("channel", Text, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("data", Text, nullable=False),
    Column("audience", Id, nullable=True),
    Column("created_ms", BigInteger, nullable=False),
    Index("ix_live_events_channel_id", "channel", "id"),
    sqlite_autoincrement=True,  # ids never go back, even after the newest rows are pruned
)

# Commenters a reader has muted; read only for that reader (0014).
mutes = Table(
    "mutes",
    metadata,
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("muted_id", Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_mutes_muted_id", "muted_id"),
)


# Labelled examples for retraining the automatic review: what a moderator decided about a
# held comment, with the text and findings as they were when the decision was made.
moderation_decisions = Table(
    "moderation_decisions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("site_id", String(64), ForeignKey("sites.id"), nullable=False),
    # No foreign keys to the comment or the moderator: an example outlives neither's row,
    # and the author deleting the comment deletes its examples (services/comments.py).
    Column("comment_id", Id, nullable=False),
    Column("body", Text, nullable=False),
    Column("findings", JSON, nullable=True),
    Column("guideline", String(32), nullable=True),
    Column("decision", String(16), nullable=False),
    Column("moderator_id", Id, nullable=True),
    Column("decided_at", UTCDateTime, nullable=False),
    Index("ix_moderation_decisions_site_time", "site_id", "decided_at"),
    Index("ix_moderation_decisions_comment", "comment_id"),
)

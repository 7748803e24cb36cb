"""moderation at scale: comment scores, bulk previews with undo

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01

`users.trust_*` hold a level staff set by hand for a reader (trusted or pre-moderated),
until when, why and by whom; the earned level itself is computed from the reader's record.
`appeals` holds an author's one appeal against a rejection, who decided the rejection (so
someone else reviews it) and the outcome.
`user_notes` holds staff's private notes on a reader, and warnings the reader must
acknowledge before posting again.
`comments.score` is the deciding (or highest) score of a comment's findings, so queues can
be filtered by score band in SQL; existing rows get it from their stored findings.
`bulk_actions` and `bulk_items` hold a moderator's filtered bulk decision: the previewed
set of comments with what each looked like, so acting touches exactly that set and undo
puts every one back as it was.
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

CHUNK = 1000
Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _score(findings) -> float | None:
    if isinstance(findings, str):
        findings = json.loads(findings)
    scores = [
        f["score"]
        for f in findings or []
        if isinstance(f, dict)
        and isinstance(f.get("score"), int | float)
        and f.get("guideline") != "moderator"
    ]
    return float(max(scores)) if scores else None


def _backfill_scores() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, findings FROM comments WHERE findings IS NOT NULL"))
    changes = [{"id": cid, "score": s} for cid, f in rows if (s := _score(f)) is not None]
    for start in range(0, len(changes), CHUNK):
        bind.execute(
            sa.text("UPDATE comments SET score = :score WHERE id = :id"),
            changes[start : start + CHUNK],
        )


def upgrade() -> None:
    # A plain ADD COLUMN: a batch copy of the table would drop its count triggers (0005).
    op.add_column("comments", sa.Column("score", sa.Float(), nullable=True))
    _backfill_scores()
    op.add_column("users", sa.Column("trust_level", sa.String(16), nullable=True))
    op.add_column("users", sa.Column("trust_until", sa.DateTime(timezone=True), nullable=True))
    op.add_column("users", sa.Column("trust_reason", sa.Text(), nullable=True))
    op.add_column("users", sa.Column("trust_set_by", Id, nullable=True))
    op.create_table(
        "bulk_actions",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("site_id", sa.String(64), sa.ForeignKey("sites.id"), nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("undo_token", sa.String(64), nullable=True),
        sa.Column("actor_id", Id, nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("filter", sa.JSON(), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("done", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undo_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("token", name="uq_bulk_actions_token"),
        sa.UniqueConstraint("undo_token", name="uq_bulk_actions_undo_token"),
    )
    op.create_table(
        "bulk_items",
        sa.Column(
            "bulk_id",
            Id,
            sa.ForeignKey("bulk_actions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "comment_id", Id, sa.ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("story_id", Id, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("report_count", sa.Integer(), nullable=False),
        sa.Column("reports_cleared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", Id, nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("findings", sa.JSON(), nullable=True),
        sa.Column("acted", sa.Boolean(), nullable=False, server_default=sa.text("(false)")),
    )

    op.create_table(
        "appeals",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("site_id", sa.String(64), sa.ForeignKey("sites.id"), nullable=False),
        sa.Column(
            "comment_id", Id, sa.ForeignKey("comments.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("author_id", Id, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("decider_id", Id, nullable=True),
        sa.Column("reviewer_id", Id, nullable=True),
        sa.Column("outcome_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("comment_id", name="uq_appeals_comment_id"),
        sa.Index("ix_appeals_site_status", "site_id", "status", "created_at"),
    )

    op.create_table(
        "user_notes",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("site_id", sa.String(64), sa.ForeignKey("sites.id"), nullable=False),
        sa.Column("user_id", Id, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("author_id", Id, nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Index("ix_user_notes_user", "user_id", "created_at"),
    )


def downgrade() -> None:
    op.drop_table("user_notes")
    op.drop_table("appeals")
    op.drop_table("bulk_items")
    op.drop_table("bulk_actions")
    for column in ("trust_set_by", "trust_reason", "trust_until", "trust_level"):
        op.drop_column("users", column)
    op.drop_column("comments", "score")

"""editorial tools: picks, story prompts, pinned comments, Q&A, the Best order, experts

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-01

comments: `featured_at` and `feature_note` (a pick and why), `answered_at` (a question
of a Q&A story that staff or an expert answered), `staff_replied`, and `best_rank`, the
stored key of the Best order (domain/sorting.py), written whenever one of its inputs
changes and computed here for the comments that exist. stories: `prompt`,
`pinned_comment_id`, `likes_closed`, `qa_mode`. users: `is_expert`.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0013"
branch_labels = None
depends_on = None

CHUNK = 1000
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    from townhall.domain.sorting import best_rank
    from townhall.storage.sql.tables import UTCDateTime

    # Plain ALTER TABLE ADD COLUMN on both backends: SQLite keeps the comments table
    # (and the count triggers of 0005) instead of rebuilding it.
    no = sa.text("false")
    op.add_column("comments", sa.Column("featured_at", UTCDateTime, nullable=True))
    op.add_column("comments", sa.Column("feature_note", sa.Text, nullable=True))
    op.add_column("comments", sa.Column("answered_at", UTCDateTime, nullable=True))
    op.add_column(
        "comments", sa.Column("staff_replied", sa.Boolean, nullable=False, server_default=no)
    )
    op.add_column(
        "comments", sa.Column("best_rank", sa.Float, nullable=False, server_default=sa.text("0"))
    )
    op.add_column("stories", sa.Column("prompt", sa.Text, nullable=True))
    op.add_column("stories", sa.Column("pinned_comment_id", ID, nullable=True))
    op.add_column(
        "stories", sa.Column("likes_closed", sa.Boolean, nullable=False, server_default=no)
    )
    op.add_column("stories", sa.Column("qa_mode", sa.Boolean, nullable=False, server_default=no))
    op.add_column("users", sa.Column("is_expert", sa.Boolean, nullable=False, server_default=no))
    op.create_index(
        "ix_comments_top_best", "comments", ["story_id", "stream", "depth", "best_rank", "id"]
    )
    op.create_index("ix_comments_featured", "comments", ["story_id", "featured_at"])
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT id, like_count, report_count, guideline, created_at FROM comments")
    ).all()
    when = UTCDateTime()

    def created(value):
        out = when.process_result_value(value, bind.dialect)
        assert out is not None
        return out

    changes = [
        {
            "id": cid,
            "rank": best_rank(
                likes=likes,
                reports=reports,
                featured=False,
                staff_replied=False,
                held=guideline is not None,
                created_at=created(created_at),
            ),
        }
        for cid, likes, reports, guideline, created_at in rows
    ]
    for start in range(0, len(changes), CHUNK):
        bind.execute(
            sa.text("UPDATE comments SET best_rank = :rank WHERE id = :id"),
            changes[start : start + CHUNK],
        )


def downgrade() -> None:
    op.drop_index("ix_comments_featured", table_name="comments")
    op.drop_index("ix_comments_top_best", table_name="comments")
    op.drop_column("users", "is_expert")
    for name in ("qa_mode", "likes_closed", "pinned_comment_id", "prompt"):
        op.drop_column("stories", name)
    for name in ("best_rank", "staff_replied", "answered_at", "feature_note", "featured_at"):
        op.drop_column("comments", name)

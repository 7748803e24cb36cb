"""comments: indexes for the moderation queues (all recent, reported)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_comments_site_time", "comments", ["site_id", "created_at", "id"])
    op.create_index("ix_comments_reported", "comments", ["site_id", "report_count", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_comments_reported", table_name="comments")
    op.drop_index("ix_comments_site_time", table_name="comments")

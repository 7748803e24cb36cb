"""comments: covering index for counting a story's public comments

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_comments_public", "comments", ["story_id", "stream", "status", "is_shadowed"]
    )


def downgrade() -> None:
    op.drop_index("ix_comments_public", table_name="comments")

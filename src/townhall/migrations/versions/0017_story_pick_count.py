"""stories.pick_count: how many of a story's comments stand picked; an index of rejections

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01

A story's page carries its picks; most stories have none, and without this count every
uncached first page asked the comments table to find out. Picking and unpicking keep it in
the same transaction; existing picks are counted here.

`ix_comments_author_rejected` (partial: rejected comments only) lets earned trust count an
author's rejections without reading every comment they ever wrote.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "stories",
        sa.Column("pick_count", sa.Integer, nullable=False, server_default=sa.text("0")),
    )
    op.execute(
        "UPDATE stories SET pick_count = (SELECT count(*) FROM comments "
        "WHERE comments.story_id = stories.id AND comments.featured_at IS NOT NULL)"
    )
    op.create_index(
        "ix_comments_author_rejected",
        "comments",
        ["author_id"],
        sqlite_where=sa.text("status = 'rejected'"),
        postgresql_where=sa.text("status = 'rejected'"),
    )


def downgrade() -> None:
    op.drop_index("ix_comments_author_rejected", table_name="comments")
    op.drop_column("stories", "pick_count")

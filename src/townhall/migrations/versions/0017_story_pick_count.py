"""stories.pick_count: how many of a story's comments stand picked

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01

A story's page carries its picks; most stories have none, and without this count every
uncached first page asked the comments table to find out. Picking and unpicking keep it in
the same transaction; existing picks are counted here.
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


def downgrade() -> None:
    op.drop_column("stories", "pick_count")

"""live_events: the live event log shared by workers without Redis

Revision ID: 0011
Revises: 0012
Create Date: 2026-12-04

Several worker processes (or instances) without Redis share live events through this
table: each publishes by inserting a row and tails the rows after the last it saw; a
reader that reconnects resumes from its row id. Rows are pruned by age and count.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0012"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "live_events",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("audience", Id, nullable=True),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_live_events"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_live_events_channel_id", "live_events", ["channel", "id"])


def downgrade() -> None:
    op.drop_index("ix_live_events_channel_id", table_name="live_events")
    op.drop_table("live_events")

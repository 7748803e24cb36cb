"""moderation_decisions: moderators' decisions on held comments, as labelled examples

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04

Every approval or rejection of a held comment stores the text and the automatic findings
as they were when the moderator decided, for retraining the automatic review and for the
per-guideline precision of its holds (docs/moderation.md).
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "moderation_decisions",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("comment_id", Id, nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=True),
        sa.Column("guideline", sa.String(length=32), nullable=True),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("moderator_id", Id, nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_moderation_decisions_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_decisions")),
    )
    op.create_index(
        "ix_moderation_decisions_site_time", "moderation_decisions", ["site_id", "decided_at"]
    )
    op.create_index("ix_moderation_decisions_comment", "moderation_decisions", ["comment_id"])


def downgrade() -> None:
    op.drop_index("ix_moderation_decisions_comment", table_name="moderation_decisions")
    op.drop_index("ix_moderation_decisions_site_time", table_name="moderation_decisions")
    op.drop_table("moderation_decisions")

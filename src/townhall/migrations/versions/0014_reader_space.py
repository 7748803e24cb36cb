"""users.deleted_at and mutes: a reader's own space (muting, deleting an account)

Revision ID: 0014
Revises: 0010
Create Date: 2026-12-01

An account deleted by its reader (or erased by staff) keeps its row, without e-mail,
sign-in identities or name, so the comments kept as "a former reader" and the audit log
still point somewhere; `deleted_at` marks it, and the retention job releases its name's
skeleton key after the site's quarantine. `mutes` holds which commenters a reader has
muted; nobody else ever reads it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "mutes",
        sa.Column(
            "user_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.ForeignKey("users.id", ondelete="CASCADE", name="fk_mutes_user_id_users"),
            primary_key=True,
        ),
        sa.Column(
            "muted_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.ForeignKey("users.id", ondelete="CASCADE", name="fk_mutes_muted_id_users"),
            primary_key=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "muted_id", name="pk_mutes"),
    )
    op.create_index("ix_mutes_muted_id", "mutes", ["muted_id"])


def downgrade() -> None:
    op.drop_index("ix_mutes_muted_id", table_name="mutes")
    op.drop_table("mutes")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("deleted_at")

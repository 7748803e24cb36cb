"""comments.import_key: idempotent imports from other comment systems

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("comments") as batch:
        batch.add_column(sa.Column("import_key", sa.String(255), nullable=True))
        batch.create_index("ix_comments_import_key", ["site_id", "import_key"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("comments") as batch:
        batch.drop_index("ix_comments_import_key")
        batch.drop_column("import_key")

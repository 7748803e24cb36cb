"""sites: remember which environment secret was adopted and which secrets were retired

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

A restart with an unchanged TOWNHALL_SSO_SECRET must not bring back a secret that
was rotated out from the dashboard. The site now keeps the SHA-256 of the last
environment value it adopted (only a different value is a rotation) and the
SHA-256 of every secret rotated out or revoked (never installed again).
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sites") as batch:
        batch.add_column(sa.Column("sso_env_digest", sa.String(64), nullable=True))
        batch.add_column(sa.Column("retired_sso_secrets", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sites") as batch:
        batch.drop_column("retired_sso_secrets")
        batch.drop_column("sso_env_digest")

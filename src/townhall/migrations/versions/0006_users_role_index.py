"""users: index for finding a site's staff

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25

Every post reads the names of the site's moderators and admins (a comment or name
posing as staff is held); without an index that read scans every user.
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_users_role", "users", ["site_id", "role"])


def downgrade() -> None:
    op.drop_index("ix_users_role", table_name="users")

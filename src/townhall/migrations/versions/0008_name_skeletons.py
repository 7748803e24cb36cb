"""users: re-key commenting names with the new skeleton; report the look-alikes

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

The skeleton that keeps names unique is now taken from the name as written (before
lower-casing) and includes multi-character look-alikes ("rn" for "m") and digits
("0" for "O", "1" for "l"). Every stored key is recomputed. Names that now look
like an older one are not renamed: the oldest keeps the key, each later one gets a
key of its own (so nobody new can take either spelling), and the migration logs how
many there are. `townhall names` lists them for staff to review.
"""

import logging

import sqlalchemy as sa
from alembic import op

from townhall.auth.names import name_key

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

log = logging.getLogger("townhall.migrations")


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT id, site_id, name FROM users WHERE name IS NOT NULL ORDER BY id")
    ).all()
    holders: dict[tuple[str, str], int] = {}
    updates = []
    later = 0
    for user_id, site_id, name in rows:
        key = name_key(name)
        if (site_id, key) in holders:
            later += 1
            key = f"{key}~{user_id}"  # never equal to a computed key
        else:
            holders[(site_id, key)] = user_id
        updates.append({"key": key, "id": user_id})
    # Cleared first: a new key may be one another row still holds under the old rule.
    bind.execute(sa.text("UPDATE users SET name_key = NULL WHERE name IS NOT NULL"))
    if updates:
        bind.execute(sa.text("UPDATE users SET name_key = :key WHERE id = :id"), updates)
    if later:
        log.warning(
            "%d commenting names now look like an older one; nobody was renamed. "
            "Run `townhall names` to list them for review.",
            later,
        )


def downgrade() -> None:
    """Keys stay as computed: the earlier rule's keys are not needed to go back."""

"""comments.import_key: keys name the source as well as the comment

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03

An import key was `<format>:<comment id>`, but WordPress numbers comments per site and
Isso per database, so a second site's comments were skipped as "already imported". Keys
are now `<format>:<source>:<comment id>`, the source being a short digest of the site,
forum or database. Keys written before cannot say which source they came from: they
become `<format>::<comment id>`, and the next import of the same file recognises each
one by its story and time and gives it the full key (townhall/porting/importer.py).
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

CHUNK = 1000


def _rewrite(old_shape, new_key) -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT id, import_key FROM comments WHERE import_key IS NOT NULL")
    ).all()
    changes = [{"id": cid, "key": new_key(key)} for cid, key in rows if old_shape(key)]
    for start in range(0, len(changes), CHUNK):
        bind.execute(
            sa.text("UPDATE comments SET import_key = :key WHERE id = :id"),
            changes[start : start + CHUNK],
        )


def upgrade() -> None:
    _rewrite(lambda key: key.count(":") == 1, lambda key: key.replace(":", "::", 1))


def downgrade() -> None:
    """Keys without a source go back to the old shape; keys naming a source stay (the old
    importer cannot match them, and would import those comments again)."""
    _rewrite(lambda key: "::" in key, lambda key: key.replace("::", ":", 1))

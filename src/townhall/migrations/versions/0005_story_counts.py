"""stories: public comment counts per stream, kept by the database

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25

Every page and every count answer needs a story's number of public comments
(published and not shadowed). Counting them costs time in proportion to the
story's size; these two columns hold the numbers instead. Triggers keep them
right for every statement that inserts, deletes or changes a comment's status,
shadow flag, stream or story, whichever code path runs it (posting, moderation,
enforcement, imports), in the same transaction as the change. The covering index
that counting used (0003) goes: one index less to update on every write.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_VISIBLE_OLD = "OLD.status = 'published' AND NOT OLD.is_shadowed"
_VISIBLE_NEW = "NEW.status = 'published' AND NOT NEW.is_shadowed"


def _sqlite_shift(row: str, sign: str) -> str:
    # Built from the constants of this file only (row is OLD or NEW, sign + or -).
    return (
        f"UPDATE stories SET published_open = published_open {sign} ({row}.stream = 'open'), "  # noqa: S608
        f"published_premium = published_premium {sign} ({row}.stream = 'premium') "
        f"WHERE id = {row}.story_id"
    )


def _pg_shift(row: str, sign: str) -> str:
    return (
        f"UPDATE stories SET "  # noqa: S608
        f"published_open = published_open {sign} ({row}.stream = 'open')::int, "
        f"published_premium = published_premium {sign} ({row}.stream = 'premium')::int "
        f"WHERE id = {row}.story_id"
    )


SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER trg_comments_count_ins AFTER INSERT ON comments
    WHEN {_VISIBLE_NEW}
    BEGIN {_sqlite_shift("NEW", "+")}; END""",
    f"""CREATE TRIGGER trg_comments_count_del AFTER DELETE ON comments
    WHEN {_VISIBLE_OLD}
    BEGIN {_sqlite_shift("OLD", "-")}; END""",
    f"""CREATE TRIGGER trg_comments_count_upd
    AFTER UPDATE OF status, is_shadowed, stream, story_id ON comments
    WHEN ({_VISIBLE_OLD}) OR ({_VISIBLE_NEW})
    BEGIN
      {_sqlite_shift("OLD", "-")} AND {_VISIBLE_OLD};
      {_sqlite_shift("NEW", "+")} AND {_VISIBLE_NEW};
    END""",
]

PG_FUNCTION = f"""CREATE OR REPLACE FUNCTION townhall_story_counts() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND {_VISIBLE_OLD} THEN
    {_pg_shift("OLD", "-")};
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND {_VISIBLE_NEW} THEN
    {_pg_shift("NEW", "+")};
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql"""

PG_TRIGGERS = [
    """CREATE TRIGGER trg_comments_count_ins_del AFTER INSERT OR DELETE ON comments
    FOR EACH ROW EXECUTE FUNCTION townhall_story_counts()""",
    """CREATE TRIGGER trg_comments_count_upd
    AFTER UPDATE OF status, is_shadowed, stream, story_id ON comments
    FOR EACH ROW WHEN ((OLD.status, OLD.is_shadowed, OLD.stream, OLD.story_id)
                       IS DISTINCT FROM (NEW.status, NEW.is_shadowed, NEW.stream, NEW.story_id))
    EXECUTE FUNCTION townhall_story_counts()""",
]

BACKFILL = """UPDATE stories SET
  published_open = (SELECT count(*) FROM comments c WHERE c.story_id = stories.id
                    AND c.stream = 'open' AND c.status = 'published' AND NOT c.is_shadowed),
  published_premium = (SELECT count(*) FROM comments c WHERE c.story_id = stories.id
                       AND c.stream = 'premium' AND c.status = 'published' AND NOT c.is_shadowed)
"""


def upgrade() -> None:
    with op.batch_alter_table("stories") as batch:
        batch.add_column(
            sa.Column("published_open", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column("published_premium", sa.Integer(), nullable=False, server_default="0")
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        for statement in PG_TRIGGERS:
            op.execute(statement)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
    op.execute(BACKFILL)
    op.drop_index("ix_comments_public", table_name="comments")


def downgrade() -> None:
    op.create_index(
        "ix_comments_public", "comments", ["story_id", "stream", "status", "is_shadowed"]
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS trg_comments_count_upd ON comments")
        op.execute("DROP TRIGGER IF EXISTS trg_comments_count_ins_del ON comments")
        op.execute("DROP FUNCTION IF EXISTS townhall_story_counts()")
    else:
        for name in ("trg_comments_count_ins", "trg_comments_count_del", "trg_comments_count_upd"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("published_premium")
        batch.drop_column("published_open")

"""story_count_deltas: PostgreSQL counts stories' comments without locking the story row

Revision ID: 0012
Revises: 0014
Create Date: 2026-12-01

Since 0005 a trigger adds each new public comment to its story's row. On PostgreSQL that
UPDATE locks the row until the transaction commits, so every post to a busy story waited
for the one before it, on every instance. Now the trigger appends the change to
story_count_deltas instead (an INSERT locks nothing anybody else waits for); readers add a
story's pending deltas to its row in the same statement, and a background step folds them
into the row in short transactions of its own (storage/sql/counts.py). Counts stay exact at
every moment. SQLite has one writer at a time anyway and keeps the 0005 triggers; the table
exists there too, always empty, so both databases have the same tables.

Also on PostgreSQL: a new top-level comment is the root of its own thread from the
INSERT on (a BEFORE trigger copies the id the column default just drew), which saves
posting the round trip of a second statement.
"""

# ruff: noqa: S608 - the SQL is built from this file's constants only
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0014"
branch_labels = None
depends_on = None

_VISIBLE_OLD = "OLD.status = 'published' AND NOT OLD.is_shadowed"
_VISIBLE_NEW = "NEW.status = 'published' AND NOT NEW.is_shadowed"

PG_FUNCTION = f"""CREATE OR REPLACE FUNCTION townhall_story_counts() RETURNS trigger AS $$
DECLARE
  old_open int := 0; old_premium int := 0; new_open int := 0; new_premium int := 0;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND {_VISIBLE_OLD} THEN
    old_open := (OLD.stream = 'open')::int;
    old_premium := (OLD.stream = 'premium')::int;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND {_VISIBLE_NEW} THEN
    new_open := (NEW.stream = 'open')::int;
    new_premium := (NEW.stream = 'premium')::int;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.story_id = NEW.story_id THEN
    IF new_open <> old_open OR new_premium <> old_premium THEN
      INSERT INTO story_count_deltas (story_id, d_open, d_premium)
      VALUES (NEW.story_id, new_open - old_open, new_premium - old_premium);
    END IF;
    RETURN NULL;
  END IF;
  IF old_open + old_premium > 0 THEN
    INSERT INTO story_count_deltas (story_id, d_open, d_premium)
    VALUES (OLD.story_id, -old_open, -old_premium);
  END IF;
  IF new_open + new_premium > 0 THEN
    INSERT INTO story_count_deltas (story_id, d_open, d_premium)
    VALUES (NEW.story_id, new_open, new_premium);
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql"""

# 0005's function, for the way back.
PG_FUNCTION_0005 = f"""CREATE OR REPLACE FUNCTION townhall_story_counts() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND {_VISIBLE_OLD} THEN
    UPDATE stories SET
      published_open = published_open - (OLD.stream = 'open')::int,
      published_premium = published_premium - (OLD.stream = 'premium')::int
    WHERE id = OLD.story_id;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND {_VISIBLE_NEW} THEN
    UPDATE stories SET
      published_open = published_open + (NEW.stream = 'open')::int,
      published_premium = published_premium + (NEW.stream = 'premium')::int
    WHERE id = NEW.story_id;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql"""

PG_ROOT = [
    """CREATE OR REPLACE FUNCTION townhall_comment_root() RETURNS trigger AS $$
BEGIN
  IF NEW.parent_id IS NULL AND NEW.root_id IS NULL THEN
    NEW.root_id := NEW.id;
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER trg_comments_root BEFORE INSERT ON comments
    FOR EACH ROW EXECUTE FUNCTION townhall_comment_root()""",
]

FOLD = """UPDATE stories SET published_open = published_open + d.o,
  published_premium = published_premium + d.p
FROM (SELECT story_id, sum(d_open) AS o, sum(d_premium) AS p FROM story_count_deltas
      GROUP BY story_id) AS d
WHERE stories.id = d.story_id"""


def upgrade() -> None:
    op.create_table(
        "story_count_deltas",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("story_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("d_open", sa.Integer(), nullable=False),
        sa.Column("d_premium", sa.Integer(), nullable=False),
    )
    op.create_index("ix_story_count_deltas_story_id", "story_count_deltas", ["story_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        for statement in PG_ROOT:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS trg_comments_root ON comments")
        op.execute("DROP FUNCTION IF EXISTS townhall_comment_root()")
        op.execute("LOCK TABLE comments IN SHARE MODE")
        op.execute(PG_FUNCTION_0005)
        op.execute(FOLD)
    op.drop_index("ix_story_count_deltas_story_id", table_name="story_count_deltas")
    op.drop_table("story_count_deltas")

"""The full archive: `export --full` then `import townhall` gives back every row exactly,
on SQLite and PostgreSQL and across them; every table and column must be covered."""

from __future__ import annotations

import gzip
import io
import sqlite3
import uuid
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from sqlalchemy import select, text

from tests.conftest import PG_URL, need, pg_execute
from tests.factories import post, sign_in, sso_token
from tests.integration.test_cli import run
from townhall.porting import reader_for
from townhall.porting.archive import TABLES, ArchiveError, restore_archive, write_archive
from townhall.porting.importer import import_comments
from townhall.storage.migrate import upgrade
from townhall.storage.sql import counts
from townhall.storage.sql.engine import make_engine
from townhall.storage.sql.tables import metadata

DATA = Path(__file__).parent.parent / "data"


def test_every_table_says_whether_the_archive_keeps_it():
    """A new table fails here until porting/archive.py TABLES decides about it."""
    assert set(TABLES) == set(metadata.tables), (
        "tables without an archive policy: "
        f"{sorted(set(metadata.tables) - set(TABLES))}; policies for no table: "
        f"{sorted(set(TABLES) - set(metadata.tables))}"
    )
    for name, policy in TABLES.items():
        assert policy.why, name
        assert set(policy.kept) <= set(metadata.tables[name].columns.keys()), name


async def _rich_site(client) -> None:
    """Data that gives every archived column a value other than its default somewhere."""
    from townhall.domain.models import Role
    from townhall.services.accounts import create_admin
    from townhall.services.comments import Draft, post_comment
    from townhall.services.editorial import feature_comment
    from townhall.services.moderation import approve_comment, reject_comment
    from townhall.services.sites import rotate_sso_secret, update_site_settings
    from townhall.services.story_settings import update_story
    from townhall.services.users_admin import ban_user, shadowban_user, suspend_user

    ctx = client.ctx
    admin = await create_admin(
        ctx, email="Chief@Example.org", password="a long admin password", name="Chief Editor"
    )
    await create_admin(
        ctx, email="mod@example.org", password="another long password", role=Role.MODERATOR
    )
    await update_site_settings(
        ctx,
        admin,
        {
            "report_threshold": 5,
            "edit_window_seconds": 300,
            "allowed_origins": ["https://news.example"],
        },
    )
    ann = await sign_in(client, "ann", name="Ann Reader", premium=True)
    bo = await sign_in(client, "bo", name="Bo Brennan")
    cy = await sign_in(client, "cy", name="Cy Shadow")
    di = await sign_in(client, "di", name="Di Banned")
    ed = await sign_in(client, "ed", name="Ed Suspended")
    top = await post(client, ann, "Émigré café — “quotes”, emoji 🎉\nand a second line.")
    reply = await post(client, bo, "A reply to that.", parent_id=top["id"])
    await post(client, ann, "Premium only view.", stream="premium")
    res = await client.patch(
        f"/api/v1/comments/{reply['id']}", json={"body": "An edited reply."}, headers=bo
    )
    assert res.status_code == 200, res.text
    gone = await post(client, bo, "To be deleted.")
    assert (await client.delete(f"/api/v1/comments/{gone['id']}", headers=bo)).status_code == 204
    assert (await client.put(f"/api/v1/comments/{top['id']}/like", headers=bo)).status_code in (
        200,
        204,
    )
    res = await client.post(
        f"/api/v1/comments/{top['id']}/reports",
        json={"reason": "spam", "note": "looks like an advert"},
        headers=bo,
    )
    assert res.status_code in (200, 201, 202), res.text
    res = await client.post(
        f"/api/v1/comments/{reply['id']}/reports", json={"reason": "other"}, headers=ann
    )
    assert res.status_code in (200, 201, 202), res.text
    held = await client.post(
        "/api/v1/stories/story-1/comments",
        json={"body": "Ring her on 07911 123456 tonight"},
        headers=ed,
    )
    assert held.status_code == 201, held.text
    rejected = await post(client, di, "A fair comment that will be rejected anyway.")
    async with ctx.read() as tx:
        staff = await tx.users.by_id(admin.id)
        users = {u.name: u for u in await tx.users.search("default", None, limit=50)}
    await approve_comment(ctx, staff, top["id"])  # keeps it and clears its reports
    await feature_comment(ctx, staff, top["id"], "A reader's own story")
    thanks = await post_comment(
        ctx, staff, Draft(story_key="story-1", body="Thanks", parent_id=top["id"])
    )
    await reject_comment(ctx, staff, held.json()["id"], "a private number")  # a labelled example
    await reject_comment(ctx, staff, rejected["id"], "off topic")
    await shadowban_user(ctx, staff, users["Cy Shadow"].id)
    await post(client, cy, "Nobody else sees this one.")
    await ban_user(ctx, staff, users["Di Banned"].id)
    await suspend_user(ctx, staff, users["Ed Suspended"].id, 24)
    await update_story(
        ctx,
        staff,
        "story-1",
        {
            "is_closed": True,
            "premoderate": True,
            "premium_enabled": False,
            "auto_close_days": 7,
            "url": "https://news.example/story-1",
            "title": "Story one",
            "prompt": "What changed for you?",
            "pinned_comment_id": thanks.comment.id,
            "likes_closed": True,
            "qa_mode": True,
        },
    )
    bo_id = (await client.get("/api/v1/me", headers=bo)).json()["id"]
    assert (await client.put(f"/api/v1/me/muted/{bo_id}", headers=ann)).status_code == 200
    fy = await sign_in(client, "fy", name="Fy Leaving")
    await post(client, fy, "Said, and kept once the account is gone.", story="story-2")
    res = await client.request(
        "DELETE", "/api/v1/me", json={"comments": "keep", "sso_token": sso_token("fy")}, headers=fy
    )
    assert res.status_code == 200, res.text
    items = list(reader_for("disqus")(DATA / "disqus.xml"))
    await import_comments(ctx, items, "disqus")
    # Last: after a second rotation the tests' SSO secret no longer signs anyone in.
    await rotate_sso_secret(ctx, admin, "rotated-secret-" + "x" * 40)
    await rotate_sso_secret(ctx, admin, "rotated-again-" + "y" * 40)
    async with ctx.write() as tx:  # columns no flow here fills: a client address digest
        await tx.conn.execute(text("UPDATE comments SET ip_hash = 'ab12' WHERE id = :i"), {"i": 1})
        await tx.conn.execute(
            text("UPDATE comments SET answered_at = created_at WHERE id = :i"), {"i": 1}
        )
        await tx.conn.execute(text("UPDATE users SET is_expert = true WHERE id = 2"))
    await _notification_rows(client, ann)


async def _notification_rows(client, reader) -> None:
    """A reader's e-mail choices, a paused Slack webhook and the site's link-signing key."""
    from townhall.domain.models import utcnow
    from townhall.domain.notifications import Digest, Prefs

    me = (await client.get("/api/v1/me", headers=reader)).json()
    async with client.ctx.write() as tx:
        await tx.notifications.set_prefs(
            me["id"],
            Prefs(notify_replies=True, notify_decisions=False, digest=Digest.DAILY),
            utcnow(),
        )
        await tx.notifications.add_webhook(
            {
                "site_id": "default",
                "url": "https://hooks.news.example/townhall",
                "events": ["comment.created", "user.banned"],
                "secret": "whsec_archive-test",
                "format": "slack",
                "is_active": False,
                "created_at": utcnow(),
            }
        )
        await tx.notifications.signing_key("default", utcnow())
        await tx.notifications.follow(me["id"], 1, utcnow())
        await tx.notifications.add_to_inbox(
            me["id"], "pick", {"comment_id": 1}, "archive-test", utcnow()
        )
        await tx.notifications.mark_read(me["id"], None, utcnow())
        await tx.conn.execute(
            text("UPDATE users SET email_verified_at = created_at WHERE id = :i"), {"i": me["id"]}
        )


def _table_rows(sync_conn, name: str) -> list[tuple]:
    """Every row of a table in key order, JSON columns with their SQL-NULL-ness."""
    tbl = metadata.tables[name]
    flags = [c.is_(None) for c in tbl.columns if c.type.__class__.__name__ == "JSON"]
    q = select(*tbl.columns, *flags).order_by(*tbl.primary_key.columns)
    return [tuple(r) for r in sync_conn.execute(q)]


async def _snapshot(url: str) -> dict[str, list[tuple]]:
    engine = make_engine(url)
    try:
        if engine.dialect.name == "postgresql":  # pending count changes into the story rows
            async with engine.begin() as conn:
                await counts.fold(conn)
        async with engine.connect() as conn:
            return {
                name: await conn.run_sync(_table_rows, name)
                for name in metadata.tables
                if TABLES[name].include
            } | {"sessions": await conn.run_sync(_table_rows, "sessions")}
    finally:
        await engine.dispose()


def _assert_covered(rows: dict[str, list[tuple]]) -> None:
    """Each archived column holds, somewhere, a value other than NULL and its default."""
    missing = []
    for name, policy in TABLES.items():
        if not policy.include:
            continue
        tbl = metadata.tables[name]
        for i, col in enumerate(tbl.columns):
            arg = col.server_default.arg if col.server_default else None
            default = getattr(arg, "text", arg)
            default = str(default).strip("'()") if default is not None else None
            values = [r[i] for r in rows[name]]
            if not any(v is not None and str(v).lower() != str(default).lower() for v in values):
                missing.append(f"{name}.{col.name}")
    assert not missing, (
        f"columns the round-trip data never sets: {missing} (give them a value in _rich_site)"
    )


async def _archive(client, tmp_path) -> Path:
    from alembic.script import ScriptDirectory

    from townhall.storage.migrate import alembic_config

    path = tmp_path / "site.townhall.gz"
    head = ScriptDirectory.from_config(alembic_config(client.ctx.db.url)).get_current_head()
    with path.open("wb") as out:
        await write_archive(client.ctx.db.engine, out, schema=head, version="test")
    return path


@pytest.fixture
def fresh_pg():
    """A new, never-migrated PostgreSQL database."""
    from concurrent.futures import ThreadPoolExecutor

    base = need(PG_URL, "TOWNHALL_TEST_DATABASE_URL (PostgreSQL)")
    name = f"townhall_restore_{uuid.uuid4().hex[:10]}"
    with ThreadPoolExecutor(1) as pool:  # may be asked for from inside a running loop
        pool.submit(pg_execute, base, f'CREATE DATABASE "{name}"').result()
        yield base.rsplit("/", 1)[0] + "/" + name
        pool.submit(pg_execute, base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)').result()


@pytest.mark.parametrize("target", ["sqlite", "postgres"])
async def test_full_export_restores_every_row_exactly(app_client, tmp_path, target, request):
    await _rich_site(app_client)
    before = await _snapshot(app_client.ctx.db.url)
    _assert_covered(before)
    assert before["sessions"], "the source has sessions (which the archive leaves out)"
    path = await _archive(app_client, tmp_path)
    if target == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'restored.sqlite3'}"
    else:
        url = request.getfixturevalue("fresh_pg")
    await _restore(url, path)
    after = await _snapshot(url)
    for name in before:
        if name == "sessions":
            assert after[name] == [], "sessions are not restored"
            continue
        assert after[name] == before[name], f"table {name} differs after the round trip"


async def _restore(url: str, path: Path):
    import asyncio

    return await asyncio.to_thread(restore_archive, url, path)


async def test_a_restored_postgres_database_takes_new_comments(app_client, tmp_path, fresh_pg):
    await _rich_site(app_client)
    path = await _archive(app_client, tmp_path)
    await _restore(fresh_pg, path)
    from tests.conftest import _client

    settings = app_client.ctx.settings.model_copy(update={"database_url": fresh_pg})
    async with _client(settings) as restored:
        page = (await restored.get("/api/v1/stories/bridge-story/comments")).json()
        assert page["total"] == 2
        # The restored site keeps its rotated secret: the publisher signs with that one.
        token = sso_token("newcomer", secret="rotated-again-" + "y" * 40)
        res = await restored.post("/api/v1/auth/sso", json={"token": token})
        assert res.status_code == 200, res.text
        fresh = {"Authorization": f"Bearer {res.json()['token']}"}
        res = await restored.put("/api/v1/me/name", json={"name": "New Comer"}, headers=fresh)
        assert res.status_code == 200, res.text
        made = await post(restored, fresh, "First comment after the restore.", story="story-2")
        assert made["id"] > max(c["id"] for c in page["comments"])


def test_restore_refuses_a_database_with_content(tmp_path):
    db = tmp_path / "busy.sqlite3"
    assert run("import", "disqus", str(DATA / "disqus.xml"), "--db", str(db)).returncode == 0
    archive = tmp_path / "a.gz"
    res = run("export", "--full", "-o", str(archive), "--db", str(db))
    assert res.returncode == 0, res.stderr
    res = run("import", "townhall", str(archive), "--db", str(db))
    assert res.returncode != 0
    assert res.stderr.strip() == (
        "townhall: the database is not empty (3 users, 1 stories, 3 comments): "
        "restore into a new database, or empty this one first"
    )


def test_a_cut_short_archive_restores_nothing(tmp_path):
    db = tmp_path / "src.sqlite3"
    assert run("import", "disqus", str(DATA / "disqus.xml"), "--db", str(db)).returncode == 0
    archive = tmp_path / "a.gz"
    assert run("export", "--full", "-o", str(archive), "--db", str(db)).returncode == 0
    lines = gzip.decompress(archive.read_bytes()).splitlines(keepends=True)
    cut = tmp_path / "cut.gz"
    cut.write_bytes(gzip.compress(b"".join(lines[:-3])))
    target = tmp_path / "target.sqlite3"
    res = run("import", "townhall", str(cut), "--db", str(target))
    assert res.returncode != 0 and "ends early" in res.stderr, res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM comments").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM sites").fetchone()[0] == 0


def _archive_at_0008(path: Path) -> None:
    """An archive as townhall wrote it at schema 0008 (before keys named their source)."""
    when = "2020-05-01T08:00:00+00:00"
    comment_cols = [
        ["id", "int"], ["site_id", "str"], ["story_id", "int"], ["stream", "str"],
        ["parent_id", "int"], ["root_id", "int"], ["depth", "int"], ["author_id", "int"],
        ["body", "str"], ["status", "str"], ["created_at", "datetime"],
        ["edited_at", "datetime"], ["deleted_at", "datetime"], ["like_count", "int"],
        ["reply_count", "int"], ["report_count", "int"], ["reports_cleared_at", "datetime"],
        ["is_shadowed", "bool"], ["findings", "json"], ["guideline", "str"],
        ["decided_by", "int"], ["decided_at", "datetime"], ["ip_hash", "str"],
        ["import_key", "str"],
    ]  # fmt: skip
    tables = [
        {"name": "sites", "columns": [["id", "str"], ["name", "str"], ["settings", "json"],
                                      ["created_at", "datetime"]]},
        {"name": "users", "columns": [["id", "int"], ["site_id", "str"], ["sso_sub", "str"],
                                      ["name", "str"], ["name_key", "str"], ["role", "str"],
                                      ["created_at", "datetime"]]},
        {"name": "stories", "columns": [["id", "int"], ["site_id", "str"], ["key", "str"],
                                        ["created_at", "datetime"], ["published_open", "int"]]},
        {"name": "comments", "columns": comment_cols},
    ]  # fmt: skip
    lines = [
        {"format": "townhall-archive", "version": 1, "schema": "0008", "townhall": "0.1",
         "created_at": when, "tables": tables},
        {"table": "sites"}, ["default", "The Daily Ledger", [{}], when],
        {"table": "users"},
        [1, "default", "import:wxr:rita@example.org", "Rita Reads", "ritareads", "commenter",
         when],
        {"table": "stories"}, [1, "default", "42", when, 1],
        {"table": "comments"},
        [1, "default", 1, "open", None, 1, 0, 1,
         "Saturday mornings matter most.\nPlease keep them.", "published", when, None, None,
         0, 0, 0, None, False, [[]], None, None, None, None, "wxr:7"],
        {"end": True, "rows": {"sites": 1, "users": 1, "stories": 1, "comments": 1}},
    ]  # fmt: skip
    with gzip.open(path, "wb") as out:
        for line in lines:
            out.write(orjson.dumps(line) + b"\n")


async def test_an_archive_of_an_older_schema_restores_and_is_migrated(tmp_path, make_settings):
    archive = tmp_path / "old.gz"
    _archive_at_0008(archive)
    url = f"sqlite+aiosqlite:///{tmp_path / 'new.sqlite3'}"
    upgrade(url)  # an empty database already at the current schema goes down, then up
    header, counts = await _restore(url, archive)
    assert header.schema == "0008" and counts["comments"] == 1
    with sqlite3.connect(tmp_path / "new.sqlite3") as conn:
        assert conn.execute("SELECT import_key FROM comments").fetchone()[0] == "wxr::7"
        assert conn.execute("SELECT published_open FROM stories").fetchone()[0] == 1
    from tests.conftest import _client

    async with _client(make_settings(url)) as client:
        report = await import_comments(
            client.ctx, list(reader_for("wxr")(DATA / "wordpress.xml")), "wxr"
        )
    # The restored comment is recognised (and takes its full key); the new one comes in.
    assert (report.skipped, report.comments) == (1, 1)


def test_an_archive_from_a_newer_townhall_is_refused(tmp_path):
    archive = tmp_path / "future.gz"
    with gzip.open(archive, "wb") as out:
        out.write(
            orjson.dumps(
                {"format": "townhall-archive", "version": 1, "schema": "9999", "tables": []}
            )
            + b"\n"
        )
    with pytest.raises(ArchiveError, match="newer than this townhall"):
        restore_archive(f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}", archive)


def test_a_file_that_is_not_an_archive_is_refused_in_one_line(tmp_path):
    other = tmp_path / "comments.jsonl"
    other.write_text('{"id": 1}\n')
    res = run("import", "townhall", str(other), "--db", str(tmp_path / "x.sqlite3"))
    assert res.returncode != 0
    assert res.stderr.strip().startswith("townhall: ") and "not a townhall archive" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_the_archive_is_gzip_json_lines_with_a_versioned_header(tmp_path):
    db = tmp_path / "src.sqlite3"
    assert run("import", "disqus", str(DATA / "disqus.xml"), "--db", str(db)).returncode == 0
    archive = tmp_path / "a.gz"
    assert run("export", "--full", "-o", str(archive), "--db", str(db)).returncode == 0
    lines = [orjson.loads(x) for x in io.BytesIO(gzip.decompress(archive.read_bytes()))]
    header = lines[0]
    assert header["format"] == "townhall-archive" and header["version"] == 1
    assert header["schema"] and "sessions" in header["excluded"]
    assert [t["name"] for t in header["tables"]] == [
        t.name for t in metadata.sorted_tables if TABLES[t.name].include
    ]
    assert lines[-1]["end"] is True and lines[-1]["rows"]["comments"] == 3
    assert datetime.fromisoformat(header["created_at"]).tzinfo == UTC

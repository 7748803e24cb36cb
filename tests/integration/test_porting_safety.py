"""Imports keep the site's name rules and fail cleanly; exports tell the truth."""

from __future__ import annotations

import io
import sqlite3
from datetime import UTC, datetime

import orjson
import pytest

from tests.factories import post, sign_in
from tests.integration.test_cli import run
from tests.integration.test_porting import _isso_db
from townhall.domain.models import Status
from townhall.porting.exporter import export_comments
from townhall.porting.importer import import_comments
from townhall.porting.model import ImportedComment

BAD_NAMES = ["Admin", "Moderator", "Daily Ledger", "FuckFace", "rnoderator"]


def _item(n: int, author: str) -> ImportedComment:
    return ImportedComment(
        source_id=str(n),
        parent_source_id=None,
        story_key="imported-story",
        story_url="https://news.example/imported-story",
        story_title="Imported",
        author_name=author,
        author_email=f"author{n}@example.org",
        body=f"Old comment number {n}.",
        created_at=datetime(2020, 1, 1, tzinfo=UTC),
        status=Status.PUBLISHED,
    )


async def test_imported_authors_with_reserved_or_profane_names_are_renamed(app_client):
    items = [_item(n, name) for n, name in enumerate([*BAD_NAMES, "Rita Reads"])]
    report = await import_comments(app_client.ctx, items, "disqus")
    assert report.comments == len(items)
    assert sorted(old for old, _new in report.renamed) == sorted(BAD_NAMES)
    page = (await app_client.get("/api/v1/stories/imported-story/comments")).json()
    shown = {c["author"]["name"] for c in page["comments"]}
    assert "Rita Reads" in shown
    assert not shown & set(BAD_NAMES), shown
    assert {new for _old, new in report.renamed} <= shown


def test_the_import_command_reports_renamed_authors(tmp_path):
    wxr = tmp_path / "posing.xml"
    wxr.write_text(
        '<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item>'
        "<title>T</title><link>https://news.example/t</link><wp:post_id>5</wp:post_id>"
        "<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author>Admin</wp:comment_author>"
        "<wp:comment_date_gmt>2020-05-01 08:00:00</wp:comment_date_gmt>"
        "<wp:comment_content>Official notice!</wp:comment_content>"
        "<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent>"
        "</wp:comment></item></channel></rss>"
    )
    res = run("import", "wxr", str(wxr), "--db", str(tmp_path / "t.sqlite3"))
    assert res.returncode == 0, res.stderr
    assert 'renamed: "Admin" →' in res.stdout, res.stdout


def _not_sqlite(path):
    path.write_bytes(b"this is not a database\n" * 20)
    return path


def _no_tables(path):
    sqlite3.connect(path).close()
    return path


def _bad_time(path):
    _isso_db(path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE comments SET created = 'yesterday-ish' WHERE id = 2")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("make", [_not_sqlite, _no_tables, _bad_time])
def test_a_malformed_isso_file_gives_one_line_and_writes_nothing(tmp_path, make):
    bad = make(tmp_path / "isso.db")
    db = tmp_path / "target.sqlite3"
    res = run("import", "isso", str(bad), "--db", str(db))
    assert res.returncode != 0
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("townhall: "), res.stderr
    assert "Traceback" not in res.stderr
    if db.exists():
        conn = sqlite3.connect(db)
        try:
            count = conn.execute("SELECT count(*) FROM comments").fetchone()[0]
        except sqlite3.OperationalError:
            count = 0
        conn.close()
        assert count == 0


async def test_export_writes_shadow_banned_comments_with_their_real_status(app_client):
    ghost = await sign_in(app_client, "ghost", name="Ghost Writer")
    visible = await sign_in(app_client, "visible", name="Visible Writer")
    await post(app_client, ghost, "written before the shadow-ban")
    await post(app_client, visible, "an ordinary comment")
    me = (await app_client.get("/api/v1/me", headers=ghost)).json()
    from townhall.services.users_admin import shadowban_user

    async with app_client.ctx.write() as tx:
        staff = await tx.users.add(
            site_id="default", role="moderator", created_at=app_client.ctx.clock()
        )
    await shadowban_user(app_client.ctx, staff, me["id"])
    out = io.StringIO()
    await export_comments(app_client.ctx, out)
    rows = {r["author"]["name"]: r for r in map(orjson.loads, out.getvalue().splitlines())}
    assert rows["Ghost Writer"]["status"] == "shadowed"
    assert rows["Ghost Writer"]["is_shadowed"] is True
    assert rows["Visible Writer"]["status"] == "published"
    assert rows["Visible Writer"]["is_shadowed"] is False

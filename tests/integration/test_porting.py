"""Importing Disqus, WordPress and Isso exports; exporting JSON lines."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import orjson
import pytest

from townhall.porting import reader_for
from townhall.porting.exporter import export_comments
from townhall.porting.importer import import_comments

DATA = Path(__file__).parent.parent / "data"


def _isso_db(path: Path) -> Path:
    """A small database in Isso's schema (threads + comments), made for this test."""
    conn = sqlite3.connect(path)
    conn.executescript("""
        CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE, title VARCHAR(256));
        CREATE TABLE comments (tid REFERENCES threads(id), id INTEGER PRIMARY KEY,
            parent INTEGER, created FLOAT NOT NULL, modified FLOAT, mode INTEGER,
            remote_addr VARCHAR, text VARCHAR, author VARCHAR, email VARCHAR,
            website VARCHAR, likes INTEGER DEFAULT 0, dislikes INTEGER DEFAULT 0,
            voters BLOB, notification INTEGER DEFAULT 0);
        INSERT INTO threads VALUES (1, '/2021/tram-extension', 'Tram extension approved');
        INSERT INTO comments (tid, id, parent, created, mode, text, author, email, likes)
            VALUES (1, 1, NULL, 1620000000.0, 1, 'About time.', 'Tess', 'tess@example.org', 4),
                   (1, 2, 1, 1620000100.0, 1, 'Agreed!', NULL, NULL, 0),
                   (1, 3, NULL, 1620000200.0, 4, 'gone', 'Tess', 'tess@example.org', 0);
    """)
    conn.commit()
    conn.close()
    return path


async def test_disqus_import_keeps_threads_and_decisions(app_client):
    items = list(reader_for("disqus")(DATA / "disqus.xml"))
    report = await import_comments(app_client.ctx, items, "disqus")
    assert (report.comments, report.users, report.stories) == (3, 3, 1)
    page = (await app_client.get("/api/v1/stories/bridge-story/comments")).json()
    assert page["total"] == 2  # the spam one is imported as rejected
    [top] = page["comments"]
    assert "Two years of detours" in top["body_html"] and "&amp;" in top["body_html"]
    assert top["author"]["name"] == "Ann Commuter"
    assert top["replies"][0]["in_reply_to"] == "Ann Commuter"
    assert page["story"]["title"] == "The bridge reopens"
    again = await import_comments(app_client.ctx, items, "disqus")
    assert again.comments == 0 and again.skipped == 3


async def test_wordpress_import_skips_pingbacks_and_keeps_pending(app_client):
    items = list(reader_for("wxr")(DATA / "wordpress.xml"))
    assert [i.source_id for i in items] == ["7", "8"]
    report = await import_comments(app_client.ctx, items, "wxr")
    assert report.comments == 2 and report.users == 1
    page = (await app_client.get("/api/v1/stories/42/comments")).json()
    assert page["total"] == 1
    assert "Saturday mornings matter most.<br>Please keep them." in page["comments"][0]["body_html"]
    assert page["comments"][0]["created_at"].startswith("2020-05-01T08:00:00")


async def test_isso_import_and_json_lines_export(app_client, tmp_path):
    items = list(reader_for("isso")(_isso_db(tmp_path / "isso.db")))
    report = await import_comments(app_client.ctx, items, "isso")
    assert report.comments == 3
    page = await app_client.get("/api/v1/stories/%2F2021%2Ftram-extension/comments")
    assert page.status_code == 200
    out = io.StringIO()
    n = await export_comments(app_client.ctx, out)
    rows = [orjson.loads(line) for line in out.getvalue().splitlines()]
    assert n == 3 and len(rows) == 3
    first = rows[0]
    assert first["body"] == "About time." and first["like_count"] == 4
    assert first["author"]["email"] == "tess@example.org"
    assert rows[2]["status"] == "deleted" and rows[2]["body"] == ""
    assert rows[1]["parent_id"] == first["id"]


def test_hostile_xml_is_refused(tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">'
        '<!ENTITY b "&a;&a;&a;&a;">]><disqus>&b;</disqus>'
    )
    with pytest.raises(Exception, match=r"(?i)entit"):
        list(reader_for("disqus")(bomb))


async def test_an_import_into_a_read_story_shows_on_the_next_read(app_client):
    items = list(reader_for("disqus")(DATA / "disqus.xml"))
    before = await app_client.get("/api/v1/stories/bridge-story/comments")
    assert before.json()["total"] == 0
    await import_comments(app_client.ctx, items, "disqus")
    after = await app_client.get("/api/v1/stories/bridge-story/comments")
    assert after.json()["total"] == 2

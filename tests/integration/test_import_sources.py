"""Import keys name the source: two sites (or databases) whose comment ids overlap both
import completely, re-running a file skips everything, and keys written before are
recognised and completed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import text

from tests.integration.test_porting import _isso_db
from townhall.porting import reader_for
from townhall.porting.importer import import_comments
from townhall.porting.model import import_key
from townhall.storage.migrate import upgrade

WXR = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<title>{title}</title><link>{site}</link>
<wp:base_site_url>{site}</wp:base_site_url><wp:base_blog_url>{site}</wp:base_blog_url>
<item><title>{story}</title><link>{site}/{slug}</link><wp:post_id>10</wp:post_id>
<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author><![CDATA[{author}]]></wp:comment_author>
<wp:comment_author_email>{email}</wp:comment_author_email>
<wp:comment_date_gmt>2021-02-01 10:00:00</wp:comment_date_gmt>
<wp:comment_content><![CDATA[{first}]]></wp:comment_content>
<wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type>
<wp:comment_parent>0</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id></wp:comment>
<wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_author><![CDATA[{author}]]></wp:comment_author>
<wp:comment_author_email>{email}</wp:comment_author_email>
<wp:comment_date_gmt>2021-02-01 11:00:00</wp:comment_date_gmt>
<wp:comment_content><![CDATA[{second}]]></wp:comment_content>
<wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type>
<wp:comment_parent>1</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id></wp:comment>
</item></channel></rss>
"""


def _wxr(path: Path, site: str, slug: str, author: str, first: str, second: str) -> Path:
    path.write_text(
        WXR.format(
            title=slug,
            site=site,
            story=slug.title(),
            slug=slug,
            author=author,
            email=f"{author.split()[0].lower()}@example.org",
            first=first,
            second=second,
        )
    )
    return path


async def _import(client, fmt: str, path: Path):
    return await import_comments(client.ctx, reader_for(fmt)(path), fmt)


async def test_two_wordpress_sites_with_the_same_comment_ids_both_import(app_client, tmp_path):
    one = _wxr(tmp_path / "a.xml", "https://ledger.example", "rates", "Ann Author", "A1", "A2")
    two = _wxr(tmp_path / "b.xml", "https://gazette.example", "roads", "Bea Writer", "B1", "B2")
    first = await _import(app_client, "wxr", one)
    second = await _import(app_client, "wxr", two)
    assert (first.comments, second.comments) == (2, 2)
    assert second.skipped == 0
    # Both sites' post 10 are one story key ("10"): both threads are there, whole.
    page = (await app_client.get("/api/v1/stories/10/comments?sort=oldest")).json()
    bodies = {c["body_html"].removeprefix("<p>").removesuffix("</p>"): c for c in page["comments"]}
    assert set(bodies) == {"A1", "B1"}
    assert [r["body_html"] for r in bodies["A1"]["replies"]] == ["<p>A2</p>"]
    assert [r["body_html"] for r in bodies["B1"]["replies"]] == ["<p>B2</p>"]
    again = [await _import(app_client, "wxr", p) for p in (one, two)]
    assert [(r.comments, r.skipped) for r in again] == [(0, 2), (0, 2)]


def _isso_with_key(path: Path, key: str, body: str) -> Path:
    _isso_db(path)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE preferences (key VARCHAR PRIMARY KEY, value VARCHAR)")
    conn.execute("INSERT INTO preferences VALUES ('session-key', ?)", (key,))
    conn.execute("UPDATE comments SET text = ? || ' ' || text", (body,))
    conn.commit()
    conn.close()
    return path


async def test_two_isso_databases_with_the_same_ids_both_import(app_client, tmp_path):
    one = _isso_with_key(tmp_path / "one.db", "a1" * 24, "First blog:")
    two = _isso_with_key(tmp_path / "two.db", "b2" * 24, "Second blog:")
    reports = [await _import(app_client, "isso", p) for p in (one, two)]
    assert [r.comments for r in reports] == [3, 3]
    async with app_client.ctx.read() as tx:
        bodies = [r[0] for r in await tx.conn.execute(text("SELECT body FROM comments"))]
    assert sum(b.startswith("First blog:") for b in bodies) == 2  # the third was deleted
    assert sum(b.startswith("Second blog:") for b in bodies) == 2
    again = [await _import(app_client, "isso", p) for p in (one, two)]
    assert [(r.comments, r.skipped) for r in again] == [(0, 3), (0, 3)]


async def test_keys_from_before_sources_are_migrated_and_recognised(
    tmp_path, make_settings
) -> None:
    """A database imported into under the old keys (`wxr:1`) upgrades to `wxr::1`; the
    next import of the same file completes those keys, another site's file imports."""
    db = tmp_path / "old.sqlite3"
    url = f"sqlite+aiosqlite:///{db}"
    upgrade(url, "0008")
    conn = sqlite3.connect(db)
    conn.executescript(
        """
        INSERT INTO sites (id, name, settings, settings_version, created_at)
            VALUES ('default', 'The Daily Ledger', '{}', 1, '2021-01-01 00:00:00');
        INSERT INTO stories (id, site_id, key, created_at)
            VALUES (1, 'default', '10', '2021-02-01 10:00:00');
        INSERT INTO users (id, site_id, sso_sub, role, created_at)
            VALUES (1, 'default', 'import:wxr:ann@example.org', 'commenter',
                    '2021-02-01 10:00:00');
        INSERT INTO comments (id, site_id, story_id, stream, parent_id, root_id, depth,
                              author_id, body, status, created_at, import_key)
            VALUES (1, 'default', 1, 'open', NULL, 1, 0, 1, 'A1', 'published',
                    '2021-02-01 10:00:00.000000', 'wxr:1'),
                   (2, 'default', 1, 'open', 1, 1, 1, 1, 'A2', 'published',
                    '2021-02-01 11:00:00.000000', 'wxr:2');
        """
    )
    conn.commit()
    conn.close()
    upgrade(url)
    with sqlite3.connect(db) as conn:
        keys = [k for (k,) in conn.execute("SELECT import_key FROM comments ORDER BY id")]
    assert keys == ["wxr::1", "wxr::2"]
    from tests.conftest import _client

    one = _wxr(tmp_path / "a.xml", "https://ledger.example", "rates", "Ann Author", "A1", "A2")
    two = _wxr(tmp_path / "b.xml", "https://gazette.example", "roads", "Bea Writer", "B1", "B2")
    async with _client(make_settings(url)) as client:
        same = await _import(client, "wxr", one)
        other = await _import(client, "wxr", two)
        again = await _import(client, "wxr", one)
    assert (same.comments, same.skipped) == (0, 2)
    assert (other.comments, other.skipped) == (2, 0)
    assert (again.comments, again.skipped) == (0, 2)
    source = "wordpress:ledger.example"
    with sqlite3.connect(db) as conn:
        keys = [k for (k,) in conn.execute("SELECT import_key FROM comments WHERE id <= 2")]
    assert keys == [import_key("wxr", source, "1"), import_key("wxr", source, "2")]


async def test_a_dry_run_writes_nothing_and_tells_what_an_import_would_do(app_client, tmp_path):
    path = _wxr(tmp_path / "a.xml", "https://ledger.example", "rates", "Ann Author", "A1", "A2")
    dry = await import_comments(app_client.ctx, reader_for("wxr")(path), "wxr", dry_run=True)
    async with app_client.ctx.read() as tx:
        count = (await tx.conn.execute(text("SELECT count(*) FROM comments"))).scalar()
    assert count == 0
    real = await _import(app_client, "wxr", path)
    assert (dry.comments, dry.users, dry.stories) == (real.comments, real.users, real.stories)
    assert dry.dry_run and not real.dry_run

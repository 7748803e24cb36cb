# ruff: noqa: E501  (sample files written line for line as the tools write them)
"""Coral, Remark42, Commento, Comentario and the generic JSON format, each read from a file
in the shape the tool itself writes (field names, order, compression and nesting as in
their exporters), plus townhall's own export read back through the generic format."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.factories import post, sign_in
from tests.integration.test_cli import run
from townhall.porting import reader_for
from townhall.porting.importer import import_comments


def _gz(path: Path, content: str) -> Path:
    path.write_bytes(gzip.compress(content.encode()))
    return path


def _jsonl(rows) -> str:
    return "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in rows)


def remark42_backup(path: Path) -> Path:
    """`remark42 backup` output: a header line (users, posts), then one comment per line."""
    meta = {
        "version": 1,
        "users": [{"id": "github_5d2f", "blocked": {"status": False, "until": "0001-01-01T00:00:00Z"}, "verified": True}],
        "posts": [{"url": "https://ledger.example/2022/ferry", "read_only": False}],
    }  # fmt: skip
    base = {"locator": {"site": "ledger", "url": "https://ledger.example/2022/ferry"},
            "title": "Ferry timetable", "votes": {}, "vote": 0}  # fmt: skip
    comments = [
        {"id": "9b1c7e", "pid": "", "text": "<p>The <b>7:15</b> is always late.</p>",
         "orig": "The **7:15** is always late.", "user": {"name": "Pat Commuter", "id": "github_5d2f", "picture": "", "ip": "293ec5b0", "admin": False},
         "score": 2, "votes": {"google_a": True, "github_b": True}, "time": "2022-03-01T08:00:00.123+01:00", **{k: v for k, v in base.items() if k != "votes"}},
        {"id": "c44d10", "pid": "9b1c7e", "text": "<p>Agreed &amp; the 8:05 too.</p>",
         "user": {"name": "Lou", "id": "google_77aa", "picture": "", "admin": False},
         "score": 0, "time": "2022-03-01T09:30:00Z", "edit": {"time": "2022-03-01T09:35:00Z", "summary": ""}, **base},
        {"id": "d0e5aa", "pid": "", "text": "", "user": {"name": "Sam", "id": "anonymous_1f", "picture": "", "admin": False},
         "score": 0, "time": "2022-03-02T10:00:00Z", "delete": True, **base},
    ]  # fmt: skip
    return _gz(path, _jsonl([meta, *comments]))


def commento_export(path: Path) -> Path:
    """Commento's domain export (version 1): gzip of one JSON document, comments first."""
    doc = {
        "version": 1,
        "comments": [
            {"commentHex": "7ed60b12", "domain": "ledger.example", "url": "/post/tram/", "commenterHex": "4629a821",
             "markdown": "This is a comment!", "html": "", "parentHex": "root", "score": 3, "state": "approved",
             "creationDate": "2020-01-27T14:07:49.244432Z", "direction": 0, "deleted": False},
            {"commentHex": "5a349182", "domain": "ledger.example", "url": "/post/tram/", "commenterHex": "anonymous",
             "markdown": "This is a reply!", "html": "", "parentHex": "7ed60b12", "score": 0, "state": "unapproved",
             "creationDate": "2020-01-27T14:08:44.061525Z", "direction": 0, "deleted": False},
        ],
        "commenters": [
            {"commenterHex": "4629a821", "email": "john@doe.example", "name": "John Doe", "link": "https://john.doe",
             "photo": "undefined", "provider": "commento", "joinDate": "2020-01-27T14:17:59.298737Z", "isModerator": False},
        ],
    }  # fmt: skip
    return _gz(path, json.dumps(doc))


def comentario_export(path: Path) -> Path:
    """Comentario 3's domain export: pages, comments and commenters in one gzipped JSON."""
    doc = {
        "version": 3,
        "pages": [{"id": "0b3a6f0e-1111-4c3e-9a0a-6f5a8d9e0001", "domainId": "c2b1e9a4-2222-4d1b-8c7e-1e2d3c4b5a60",
                   "path": "/2023/library", "title": "Library hours", "isReadonly": False,
                   "createdTime": "2023-05-01T09:00:00Z", "countComments": 2, "countViews": 10}],
        "comments": [
            {"id": "a1b2c3d4-0000-4000-8000-000000000001", "pageId": "0b3a6f0e-1111-4c3e-9a0a-6f5a8d9e0001",
             "markdown": "Keep Saturdays open.", "html": "<p>Keep Saturdays open.</p>", "score": 1,
             "isSticky": False, "isApproved": True, "isPending": False, "isDeleted": False,
             "createdTime": "2023-05-01T10:00:00Z", "userCreated": "e5f6a7b8-0000-4000-8000-0000000000aa"},
            {"id": "a1b2c3d4-0000-4000-8000-000000000002", "parentId": "a1b2c3d4-0000-4000-8000-000000000001",
             "pageId": "0b3a6f0e-1111-4c3e-9a0a-6f5a8d9e0001", "markdown": "Buy cheap pills", "html": "",
             "score": 0, "isSticky": False, "isApproved": False, "isPending": False, "isDeleted": False,
             "createdTime": "2023-05-01T11:00:00Z", "userCreated": "00000000-0000-0000-0000-000000000000",
             "authorName": "Pill Seller"},
        ],
        "commenters": [{"id": "e5f6a7b8-0000-4000-8000-0000000000aa", "email": "rosa@example.org",
                        "name": "Rosa Reader", "isModerator": False, "isCommenter": True,
                        "createdTime": "2023-04-01T00:00:00Z"}],
    }  # fmt: skip
    return _gz(path, json.dumps(doc))


def coral_download(folder: Path) -> Path:
    """Coral's `utilities/download` output for a tenant: one JSON document per line per
    collection (Mongo dates written as ISO strings)."""
    folder.mkdir()
    tenant = "60b9be43-e0ab-4145-8532-5b0d761016fd"
    (folder / "stories.json").write_text(_jsonl([
        {"_id": "64a0", "id": "story-77", "tenantID": tenant, "siteID": "site-1", "url": "https://ledger.example/budget",
         "metadata": {"title": "Budget day", "author": "Desk"}, "settings": {}, "createdAt": "2023-02-01T09:00:00.000Z",
         "commentCounts": {}},
    ]))  # fmt: skip
    (folder / "users.json").write_text(_jsonl([
        {"_id": "64a1", "id": "user-1", "tenantID": tenant, "username": "Maya Writes", "email": "maya@example.org",
         "role": "COMMENTER", "createdAt": "2023-01-01T00:00:00.000Z", "tokens": [], "status": {}},
    ]))  # fmt: skip
    (folder / "comments.json").write_text(_jsonl([
        {"_id": "64a2", "id": "c-1", "tenantID": tenant, "siteID": "site-1", "storyID": "story-77",
         "authorID": "user-1", "parentID": None, "ancestorIDs": [], "childIDs": ["c-2"], "childCount": 1,
         "revisions": [{"id": "r-1", "body": "<p>Too little for schools.</p>", "actionCounts": {},
                        "metadata": {}, "createdAt": "2023-02-01T10:00:00.000Z"},
                       {"id": "r-2", "body": "<p>Far too little for schools.</p>", "actionCounts": {},
                        "metadata": {}, "createdAt": "2023-02-01T10:05:00.000Z"}],
         "status": "APPROVED", "initialStatus": "NONE", "actionCounts": {"REACTION": 4, "FLAG": 1},
         "tags": [], "createdAt": "2023-02-01T10:00:00.000Z"},
        {"_id": "64a3", "id": "c-2", "tenantID": tenant, "siteID": "site-1", "storyID": "story-77",
         "authorID": "user-1", "parentID": "c-1", "ancestorIDs": ["c-1"], "childIDs": [], "childCount": 0,
         "revisions": [{"id": "r-3", "body": "Still waiting.", "actionCounts": {}, "metadata": {},
                        "createdAt": "2023-02-01T11:00:00.000Z"}],
         "status": "PREMOD", "initialStatus": "PREMOD", "actionCounts": {}, "tags": [],
         "createdAt": "2023-02-01T11:00:00.000Z"},
    ]))  # fmt: skip
    (folder / "archivedComments.json").write_text(_jsonl([
        {"_id": "64a4", "id": "c-0", "tenantID": tenant, "siteID": "site-1", "storyID": "story-77",
         "authorID": None, "parentID": None, "ancestorIDs": [], "childIDs": [], "childCount": 0,
         "revisions": [{"id": "r-0", "body": "", "actionCounts": {}, "metadata": {},
                        "createdAt": "2023-02-01T09:30:00.000Z"}],
         "status": "APPROVED", "initialStatus": "NONE", "actionCounts": {}, "tags": [],
         "createdAt": "2023-02-01T09:30:00.000Z", "deletedAt": "2023-02-02T00:00:00.000Z"},
    ]))  # fmt: skip
    return folder


def generic_file(path: Path) -> Path:
    path.write_text(_jsonl([
        {"format": "townhall-comments", "version": 1, "source": "cms.ledger.example"},
        {"id": "a", "story_id": "2024/05/budget", "story_url": "https://ledger.example/2024/05/budget",
         "story_title": "Budget", "author": {"id": "u1", "name": "Val Voter", "email": "val@example.org"},
         "body": "Plain text\nwith two lines.", "created_at": "2024-05-01T10:00:00Z", "like_count": 2},
        {"id": "b", "parent_id": "a", "story_id": "2024/05/budget", "author": {"name": "Kim"},
         "body_html": "<p>A reply in <em>HTML</em>.</p>", "created_at": "2024-05-01T11:00:00+02:00",
         "status": "pending"},
        {"id": "c", "story_id": "2024/05/budget", "author": {"name": "Pro Member"}, "stream": "premium",
         "body": "Premium thoughts.", "created_at": "2024-05-01T12:00:00Z", "edited_at": "2024-05-01T12:03:00Z"},
    ]))  # fmt: skip
    return path


async def _rows(client) -> list[dict]:
    q = text(
        "SELECT c.id, c.parent_id, c.depth, c.body, c.status, c.stream, c.like_count, c.edited_at,"
        " s.key, s.url, s.title, u.name, u.email FROM comments c JOIN stories s ON s.id ="
        " c.story_id JOIN users u ON u.id = c.author_id ORDER BY c.created_at"
    )
    async with client.ctx.read() as tx:
        return [dict(r._mapping) for r in await tx.conn.execute(q)]


CASES = {
    "remark42": (remark42_backup, "backup-ledger.gz"),
    "commento": (commento_export, "commento-export.json.gz"),
    "comentario": (comentario_export, "comentario-export.json.gz"),
    "coral": (coral_download, "ledger-tenant"),
    "json": (generic_file, "comments.jsonl"),
}


@pytest.mark.parametrize("fmt", list(CASES))
async def test_each_format_imports_threads_and_statuses_and_a_rerun_skips_all(
    app_client, tmp_path, fmt
):
    make, name = CASES[fmt]
    path = make(tmp_path / name)
    report = await import_comments(app_client.ctx, reader_for(fmt)(path), fmt)
    rows = await _rows(app_client)
    assert report.comments == len(rows) > 0
    by_body = {r["body"]: r for r in rows}
    if fmt == "remark42":
        top, reply = by_body["The 7:15 is always late."], by_body["Agreed & the 8:05 too."]
        assert (top["name"], top["like_count"], top["title"]) == (
            "Pat Commuter",
            2,
            "Ferry timetable",
        )
        assert reply["edited_at"] is not None
        assert [r["status"] for r in rows if r["body"] == ""] == ["deleted"]
    elif fmt == "commento":
        top, reply = by_body["This is a comment!"], by_body["This is a reply!"]
        assert (top["name"], top["email"], top["like_count"]) == ("John Doe", "john@doe.example", 3)
        assert (top["key"], reply["status"]) == ("/post/tram/", "pending")
    elif fmt == "comentario":
        top, reply = by_body["Keep Saturdays open."], by_body["Buy cheap pills"]
        assert (top["name"], top["title"], top["key"]) == (
            "Rosa Reader",
            "Library hours",
            "/2023/library",
        )
        assert (reply["status"], reply["name"]) == ("rejected", "Pill Seller")
    elif fmt == "coral":
        top, reply = by_body["Far too little for schools."], by_body["Still waiting."]
        assert (top["name"], top["like_count"], top["title"]) == ("Maya Writes", 4, "Budget day")
        assert top["edited_at"] is not None and reply["status"] == "pending"
        assert [r["status"] for r in rows if r["body"] == ""] == ["deleted"]
    else:
        top, reply = by_body["Plain text\nwith two lines."], by_body["A reply in HTML."]
        assert (top["name"], top["like_count"], reply["status"]) == ("Val Voter", 2, "pending")
        assert by_body["Premium thoughts."]["stream"] == "premium"
    assert reply["parent_id"] == top["id"] and reply["depth"] == 1
    again = await import_comments(app_client.ctx, reader_for(fmt)(path), fmt)
    assert (again.comments, again.skipped) == (0, report.comments)


async def test_townhall_export_reads_back_through_the_generic_format(sqlite_client, tmp_path):
    from townhall.porting.exporter import export_comments

    ann = await sign_in(sqlite_client, "ann", name="Ann Reader")
    top = await post(sqlite_client, ann, "Exported top comment.")
    await post(sqlite_client, ann, "Exported reply.", parent_id=top["id"])
    out = tmp_path / "export.jsonl"
    with out.open("w") as f:
        await export_comments(sqlite_client.ctx, f)
    db = tmp_path / "other.sqlite3"
    res = run("import", "json", str(out), "--source", "old-townhall", "--db", str(db))
    assert res.returncode == 0, res.stderr
    assert "imported 2 comments" in res.stdout


def test_a_generic_file_without_a_source_is_refused_in_one_line(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": "a", "story_id": "s", "body": "x", "created_at": "2024-01-01"}\n')
    res = run("import", "json", str(path), "--db", str(tmp_path / "x.sqlite3"))
    assert res.returncode != 0
    assert res.stderr.strip().splitlines() == [
        f"townhall: cannot import {path} as json: name the source: a header line with "
        "'source', or --source"
    ]

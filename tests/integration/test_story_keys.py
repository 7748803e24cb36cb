"""Story ids are any text of 1-255 characters: every story route takes slashes, spaces,
percent signs and non-Latin letters (the widget's default id is the page's path)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.factories import make_staff, post, sign_in
from tests.integration.sse_helpers import AsgiStream

BIN = str(Path(sys.executable).parent / "townhall")

KEYS = [
    "/news/world/article-1.html",  # location.pathname, the widget's default
    "2026/11/25/four-day-school-week",  # the README's example shape
    "opinion/why we need 100% renewables",
    "новости/мост открыт",
    "記事/橋が再開",
    "a/" + "x" * 250 + "/b",  # 255 characters exactly
]


def url_of(key: str) -> str:
    """The key as a browser sends it in a path (encodeURIComponent)."""
    return quote(key, safe="")


@pytest.mark.parametrize("key", KEYS, ids=range(len(KEYS)))
async def test_every_reader_route_takes_the_story_id(app_client, key):
    assert len(key) <= 255
    c = app_client
    ann = await sign_in(c, "keys-ann", name="Ann Keys")
    bob = await sign_in(c, "keys-bob", name="Bob Keys")
    path = f"/api/v1/stories/{url_of(key)}"
    async with AsgiStream(c.app, f"{path}/events") as reader:
        assert reader.status == 200
        top = await post(c, ann, "A first thought on this story.", story=url_of(key))
        assert top["story_id"] == key
        (live,) = [e for e in await reader.take({"comment"}) if e.event == "comment"]
        assert live.json()["id"] == top["id"] and live.json()["story_id"] == key
    reply = await post(c, bob, "A reply to it.", story=url_of(key), parent_id=top["id"])
    assert reply["story_id"] == key

    for headers in ({}, bob):  # anonymous (cached) and signed-in readers
        page = await c.get(f"{path}/comments", headers=headers)
        assert page.status_code == 200, page.text
        data = page.json()
        assert data["story"]["id"] == key and data["total"] == 2
        assert [x["id"] for x in data["comments"]] == [top["id"]]
        assert [r["id"] for r in data["comments"][0]["replies"]] == [reply["id"]]
        thread = await c.get(f"/api/v1/comments/{top['id']}/replies", headers=headers)
        assert [x["story_id"] for x in thread.json()["comments"]] == [key]

    counts = await c.get("/api/v1/counts", params=[("story_id", key), ("story_id", "other")])
    assert counts.status_code == 200, counts.text
    assert counts.json() == {"counts": {key: 2, "other": 0}}


@pytest.mark.parametrize("key", KEYS, ids=range(len(KEYS)))
async def test_moderators_change_the_settings_of_any_story(app_client, key):
    c = app_client
    ann = await sign_in(c, "keys-ann", name="Ann Keys")
    mod = await sign_in(c, "keys-mod", name="Mo Keys")
    await make_staff(c, mod)
    await post(c, ann, "Before the story closes.", story=url_of(key))
    settings = f"/api/v1/moderation/stories/{url_of(key)}"
    got = await c.get(settings, headers=mod)
    assert got.status_code == 200, got.text
    assert got.json()["id"] == key and got.json()["is_closed"] is False
    res = await c.patch(settings, json={"is_closed": True, "premoderate": True}, headers=mod)
    assert res.status_code == 200, res.text
    assert res.json()["is_closed"] is True
    page = await c.get(f"/api/v1/stories/{url_of(key)}/comments")
    assert page.json()["story"]["is_closed"] is True
    refused = await c.post(
        f"/api/v1/stories/{url_of(key)}/comments", json={"body": "Too late."}, headers=ann
    )
    assert refused.status_code == 409 and refused.json()["code"] == "story-closed"
    queue = await c.get("/api/v1/moderation/queue", params={"story_id": key, "queue": "all"},
                        headers=mod)  # fmt: skip
    assert queue.status_code == 200 and len(queue.json()["comments"]) == 1


async def test_a_story_id_over_255_characters_is_refused_on_every_route(app_client):
    c = app_client
    ann = await sign_in(c, "keys-ann", name="Ann Keys")
    mod = await sign_in(c, "keys-mod", name="Mo Keys")
    await make_staff(c, mod)
    long = url_of("a/" + "x" * 254)
    for method, path, headers in [
        ("GET", f"/api/v1/stories/{long}/comments", {}),
        ("POST", f"/api/v1/stories/{long}/comments", ann),
        ("GET", f"/api/v1/stories/{long}/events", {}),
        ("GET", f"/api/v1/counts?story_id={long}", {}),
        ("GET", f"/api/v1/moderation/stories/{long}", mod),
        ("PATCH", f"/api/v1/moderation/stories/{long}", mod),
    ]:
        body = {"body": "hello"} if method == "POST" else {"is_closed": True}
        res = await c.request(
            method, path, headers=headers, json=body if method in ("POST", "PATCH") else None
        )
        assert res.status_code == 422, (method, path, res.text)
        assert res.json()["errors"][0]["field"] == "story_id", res.text


def _disqus(key: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <thread dsq:id="7"><id>{key}</id><link>https://news.example/{quote(key)}</link>
    <title>Imported</title></thread>
  <post dsq:id="71">
    <message><![CDATA[<p>An old comment, brought over.</p>]]></message>
    <createdAt>2019-03-01T10:00:00Z</createdAt>
    <isDeleted>false</isDeleted><isSpam>false</isSpam>
    <author><email>old@example.org</email><name>Old Reader</name></author>
    <thread dsq:id="7"/>
  </post>
</disqus>
"""


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [BIN, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "TOWNHALL_LOG_JSON": "off"},
    )


@pytest.mark.parametrize("key", KEYS[:5], ids=range(5))
async def test_import_and_export_keep_the_story_id_and_a_running_server_shows_imports(
    sqlite_url, make_settings, tmp_path, key
):
    from tests.conftest import _client

    db = sqlite_url.removeprefix("sqlite+aiosqlite:///")
    async with _client(make_settings(sqlite_url)) as c:
        # A long-lived cache entry: only the import's own invalidation can refresh it.
        c.ctx.cache.ttl = 600
        page = f"/api/v1/stories/{url_of(key)}/comments"
        assert (await c.get(page)).json()["total"] == 0
        source = tmp_path / "disqus.xml"
        source.write_text(_disqus(key), encoding="utf-8")
        res = _cli("import", "disqus", str(source), "--db", db)
        assert res.returncode == 0, res.stderr
        data = (await c.get(page)).json()
        assert data["total"] == 1 and data["story"]["id"] == key
        assert "brought over" in data["comments"][0]["body_html"]

    out = tmp_path / "export.jsonl"
    res = _cli("export", "--db", db, "--story", key, "-o", str(out))
    assert res.returncode == 0, res.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["story_id"] for r in rows] == [key]

"""The server-rendered first page: valid HTML, no script, user text inert, the same
comments as the API, cached and dropped with the story's pages."""

from __future__ import annotations

import html5lib
import pytest
from html5lib.constants import namespaces

from tests.factories import make_staff, post, sign_in
from townhall.services import comments as comment_service

STORY = "news/2026/xss-and-friends"
HTML = f"/stories/{STORY}/comments.html"
PAGE = f"/api/v1/stories/{STORY}/comments"
XHTML = namespaces["html"]
PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    '<a href="javascript:alert(3)">click</a> and <svg onload=alert(4)>',
    '"><iframe src=//evil.example></iframe>',
    "<style>body{display:none}</style> https://news.example/ok?a=1&b=<2>",
]
EVENT_ATTRS = ("onerror", "onload", "onclick", "onmouseover", "onfocus")


@pytest.fixture(autouse=True)
def fresh_rules_cache():
    comment_service._RULES.clear()


def parse(text: str):
    """Parse as a browser would, inside a <div>; any parse error fails the test."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    return parser.parseFragment(text, container="div")


def elements(tree, tag: str | None = None):
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        if tag is None or el.tag == f"{{{XHTML}}}{tag}":
            yield el


def ids_in_order(tree) -> list[int]:
    found = []
    for el in elements(tree, "li"):
        ident = el.get("id") or ""
        if ident.startswith("comment-"):
            found.append(int(ident.removeprefix("comment-")))
    return found


async def fragment(client, url: str = HTML) -> str:
    res = await client.get(url)
    assert res.status_code == 200, res.text
    assert res.headers["content-type"] == "text/html; charset=utf-8"
    return res.text


async def test_the_fragment_is_valid_html_without_scripts_and_user_text_stays_inert(app_client):
    ed = await sign_in(app_client, "ed", name="Edith Desk")
    await make_staff(app_client, ed)
    names = ["Ann O'Brien", "Bo Brennan"]  # names allow no markup; quotes still escaped
    authors = [await sign_in(app_client, f"u{i}", name=n) for i, n in enumerate(names)]
    made = [
        await post(app_client, authors[i % 2], body, story=STORY) for i, body in enumerate(PAYLOADS)
    ]
    await post(app_client, authors[1], PAYLOADS[0], story=STORY, parent_id=made[0]["id"])
    note = '<img src=x onerror="alert(5)"> a sharp point'
    res = await app_client.post(
        f"/api/v1/moderation/comments/{made[1]['id']}/feature", json={"note": note}, headers=ed
    )
    assert res.status_code == 200, res.text
    prompt = "</p><script>alert(6)</script> Your view?"
    res = await app_client.patch(
        f"/api/v1/moderation/stories/{STORY}", json={"prompt": prompt}, headers=ed
    )
    assert res.status_code == 200, res.text

    text = await fragment(app_client)
    tree = parse(text)
    assert not list(elements(tree, "script"))
    for tag in ("img", "iframe", "svg", "style"):
        assert not list(elements(tree, tag)), tag
    for el in elements(tree):
        assert not any(a.lower() in EVENT_ATTRS for a in el.attrib), el.tag
        assert not (el.get("href") or "").lower().startswith("javascript:")
    assert "<script" not in text.lower()  # bodies, names and notes arrive escaped
    # What people wrote is shown as text.
    words = "".join(tree.itertext())
    assert "Ann O'Brien" in words and "Bo Brennan" in words
    assert note in words and "<script>alert(6)</script> Your view?" in words
    for link in elements(tree, "a"):
        assert set((link.get("rel") or "").split()) >= {"nofollow", "ugc", "noopener"}


async def test_the_fragment_shows_the_same_comments_as_the_api_picks_first(app_client):
    ed = await sign_in(app_client, "ed", name="Edith Desk")
    await make_staff(app_client, ed)
    ann = await sign_in(app_client, "ann", name="Ann Reader")
    made = [await post(app_client, ann, f"Point number {i}.", story=STORY) for i in range(4)]
    reply = await post(app_client, ed, "A staff answer.", story=STORY, parent_id=made[0]["id"])
    res = await app_client.post(
        f"/api/v1/moderation/comments/{made[0]['id']}/feature",
        json={"note": "Clear"},
        headers=ed,
    )
    assert res.status_code == 200
    api = (await app_client.get(PAGE)).json()
    tree = parse(await fragment(app_client))
    expected = []
    for c in api["comments"]:
        expected.append(c["id"])
        expected.extend(r["id"] for r in c["replies"])
    assert ids_in_order(tree) == expected
    assert reply["id"] in expected
    sections = list(elements(tree, "section"))
    picks = next(s for s in sections if "townhall-picks" in (s.get("class") or ""))
    assert "Point number 0." in "".join(picks.itertext())
    first_list = next(el for el in elements(tree) if el.tag.endswith("}ol"))
    assert first_list in list(picks.iter())  # the picks come before the list
    text = "".join(tree.itertext())
    assert "Comments (5)" in text and "Pick" in text and "Staff" in text
    # Limit, stream and language as asked; unknown parameters refused.
    tree = parse(await fragment(app_client, HTML + "?limit=2&lang=de&nosnippet=true"))
    root = next(iter(elements(tree, "section")))
    assert root.get("lang") == "de" and root.get("data-nosnippet") == ""
    assert "Kommentare (5)" in "".join(tree.itertext())
    assert len([i for i in ids_in_order(tree) if i != reply["id"]]) == 2
    assert (await app_client.get(HTML + "?sort=oldest")).status_code == 422
    assert (await app_client.get(HTML + "?lang=x")).status_code == 422


async def test_the_fragment_is_cached_validated_and_updated_after_a_new_comment(app_client):
    ann = await sign_in(app_client, "ann", name="Ann Reader")
    first = await post(app_client, ann, "The first comment.", story=STORY)
    await fragment(app_client)
    hits = app_client.ctx.cache.hits
    res = await app_client.get(HTML)
    assert app_client.ctx.cache.hits == hits + 1, "a second read comes from the cache"
    tag = res.headers["etag"]
    assert res.headers["cache-control"].startswith("public")
    again = await app_client.get(HTML, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    second = await post(app_client, ann, "A second, newer comment.", story=STORY)
    res = await app_client.get(HTML, headers={"If-None-Match": tag})
    assert res.status_code == 200
    assert ids_in_order(parse(res.text)) == [second["id"], first["id"]]


async def test_an_unknown_story_renders_an_empty_section(app_client):
    tree = parse(await fragment(app_client, "/stories/never/seen/comments.html"))
    text = "".join(tree.itertext())
    assert "There are no comments yet" in text and ids_in_order(tree) == []

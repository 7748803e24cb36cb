"""Property tests: sanitizing, commenting-name rules and cursor pagination."""

from __future__ import annotations

import itertools
import re
import unicodedata
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.reliability.clients import plain_body, sign_in
from townhall.auth import names
from townhall.errors import NameInvalid
from townhall.render import render_body

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=300,
)
HOSTILE = st.lists(
    st.sampled_from(
        [
            "<script>",
            "</script>",
            "<img src=x onerror=alert(1)>",
            "javascript:",
            "JaVaScRiPt:alert(1)",
            "http://",
            "https://a.example/x?y=<b>",
            "www.",
            '"',
            "'",
            "<",
            ">",
            "&",
            "&lt;",
            "&#x3C;script&#x3E;",
            " onload=",
            "\n",
            "\n\n",
            "\r\n",
            "<a href='javascript:alert(1)'>",
            "<svg/onload=alert(1)>",
            "data:text/html,<script>",
            "\u202e",
            "\u200b",
            "x",
            " ",
        ]
    )
    | TEXT,
    max_size=12,
).map("".join)


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "br":
            self.text.append("\n")
        if tag == "p" and len(self.tags) > 1:
            self.text.append("\n\n")

    def handle_data(self, data):
        self.text.append(data)


def _parse(html: str) -> _Html:
    parser = _Html()
    parser.feed(html)
    parser.close()
    return parser


@settings(max_examples=400, deadline=None)
@given(HOSTILE)
def test_rendered_body_never_carries_script_handlers_or_unsafe_links(body: str) -> None:
    html = render_body(body)
    parsed = _parse(html)
    for tag, attrs in parsed.tags:
        assert tag in {"p", "br", "a"}, html
        for attr, value in attrs.items():
            assert not attr.startswith("on"), html
            if tag == "a" and attr == "href":
                assert value.startswith(("http://", "https://")), html
        if tag == "a":
            assert set(attrs) <= {"href", "rel"}, html
            assert attrs.get("rel") == "nofollow ugc noopener", html
    assert "<script" not in html.lower()
    assert not re.search(r"<[^>]*\son\w+\s*=", html, re.I), html


def _expected_text(body: str) -> str:
    paragraphs = re.split(r"\n\s*\n", body.replace("\r\n", "\n").strip())
    return "\n\n".join(p.strip() for p in paragraphs if p.strip())


@settings(max_examples=400, deadline=None)
@given(HOSTILE)
def test_rendered_text_reads_back_as_what_the_author_wrote(body: str) -> None:
    # HTML turns every carriage return into a line feed before anything is displayed.
    expected = _expected_text(body).replace("\r", "\n")
    assert "".join(_parse(render_body(body)).text) == expected


INVISIBLE = st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u034f"])
NAME = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._-'"),
    min_size=3,
    max_size=30,
)
HOMOGLYPHS = {
    "a": "\u0430",
    "e": "\u0435",
    "o": "\u043e",
    "p": "\u0440",
    "c": "\u0441",
    "x": "\u0445",
}


@settings(max_examples=300, deadline=None)
@given(NAME, st.lists(st.tuples(st.integers(0, 30), INVISIBLE), max_size=5))
def test_invisible_characters_never_change_the_name_key(name: str, inserts) -> None:
    spiked = name
    for pos, ch in inserts:
        spiked = spiked[:pos] + ch + spiked[pos:]
    assert names.skeleton(spiked) == names.skeleton(name)
    if inserts:
        with pytest.raises(NameInvalid):
            names.clean_name(spiked)


@settings(max_examples=300, deadline=None)
@given(NAME, st.data())
def test_case_and_homoglyphs_collide_both_ways(name: str, data) -> None:
    swapped = "".join(
        HOMOGLYPHS[ch] if ch in HOMOGLYPHS and data.draw(st.booleans()) else ch for ch in name
    )
    variants = [name, name.upper(), name.swapcase(), swapped]
    keys = {names.skeleton(v) for v in variants}
    assert len(keys) == 1
    for a, b in itertools.permutations(variants, 2):
        assert (names.skeleton(a) == names.skeleton(b)) == (names.skeleton(b) == names.skeleton(a))


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=40))
@example("00¼")  # "¼" skeletons to "l/4": its "l" must meet "i" on the first pass too
def test_a_cleaned_name_is_stable_and_within_the_rules(raw: str) -> None:
    try:
        name = names.clean_name(raw)
    except NameInvalid as exc:
        assert exc.fields.get("rule") in {"too-short", "too-long", "characters"}
        return
    assert names.MIN_LEN <= len(name) <= names.MAX_LEN
    assert names.clean_name(name) == name
    assert name == unicodedata.normalize("NFC", name)
    assert names.skeleton(names.skeleton(name)) == names.skeleton(name)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(names.RESERVED)), st.data())
def test_reserved_words_stay_reserved_in_disguise(word: str, data) -> None:
    disguised = "".join(
        HOMOGLYPHS[ch] if ch in HOMOGLYPHS and data.draw(st.booleans()) else ch for ch in word
    )
    if data.draw(st.booleans()):
        disguised = disguised.title()
    if len(disguised) < names.MIN_LEN:
        disguised += " 1"
    assert names.reserved_problem(disguised, "The Daily Ledger") is not None


_story_ids = itertools.count()
OPS = st.lists(
    st.one_of(st.tuples(st.just("post"), st.integers(1, 3)), st.tuples(st.just("read"))),
    min_size=1,
    max_size=14,
)


@pytest.mark.parametrize("sort", ["newest", "oldest", "most_liked"])
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    before=st.integers(0, 9),
    likes=st.lists(st.integers(0, 8), max_size=5),
    limit=st.integers(1, 4),
    ops=OPS,
)
async def test_paging_while_comments_arrive_never_repeats_or_skips(
    sqlite_client, sort, before, likes, limit, ops
) -> None:
    client = sqlite_client
    if not hasattr(client, "pagers"):
        client.pagers = [await sign_in(client, f"pager-{i}", name=f"Pager {i}") for i in range(2)]
    author, liker = client.pagers
    story = f"/api/v1/stories/paging-{next(_story_ids)}/comments"

    async def add() -> int:
        res = await client.post(story, json={"body": plain_body("pg")}, headers=author)
        assert res.status_code == 201, res.text
        return res.json()["id"]

    existing = [await add() for _ in range(before)]
    for i in likes:
        if i < len(existing):
            await client.put(f"/api/v1/comments/{existing[i]}/like", headers=liker)
    seen: list[int] = []
    cursor, done = None, False
    for op in [*ops, *[("read",)] * (before + 20)]:
        if op[0] == "post":
            for _ in range(op[1]):
                await add()
            continue
        if done:
            break
        params = {"sort": sort, "limit": limit, **({"cursor": cursor} if cursor else {})}
        res = await client.get(story, params=params)
        assert res.status_code == 200, res.text
        seen += [c["id"] for c in res.json()["comments"]]
        cursor = res.json()["next_cursor"]
        done = cursor is None
    assert done
    assert len(seen) == len(set(seen)), f"duplicates in {seen}"
    assert set(existing) <= set(seen), f"skipped {set(existing) - set(seen)}"

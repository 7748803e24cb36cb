"""Every shipped catalogue says everything English says, with the same placeholders and the
plural forms its language needs; overrides are held to the same rules."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from townhall import i18n
from townhall.errors import ValidationFailed

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "src" / "townhall" / "i18n"
PAIRS = [(s, c) for s in i18n.SURFACES for c in i18n.CODES]


@pytest.mark.parametrize(("surface", "code"), PAIRS, ids=[f"{s}-{c}" for s, c in PAIRS])
def test_catalogue_has_every_english_message_with_its_placeholders(surface: str, code: str):
    english = i18n.catalogue(surface, "en")
    shipped = i18n.catalogue(surface, code)
    assert sorted(set(english) - set(shipped)) == [], "missing messages"
    assert sorted(set(shipped) - set(english)) == [], "messages English does not have"
    plurals = i18n.LANGUAGES[code].plurals
    wrong = {k: i18n.problems(english[k], shipped[k], plurals) for k in english}
    assert {k: why for k, why in wrong.items() if why} == {}


@pytest.mark.parametrize("surface", i18n.SURFACES)
def test_every_catalogue_file_is_a_shipped_language(surface: str):
    files = {p.stem for p in (CATALOGUES / surface).glob("*.json")}
    assert files == set(i18n.CODES)


def test_every_pre_moderation_check_has_a_name_in_the_dashboard():
    from townhall.moderation.pipeline import CHECKS

    english = i18n.catalogue("dashboard", "en")
    assert [c.__name__ for c in CHECKS if f"check.{c.__name__}" not in english] == []


def test_at_least_ten_languages_ship_with_a_right_to_left_one():
    assert len(i18n.CODES) >= 10
    assert {"de", "fr", "es", "it", "pt-BR", "nl", "pl"} <= set(i18n.CODES)
    assert {"fi", "sv"} & set(i18n.CODES) and {"ar", "he"} & set(i18n.CODES)
    assert {c for c, lang in i18n.LANGUAGES.items() if lang.dir == "rtl"} == {"ar", "he"}


def test_a_missing_placeholder_an_extra_one_and_wrong_plural_forms_are_caught():
    assert i18n.problems("Reply to {name}", "Antwort", ("one", "other")) == "placeholders"
    assert i18n.problems("Reply", "Antwort an {name}", ("one", "other")) == "placeholders"
    assert i18n.problems("Reply to {name}", "Antwort an {name}", ("one", "other")) is None
    likes = {"one": "{count} like", "other": "{count} likes"}
    assert i18n.problems(likes, {"other": "{count} Likes"}, ("one", "other")) == "plural-forms"
    assert i18n.problems(likes, "{count} Likes", ("one", "other")) == "plural-forms"
    assert i18n.problems(likes, {"one": "{n} Like", "other": "{count} Likes"}, ("one", "other"))
    # A form other than "other" may let the word carry the number; "other" may not.
    one = {"one": "Ein Like", "other": "{count} Likes"}
    assert i18n.problems(likes, one, ("one", "other")) is None
    assert i18n.problems(likes, {"one": "{count} Like", "other": "Likes"}, ("one", "other"))


def test_plural_categories_are_those_of_the_browsers_rules():
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("node is required in CI")
        pytest.skip("node not installed")
    script = (
        "const l = JSON.parse(process.argv[1]); console.log(JSON.stringify(Object.fromEntries("
        "l.map((c) => [c, new Intl.PluralRules(c).resolvedOptions().pluralCategories.sort()]))))"
    )
    out = subprocess.run(
        [node, "-e", script, json.dumps(list(i18n.CODES))],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    from_intl = json.loads(out.stdout)
    assert {c: sorted(lang.plurals) for c, lang in i18n.LANGUAGES.items()} == from_intl


def test_the_bundle_asks_for_each_catalogue_under_its_current_version():
    bundle = (ROOT / "src" / "townhall" / "web" / "static" / "embed.js").read_text("utf-8")
    table = re.search(r"\{((?:\"?[\w-]+\"?:\"[0-9a-f]{12}\",?)+)\}", bundle).group(1)
    versions = dict(re.findall(r"\"?([\w-]+)\"?:\"([0-9a-f]{12})\"", table))
    assert versions == {c: i18n.version("widget", c) for c in i18n.CODES}


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("de", "de"),
        ("de-AT", "de"),
        ("DE-ch", "de"),
        ("pt", "pt-BR"),
        ("pt-PT", "pt-BR"),
        ("pt-br", "pt-BR"),
        ("ar-EG", "ar"),
        ("he-IL", "he"),
        ("en-US", "en"),
        ("ru", None),
        ("", None),
        (None, None),
        ("not a tag", None),
    ],
)
def test_a_page_tag_finds_its_shipped_language(tag, code):
    assert i18n.supported(tag) == code


def test_accept_language_picks_the_best_shipped_language():
    assert i18n.negotiate("ru, de-CH;q=0.8, en;q=0.5") == "de"
    assert i18n.negotiate("fr;q=0, it;q=0.4") == "it"
    assert i18n.negotiate("ja", default="sv") == "sv"
    assert i18n.negotiate(None) == "en"


def test_a_message_falls_back_from_override_to_language_to_english():
    overrides = {"widget": {"de": {"heading": "Leserbriefe"}}}
    assert i18n.message("widget", "de-AT", "heading", overrides) == "Leserbriefe"
    assert i18n.message("widget", "fr", "heading", overrides) == "Commentaires"
    assert i18n.message("widget", "ja", "heading") == "Comments"


def test_valid_overrides_are_kept_and_empty_ones_dropped():
    clean = i18n.validate_overrides(
        {
            "widget": {
                "de": {"heading": "Ihre Meinung", "intro": ""},
                "ar": {"likes": {f: "{count} إعجاب" for f in i18n.LANGUAGES["ar"].plurals}},
            },
            "dashboard": {"en": {"nav.queues": "Inbox"}},
        }
    )
    assert clean["widget"]["de"] == {"heading": "Ihre Meinung"}
    assert clean["dashboard"] == {"en": {"nav.queues": "Inbox"}}


@pytest.mark.parametrize(
    ("value", "field", "rule"),
    [
        ({"widget": {"de": {"no.such.id": "x"}}}, "messages.widget.de.no.such.id", "unknown-key"),
        (
            {"widget": {"de": {"reply.form": "Antwort"}}},
            "messages.widget.de.reply.form",
            "placeholders",
        ),
        (
            {"widget": {"de": {"heading": "{count} Stimmen"}}},
            "messages.widget.de.heading",
            "placeholders",
        ),
        (
            {"widget": {"de": {"likes": "{count} Likes"}}},
            "messages.widget.de.likes",
            "plural-forms",
        ),
        ({"widget": {"ru": {"heading": "x"}}}, "messages.widget.ru", "language"),
        ({"emails": {"de": {}}}, "messages.emails", "unknown"),
        ({"widget": {"de": {"heading": 3}}}, "messages.widget.de.heading", "type"),
        ({"widget": {"de": {"heading": "x" * 1001}}}, "messages.widget.de.heading", "max-length"),
        ("Kommentare", "messages", "type"),
    ],
)
def test_bad_overrides_are_refused_naming_the_entry_and_the_rule(value, field, rule):
    with pytest.raises(ValidationFailed) as refused:
        i18n.validate_overrides(value)
    [error] = refused.value.fields["errors"]
    assert (error["field"], error["rule"]) == (field, rule)


def test_the_comment_sections_overrides_are_capped_in_bytes_not_characters():
    # 20 texts of 900 two-byte letters: 18,000 characters, but over 32 KB on the wire.
    keys = [k for k, v in i18n.catalogue("widget", "en").items() if isinstance(v, str)]
    keys = [k for k in keys if not i18n.placeholders(i18n.catalogue("widget", "en")[k])][:20]
    big = {"widget": {"pl": {k: "ż" * 900 for k in keys}}}
    with pytest.raises(ValidationFailed) as caught:
        i18n.validate_overrides(big)
    [error] = caught.value.fields["errors"]
    assert (error["field"], error["rule"]) == ("messages.widget", "too-large")
    small = {"widget": {"pl": {k: "ż" * 900 for k in keys[:15]}}}
    assert i18n.validate_overrides(small) == small

"""The comment section in the reader's language: German and Arabic (right to left), switching by
attribute, server rules in the reader's words, and the publisher's own texts."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.widget_helpers import (
    DEMO_PASSWORD,
    axe_violations,
    login,
    sso_session,
    unique,
    use_session,
)
from townhall import i18n

pytestmark = pytest.mark.browser
ADMIN = "vikram.rao@example.org"  # the demo's admin
PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>{title}</h1><p>{standfirst}</p>
<townhall-comments story-id="{story}" story-url="{base}/{story}" story-title="{title}"{attrs}>
</townhall-comments></main><script src="{base}/embed.js" async></script></body></html>"""
# Text nodes inside these are the readers' and the publisher's words, not the widget's.
OWN_WORDS = ".body, .name, .av, [data-stream=premium], .sr-only"


def like(base: str, token: str, comment_id: int) -> None:
    r = httpx.put(
        f"{base}/api/v1/comments/{comment_id}/like", headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code == 200, r.text


def story_with_likes(base: str, bodies: list[str]) -> tuple[str, list[dict]]:
    """A fresh story whose comments have 0, 1, 2, 3 … likes, in the order of `bodies`."""
    story = f"lang-{unique()}"
    author = sso_session(base, name=unique("Autor"))
    fans = [sso_session(base, name=unique("Fan")) for _ in range(len(bodies) - 1)]
    made = []
    for n, body in enumerate(bodies):
        r = httpx.post(
            f"{base}/api/v1/stories/{story}/comments",
            json={"body": body, "story_url": f"{base}/{story}", "story_title": story},
            headers={"Authorization": f"Bearer {author['token']}"},
        )
        assert r.status_code == 201 and r.json()["status"] == "published", r.text
        for fan in fans[:n]:
            like(base, fan["token"], r.json()["id"])
        made.append(r.json())
    return story, made


def open_page(page: Page, base: str, story: str, lang: str, attrs: str = "") -> Locator:
    """Serve an article page in `lang` from the townhall origin and wait for its comments."""
    url = f"{base}/article-{story}"
    html = PAGE.format(lang=lang, title=story, standfirst="…", story=story, base=base, attrs=attrs)
    page.route(url, lambda route: route.fulfill(body=html, content_type="text/html"))
    page.goto(url)
    w = page.locator("townhall-comments")
    w.scroll_into_view_if_needed()
    expect(w.locator("ol.list")).to_have_attribute("aria-busy", "false")
    return w


def widget_words(w: Locator) -> str:
    """Every text the widget itself shows, one per line (not comments, names or site labels)."""
    return w.evaluate(
        """(el, skip) => {
            const out = [];
            const walk = (node) => {
                for (const kid of node.childNodes) {
                    if (kid.nodeType === 3) { if (kid.data.trim()) out.push(kid.data.trim()); }
                    else if (kid.nodeType === 1 && !kid.matches(skip) && !kid.hidden) walk(kid);
                }
            };
            walk(el.shadowRoot.querySelector('section'));
            for (const el2 of el.shadowRoot.querySelectorAll('[aria-label]')) {
                if (!el2.closest(skip)) out.push(el2.getAttribute('aria-label'));
            }
            return out.join('\\n');
        }""",
        OWN_WORDS,
    )


def english_left(text: str, lang: str) -> list[str]:
    """English catalogue texts (of three words or more) that show although `lang` differs."""
    english = i18n.catalogue("widget", "en")
    other = i18n.catalogue("widget", lang)
    found = []
    for key, value in english.items():
        forms = value.values() if isinstance(value, dict) else [value]
        theirs = other[key].values() if isinstance(other[key], dict) else [other[key]]
        for form in forms:
            for piece in re.split(r"\{\w+\}", form):
                piece = piece.strip(" .:-–,")
                if (
                    len(piece.split()) >= 3
                    and piece in text
                    and all(piece not in t for t in theirs)
                ):
                    found.append(piece)
    return found


def test_section_in_german_with_german_dates_plurals_and_no_english(
    page: Page, live_server: str, screens: Path
) -> None:
    story, _ = story_with_likes(
        live_server,
        [
            "Die Schulen auf dem Land haben ganz andere Probleme als die in der Stadt.",
            "Ich verstehe nicht, warum niemand die Eltern gefragt hat.",
            "Vier Tage Unterricht reichen völlig, wenn der Stundenplan stimmt.",
        ],
    )
    catalogues: list[str] = []
    page.on("request", lambda r: catalogues.append(r.url) if "/i18n/" in r.url else None)
    page.clock.install()
    w = open_page(page, live_server, story, "de-DE")
    expect(w.get_by_role("heading", name="Kommentare (3)")).to_be_visible()
    section = w.locator("section")
    expect(section).to_have_attribute("lang", "de-DE")
    expect(section).to_have_attribute("dir", "ltr")
    expect(w.get_by_text("2 Likes", exact=True)).to_be_visible()
    expect(w.get_by_text("1 Like", exact=True)).to_be_visible()
    expect(w.get_by_text("0 Likes", exact=True)).to_be_visible()
    expect(w.get_by_role("button", name="Anmelden", exact=True)).to_be_visible()
    expect(w.locator("time").first).to_have_text("gerade eben")
    title = w.locator("time").first.get_attribute("title")
    assert re.fullmatch(r"\d{1,2}\. [A-Za-zäöüÄÖÜ]+ \d{4} um \d{2}:\d{2}", title), title
    page.clock.fast_forward("02:00:00")
    expect(w.locator("time").first).to_have_text("vor 2 Stunden")
    expect(w.get_by_role("region", name="Community-Richtlinien").locator("li")).to_have_count(4)
    assert english_left(widget_words(w), "de") == []
    assert [u.split("?")[0] for u in catalogues] == [f"{live_server}/api/v1/i18n/widget/de"]
    w.screenshot(path=str(screens / "lang-de.png"))
    assert axe_violations(page) == []


def test_section_in_arabic_is_mirrored_with_arabic_plurals_and_no_english(
    page: Page, live_server: str, screens: Path
) -> None:
    story, made = story_with_likes(
        live_server,
        [
            "المدارس في الريف تواجه مشكلات مختلفة تماما عن مدارس المدن.",
            "لا أفهم لماذا لم يستشر أحد أولياء الأمور.",
            "أربعة أيام من الدراسة تكفي إذا كان الجدول جيدا.",
            "التجربة قد تنجح في المدن الكبيرة فقط.",
        ],
    )
    page.clock.install()
    w = open_page(page, live_server, story, "ar")
    expect(w).to_have_attribute("dir", "rtl")
    section = w.locator("section")
    expect(section).to_have_attribute("dir", "rtl")
    expect(section).to_have_attribute("lang", "ar")
    expect(w.get_by_role("heading", name="التعليقات (4)")).to_be_visible()
    for text in ("لا إعجابات", "إعجاب واحد", "إعجابان", "3 إعجابات"):
        expect(w.get_by_text(text, exact=True)).to_be_visible()
    # Mirrored: the avatar stands to the right of the name, the guidelines' rule on the right.
    first = w.locator("article").first
    avatar, name = first.locator(".av").bounding_box(), first.locator(".name").bounding_box()
    assert avatar["x"] > name["x"]
    rules = w.get_by_role("region", name="إرشادات المجتمع")
    assert rules.evaluate("el => getComputedStyle(el).borderRightWidth") == "4px"
    assert rules.evaluate("el => getComputedStyle(el).borderLeftWidth") == "0px"
    expect(w.locator("time").first).to_have_text("الآن")
    page.clock.fast_forward("03:00:00")
    expect(w.locator("time").first).to_have_text("قبل 3 ساعات")
    # Accessible names quote the commenter's name; that is theirs, not the widget's.
    words = widget_words(w).replace(made[0]["author"]["name"], "")
    assert english_left(words, "ar") == []
    assert re.findall(r"[A-Za-z]{2,}", words) == []
    w.screenshot(path=str(screens / "lang-ar.png"))
    assert axe_violations(page) == []


def test_the_lang_attribute_switches_the_language_in_place(page: Page, live_server: str) -> None:
    story, _ = story_with_likes(live_server, ["Ein erster Kommentar.", "Ein zweiter Kommentar."])
    w = open_page(page, live_server, story, "de", attrs=' lang="fr"')
    expect(w.get_by_role("heading", name="Commentaires (2)")).to_be_visible()
    expect(w.get_by_text("1 j'aime", exact=True)).to_be_visible()
    w.evaluate("el => el.setAttribute('lang', 'he')")
    expect(w.get_by_role("heading", name="תגובות (2)")).to_be_visible()
    expect(w).to_have_attribute("dir", "rtl")
    expect(w.get_by_text("לייק אחד", exact=True)).to_be_visible()
    # Without its own attribute the element follows the page again.
    w.evaluate("el => el.removeAttribute('lang')")
    expect(w.get_by_role("heading", name="Kommentare (2)")).to_be_visible()
    expect(w).to_have_attribute("dir", "ltr")
    expect(w.locator("ol.list > li")).to_have_count(2)


def test_a_refused_commenting_name_is_explained_in_german(page: Page, live_server: str) -> None:
    story, _ = story_with_likes(live_server, ["Ein Kommentar zum Artikel."])
    use_session(page, live_server, sso_session(live_server, name=None))
    w = open_page(page, live_server, story, "de")
    form = w.get_by_role("form", name="Kommentarnamen wählen")
    form.get_by_label("Kommentarname").fill("Moderator")
    form.get_by_role("button", name="Speichern").click()
    expect(form.get_by_role("alert")).to_have_text("Dieser Name ist reserviert.")
    form.get_by_label("Kommentarname").fill("ab")
    form.get_by_role("button", name="Speichern").click()
    expect(form.get_by_role("alert")).to_have_text("Kommentarnamen brauchen mindestens 3 Zeichen.")


def test_the_publishers_own_text_replaces_the_catalogues_in_its_language(
    page: Page, live_server: str
) -> None:
    token = login(live_server, ADMIN, DEMO_PASSWORD)["token"]
    headers = {"Authorization": f"Bearer {token}"}
    site = f"{live_server}/api/v1/admin/site"
    r = httpx.patch(
        site, json={"messages": {"widget": {"nl": {"heading": "Lezersdebat"}}}}, headers=headers
    )
    assert r.status_code == 200, r.text
    try:
        story, _ = story_with_likes(live_server, ["Een eerste reactie."])
        w = open_page(page, live_server, story, "nl-BE")
        expect(w.get_by_role("heading", name="Lezersdebat (1)")).to_be_visible()
        expect(w.get_by_role("button", name="Inloggen", exact=True)).to_be_visible()
    finally:
        httpx.patch(site, json={"messages": {}}, headers=headers).raise_for_status()


def test_a_held_and_a_rejected_comment_are_explained_in_german_never_in_the_servers_english(
    page: Page, live_server: str
) -> None:
    # The server words each finding's message and suggestion in English; a German section
    # explains the guideline and advises from its own catalogue (quoting the passage of a
    # refused draft, which it still holds as written).
    story, _ = story_with_likes(live_server, ["Ein Kommentar zum Artikel."])
    use_session(page, live_server, sso_session(live_server, name=unique("Leser")))
    w = open_page(page, live_server, story, "de")
    form = w.get_by_role("form", name="Kommentar schreiben")
    form.get_by_label("Ihr Kommentar").fill("Das ist doch Scheiße, was die Regierung da macht.")
    form.get_by_role("button", name="Kommentar senden").click()
    # Checked before posting, in German too: the passage marked, the catalogue's advice.
    warned = form.get_by_role("group", name=re.compile("^Bevor Sie absenden"))
    expect(warned).to_contain_text("Er enthält möglicherweise Kraftausdrücke")
    expect(warned.locator("mark")).to_have_text("Scheiße")
    expect(warned).to_contain_text("Sagen Sie dasselbe ohne Kraftausdrücke.")
    assert english_left(warned.inner_text(), "de") == []
    warned.get_by_role("button", name="Trotzdem senden").click()
    note = w.locator("li.c article .note")
    expect(note).to_contain_text("Ihr Kommentar wird geprüft")
    expect(note).to_contain_text("Er enthält möglicherweise Kraftausdrücke")
    expect(note).to_contain_text("Streichen Sie die Kraftausdrücke")
    assert "swearing" not in note.inner_text().lower()
    assert english_left(note.inner_text(), "de") == []

    form.get_by_label("Ihr Kommentar").fill("Die Kanaken sollen doch dahin zurück.")
    form.get_by_role("button", name="Kommentar senden").click()
    # A draft that would be rejected is only warned about: there is no posting it anyway.
    warned = form.get_by_role("group", name=re.compile("^So wie er ist"))
    expect(warned.locator("mark")).to_have_text("Kanaken")
    expect(warned.get_by_role("button", name="Trotzdem senden")).to_have_count(0)
    # When the check cannot answer, the post goes ahead and the refusal explains itself.
    page.route(re.compile(r"/api/v1/comments/check$"), lambda route: route.abort())
    form.get_by_label("Ihr Kommentar").fill("Die Kanaken sollen doch dahin zurück!")
    form.get_by_role("button", name="Kommentar senden").click()
    alert = form.get_by_role("alert")
    expect(alert).to_contain_text("Dieser Kommentar wurde abgelehnt")
    expect(alert).to_contain_text("diskriminierende oder hetzerische Sprache")
    expect(alert).to_contain_text("Die Textstelle: „Kanaken“")
    expect(warned).to_have_count(0)
    expect(alert).to_contain_text("Verzichten Sie auf Bemerkungen über Gruppen von Menschen")
    assert "Discuss policies" not in alert.inner_text()
    assert english_left(alert.inner_text(), "de") == []

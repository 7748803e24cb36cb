"""Message catalogues: the languages townhall ships, their texts, and publishers' overrides.

Each surface a person reads (``widget``: the reader's comment section; ``dashboard``: the
moderators' pages) has one JSON catalogue per language in ``townhall/i18n/<surface>/``,
keyed by message id. A value is a string with ``{placeholder}`` slots, or, for a message
that depends on a number, an object keyed by ``Intl.PluralRules`` category. English is
the reference: every other catalogue has exactly its ids and placeholders (a test holds
them to it). ``languages.json`` lists the languages with their direction and plural
categories; the widget's bundle and the dashboard read the same file.

A later surface (e-mail) is one more folder here: ``message()`` and ``negotiate()`` work
for any surface, and the completeness test walks every folder.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, Literal, get_args

from townhall.domain.limits import OVERRIDE_TEXT_MAX, WIDGET_OVERRIDES_MAX_BYTES
from townhall.errors import ValidationFailed

# Adding a surface (e-mail) adds its name here; routes and parameter models take it from here.
Surface = Literal["widget", "dashboard"]
SURFACES: tuple[Surface, ...] = get_args(Surface)
REFERENCE = "en"

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_ROOT = resources.files("townhall.i18n")

Message = str | dict[str, str]


@dataclass(frozen=True, slots=True)
class Language:
    """A shipped language: its tag, own name, writing direction and plural categories."""

    code: str
    name: str
    dir: str
    locale: str
    plurals: tuple[str, ...]


def _load_languages() -> dict[str, Language]:
    raw = json.loads(_ROOT.joinpath("languages.json").read_text("utf-8"))
    return {
        item["code"]: Language(
            item["code"], item["name"], item["dir"], item["locale"], tuple(item["plurals"])
        )
        for item in raw
    }


LANGUAGES: dict[str, Language] = _load_languages()
CODES = tuple(LANGUAGES)
_BY_LOWER = {code.lower(): code for code in CODES}


def supported(tag: str | None) -> str | None:
    """The shipped language for a BCP 47 tag ("de-AT" → "de", "pt" → "pt-BR"), else None."""
    if not tag or not _TAG.match(tag.strip()):
        return None
    tag = tag.strip().replace("_", "-").lower()
    if tag in _BY_LOWER:
        return _BY_LOWER[tag]
    base = tag.split("-", 1)[0]
    if base in _BY_LOWER:
        return _BY_LOWER[base]
    return next((code for code in CODES if code.lower().split("-", 1)[0] == base), None)


def negotiate(accept_language: str | None, default: str = REFERENCE) -> str:
    """The best shipped language for an Accept-Language header (for e-mails and pages)."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if q > 0:
            ranked.append((-q, i, tag))
    for _, _, tag in sorted(ranked):
        code = supported(tag)
        if code:
            return code
    return supported(default) or REFERENCE


def _path(surface: str, code: str) -> Traversable:
    return _ROOT.joinpath(surface, f"{code}.json")


@cache
def catalogue(surface: str, code: str) -> dict[str, Message]:
    """The shipped catalogue of one surface and language (raises KeyError when there is none)."""
    if surface not in SURFACES or code not in LANGUAGES:
        raise KeyError(f"{surface}/{code}")
    found: dict[str, Message] = json.loads(_path(surface, code).read_text("utf-8"))
    return found


@cache
def raw_catalogue(surface: str, code: str) -> bytes:
    """The catalogue file as shipped, for serving."""
    if surface not in SURFACES or code not in LANGUAGES:
        raise KeyError(f"{surface}/{code}")
    return _path(surface, code).read_bytes()


@cache
def version(surface: str, code: str) -> str:
    """A short content hash of a catalogue file (the widget's bundle carries the same)."""
    return hashlib.sha256(raw_catalogue(surface, code)).hexdigest()[:12]


def placeholders(message: Message) -> set[str]:
    """The {names} a message uses (all its plural forms together)."""
    forms = message.values() if isinstance(message, dict) else [message]
    return {name for form in forms for name in _PLACEHOLDER.findall(form)}


def problems(reference: Message, message: Message, plurals: tuple[str, ...]) -> str | None:
    """Why ``message`` cannot stand for ``reference`` in a language with ``plurals``, or None.

    A plural message needs exactly the language's categories. Its ``other`` form uses the
    reference's placeholders; other forms may leave ``{count}`` out ("one comment" is
    "un commentaire", "تعليقان" holds the two) but add nothing. A plain message uses
    exactly the reference's placeholders.
    """
    wanted = placeholders(reference)
    if isinstance(reference, dict):
        if not isinstance(message, dict):
            return "plural-forms"
        if set(message) != set(plurals):
            return "plural-forms"
        if not all(isinstance(v, str) for v in message.values()):
            return "type"
        for category, form in message.items():
            used = set(_PLACEHOLDER.findall(form))
            if not used <= wanted or (
                used != wanted and (category == "other" or used | {"count"} != wanted)
            ):
                return "placeholders"
        return None
    if not isinstance(message, str):
        return "type"
    return None if set(_PLACEHOLDER.findall(message)) == wanted else "placeholders"


def message(surface: str, code: str, key: str, overrides: dict[str, Any] | None = None) -> Message:
    """One message in a language, the publisher's override first, English as the fallback."""
    lang = supported(code) or REFERENCE
    if overrides:
        found: Message | None = overrides.get(surface, {}).get(lang, {}).get(key)
        if found is not None:
            return found
    return catalogue(surface, lang).get(key) or catalogue(surface, REFERENCE)[key]


def validate_overrides(value: object) -> dict[str, dict[str, dict[str, Message]]]:
    """Check a publisher's ``messages`` setting: surface → language → id → text.

    Unknown surfaces, languages and ids, wrong plural forms and placeholders that differ
    from the shipped message are refused naming the entry (``messages.widget.de.heading``);
    an empty text removes the override.
    """

    def refuse(where: str, rule: str, why: str) -> ValidationFailed:
        return ValidationFailed(f"{where}: {why}", field=where, rule=rule)

    if not isinstance(value, dict):
        raise refuse("messages", "type", "must be an object of surfaces")
    out: dict[str, dict[str, dict[str, Message]]] = {}
    for surface, langs in value.items():
        where = f"messages.{surface}"
        if surface not in SURFACES:
            raise refuse(where, "unknown", f"no such surface; use one of {', '.join(SURFACES)}")
        if not isinstance(langs, dict):
            raise refuse(where, "type", "must be an object of languages")
        for code, entries in langs.items():
            where = f"messages.{surface}.{code}"
            if code not in LANGUAGES:
                raise refuse(where, "language", f"no such language; use one of {', '.join(CODES)}")
            if not isinstance(entries, dict):
                raise refuse(where, "type", "must be an object of message ids")
            kept: dict[str, Message] = {}
            for key, text in entries.items():
                where = f"messages.{surface}.{code}.{key}"
                reference = catalogue(surface, REFERENCE).get(key)
                if reference is None:
                    raise refuse(where, "unknown-key", "no such message id")
                if text == "" or text is None:
                    continue
                texts = text.values() if isinstance(text, dict) else [text]
                if any(isinstance(t, str) and len(t) > OVERRIDE_TEXT_MAX for t in texts):
                    raise refuse(where, "max-length", f"at most {OVERRIDE_TEXT_MAX} characters")
                why = problems(reference, text, LANGUAGES[code].plurals)
                if why == "placeholders":
                    names = ", ".join(f"{{{n}}}" for n in sorted(placeholders(reference))) or "none"
                    raise refuse(where, "placeholders", f"must use the placeholders {names}")
                if why == "plural-forms":
                    forms = ", ".join(LANGUAGES[code].plurals)
                    raise refuse(where, "plural-forms", f"must give the forms {forms}")
                if why:
                    raise refuse(where, why, "must be text")
                kept[key] = text
            if kept:
                out.setdefault(surface, {})[code] = kept
    size = len(json.dumps(out.get("widget", {}), ensure_ascii=False).encode())
    if size > WIDGET_OVERRIDES_MAX_BYTES:
        raise refuse(
            "messages.widget", "too-large", f"at most {WIDGET_OVERRIDES_MAX_BYTES} bytes in all"
        )
    return out

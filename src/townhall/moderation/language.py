"""What language a comment is in, and which word lists and checks cover it.

Detection uses py3langid (a naive Bayes model over byte n-grams that ships inside the
package: nothing is downloaded). It costs some tens of microseconds per comment, so plainly
English text, the common case on English sites, skips it: ASCII text in which several
words are unmistakably English ("the", "would", "because") is taken as English without
the model. Only the first ``SAMPLE`` characters are looked at; a comment's language shows
in its first sentence.

Short texts fool any detector ("mierda" alone scores as Polish), so a guess counts only
above ``CONFIDENT``; below it, the word lists of the site's language and of the likely
candidates are all applied. Everything here is plain string work: no regular expression
sees what users write.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from townhall import i18n
from townhall.moderation.rules import Rules
from townhall.moderation.words import load_default

SAMPLE = 200
CONFIDENT = 0.5
CANDIDATE = 0.1
# Fewer letters than this and a text has no language worth holding it for.
MIN_LETTERS_FOR_OTHER = 20
ENGLISH = "en"
# Words common in English and not words of the other shipped languages ("will", "just",
# "but", "of", "to" and "is" are, in German, Swedish, French, Dutch and Polish).
_ENGLISH_MARKERS = frozenset(
    "the and that this with have has you your they them their there what when would should "
    "could which about because don't doesn't isn't it's i'm can't won't".split()
)
# The detector's tags for varieties whose swearing the shipped lists cover.
_ALIASES = {
    "pt": "pt-BR",
    "ary": "ar",
    "arz": "ar",
    "hbo": "he",
    "lb": "de",
    "ext": "es",
    "an": "es",
    "lij": "it",
    "vec": "it",
    "pcm": "en",
}
# Checks that judge structure rather than words: they work the same in every language.
LANGUAGE_FREE = frozenset(
    {
        "link_limit",
        "repeated_text",
        "burst_posting",
        "premoderated_story",
        "new_user",
        "other_language",
        "language_words",
    }
)
# Checks that work in every language on what they find by its shape (phone numbers, e-mail
# and bank details, names that look like staff) and also read English wording ("his
# mobile is", "I am the moderator").
ENGLISH_WORDING = frozenset({"private_info", "impersonation"})
_LOCK = threading.Lock()


@cache
def _identifier() -> Any:
    # Loading unpacks the model (about 1.5 s): load_detector() does it before a review's
    # time budget starts, never inside it.
    with _LOCK:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def load_detector() -> None:
    """Load the language model now, so that no comment's review pays for it."""
    _identifier()


@dataclass(frozen=True, slots=True)
class Detected:
    """A comment's language: the best guess, how sure, and the word lists that apply."""

    language: str | None
    confidence: float
    lists: tuple[str, ...] = ()

    @property
    def is_confident(self) -> bool:
        """Whether the guess is strong enough to act on."""
        return self.language is not None and self.confidence >= CONFIDENT

    @property
    def is_covered(self) -> bool:
        """Whether word lists cover the language (an unsure guess counts as covered)."""
        return not self.is_confident or self.language in WORD_LISTS


def _plainly_english(sample: str) -> bool:
    if not sample.isascii():
        return False
    words = [w.strip('.,;:!?"()[]*-') for w in sample.lower().split()]
    hits = sum(w in _ENGLISH_MARKERS for w in words)
    return hits >= 2 and hits * 10 >= len(words)


def _code(tag: str) -> str:
    return _ALIASES.get(tag, tag)


@lru_cache(maxsize=1024)
def detect(text: str, site_language: str = ENGLISH) -> Detected:
    """The language of ``text``; ``site_language`` is the fallback for texts too short to tell."""
    sample = text[:SAMPLE]
    if _plainly_english(sample):
        return Detected(ENGLISH, 1.0)
    fallback = tuple(c for c in (site_language,) if c in WORD_LISTS and c != ENGLISH)
    if sum(c.isalpha() for c in sample) < 3:
        return Detected(None, 0.0, fallback)
    ranked = _identifier().rank(sample)[:3]
    best, confidence = _code(ranked[0][0]), float(ranked[0][1])
    if confidence >= CONFIDENT:
        own: tuple[str, ...] = (best,) if best in WORD_LISTS and best != ENGLISH else ()
        if best not in WORD_LISTS and sum(c.isalpha() for c in sample) < MIN_LETTERS_FOR_OTHER:
            return Detected(None, confidence, fallback)
        return Detected(best, confidence, own)
    likely = [_code(tag) for tag, p in ranked if p >= CANDIDATE]
    candidates = tuple(
        dict.fromkeys(c for c in (*fallback, *likely) if c in WORD_LISTS and c != ENGLISH)
    )
    return Detected(best, confidence, candidates)


@dataclass(frozen=True, slots=True)
class LanguageLists:
    """One language's shipped entries, in the syntax of the site's lists ("guideline:word")."""

    banned: tuple[str, ...]
    suspect: tuple[str, ...]
    innocent: tuple[str, ...]


def _load_lists(code: str) -> LanguageLists:
    """Parse ``data/words/<code>.txt``: [banned|suspect <guideline>] and [innocent] sections."""
    path = resources.files("townhall.moderation").joinpath("data", "words", f"{code}.txt")
    found: dict[str, list[str]] = {"banned": [], "suspect": [], "innocent": []}
    kind, guideline = "suspect", "swearing"
    for line in path.read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            kind, _, guideline = line[1:-1].strip().partition(" ")
            if kind not in found:
                raise ValueError(f"{path}: unknown section [{line[1:-1]}]")
            continue
        found[kind].append(line if kind == "innocent" else f"{guideline.strip()}:{line}")
    return LanguageLists(*(tuple(found[k]) for k in ("banned", "suspect", "innocent")))


def _shipped() -> dict[str, LanguageLists]:
    out = {ENGLISH: LanguageLists(load_default("banned_words"), load_default("suspect_words"), ())}
    for code in i18n.CODES:
        if code != ENGLISH:
            out[code] = _load_lists(code)
    return out


# Word lists by language: English is the site's own (editable) lists, the rest ship as data.
WORD_LISTS: dict[str, LanguageLists] = _shipped()


@cache
def _innocent_anywhere() -> tuple[str, ...]:
    return tuple(sorted({w.lower() for lists in WORD_LISTS.values() for w in lists.innocent}))


def innocent_words(body: str, rules: Rules) -> tuple[str, ...]:
    """Ordinary words of the comment's language that the English lists must not flag there.

    Swedish "slut" (end), French "retard" (delay), Italian "bimbo" (child). The language is
    only detected when such a word occurs at all (a plain substring test first).
    """
    lowered = body.lower()
    if not any(word in lowered for word in _innocent_anywhere()):
        return ()
    found = detect(body, rules.site_language)
    if not found.is_confident or found.language == ENGLISH or found.language not in WORD_LISTS:
        return ()
    return WORD_LISTS[found.language].innocent


def coverage(rules: Rules) -> dict[str, object]:
    """Which checks cover which language (for the dashboard and the docs)."""
    from townhall.moderation.pipeline import CHECKS

    checks: list[dict[str, object]] = []
    for check in CHECKS:
        name = check.__name__
        wording: list[str] | None = None
        if name == "language_words":
            languages: list[str] | str = [c for c in WORD_LISTS if c != ENGLISH]
        elif name in LANGUAGE_FREE:
            languages = "all"
        elif name in ENGLISH_WORDING:
            languages, wording = "all", [ENGLISH]
        else:
            languages = [ENGLISH]
        checks.append({"check": name, "languages": languages, "wording": wording})
    return {
        "checks": checks,
        "word_lists": list(WORD_LISTS),
        "other_languages": rules.other_languages,
    }

"""Text folding shared by the word lists and the classifier."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from townhall.moderation.regex import linear

# Characters people swap for letters to dodge filters ("$h1t", "@ss", "5hit").
LEET = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "!": "i",
        "|": "i",
        "3": "e",
        "4": "a",
        "@": "a",
        "5": "s",
        "$": "s",
        "7": "t",
        "+": "t",
        "8": "b",
        "9": "g",
        "€": "e",
        "£": "l",
        "¢": "c",
    }
)

# Zero-width and formatting characters that hide inside words.
_INVISIBLE = dict.fromkeys(
    [0x00AD, 0x034F, 0x180E, 0x200B, 0x200C, 0x200D, 0x2060, 0x2061, 0x2062, 0x2063, 0xFEFF]
)

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"@\w+")
_REPEAT = re.compile(r"(.)\1{2,}")


def fold(text: str) -> str:
    """Lower-case, strip accents and invisible characters; keep everything else."""
    text = text.translate(_INVISIBLE)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return text.casefold()


def squeeze(text: str) -> str:
    """Collapse runs of three or more identical characters to two ("fuuuck" -> "fuuck")."""
    return _REPEAT.sub(r"\1\1", text)


def strip_urls(text: str) -> str:
    """Replace URLs and @mentions by placeholders so they do not read as words."""
    return _MENTION.sub(" ", _URL.sub(" xurlx ", text))


@lru_cache(maxsize=4096)
def fold_word(word: str) -> str:
    """Fold one list entry or name the same way comment text is folded."""
    return squeeze(fold(word).translate(LEET))


_LETTERS = re.compile(r"[a-z]+")
_ESCAPE = re.compile(r"\\[a-zA-Z]|\{[^}]*\}")
_OPTIONAL_GROUP = re.compile(r"([a-z]+)\(\?:([a-z|]+)\)\?")
_OPTIONAL_CHAR = re.compile(r"([a-z]+)([a-z])\?")
_JOINER = re.compile(r"([a-z]+)(?:-\?|\[- \]\?|'\?|\\s\*)([a-z]+)")
# Words too common to tell whether a pattern can match at all.
_FUNCTION_WORDS = frozenset(
    "i we you u ya yah y yall he she they him her them em it a an the this that these those of "
    "to in into on at for with by and or s t d ll m re ve r is are be was were will would "
    "should shall can could must all just so your ur yer his their my our what such who no not "
    "one up out back over down get go got have has had do does did been being as if than then "
    "some every any anyone someone somebody anybody people".split()
)


@lru_cache(maxsize=256)
def words_in(folded: str) -> frozenset[str]:
    """The distinct runs of letters in already folded text, plus each plural's singular."""
    words = set(_LETTERS.findall(folded))
    words.update([w[:-1] for w in words if w.endswith("s")])
    return frozenset(words)


def _required(source: str) -> str:
    """A regex source without lookarounds and optional groups: what every match spells."""
    out, i = [], 0
    while i < len(source):
        if source[i] == "\\":
            out.append(source[i : i + 2])
            i += 2
            continue
        if source[i] != "(":
            out.append(source[i])
            i += 1
            continue
        depth, j = 0, i
        while j < len(source):
            if source[j] == "\\":
                j += 2
                continue
            depth += {"(": 1, ")": -1}.get(source[j], 0)
            if depth == 0:
                break
            j += 1
        after = source[j + 1 : j + 5]
        lookaround = source.startswith(("(?=", "(?!", "(?<=", "(?<!"), i)
        if lookaround or after[:1] in ("?", "*") or after.startswith("{0"):
            if after[:1] in ("?", "*"):
                j += 1
            elif after.startswith("{0"):
                j = source.index("}", j)
            i = j + 1
            continue
        out.append("(" + _required(source[i + 1 : j]) + ")")
        i = j + 1
    return "".join(out)


def trigger_words(source: str) -> frozenset[str]:
    """Words of which a text needs at least one for the regex ``source`` to match.

    Lookarounds and optional parts are dropped; optional endings and joiners are
    spelled out ("kill(?:ed)?" gives "kill" and "killed", "horse-?whipped" also
    "horsewhipped"). It is a safe filter when every way through the pattern
    spells out a word that is not a function word, which is how the phrase
    patterns are written; the tests check it on sample texts.
    """
    words: set[str] = set()
    for m in _OPTIONAL_GROUP.finditer(source):
        words.update(m.group(1) + end for end in m.group(2).split("|"))
    for m in _OPTIONAL_CHAR.finditer(source):
        words.update((m.group(1), m.group(1) + m.group(2)))
    for m in _JOINER.finditer(source):
        words.add(m.group(1) + m.group(2))
    words.update(_LETTERS.findall(_ESCAPE.sub(" ", _required(source))))
    return frozenset(words - _FUNCTION_WORDS)


@dataclass(frozen=True, slots=True)
class Phrase:
    """A phrase pattern, only tried on texts that hold one of its key words."""

    keys: frozenset[str]
    regex: Any  # re.Pattern or an RE2 pattern


def phrases(*pairs: tuple[str, str]) -> tuple[Phrase, ...]:
    """Compile (key words, pattern) pairs; the key words are a regex part every match spells."""
    return tuple(Phrase(trigger_words(keys), re.compile(pattern)) for keys, pattern in pairs)


def linear_phrases(*pairs: tuple[str, str]) -> tuple[Phrase, ...]:
    """Like ``phrases``, compiled with RE2 (linear time; no lookarounds)."""
    return tuple(Phrase(trigger_words(keys), linear(pattern)) for keys, pattern in pairs)


def find_phrases(items: tuple[Phrase, ...], folded: str) -> Iterator[Any]:
    """Matches of the phrases whose key words occur in the folded text."""
    words = words_in(folded)
    for item in items:
        if not item.keys.isdisjoint(words):
            yield from item.regex.finditer(folded)


@lru_cache(maxsize=64)
def _fold_origins(text: str) -> tuple[int, ...] | None:
    """For each character of ``fold(text)``, the index it came from; None when they align."""
    if text.isascii():
        return None  # ASCII folds character for character
    origins: list[int] = []
    for i, char in enumerate(text):
        origins.extend([i] * len(fold(char)))
    return tuple(origins)


def origin_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Map a span of ``fold(text)`` back to the text as written."""
    origins = _fold_origins(text)
    if origins is None or not origins:
        return start, end
    start = min(start, len(origins) - 1)
    last = min(max(end - 1, start), len(origins) - 1)
    return origins[start], origins[last] + 1


_SENTENCE_END = ".!?\n"


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence of ``text`` holding the span, without its surrounding spaces."""
    left = max(text.rfind(c, 0, start) for c in _SENTENCE_END) + 1
    ends = [i for c in _SENTENCE_END if (i := text.find(c, end)) >= 0]
    right = min(ends) + 1 if ends else len(text)
    while left < right and text[left].isspace():
        left += 1
    while right > left and text[right - 1].isspace():
        right -= 1
    return left, right

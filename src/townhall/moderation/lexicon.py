"""Word classes that describe the shape of a violation, shared by the model and the rules.

``data/lexicon.txt`` sorts a few thousand words into classes: who is named (a
protected group, a person, an address to the reader), what is said of them
(dehumanising, disease, crime, intellect, emotion, looks, perversion), what is
called for (exclusion, violence, a call to gather, a wish) and what marks a
comment as a report or as counter-speech. The model learns weights for the
classes and for pairs of classes near each other, so a comment that uses a word
no training text used still looks like the comments whose words share its class.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources

LEXICON_FILE = "lexicon.txt"
# Neutral names of protected groups. The model never weighs one of these words on its
# own: it stands in a bigram as its class, and counts in pairs with what is said near it,
# so naming a group is never the offence (a slur is in the "slur" class instead).
NAMES = frozenset(
    {"group_ethnic", "group_religion", "group_migrant", "group_lgbt", "group_women", "group_men"}
)
# Every way of naming a group: its neutral names, stand-ins and slurs.
GROUPS = NAMES | {"coded", "slur"}
# Classes that name who a comment is about; pairs are formed from these to the rest.
TARGETS = frozenset(
    {
        "slur",
        "group_ethnic",
        "group_religion",
        "group_migrant",
        "group_lgbt",
        "group_women",
        "group_men",
        "coded",
        "address",
        "target_person",
        "target_place",
    }
)
WINDOW = 6  # words either side within which two classes count as said together


@cache
def _raw() -> str:
    return resources.files("townhall.moderation").joinpath("data", LEXICON_FILE).read_text("utf-8")


@cache
def table() -> dict[str, tuple[str, ...]]:
    """Word -> its classes, in file order."""
    out: dict[str, list[str]] = {}
    section = ""
    for line in _raw().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        for word in line.split():
            key = "".join(c for c in word.lower() if c.isalnum())
            if key and section not in out.setdefault(key, []):
                out[key].append(section)
    return {w: tuple(c) for w, c in out.items()}


def version() -> str:
    """A short hash of the lexicon, recorded in the model it was trained with."""
    return hashlib.sha256(_raw().encode()).hexdigest()[:12]


def classes_of(word: str) -> tuple[str, ...]:
    """The classes of one folded word, trying it without a plural ending too."""
    words = table()
    found = words.get(word)
    if found is not None:
        return found
    if len(word) > 3 and word.endswith("s"):
        found = words.get(word[:-1]) or (words.get(word[:-2]) if word.endswith("es") else None)
    return found or ()

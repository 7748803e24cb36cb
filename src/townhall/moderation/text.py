"""Text folding shared by the word lists and the classifier."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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

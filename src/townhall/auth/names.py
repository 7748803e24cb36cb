"""Commenting-name rules: length, characters, reserved words, confusable skeletons."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterable
from functools import cache
from importlib import resources

from townhall.errors import NameInvalid

MIN_LEN, MAX_LEN = 3, 30
RESERVED = frozenset(
    {
        "admin",
        "administrator",
        "moderator",
        "mod",
        "staff",
        "editor",
        "support",
        "townhall",
        "system",
        "root",
        "official",
        "team",
        "helpdesk",
        "newsdesk",
        "anonymous",
        "deleted",
    }
)
_ALLOWED_PUNCT = set(" ._-'")


_DIRECTION_MARKS = "\u200e\u200f"


_DIRECTION_MARKS = "\u200e\u200f"


@cache
def _prototypes() -> dict[str, str]:
    """Each confusable character's prototype, as UTS #39 defines it ("m" → "rn").

    The Unicode confusables table ships with confusable-homoglyphs, stored both ways
    (each source lists its prototype, each prototype its sources); the library does
    not compute skeletons, so the direction is recovered here. A source has exactly
    one entry and its prototype either spans several characters or has several
    sources; two characters that only name each other map to the smaller of the two.
    """
    raw = json.loads(
        resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8")
    )
    table: dict[str, list[str]] = {}
    for char, glyphs in raw.items():
        table.setdefault(char.strip(_DIRECTION_MARKS), []).extend(
            g["c"].strip(_DIRECTION_MARKS) for g in glyphs
        )
    out: dict[str, str] = {}
    for char, glyphs in table.items():
        if len(char) != 1 or len(glyphs) != 1 or not glyphs[0]:
            continue
        target = glyphs[0]
        if len(target) > 1 or len(table.get(target, ())) > 1:
            out[char] = target
        else:
            out[char] = min(char, target)
    return out


def _is_invisible(ch: str) -> bool:
    return unicodedata.category(ch) in {"Cf", "Mn", "Me", "Cc"} or ch in "\u115f\u1160\u3164"


def _visible(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not _is_invisible(ch))


def _skeleton(text: str) -> str:
    """UTS #39 skeleton: decompose, drop invisible marks, map to prototypes, again."""
    proto = _prototypes()
    return _visible("".join(proto.get(ch, ch) for ch in _visible(text)))


def _base(ch: str) -> str:
    """One character's skeleton as written, case-folded, and mapped again."""
    return _skeleton(_skeleton(ch).casefold())


@cache
def _case_classes() -> dict[str, str]:
    """Keys of ASCII case partners that the confusables split, joined: "I" maps to "l",
    so "i" must too, or "Ivan" and "ivan" would get different keys.

    Only ASCII letters are joined: elsewhere upper and lower case often look like two
    different Latin letters (Greek "Ν"/"ν" pose as N and v), and joining them would
    make unrelated Latin names collide.
    """
    rep: dict[str, str] = {}
    for lower in "abcdefghijklmnopqrstuvwxyz":
        a, b = _base(lower), _base(lower.upper())
        if a != b:
            keep, drop = sorted((a, b))
            rep[drop] = rep.get(keep, keep)
    return rep


@cache  # pure in one character; names repeat characters, and imports check thousands
def _char_key(ch: str) -> str:
    base = _base(ch)
    rep = _case_classes()
    if base in rep:
        return rep[base]
    # A character can map to several ("¼" → "l/4"): merge case partners in each of them too,
    # or the key of a key would differ from the key ("l" → "i" only on the second pass).
    return "".join(rep.get(c, c) for c in base)


def skeleton(name: str) -> str:
    """A key under which confusable spellings of a name collide, ignoring case.

    Taken first from the text as written, before any lower-casing: "CaroI" (capital
    i) meets "Carol" only through the I → l confusable, which "caroi" would no longer
    show. The result is case-folded and mapped again ("Sec0nd": 0 → O → o), and the
    keys of case partners are merged, so "Ivan" and "ivan" still share one.
    """
    text = "".join(_char_key(ch) for ch in unicodedata.normalize("NFC", name))
    # Separators don't distinguish names ("Jo Smith" vs "Jo_Smith").
    return "".join(ch for ch in text if ch.isalnum())


def _keys(name: str) -> set[str]:
    """The skeletons of a name as written and case-folded (for the reserved check)."""
    return {skeleton(name), skeleton(name.casefold())}


MAX_KEY = 100


def name_key(name: str) -> str:
    """What the users table stores to keep names unique: the skeleton, or for the few
    names whose decomposition runs long, a digest of it (the column is bounded)."""
    key = skeleton(name)
    if len(key) <= MAX_KEY:
        return key
    return "#" + hashlib.sha256(key.encode()).hexdigest()


def look_alike_groups(users: Iterable[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Users whose names share a skeleton, in groups of two or more, oldest id first."""
    by_key: dict[str, list[tuple[int, str]]] = {}
    for user_id, name in users:
        if name:
            by_key.setdefault(skeleton(name), []).append((user_id, name))
    groups = [sorted(g) for g in by_key.values() if len(g) > 1]
    return sorted(groups)


def clean_name(raw: str) -> str:
    """Trim and normalize a proposed name, or raise NameInvalid naming the rule."""
    if not isinstance(raw, str):
        raise NameInvalid("name must be text", rule="characters")
    name = unicodedata.normalize("NFC", " ".join(raw.split()))
    if any(_is_invisible(ch) for ch in name):
        raise NameInvalid("name contains invisible or control characters", rule="characters")
    if len(name) < MIN_LEN:
        raise NameInvalid(f"name must be at least {MIN_LEN} characters", rule="too-short")
    if len(name) > MAX_LEN:
        raise NameInvalid(f"name must be at most {MAX_LEN} characters", rule="too-long")
    for ch in name:
        if not (ch.isalnum() or ch in _ALLOWED_PUNCT):
            raise NameInvalid(
                "name may use letters, digits, spaces and . _ - ' only", rule="characters"
            )
    if not any(ch.isalnum() for ch in name):
        raise NameInvalid("name must contain a letter or digit", rule="characters")
    return name


def reserved_problem(name: str, publisher: str | None) -> str | None:
    """Why a name is reserved (staff words, the publisher's name), or None."""
    keys = _keys(name)
    split = name.replace(".", " ").replace("_", " ").replace("-", " ").split()
    words = set().union(*(_keys(w) for w in split)) if split else set()
    for word in RESERVED:
        sk = skeleton(word)
        if sk in keys or sk in words or (len(sk) > 4 and any(sk in key for key in keys)):
            return f"'{name}' is reserved for the site's staff"
    if publisher:
        bare = publisher.strip()
        if bare.lower().startswith("the "):
            bare = bare[4:]
        pub = skeleton(bare)
        if pub and any(pub in key for key in keys):
            return f"'{name}' is reserved: it is the publisher's name"
    return None

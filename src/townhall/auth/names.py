"""Commenting-name rules: length, characters, reserved words, confusable skeletons."""

from __future__ import annotations

import json
import unicodedata
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


@cache
def _classes() -> dict[str, str]:
    """Map each confusable character to one representative of its class.

    The Unicode confusables table ships with confusable-homoglyphs as a graph of
    single characters; UTS #39 skeletons need one canonical member per class,
    which that library does not compute, so we take the transitive closure here
    and prefer an ASCII member (so Cyrillic 'а' and Latin 'a' share a key).
    """
    data = json.loads(
        resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8")
    )
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for char, glyphs in data.items():
        if len(char) != 1:
            continue
        for g in glyphs:
            other = g["c"]
            if len(other) == 1:
                ra, rb = find(char), find(other)
                if ra != rb:
                    parent[ra] = rb
    members: dict[str, list[str]] = {}
    for ch in list(parent):
        members.setdefault(find(ch), []).append(ch)
    rep: dict[str, str] = {}
    for group in members.values():
        ascii_ = sorted(ch for ch in group if ch.isascii() and ch.isalnum())
        best = ascii_[0] if ascii_ else min(group)
        for ch in group:
            rep[ch] = best
    return rep


def _is_invisible(ch: str) -> bool:
    return unicodedata.category(ch) in {"Cf", "Mn", "Me", "Cc"} or ch in "\u115f\u1160\u3164"


def skeleton(name: str) -> str:
    """A key under which confusable spellings of a name collide."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not _is_invisible(ch)).casefold()
    rep = _classes()
    text = "".join(rep.get(ch, ch) for ch in text)
    # Separators don't distinguish names ("Jo Smith" vs "Jo_Smith").
    return "".join(ch for ch in text if ch.isalnum())


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
    key = skeleton(name)
    words = {
        skeleton(w) for w in name.replace(".", " ").replace("_", " ").replace("-", " ").split()
    }
    for word in RESERVED:
        sk = skeleton(word)
        if key == sk or sk in words or (len(sk) > 4 and sk in key):
            return f"'{name}' is reserved for the site's staff"
    if publisher:
        bare = publisher.strip()
        if bare.lower().startswith("the "):
            bare = bare[4:]
        pub = skeleton(bare)
        if pub and pub in key:
            return f"'{name}' is reserved: it is the publisher's name"
    return None

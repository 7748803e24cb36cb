"""Impersonation: posing as staff, the publisher or another commenter."""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources

from townhall.moderation.checks.authority import asks_for_secrets, authority_claim
from townhall.moderation.findings import Finding, Submission
from townhall.moderation.regex import Pattern, linear
from townhall.moderation.rules import Rules

ROLES = (
    r"(?:site\s+|community\s+|comments?\s+|chief\s+|deputy\s+|managing\s+|news\s+)?"
    r"(?:moderator|mod|admin|administrator|editor|sub-?editor|staff(?:\s+member)?|"
    r"journalist|reporter|employee|moderation\s+team|community\s+team|comments\s+team)s?"
)
# "As" only opens a claim at the start of a sentence or clause ("As an editor, I..."),
# not after a word ("she worked as a reporter", "lists him as staff"); "were" is not "we're".
_AS = r"(?:^|[^\w\s])\s*as"
# "I am the moderator", "speaking as an editor here", "this is the comments team".
CLAIM = linear(
    rf"(?:\b(?:i\s*am|i'?m|im|speaking\s+as|this\s+is|we\s+are|we['’]re|i\s+work\s+as)|{_AS})"
    r"\s+(?:(?:a|an|the|your|one\s+of\s+the|one\s+of\s+your)\s+)?" + ROLES + r"\b",
    ignore_case=True,
)
# Text dressed up as an official notice: "[Moderator note]", "Admin: ...". Only spaces
# and tabs may pad a line's start: a whitespace class that also took newlines made
# the pattern cubic in the number of blank lines.
NOTICE = linear(
    r"(?m)^[ \t]*[\[(]?[ \t]*(?:moderator|mod|admin|administrator|editor|staff)"
    r"(?:[ \t]+(?:note|notice|message|team|warning))?[ \t]*[\])]?[ \t]*:",
    ignore_case=True,
)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_LOOKALIKE_ASCII = str.maketrans({"0": "o", "1": "i", "l": "i", "|": "i", "5": "s", "3": "e"})


@lru_cache(maxsize=64)
def _publisher_claim(publisher: str) -> Pattern | None:
    """'I'm a <publisher> journalist', 'I work for <publisher>', 'on behalf of <publisher>'."""
    words = re.sub(r"(?i)^the\s+", "", publisher).split()
    if not words:
        return None
    name = r"(?:the\s+)?" + r"\s+".join(re.escape(w) for w in words)
    return linear(
        rf"(?:(?:\b(?:i\s*am|i'?m|im|we\s+are|we['’]re)|{_AS})\s+"
        rf"(?:(?:a|an|the|one\s+of\s+the)\s+)?{name}\s+{ROLES}|"
        rf"\bi\s+work\s+(?:for|at)\s+{name}|\bon\s+behalf\s+of\s+{name})\b",
        ignore_case=True,
    )


@cache
def _confusables() -> dict[str, str]:
    """Map each non-ASCII look-alike to the ASCII letter or digit it imitates."""
    path = resources.files("confusable_homoglyphs").joinpath("confusables.json")
    table: dict[str, str] = {}
    for char, glyphs in json.loads(path.read_text("utf-8")).items():
        if char.isascii():
            continue
        for glyph in glyphs:
            target = glyph["c"].strip("\u200e")
            if len(target) == 1 and target.isascii() and target.isalnum():
                table[char] = target.lower()
                break
    return table


@lru_cache(maxsize=4096)
def skeleton(name: str) -> str:
    """Reduce a name to what it looks like: "Аdmin", "AdmIn" and "ad.min" all give "adrnin"."""
    text = unicodedata.normalize("NFKC", name)
    table = _confusables()
    text = "".join(table.get(c, c) for c in text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if c.isascii() and c.isalnum()).lower()
    # Letter pairs that read as one letter ("rn" looks like "m", "vv" like "w").
    return text.translate(_LOOKALIKE_ASCII).replace("m", "rn").replace("w", "vv")


def name_parts(name: str) -> set[str]:
    """Skeletons of the words in a name, split at spaces, punctuation and camelCase."""
    spaced = _CAMEL.sub(" ", unicodedata.normalize("NFKC", name))
    return {k for part in re.split(r"[\W_]+", spaced) if (k := skeleton(part))}


def poses_as(name: str, rules: Rules) -> str | None:
    """Who a name poses as: a reserved role, the publisher or a staff member, else None."""
    key = skeleton(name)
    if not key:
        return None
    for staff in rules.staff_names:
        if skeleton(staff) == key:
            return f"staff member {staff}"
    parts = name_parts(name)
    for reserved in rules.reserved_names:
        if skeleton(reserved) in parts or skeleton(reserved) == key:
            return f'the reserved name "{reserved}"'
    publisher = skeleton(re.sub(r"(?i)^the\s+", "", rules.publisher_name))
    if publisher and publisher in key:
        return f"the publisher {rules.publisher_name}"
    return None


def impersonation(sub: Submission) -> Finding | None:
    """Hold comments that pose as staff, an official body or someone else, or fish for secrets."""
    if sub.author_is_staff:
        return None
    body = sub.body
    pattern = _publisher_claim(sub.rules.publisher_name)
    m = CLAIM.search(body) or NOTICE.search(body) or (pattern and pattern.search(body))
    if m:
        return Finding.hold(
            "impersonation",
            "claims to speak as staff",
            span=(m.start(), m.end()),
            kind="a claim to speak as staff",
        )
    found = authority_claim(body) or asks_for_secrets(body)
    if found:
        start, end, kind = found
        return Finding.hold("impersonation", kind, span=(start, end), kind=kind)
    name = sub.author_name
    if not name:
        return None
    target = poses_as(name, sub.rules)
    if target:
        return Finding.hold(
            "impersonation", f"commenting name looks like {target}", kind="a look-alike name"
        )
    key, folded = skeleton(name), name.casefold().strip()
    for other in sub.other_names:
        # The same name spelled the same way is the author; only a look-alike is suspect.
        if other.casefold().strip() != folded and skeleton(other) == key:
            return Finding.hold(
                "impersonation",
                f'commenting name looks like "{other}"',
                kind="a look-alike name",
            )
    return None

"""Discrimination and abuse aimed at a whole group ("<group> are <insult>").

The groups and what is said about them live in ``data/group_attacks.txt``.
A generalisation that is reported, denied or discussed ("Trump said Mexicans
are rapists", "the myth that immigrants are criminals", "no one thinks women
are inferior") is not the commenter's own attack and passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from townhall.moderation.checks.threats import VIOLENT
from townhall.moderation.findings import Finding, Submission
from townhall.moderation.regex import linear
from townhall.moderation.text import Phrase, find_phrases, fold, origin_span, trigger_words

# "are", "are all", "are nothing but", "are just a bunch of"...
_FILLER = (
    r"all|just|nothing\s+but|such|so|really|basically|simply|a\s+bunch\s+of|bunch\s+of|like|"
    r"mostly|generally|naturally|inherently|always|clearly|obviously|truly|little\s+more\s+than|"
    r"no\s+better\s+than|worse\s+than|the\s+most|more|too|born|by\s+nature|all\s+just"
)
_LINK = rf"(?:are|r|is|were)\s+(?:(?:{_FILLER})\s+){{0,3}}"
_DETERMINER = r"(?:all\s+|most\s+|these\s+|those\s+|the\s+|all\s+the\s+|all\s+these\s+)?"
# "Canadians are sick of waiting", "women are crazy about it": not a verdict on them.
# (checked after a match: RE2 has no lookahead)
_NOT_A_VERDICT = linear(r"^\s+(?:of|with|about|for|over|to\s+(?:be|have|get|see|hear|know))\b")
_WANT = (
    r"(?:(?:all|just|only|really|secretly)\s+)?(?:want\s+to|wants\s+to|are\s+trying\s+to|"
    r"try\s+to|plan\s+to|are\s+going\s+to|are\s+out\s+to|intend\s+to|are\s+here\s+to|will)"
)
# Before a match in the same sentence, these show it is reported or discussed...
_REPORTED = re.compile(
    r"\b(?:said|says|saying|claim(?:s|ed|ing)?|argue[sd]?|suggest(?:s|ed)?|propose[sd]?|"
    r"call(?:s|ed)?\s+for|tweeted|told|wrote|according\s+to|idea\s+that|notion\s+that|"
    r"myth\s+that|lie\s+that|stereotype\s+that|belief\s+that|why\s+(?:do|would)|"
    r"if\s+you\s+think|stop\s+saying)\b"
)
# ... and these, in the same clause, that it is denied.
_DENIED = re.compile(r"\bnot\b|n't|n’t|\bnever\b|\bno\s+one\b|\bnobody\b|\bnoone\b")


@dataclass
class _Section:
    guideline: str
    keys: dict[str, list[str]] = field(default_factory=dict)


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w.strip()).replace(r"\ ", r"\s+") for w in words if w.strip())


def _sections(text: str) -> list[_Section]:
    out: list[_Section] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            out.append(_Section(line[1:-1].strip()))
            continue
        key, _, rest = line.partition(":")
        out[-1].keys.setdefault(key.strip(), []).extend(rest.split("|"))
    return out


def _compile(section: _Section) -> list[Phrase]:
    keys = section.keys
    who = _alternatives(keys["groups"])
    parts = [
        # "I hate <group>"
        rf"\b(?:i|we)\s+(?:really\s+|just\s+)?(?:hate|despise|detest|loathe|can'?t\s+stand|"
        rf"cannot\s+stand)\s+(?:all\s+)?(?:the\s+)?(?:{who})\b",
        # "<group> should all be shot": violence wished on a whole group.
        rf"\b{_DETERMINER}(?:{who})\s+(?:should|must|need\s+to|deserve\s+to|ought\s+to)"
        rf"\s+(?:all\s+)?(?:be|get)\s+{VIOLENT}\b",
    ]
    if "are" in keys:
        what = _alternatives(keys["are"])
        parts.append(rf"\b{_DETERMINER}(?:{who})\s+{_LINK}(?:{what})\b")
    if "adjective" in keys:
        parts.append(rf"\b(?:{_alternatives(keys['adjective'])})\s+(?:{who})\b")
    if "should" in keys:
        parts.append(
            rf"\b{_DETERMINER}(?:{who})\s+(?:all\s+)?(?:should|must|need\s+to|ought\s+to|"
            rf"have\s+to)\s+(?:all\s+)?(?:{_alternatives(keys['should'])})\b"
        )
    if "want" in keys:
        parts.append(rf"\b{_DETERMINER}(?:{who})\s+{_WANT}\s+(?:{_alternatives(keys['want'])})\b")
    if "claim" in keys:
        parts.append(rf"\b{_DETERMINER}(?:{who})\s+(?:\w+\s+)?(?:{_alternatives(keys['claim'])})\b")
    if "against" in keys:
        parts.append(
            rf"\b(?:{_alternatives(keys['against'])})\s+(?:all\s+|every\s+|the\s+|these\s+|"
            rf"those\s+|all\s+the\s+|all\s+these\s+)?(?:{who})\b"
        )
    # Every part names the group, so a text without any group word is skipped.
    out = [Phrase(trigger_words(who), linear("|".join(parts)))]
    if "member" in keys and "noun" in keys:
        member = _alternatives(keys["member"])
        out.append(
            Phrase(
                trigger_words(member),
                linear(rf"\b(?:{member})\s+(?:{_alternatives(keys['noun'])})\b"),
            )
        )
    if "places" in keys:
        out.append(
            Phrase(
                frozenset({"back"}),
                linear(
                    r"(?:^|[.!?,;]\s*|\b(?:just|then|so|and|please|should|can|must|"
                    r"need\s+to|needs\s+to)\s+)(?:go|get|sent|send\s+them|ship\s+them)\s+back"
                    rf"\s+to\s+(?:{_alternatives(keys['places'])})\b"
                ),
            )
        )
    return out


@cache
def patterns() -> tuple[tuple[str, Phrase], ...]:
    """Compiled (guideline, phrase) pairs from the shipped group_attacks.txt."""
    raw = resources.files("townhall.moderation").joinpath("data", "group_attacks.txt")
    return tuple(
        (s.guideline, phrase) for s in _sections(raw.read_text("utf-8")) for phrase in _compile(s)
    )


def asserted(text: str, start: int) -> bool:
    """Whether the generalisation starting at ``start`` is the commenter's own."""
    sentence = re.split(r"[.!?;\n]", text[max(0, start - 60) : start])[-1]
    clause = re.split(r"[,:]", sentence)[-1]
    return not (_REPORTED.search(sentence) or _DENIED.search(clause))


def attack_in(text: str) -> tuple[str, str, int, int] | None:
    """(guideline, phrase, start, end) of the first group attack in folded text, else None."""
    for guideline, phrase in patterns():
        for found in find_phrases((phrase,), text):
            if _NOT_A_VERDICT.match(text[found.end() : found.end() + 40]):
                continue
            lead = len(found.group()) - len(found.group().lstrip(" .!?,;"))
            if asserted(text, found.start() + lead):
                return guideline, found.group()[lead:], found.start() + lead, found.end()
    return None


def group_attacks(sub: Submission) -> Finding | None:
    """Hold a comment that brands a whole group with a dehumanising or insulting term."""
    found = attack_in(fold(sub.body))
    if found:
        guideline, phrase, start, end = found
        return Finding.hold(
            guideline,
            f'generalises about a group: "{phrase}"',
            span=origin_span(sub.body, start, end),
            kind="an attack on a group" if guideline == "discrimination" else "an insult",
        )
    return None

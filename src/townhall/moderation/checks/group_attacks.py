"""Discrimination and abuse aimed at a whole group ("<group> are <insult>")."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from townhall.moderation.checks.threats import VIOLENT
from townhall.moderation.findings import Finding, Submission
from townhall.moderation.text import fold

# "are", "are all", "are nothing but", "are just a bunch of"...
_FILLER = r"all|just|nothing\s+but|such|so|really|basically|simply|a\s+bunch\s+of|bunch\s+of|like"
_LINK = rf"(?:are|r|is)\s+(?:(?:{_FILLER})\s+){{0,3}}"
_DETERMINER = r"(?:all\s+|most\s+|these\s+|those\s+|the\s+)?"


def _alternatives(words: str) -> str:
    return "|".join(re.escape(w.strip()).replace(r"\ ", r"\s+") for w in words.split("|"))


@cache
def patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Compiled (guideline, pattern) pairs from the shipped group_attacks.txt."""
    raw = resources.files("townhall.moderation").joinpath("data", "group_attacks.txt")
    out = []
    for line in raw.read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        guideline, _, rest = line.partition(":")
        groups, _, insults = rest.partition(" | ")

        who, what = _alternatives(groups), _alternatives(insults)
        branded = rf"\b{_DETERMINER}(?:{who})\s+{_LINK}(?:{what})\b"
        hated = (
            rf"\b(?:i|we)\s+(?:really\s+)?(?:hate|despise|detest|loathe)\s+(?:all\s+)?(?:{who})\b"
        )
        # "<group> should all be shot": violence wished on a whole group.
        doomed = (
            rf"\b{_DETERMINER}(?:{who})\s+(?:should|must|need\s+to|deserve\s+to|ought\s+to)"
            rf"\s+(?:all\s+)?(?:be|get)\s+{VIOLENT}\b"
        )
        out.append((guideline.strip(), re.compile(f"{branded}|{hated}|{doomed}")))
    return tuple(out)


def group_attacks(sub: Submission) -> Finding | None:
    """Hold a comment that brands a whole group with a dehumanising or insulting term."""
    text = fold(sub.body)
    for guideline, pattern in patterns():
        found = pattern.search(text)
        if found:
            return Finding.hold(guideline, f'generalises about a group: "{found.group()}"')
    return None

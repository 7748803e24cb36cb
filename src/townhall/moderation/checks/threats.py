"""Threats and incitement to violence (part of the abuse guideline)."""

from __future__ import annotations

import re

from townhall.moderation.findings import Finding, Submission
from townhall.moderation.text import fold

VIOLENT = (
    r"(?:kill(?:ed)?|shoot|shot|hang(?:ed)?|hung|stab(?:bed)?|murder(?:ed)?|lynch(?:ed)?|"
    r"behead(?:ed)?|strangle(?:d)?|burn(?:ed|t)?\s+alive|beat(?:en)?\s+(?:up|to\s+death)|"
    r"gassed|exterminated|executed|put\s+down|strung\s+up|taken\s+out\s+and\s+shot|"
    r"raped|torture(?:d)?)"
)
_TARGET = (
    r"(?:you|u|him|her|them|ya|yall|you\s+all|all\s+of\s+(?:you|them)|these\s+\w+|those\s+\w+)"
)
THREATS = re.compile(
    "|".join(
        [
            # "I will kill you", "someone should shoot him", "we're gonna hang them"
            rf"\b(?:i|we|someone|somebody|people|they)\s*(?:'ll|will|should|ought\s+to|"
            rf"gonna|going\s+to|(?:are|'re|’re)\s+(?:going\s+to|gonna)|would|need\s+to|must)\s+(?:\w+\s+)?"
            rf"(?:kill|shoot|hang|stab|murder|lynch|behead|strangle|hurt|rape|burn)\s+{_TARGET}\b",
            # "he should be shot", "they all deserve to be hanged"
            rf"\b(?:he|she|they|you|u|it|them|people\s+like\s+(?:you|him|her|them))\s+(?:all\s+)?"
            rf"(?:should|must|need\s+to|needs\s+to|ought\s+to|deserves?\s+to|will)\s+(?:all\s+)?"
            rf"(?:be|get)\s+{VIOLENT}\b",
            # "hope he dies", "hope you get cancer"
            r"\bhope\s+(?:you|u|he|she|they|them|him|her)\s+(?:all\s+)?(?:die|dies|get\s+"
            r"(?:cancer|shot|killed|raped|hit\s+by)|gets\s+(?:cancer|shot|killed|raped|hit\s+by)|"
            r"rot|burn|choke|suffer)",
            # "deserves a bullet", "put a bullet in"
            r"\b(?:deserves?|needs?|gets?)\s+a\s+(?:bullet|noose|rope|beating)\b",
            r"\b(?:kill|shoot|hang|gas|nuke|exterminate|eradicate)\s+(?:them|em|'em)\s+all\b",
        ]
    )
)


def threats(sub: Submission) -> Finding | None:
    """Hold comments that threaten or call for violence against someone."""
    text = fold(sub.body)
    found = THREATS.search(text)
    if found:
        return Finding.hold("abuse", f'threat or incitement: "{found.group()}"')
    return None

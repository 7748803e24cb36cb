"""The pre-moderation pipeline: run every check, keep every finding, strictest wins.

Policy decisions worth knowing:

* Only the banned word list rejects by default. Suspect words, the classifier,
  private information, impersonation, spam and trust hold for a moderator.
  The classifier rejects only if a site sets ``toxicity_reject``.
* A banned word that is quoted or plainly discussed ("he called me a ...",
  '"..." is a slur') is held, never rejected: condemning a slur is not using
  it, but a person should look.
* Staff are exempt from impersonation, trust and burst checks, not from the
  language checks.
* Word-list entries are "word", "word*" / "*word" (compounds) or multi-word
  phrases, optionally prefixed with a guideline ("discrimination:word");
  untagged entries count as swearing.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from townhall.moderation.checks.group_attacks import group_attacks
from townhall.moderation.checks.impersonation import impersonation, poses_as
from townhall.moderation.checks.insults import insults
from townhall.moderation.checks.language import language_words, other_language
from townhall.moderation.checks.private_info import private_info
from townhall.moderation.checks.spam import burst_posting, link_limit, repeated_text
from townhall.moderation.checks.threats import threats
from townhall.moderation.checks.toxicity import toxicity
from townhall.moderation.checks.trust import new_user, premoderated_story
from townhall.moderation.checks.word_lists import banned_words, lists, suspect_words
from townhall.moderation.findings import Action, Finding, Review, Submission
from townhall.moderation.rules import Rules
from townhall.moderation.words import normal_word, parse_entry

__all__ = [
    "CHECKS",
    "Action",
    "Finding",
    "Review",
    "Rules",
    "Submission",
    "name_problem",
    "review",
    "warm_up",
]

Check = Callable[[Submission], Finding | None]

CHECKS: tuple[Check, ...] = (
    banned_words,
    suspect_words,  # cheapest first
    language_words,
    group_attacks,
    threats,
    insults,
    toxicity,
    private_info,
    impersonation,
    link_limit,
    repeated_text,
    burst_posting,
    premoderated_story,
    other_language,
    new_user,  # last: holds whatever the others let through
)

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_TRAILING_DIGITS = re.compile(r"(?<=[A-Za-z])\d+\b")


def warm_up(rules: Rules | None = None) -> None:
    """Load the model and compile the word lists now, so the first comment is not slow."""
    review(Submission(body="warm-up", rules=rules or Rules()))


def review(sub: Submission) -> Review:
    """Run every check on a submission; the strictest finding decides."""
    findings = tuple(f for check in CHECKS if (f := check(sub)) is not None)
    return Review.of(findings)


def name_problem(name: str, rules: Rules) -> str | None:
    """Why a commenting name is unacceptable (profane, or posing as staff), else None."""
    banned, suspect = lists(rules)
    spaced = _CAMEL.sub(" ", name).replace("_", " ")
    # Trailing numbers are usually decoration ("Idiot99"), not leetspeak.
    for variant in (spaced, _TRAILING_DIGITS.sub(" ", spaced)):
        if banned.find(variant) or suspect.find(variant):
            return "the name contains a word that is not allowed"
    # Names are often run together ("xXslurXx"), so long banned entries also match inside.
    squashed = normal_word(re.sub(r"[\W_]+", "", name))
    for raw in rules.banned_words:
        entry = parse_entry(raw)
        if entry and " " not in entry.key and len(entry.key) >= 5 and entry.key in squashed:
            return "the name contains a word that is not allowed"
    target = poses_as(name, rules)
    if target:
        return f"the name looks like {target}"
    return None

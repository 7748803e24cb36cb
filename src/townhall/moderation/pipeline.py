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
* A trusted reader's soft holds (suspect words, the classifier alone) are recorded
  but published; a reader on per-user pre-moderation is held whatever the checks say.
* Word-list entries are "word", "word*" / "*word" (compounds) or multi-word
  phrases, optionally prefixed with a guideline ("discrimination:word");
  untagged entries count as swearing.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from townhall.moderation.budget import OutOfTime, cpu_budget
from townhall.moderation.checks.group_attacks import group_attacks
from townhall.moderation.checks.group_generalisations import group_generalisations
from townhall.moderation.checks.identity_hate import identity_hate
from townhall.moderation.checks.impersonation import impersonation, poses_as
from townhall.moderation.checks.incitement import incitement
from townhall.moderation.checks.insults import insults
from townhall.moderation.checks.language import language_words, other_language
from townhall.moderation.checks.private_info import private_info
from townhall.moderation.checks.promotion import _intent, promotion, spam_model
from townhall.moderation.checks.put_downs import put_downs
from townhall.moderation.checks.spam import _shingles, burst_posting, link_limit, repeated_text
from townhall.moderation.checks.threats import threats
from townhall.moderation.checks.toxicity import (
    model_classes,
    model_features,
    model_words,
    toxicity,
)
from townhall.moderation.checks.trust import held_reader, new_user, premoderated_story
from townhall.moderation.checks.word_lists import _hits, banned_words, lists, suspect_words
from townhall.moderation.classifier import load_model
from townhall.moderation.findings import Action, Finding, Review, Submission
from townhall.moderation.language import detect, load_detector
from townhall.moderation.rules import Rules
from townhall.moderation.text import _fold_origins, words_in
from townhall.moderation.words import _prepared, normal_word, parse_entry

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
    incitement,
    insults,
    put_downs,
    identity_hate,
    group_generalisations,
    toxicity,
    private_info,
    impersonation,
    link_limit,
    promotion,
    spam_model,
    repeated_text,
    burst_posting,
    premoderated_story,
    held_reader,
    other_language,
    new_user,  # last: holds whatever the others let through
)

# Holds a trusted reader's comment is published despite: a suspect word, or the
# classifier alone. Rejections and every other hold still apply.
SOFT_HOLDS: frozenset[Check] = frozenset({suspect_words, toxicity})

# CPU time one review may take. A typical comment needs well under a millisecond and
# the longest allowed one a few; a review that needs more is held for a moderator.
REVIEW_BUDGET_SECONDS = 0.25
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_TRAILING_DIGITS = re.compile(r"(?<=[A-Za-z])\d+\b")


def warm_up(rules: Rules | None = None) -> None:
    """Load the model and compile the word lists now, so the first comment is not slow."""
    review(Submission(body="warm-up", rules=rules or Rules()))


def _loaded(rules: Rules) -> None:
    load_model()
    load_detector()
    lists(rules)
    if rules not in _WARM:
        if len(_WARM) > 64:
            _WARM.clear()
        _WARM.add(rules)
        for check in CHECKS:
            check(Submission(body="Warm-up 020 7946 0000 x@example.com 1 High Street", rules=rules))


_WARM: set[Rules] = set()


def clear_caches() -> None:
    """Forget per-text results (word matches, folded forms), e.g. to measure a cold review."""
    for cached in (
        _hits,
        _prepared,
        words_in,
        model_words,
        model_features,
        model_classes,
        _intent,
        _fold_origins,
        _shingles,
        detect,
    ):
        cached.cache_clear()
    for word_list in lists(Rules()):
        word_list._memo.clear()


def review(sub: Submission, *, budget: float = REVIEW_BUDGET_SECONDS) -> Review:
    """Run every check on a submission; the strictest finding decides.

    A review that runs out of its CPU budget holds the comment for a moderator.
    """
    # One-time loading (the model, a site's word lists, phone metadata) is not the
    # comment's cost: it happens before the clock starts.
    _loaded(sub.rules)
    findings: list[Finding] = []
    try:
        with cpu_budget(budget) as deadline:
            for check in CHECKS:
                found = check(sub)
                if found is not None:
                    if sub.author_trusted and check in SOFT_HOLDS:
                        found = _softened(found)
                    findings.append(found)
                deadline.check()
    except OutOfTime:
        findings.append(
            Finding.hold(
                "trust",
                f"the automatic review ran out of its {budget * 1000:.0f} ms budget",
                kind="an automatic review that ran out of time",
            )
        )
    return Review.of(tuple(findings))


def _softened(found: Finding) -> Finding:
    """A soft hold kept on record but not acted on: the author is a trusted reader."""
    if found.action is not Action.HOLD:
        return found
    return dataclasses.replace(
        found, action=Action.PUBLISH, reason=f"{found.reason} (published: trusted reader)"
    )


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

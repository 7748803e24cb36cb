"""Swearing, abuse and discrimination scored by the offline classifier."""

from __future__ import annotations

from townhall.moderation.checks.word_lists import banned_hits, suspect_hits
from townhall.moderation.classifier import load_model
from townhall.moderation.findings import Finding, Submission

HATE_SHARE = 0.5  # above this the hate head calls it discrimination


def toxicity(sub: Submission) -> Finding | None:
    """Hold (or reject, if the site sets a reject threshold) text the model scores as toxic."""
    rules = sub.rules
    if rules.toxicity_hold >= 1.0:  # the site switched the model off
        return None
    model = load_model()
    score, words = model.toxicity(sub.body)
    if score < rules.toxicity_hold:
        return None
    # The hate head only matters once the comment is being held anyway.
    guideline = _guideline(sub, model.hate.probability(words))
    reason = f"toxic language score {score:.2f}"
    if rules.toxicity_reject is not None and score >= rules.toxicity_reject:
        return Finding.reject(guideline, reason, score)
    return Finding.hold(guideline, reason, score)


def _guideline(sub: Submission, hate: float) -> str:
    """The best-fitting guideline: hate speech, else what the word lists saw, else abuse."""
    if hate >= HATE_SHARE:
        return "discrimination"
    hits = banned_hits(sub) or suspect_hits(sub)
    return hits[0].guideline if hits else "abuse"

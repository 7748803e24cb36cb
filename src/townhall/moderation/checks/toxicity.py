"""Swearing, abuse and discrimination scored by the offline classifier."""

from __future__ import annotations

from functools import lru_cache

from townhall.moderation.checks.word_lists import banned_hits, suspect_hits
from townhall.moderation.classifier import load_model, word_span, words_of
from townhall.moderation.findings import Finding, Span, Submission
from townhall.moderation.text import origin_span, sentence_around

HATE_SHARE = 0.5  # above this the hate head calls it discrimination


@lru_cache(maxsize=256)
def model_words(body: str) -> tuple[str, ...]:
    """The words the model sees (the toxicity and spam checks share them)."""
    return tuple(words_of(body))


def passage(body: str, words: list[str], index: int | None) -> Span | None:
    """The sentence holding the model word at ``index``, as a span of the body."""
    if index is None:
        return None
    found = word_span(body, words, index)
    if found is None:
        return None
    start, end = origin_span(body, *found)
    return sentence_around(body, start, end)


def toxicity(sub: Submission) -> Finding | None:
    """Hold (or reject, if the site sets a reject threshold) text the model scores as toxic."""
    rules = sub.rules
    if rules.toxicity_hold >= 1.0:  # the site switched the model off
        return None
    model = load_model()
    words = list(model_words(sub.body))
    score = model.toxic.probability(words)
    if score < rules.toxicity_hold:
        return None
    # The hate head only matters once the comment is being held anyway.
    guideline = _guideline(sub, model.hate.probability(words))
    reason = f"toxic language score {score:.2f}"
    span = passage(sub.body, words, model.toxic.strongest(words))
    kind = "an attack on a group" if guideline == "discrimination" else ""
    if rules.toxicity_reject is not None and score >= rules.toxicity_reject:
        return Finding.reject(guideline, reason, score, span=span, kind=kind)
    return Finding.hold(guideline, reason, score, span=span, kind=kind)


def _guideline(sub: Submission, hate: float) -> str:
    """The best-fitting guideline: hate speech, else what the word lists saw, else abuse."""
    if hate >= HATE_SHARE:
        return "discrimination"
    hits = banned_hits(sub) or suspect_hits(sub)
    return hits[0].guideline if hits else "abuse"

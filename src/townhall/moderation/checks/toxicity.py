"""Swearing, abuse, discrimination and threats scored by the offline classifier."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from functools import lru_cache

from townhall.moderation.checks.word_lists import banned_hits, suspect_hits
from townhall.moderation.classifier import features_of, load_model, word_span, words_of
from townhall.moderation.findings import Finding, Span, Submission
from townhall.moderation.language import ENGLISH, detect
from townhall.moderation.lexicon import GROUPS, classes_of
from townhall.moderation.text import origin_span, sentence_around

HATE_SHARE = 0.5  # above this the hate head calls a toxic comment discrimination
# On fewer words one word decides the score; the word lists judge short comments.
MIN_WORDS = 4
# The hate head holds only a comment that names a group (or speaks of "them" with a
# demeaning word); the threat head only one with a word of violence, harm or a hint.
_THREAT_CLASSES = frozenset({"violence", "threat_hint", "wish"})
_UNKIND = frozenset(
    {"belittle", "intellect", "dehuman", "demeaning", "filth", "perversion", "crime", "slur"}
)
# A call to turn up that says it is peaceful is a protest, not a mob.
_PEACEFUL = frozenset(
    "peaceful peacefully vigil vigils placards placard petition candlelit".split()
)
# Quoting to condemn ('he called them "vermin"', 'the chant of "..." was vile') reads like
# the hate it quotes; with quotation marks and a report or a condemnation the model needs
# to be this much surer.
QUOTED_MARGIN = 0.15


def _at_a_remove(body: str, classes: AbstractSet[str]) -> bool:
    """Quotation marks and a word that reports or condemns: likely quoted, not meant."""
    quoted = '"' in body or "“" in body or "”" in body
    return quoted and bool(classes & {"report", "counter"})


@lru_cache(maxsize=256)
def model_words(body: str) -> tuple[str, ...]:
    """The words the model sees (the toxicity and spam checks share them)."""
    return tuple(words_of(body))


@lru_cache(maxsize=256)
def model_features(body: str) -> tuple[str, ...]:
    """The features the model scores (the toxicity and spam checks share them)."""
    return tuple(features_of(list(model_words(body))))


@lru_cache(maxsize=256)
def model_classes(body: str) -> frozenset[str]:
    """Every lexicon class of the words the model sees."""
    return frozenset(c for w in set(model_words(body)) for c in classes_of(w))


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
    """Hold (or reject, past the site's reject threshold) what the model scores as toxic,
    as an insult, as hate against a group or as a threat; each head has its own threshold."""
    rules = sub.rules
    if rules.toxicity_hold >= 1.0:  # the site switched the model off
        return None
    words = list(model_words(sub.body))
    if len(words) < MIN_WORDS:
        return None
    model = load_model()
    feats = list(model_features(sub.body))
    classes = model_classes(sub.body)
    margin = QUOTED_MARGIN if _at_a_remove(sub.body, classes) else 0.0
    score = model.toxic.probability(feats)
    if score >= min(0.99, rules.toxicity_hold + margin):
        if _other_language(sub):
            return None
        # The hate head only picks the guideline once the comment is being held anyway.
        guideline = _guideline(sub, model.hate.probability(feats))
        reason = f"toxic language score {score:.2f}"
        span = passage(sub.body, words, model.toxic.strongest(words))
        kind = "an attack on a group" if guideline == "discrimination" else ""
        if rules.toxicity_reject is not None and score >= rules.toxicity_reject:
            return Finding.reject(guideline, reason, score, span=span, kind=kind)
        return Finding.hold(guideline, reason, score, span=span, kind=kind)
    # Warm words and nothing unkind: "you're a lovely writer" is not an insult.
    only_warm = "praise" in classes and not classes & _UNKIND
    names_group = bool(classes & GROUPS) or {"generalise", "demeaning"} <= classes
    # Harm named or hinted at, or a call to turn up somewhere: but never a peaceful one.
    menacing = (classes & _THREAT_CLASSES or {"call", "target_place"} <= classes) and (
        _PEACEFUL.isdisjoint(words)
    )
    heads = (
        (model.insult, rules.insult_hold + margin, not only_warm, "abuse", "insult", "an insult"),
        (
            model.hate,
            rules.hate_hold + margin,
            names_group,
            "discrimination",
            "hate against a group",
            "an attack on a group",
        ),
        (model.threat, rules.threat_hold, menacing, "abuse", "threat", "a threat"),
    )
    for head, hold, applies, guideline, name, kind in heads:
        score = head.probability(feats) if applies else 0.0
        if score >= min(0.99, hold):
            if _other_language(sub):
                return None
            span = passage(sub.body, words, head.strongest(words))
            return Finding.hold(guideline, f"{name} score {score:.2f}", score, span=span, kind=kind)
    return None


def _other_language(sub: Submission) -> bool:
    """Plainly not English: the model learned English only, so its scores mean nothing here
    (the language's own word lists judge it). Asked only once a head would hold."""
    found = detect(sub.body, sub.rules.site_language)
    return found.is_confident and found.language != ENGLISH


def _guideline(sub: Submission, hate: float) -> str:
    """The best-fitting guideline: hate speech, else what the word lists saw, else abuse."""
    if hate >= HATE_SHARE:
        return "discrimination"
    hits = banned_hits(sub) or suspect_hits(sub)
    return hits[0].guideline if hits else "abuse"

"""Small linear classifiers scored in pure Python: toxicity, insults, hate, threats and spam.

The weights are learned offline by ``scripts/train_moderation_model.py`` and
shipped as gzip-compressed JSON in ``moderation/data``; nothing is downloaded
and scikit-learn is not needed at run time.

Features are word unigrams and bigrams, counted per occurrence, the lexicon
class of each word and pairs of classes said near each other (``lexicon.py``),
with the sum of weights divided by the square root of the feature count (plus a
small prior, so that a few words cannot make a confident score). Links,
e-mail addresses, handles, phone numbers and sums of money become marker words
("xurlx", "xphonex"...), so the spam head learns their shape rather than any one
address. Each head decides on its own ("either"): averaging a spam score with a
toxicity score would drown both.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise, repeat
from typing import Any

from townhall.moderation.lexicon import NAMES, TARGETS, WINDOW, classes_of
from townhall.moderation.regex import linear
from townhall.moderation.text import fold, squeeze

MODEL_FILE = "moderation_model.json.gz"
# Long comments are scored on their head: enough to judge tone, and it keeps a
# 5,000-character post from costing far more than a short one.
MAX_CHARS = 2000
# Added to the feature count before scaling: a comment of a few words is little
# evidence, so its score stays nearer the prior ("X is a lovely old" is not an insult).
SHORT_TEXT_PRIOR = 8
# One character class repeated cannot backtrack, and Python's engine splits a short
# text into words far faster than a call into RE2 does.
_WORD = re.compile(r"[a-z0-9]+")
# Santa's laugh ("ho ho ho") is not a slur.
_LAUGH = linear(r"\bho(?:\W+ho){2,}\b")
_MARKED = (
    (r"(?:https?://|www\.)\S+", " xurlx "),
    (r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,5}\.[a-z]{2,24}", " xemailx "),
    (
        r"\b(?:[a-z0-9-]{1,63}\.){1,4}(?:com|net|org|info|biz|io|co|uk|ru|xyz|top|online|site"
        r"|shop|store|club|live|app|bet|me|ly|tk|cn|de|fr|eu|us|ca|au|ie|in|link|win|vip)\b"
        r"(?:/\S*)?",
        " xurlx ",
    ),
    (r"(?:^|\s)@\w+", " xhandlex "),
    (r"\+?\d[\d \-().]{8,16}\d", " xphonex "),
    (r"[£$€]\s?\d[\d,.]*\s?[km]?\b|\b\d[\d,.]*\s?(?:quid|pounds|dollars|euros)\b", " xmoneyx "),
)
# One pass for every marker: the first alternative that matches at a place wins.
_MARKERS = linear("|".join(f"({pattern})" for pattern, _ in _MARKED))


def _marker(m: Any) -> str:
    return next(_MARKED[i][1] for i in range(len(_MARKED)) if m.group(i + 1) is not None)


def words_of(text: str) -> list[str]:
    """The folded words the model sees, markers included."""
    folded = squeeze(fold(text[:MAX_CHARS]))
    if "." in folded or "@" in folded or any(c.isdigit() for c in folded):
        folded = _MARKERS.sub(_marker, folded)
    folded = folded.replace("'", "").replace("’", "")
    if "ho" in folded:
        folded = _LAUGH.sub(" ", folded)
    return _WORD.findall(folded)


def features(text: str) -> list[str]:
    """Every feature occurrence of a text (the training script counts them)."""
    return features_of(words_of(text))


def features_of(words: list[str]) -> list[str]:
    """Word 1-2-grams, the lexicon class of each word, and classes said near a target.

    A target class (a group, a person, a place) and another class within
    ``WINDOW`` words of it give one pair feature per text ("pgroup_women&emotion").
    """
    infos = [_word_info(w) for w in words]
    masked = [info[0] for info in infos]
    feats = ["w" + w for w in masked if w[0] != "@"]
    feats.extend("b" + a + " " + b for a, b in pairwise(masked))
    pairs: set[str] = set()
    for i, (_, unigrams, targets, classes) in enumerate(infos):
        if not classes:
            continue
        feats.extend(unigrams)
        for target in targets:
            for j in range(max(0, i - WINDOW), min(len(words), i + WINDOW + 1)):
                if j != i:
                    pairs.update("p" + target + "&" + c for c in infos[j][3] if c != target)
    feats.extend(sorted(pairs))
    return feats


@lru_cache(maxsize=65536)
def _word_info(word: str) -> tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(token as the model sees it, class unigram features, target classes, all classes)."""
    classes = classes_of(word)
    if not classes:
        return word, (), (), ()
    # A group's neutral name becomes its class: "@group_women" in bigrams, no unigram.
    masked = next(("@" + c for c in classes if c in NAMES), word)
    # Who is named is no verdict on its own (the bias check): targets count only in pairs.
    unigrams = tuple("c" + c for c in classes if c not in TARGETS)
    return masked, unigrams, tuple(c for c in classes if c in TARGETS), classes


@dataclass(frozen=True, slots=True)
class LinearHead:
    """One logistic-regression output over the shared features."""

    bias: float
    weights: dict[str, float]
    threshold: float = 0.5  # the hold threshold chosen on the dev data

    def logit(self, feats: list[str]) -> float:
        """Raw score of a text's features (``features_of``)."""
        if not feats:
            return self.bias
        total = sum(map(self.weights.get, feats, repeat(0.0)))
        return self.bias + total / math.sqrt(len(feats) + SHORT_TEXT_PRIOR)

    def probability(self, feats: list[str]) -> float:
        """Probability of the positive class."""
        z = self.logit(feats)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def strongest(self, words: list[str]) -> int | None:
        """Index of the word whose unigram and bigrams push the score up most."""
        if not words:
            return None
        get = self.weights.get
        pushes = [get("w" + w, 0.0) for w in words]
        for i, (a, b) in enumerate(pairwise(words)):
            weight = get("b" + a + " " + b, 0.0)
            pushes[i] += weight / 2
            pushes[i + 1] += weight / 2
        best = max(range(len(words)), key=pushes.__getitem__)
        return best if pushes[best] > 0 else None


@dataclass(frozen=True, slots=True)
class Prediction:
    """Classifier output: toxicity, insults, hate aimed at a group, threats and spam."""

    toxicity: float
    insult: float
    hate: float
    threat: float
    spam: float


@dataclass(frozen=True, slots=True)
class Model:
    """Toxicity, insults aimed at a person, hate against a group, threats, and spam."""

    toxic: LinearHead
    insult: LinearHead
    hate: LinearHead
    threat: LinearHead
    spam: LinearHead
    meta: dict[str, object]

    def predict(self, text: str) -> Prediction:
        """Score one comment with every head."""
        feats = features(text)
        return Prediction(
            toxicity=self.toxic.probability(feats),
            insult=self.insult.probability(feats),
            hate=self.hate.probability(feats),
            threat=self.threat.probability(feats),
            spam=self.spam.probability(feats),
        )

    @classmethod
    def from_dict(cls, data: dict) -> Model:
        """Build a model from its exported JSON form."""
        heads = {
            name: LinearHead(
                float(head["bias"]), head["weights"], float(head.get("threshold", 0.5))
            )
            for name, head in data["heads"].items()
        }
        return cls(
            heads["toxic"],
            heads["insult"],
            heads["hate"],
            heads["threat"],
            heads["spam"],
            data.get("meta", {}),
        )


@cache
def load_model() -> Model:
    """Load the shipped model once per process."""
    blob = resources.files("townhall.moderation").joinpath("data", MODEL_FILE).read_bytes()
    return Model.from_dict(json.loads(gzip.decompress(blob)))


def word_span(text: str, words: list[str], index: int) -> tuple[int, int] | None:
    """Where the ``index``-th model word sits in ``text`` (the sentence around it)."""
    folded = fold(text[:MAX_CHARS])
    word = words[index]
    nth = words[:index].count(word)
    start = -1
    for _ in range(nth + 1):
        start = folded.find(word, start + 1)
        if start < 0:
            return None
    return start, start + len(word)

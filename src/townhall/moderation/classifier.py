"""A small linear toxicity classifier scored in pure Python.

The weights are learned offline by ``scripts/train_moderation_model.py`` and
shipped as gzip-compressed JSON in ``moderation/data``; nothing is downloaded
and scikit-learn is not needed at run time.

Features are counted per occurrence: each word contributes its unigram and its
in-word character 3-4-grams, each adjacent pair a bigram, and the sum of
weights is divided by the square root of the feature count. Because a word's
own features never depend on its neighbours, its weight sum is cached, so a
comment costs about one dictionary lookup per word and one per word pair.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise

from townhall.moderation.text import fold, squeeze, strip_urls

MODEL_FILE = "toxicity_model.json.gz"
_WORD = re.compile(r"[a-z0-9]+")
# Santa's laugh ("ho ho ho") is not a slur.
_LAUGH = re.compile(r"\bho(?:\W+ho){2,}\b")
# Long comments are scored on their head: enough to judge tone, and it keeps a
# 5,000-character post from costing far more than a short one.
MAX_CHARS = 2000
SHORT_WORDS, LONG_WORDS = 25, 50
_CACHE_SIZE = 50_000


def word_count(text: str) -> int:
    """Whitespace-separated words in the scored part of a text."""
    return len(text[:MAX_CHARS].split())


def length_shift(words: int, full: float) -> float:
    """Logit boost for long texts: none up to SHORT_WORDS, all of it from LONG_WORDS."""
    if words <= SHORT_WORDS:
        return 0.0
    return full * min(1.0, (words - SHORT_WORDS) / (LONG_WORDS - SHORT_WORDS))


def words_of(text: str) -> list[str]:
    """The folded words the model sees."""
    folded = squeeze(strip_urls(fold(text[:MAX_CHARS]))).replace("'", "").replace("’", "")
    return _WORD.findall(_LAUGH.sub(" ", folded))


@lru_cache(maxsize=_CACHE_SIZE)
def word_features(word: str) -> tuple[str, ...]:
    """A word's unigram and its character 3-4-grams (with word-boundary padding)."""
    padded = " " + word + " "
    grams = ["c" + padded[i : i + n] for n in (3, 4) for i in range(len(padded) - n + 1)]
    return ("w" + word, *grams)


def pair_features(words: list[str]) -> Iterator[str]:
    """Bigram features of adjacent words."""
    for prev, word in pairwise(words):
        yield "b" + prev + " " + word


def features(text: str) -> list[str]:
    """Every feature occurrence of a text (the training script counts them)."""
    words = words_of(text)
    out = [f for word in words for f in word_features(word)]
    out.extend(pair_features(words))
    return out


@dataclass(frozen=True, slots=True)
class LinearHead:
    """One logistic-regression output over the shared features."""

    bias: float
    weights: dict[str, float]
    _per_word: dict[str, tuple[float, int]] = field(default_factory=dict, compare=False)

    def _word(self, word: str) -> tuple[float, int]:
        """(weight sum, feature count) of one word, cached."""
        found = self._per_word.get(word)
        if found is None:
            feats = word_features(word)
            get = self.weights.get
            found = (sum(get(f, 0.0) for f in feats), len(feats))
            if len(self._per_word) > _CACHE_SIZE:
                self._per_word.clear()
            self._per_word[word] = found
        return found

    def logit(self, words: list[str]) -> float:
        """Raw score of a word sequence."""
        total, count = 0.0, 0
        for word in words:
            s, n = self._word(word)
            total += s
            count += n
        get = self.weights.get
        for pair in pair_features(words):
            total += get(pair, 0.0)
            count += 1
        return self.bias + (total / math.sqrt(count) if count else 0.0)

    def probability(self, words: list[str], shift: float = 0.0) -> float:
        """Probability of the positive class, logit shifted by ``shift``."""
        z = self.logit(words) + shift
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True, slots=True)
class Prediction:
    """Classifier output: overall toxicity and how much of it looks like hate speech."""

    toxicity: float
    hate: float


@dataclass(frozen=True, slots=True)
class ToxicityModel:
    """Toxicity head plus a hate-speech head that picks the guideline."""

    toxic: LinearHead
    hate: LinearHead
    meta: dict[str, object]
    shift: float = 0.0

    def predict(self, text: str) -> Prediction:
        """Score one comment with both heads."""
        score, words = self.toxicity(text)
        return Prediction(toxicity=score, hate=self.hate.probability(words))

    def toxicity(self, text: str) -> tuple[float, list[str]]:
        """Toxicity alone, plus the words so the hate head can reuse them."""
        words = words_of(text)
        shift = length_shift(word_count(text), self.shift)
        return self.toxic.probability(words, shift), words

    @classmethod
    def from_dict(cls, data: dict) -> ToxicityModel:
        """Build a model from its exported JSON form."""
        heads = data["heads"]
        return cls(
            toxic=LinearHead(float(heads["toxic"]["bias"]), heads["toxic"]["weights"]),
            hate=LinearHead(float(heads["hate"]["bias"]), heads["hate"]["weights"]),
            meta=data.get("meta", {}),
            shift=float(data.get("length_shift", 0.0)),
        )


@cache
def load_model() -> ToxicityModel:
    """Load the shipped model once per process."""
    blob = resources.files("townhall.moderation").joinpath("data", MODEL_FILE).read_bytes()
    return ToxicityModel.from_dict(json.loads(gzip.decompress(blob)))

"""A small linear toxicity classifier scored in pure Python.

The weights are learned offline by ``scripts/train_moderation_model.py`` and
shipped as gzip-compressed JSON in ``moderation/data``; nothing is downloaded
and scikit-learn is not needed at run time.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import repeat

from townhall.moderation.text import fold, squeeze, strip_urls

MODEL_FILE = "toxicity_model.json.gz"
_WORD = re.compile(r"[a-z0-9]+")
# Long comments are scored on their head: enough to judge tone, and it keeps a
# 5,000-character post from costing more than a short one by orders of magnitude.
MAX_CHARS = 2000


SHORT_WORDS, LONG_WORDS = 25, 50


def word_count(text: str) -> int:
    """Whitespace-separated words in the scored part of a text."""
    return len(text[:MAX_CHARS].split())


def length_shift(words: int, full: float) -> float:
    """Logit boost for long texts: none up to SHORT_WORDS, all of it from LONG_WORDS."""
    if words <= SHORT_WORDS:
        return 0.0
    return full * min(1.0, (words - SHORT_WORDS) / (LONG_WORDS - SHORT_WORDS))


def features(text: str) -> set[str]:
    """Word unigrams, word bigrams and in-word character 3-4-grams of folded text."""
    folded = squeeze(strip_urls(fold(text[:MAX_CHARS]))).replace("'", "").replace("’", "")
    words = _WORD.findall(folded)
    out: set[str] = set()
    add = out.add
    prev = ""
    for word in words:
        add("w" + word)
        if prev:
            add("b" + prev + " " + word)
        prev = word
        padded = " " + word + " "
        size = len(padded)
        for n in (3, 4):
            for i in range(size - n + 1):
                add("c" + padded[i : i + n])
    return out


@dataclass(frozen=True, slots=True)
class LinearHead:
    """One logistic-regression output over the shared features."""

    bias: float
    weights: dict[str, float]

    def probability(self, feats: set[str], shift: float = 0.0) -> float:
        """Probability of the positive class for a feature set, logit shifted by ``shift``."""
        if not feats:
            return 1.0 / (1.0 + math.exp(-self.bias))
        total = sum(map(self.weights.get, feats, repeat(0.0)))
        z = self.bias + total / math.sqrt(len(feats)) + shift
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
        """Score one comment."""
        feats = features(text)
        tox = self.toxic.probability(feats, length_shift(word_count(text), self.shift))
        return Prediction(toxicity=tox, hate=self.hate.probability(feats))

    def toxicity(self, text: str) -> tuple[float, set[str]]:
        """Toxicity alone, plus the features so the hate head can reuse them."""
        feats = features(text)
        return self.toxic.probability(feats, length_shift(word_count(text), self.shift)), feats

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

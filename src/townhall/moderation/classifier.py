"""Small linear classifiers scored in pure Python: toxicity, hate and spam.

The weights are learned offline by ``scripts/train_moderation_model.py`` and
shipped as gzip-compressed JSON in ``moderation/data``; nothing is downloaded
and scikit-learn is not needed at run time.

Features are word unigrams and bigrams, counted per occurrence, with the sum of
weights divided by the square root of the feature count. Links, e-mail
addresses, handles, phone numbers and sums of money become marker words
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
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Any

from townhall.moderation.regex import linear
from townhall.moderation.text import fold, squeeze

MODEL_FILE = "moderation_model.json.gz"
# Long comments are scored on their head: enough to judge tone, and it keeps a
# 5,000-character post from costing far more than a short one.
MAX_CHARS = 2000
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
    words = words_of(text)
    return [*("w" + w for w in words), *("b" + a + " " + b for a, b in pairwise(words))]


@dataclass(frozen=True, slots=True)
class LinearHead:
    """One logistic-regression output over the shared features."""

    bias: float
    weights: dict[str, float]
    threshold: float = 0.5  # the hold threshold chosen on the dev data

    def logit(self, words: list[str]) -> float:
        """Raw score of a word sequence."""
        if not words:
            return self.bias
        get = self.weights.get
        total = sum(get("w" + w, 0.0) for w in words)
        total += sum(get("b" + a + " " + b, 0.0) for a, b in pairwise(words))
        return self.bias + total / math.sqrt(2 * len(words) - 1)

    def probability(self, words: list[str]) -> float:
        """Probability of the positive class."""
        z = self.logit(words)
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
    """Classifier output: toxicity, how much of it looks like hate speech, and spam."""

    toxicity: float
    hate: float
    spam: float


@dataclass(frozen=True, slots=True)
class Model:
    """Toxicity head, a hate head that picks the guideline, and a separate spam head."""

    toxic: LinearHead
    hate: LinearHead
    spam: LinearHead
    meta: dict[str, object]

    def predict(self, text: str) -> Prediction:
        """Score one comment with every head."""
        words = words_of(text)
        return Prediction(
            toxicity=self.toxic.probability(words),
            hate=self.hate.probability(words),
            spam=self.spam.probability(words),
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
        return cls(heads["toxic"], heads["hate"], heads["spam"], data.get("meta", {}))


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

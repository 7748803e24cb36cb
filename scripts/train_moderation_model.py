"""Train the shipped moderation model (toxicity, hate and spam heads) and export it.

Usage: python scripts/train_moderation_model.py [--out PATH]

Reads the shared moderation data through ``bench/moderation/splits.py`` and
trains on its ``train`` part only; the hold thresholds are chosen on the ``dev``
part (never on ``test``, HateCheck or the bias set). Running it again on the
same data writes the same file byte for byte.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench" / "moderation"))

import splits  # noqa: E402

from townhall.moderation.classifier import MODEL_FILE, features  # noqa: E402

DEFAULT_OUT = ROOT / "src" / "townhall" / "moderation" / "data" / MODEL_FILE
MIN_DF = 2
PRUNE = 0.05  # weights this small barely move a score; dropping them keeps the file small
# Civil false-positive rate each head may add on its own, on the dev part's civil
# news-like rows (span-removed news comments, Wikipedia talk, SMS).
TARGET_FPR = {"toxic": 0.02, "spam": 0.004}
# How much each source counts, so that 20,000 tweets do not drown 700 seed sentences.
SOURCE_WEIGHT = {
    "davidson2017_tweets": 0.3,
    "civil_comments_toxicspans": 1.0,
    "civil_comments_toxicspans_extra": 1.0,
    "toxicspans_span_removed": 1.0,
    "edos_reddit_gab": 1.0,
    "hatexplain": 0.7,
    "stormfront": 1.0,
    "toxigen_seed": 3.0,
    "wikipedia_talk_cat_large": 1.0,
    "wikipedia_toxicity_testset": 1.0,
    "sms_spam": 1.0,
    "youtube_spam": 2.0,
}
SPAM_SOURCES = {"sms_spam", "youtube_spam"}
# RedditBias marks stereotyped *attributes* ("nurse", "housewife") as biased, which teaches
# a bag-of-words model that the word "nurse" is toxic; it is kept for evaluation only.
NOT_TRAINED_ON = {"redditbias"}
HATE_CATEGORIES = ("hate", "identity", "sexism", "identity_attack", "identity_based_attack")
NEWS_LIKE = {"toxicspans_span_removed", "wikipedia_talk_cat_large", "wikipedia_toxicity_testset"}


def is_hate(row: splits.Row) -> bool:
    """Hate aimed at a group: the hate head's positive class."""
    return row.label == 1 and (
        row.category.startswith(HATE_CATEGORIES)
        or row.source in ("stormfront", "toxigen_seed", "edos_reddit_gab")
    )


def build_matrix(feats: list[list[str]], vocab: dict[str, int]) -> csr_matrix:
    """Feature counts scaled by 1/sqrt(total feature count), as the runtime scorer does."""
    indptr, indices, data = [0], [], []
    for fs in feats:
        scale = 1.0 / np.sqrt(len(fs)) if fs else 0.0
        counts = Counter(f for f in fs if f in vocab)
        for f in sorted(counts):
            indices.append(vocab[f])
            data.append(counts[f] * scale)
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(feats), len(vocab)), dtype=np.float64)


def make_vocab(feats: list[list[str]]) -> dict[str, int]:
    """Features seen in at least MIN_DF training texts."""
    df: Counter[str] = Counter()
    for fs in feats:
        df.update(set(fs))
    kept = sorted(f for f, n in df.items() if n >= MIN_DF)
    return {f: i for i, f in enumerate(kept)}


def fit(x: csr_matrix, y: np.ndarray, weight: np.ndarray, c: float) -> LogisticRegression:
    """Balanced L2 logistic regression with per-row weights."""
    model = LogisticRegression(
        C=c, class_weight="balanced", max_iter=3000, solver="liblinear", random_state=0
    )
    model.fit(x, y, sample_weight=weight)
    return model


def export_head(model: LogisticRegression, vocab: dict[str, int], threshold: float) -> dict:
    """Pruned, rounded weights keyed by feature string, and the hold threshold."""
    coef = model.coef_[0]
    weights = {f: round(float(coef[i]), 3) for f, i in vocab.items() if abs(coef[i]) >= PRUNE}
    return {
        "bias": round(float(model.intercept_[0]), 4),
        "threshold": round(threshold, 4),
        "weights": weights,
    }


def threshold_for(scores: np.ndarray, target: float) -> float:
    """The lowest threshold whose share of civil rows above it stays within ``target``."""
    civil = np.sort(scores)
    return float(civil[min(len(civil) - 1, int(len(civil) * (1 - target)))])


def main() -> None:
    """Train on the train part, pick thresholds on dev, export."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--c", type=float, default=1.0)
    args = parser.parse_args()

    rows = splits.load_rows()
    train = [r for r in rows if r.part == "train" and r.source_group not in NOT_TRAINED_ON]
    dev = [r for r in rows if r.part == "dev"]
    feats = [features(r.text) for r in train]
    vocab = make_vocab(feats)
    x = build_matrix(feats, vocab)
    weight = np.array([SOURCE_WEIGHT.get(r.source_group, 1.0) for r in train])
    is_spam_source = np.array([r.source_group in SPAM_SOURCES for r in train])
    print(f"train rows {len(train)}, features {len(vocab)}")

    # Toxicity and hate: every source but the spam collections' spam rows.
    tox_rows = ~(is_spam_source & np.array([r.label == 1 for r in train]))
    y_tox = np.array([r.label for r in train])
    tox = fit(x[tox_rows], y_tox[tox_rows], weight[tox_rows], args.c)
    y_hate = np.array([int(is_hate(r)) for r in train])
    hate = fit(x[tox_rows], y_hate[tox_rows], weight[tox_rows], args.c)
    # Spam: spam rows against every civil or toxic row that is not spam.
    y_spam = np.array([int(r.source_group in SPAM_SOURCES and r.label == 1) for r in train])
    spam = fit(x, y_spam, weight, args.c)

    x_dev = build_matrix([features(r.text) for r in dev], vocab)
    civil_news = np.array([r.label == 0 and r.source_group in NEWS_LIKE for r in dev])
    civil_any = np.array([r.label == 0 for r in dev])
    thresholds = {}
    for name, model in (("toxic", tox), ("spam", spam)):
        p = model.predict_proba(x_dev)[:, 1]
        thresholds[name] = threshold_for(p[civil_news], TARGET_FPR[name])
        flagged = p >= thresholds[name]
        print(
            f"{name}: threshold {thresholds[name]:.3f}, dev civil news FPR "
            f"{flagged[civil_news].mean():.3f}, dev civil FPR (all) {flagged[civil_any].mean():.3f}"
        )
        for source in sorted({r.source_group for r in dev}):
            pos = np.array([r.source_group == source and r.label == 1 for r in dev])
            if pos.any():
                print(f"   dev recall {source:34} {flagged[pos].mean():.3f} (n={pos.sum()})")
    thresholds["hate"] = 0.5

    blob = {
        "meta": {
            "trained_on": "train part of bench/moderation/splits.py",
            "rows": len(train),
            "features": "word 1-2-grams with link/phone/e-mail/handle/money markers, counts, "
            "1/sqrt(n) scaled",
            "thresholds_from": "dev part",
        },
        "heads": {
            "toxic": export_head(tox, vocab, thresholds["toxic"]),
            "hate": export_head(hate, vocab, thresholds["hate"]),
            "spam": export_head(spam, vocab, thresholds["spam"]),
        },
    }
    raw = json.dumps(blob, separators=(",", ":"), sort_keys=True).encode()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    sizes = {k: len(v["weights"]) for k, v in blob["heads"].items()}
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB, weights {sizes})")


if __name__ == "__main__":
    main()

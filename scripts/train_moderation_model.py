"""Train the moderation classifier from train.csv and export its weights.

Usage: python scripts/train_moderation_model.py [--data PATH] [--out PATH]

Only train.csv is read; real_eval.csv is kept for `make bench-moderation`.
Thresholds are chosen on a held-out split of train.csv, then the final model
is refit on all of it.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import html
import json
import random
from collections import Counter
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

from townhall.moderation.classifier import (
    LONG_WORDS,
    MODEL_FILE,
    features,
    length_shift,
    word_count,
)
from townhall.moderation.pipeline import Rules, Submission, review

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "moderation" / "train.csv"
DEFAULT_OUT = ROOT / "src" / "townhall" / "moderation" / "data" / MODEL_FILE
MIN_DF = 3
PRUNE = 0.02  # weights this small barely move a score; dropping them keeps the file small
FOLDS = 5
MAX_SHIFT = 8.0  # cap on the long-text logit boost
# Civil false-positive rate of the whole pipeline on the held-out split. The goal
# is under 5% on a sample of ~1,200 civil comments, where the standard error is
# ~0.6 points; 4.2% + 1.28 standard errors stays under 5% (90% one-sided).
TARGET_FPR = 0.042


def load_rows(path: Path) -> list[dict[str, str]]:
    """Read the CSV, unescaping the HTML entities left in the tweets."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        row["text"] = html.unescape(row["text"])
    return rows


def build_matrix(feats: list[list[str]], vocab: dict[str, int]) -> csr_matrix:
    """Feature counts scaled by 1/sqrt(total feature count), as the runtime scorer does."""
    indptr, indices, data = [0], [], []
    for fs in feats:
        scale = 1.0 / np.sqrt(len(fs)) if fs else 0.0
        counts = Counter(f for f in fs if f in vocab)
        indices.extend(vocab[f] for f in counts)
        data.extend(n * scale for n in counts.values())
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(feats), len(vocab)), dtype=np.float64)


def make_vocab(feats: list[list[str]]) -> dict[str, int]:
    """Features seen in at least MIN_DF training comments."""
    df: Counter[str] = Counter()
    for fs in feats:
        df.update(set(fs))
    kept = sorted(f for f, n in df.items() if n >= MIN_DF)
    return {f: i for i, f in enumerate(kept)}


def fit(x: csr_matrix, y: np.ndarray, c: float, weight: np.ndarray) -> LogisticRegression:
    """Balanced L2 logistic regression with per-row weights."""
    model = LogisticRegression(
        C=c, class_weight="balanced", max_iter=2000, solver="liblinear", random_state=0
    )
    model.fit(x, y, sample_weight=weight)
    return model


def export_head(model: LogisticRegression, vocab: dict[str, int]) -> dict:
    """Pruned, rounded weights keyed by feature string."""
    coef = model.coef_[0]
    weights = {f: round(float(coef[i]), 3) for f, i in vocab.items() if abs(coef[i]) >= PRUNE}
    return {"bias": round(float(model.intercept_[0]), 4), "weights": weights}


def source_weight(row: dict[str, str], discussion: float) -> float:
    """Up-weight the few long-form discussion rows so tweets do not drown them out."""
    if row["source"] == "davidson2017_tweets":
        return 1.0
    return discussion if row["label"] == "1" else max(1.0, discussion / 4)


def logit(p: float) -> float:
    """Inverse of the logistic function."""
    return float(np.log(p / (1 - p)))


def held_scores_shifted(scores: np.ndarray, lengths: np.ndarray, shift: float) -> np.ndarray:
    """Apply the runtime length shift to probabilities."""
    scores = np.clip(scores, 1e-9, 1 - 1e-9)
    z = np.log(scores / (1 - scores)) + np.array([length_shift(n, shift) for n in lengths])
    return 1 / (1 + np.exp(-z))


def word_list_flags(texts: list[str]) -> np.ndarray:
    """Which texts the rest of the pipeline (model switched off) already holds."""
    rules = Rules(toxicity_hold=1.0)
    return np.array([review(Submission(body=t, rules=rules)).action != "publish" for t in texts])


def hold_threshold(scores: np.ndarray, labels: np.ndarray, target: float = 0.02) -> float:
    """Lowest threshold whose civil false-positive rate stays under ``target``."""
    civil = np.sort(scores[labels == 0])
    return float(civil[int(len(civil) * (1 - target))])


def main() -> None:
    """Set thresholds from out-of-fold scores, then refit on everything and export."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--c", type=float, default=16.0)
    parser.add_argument("--discussion-weight", type=float, default=10.0)
    args = parser.parse_args()
    if args.data.name == "real_eval.csv":
        raise SystemExit("real_eval.csv is for evaluation only")

    rows = load_rows(args.data)
    feats = [features(r["text"]) for r in rows]
    y_tox = np.array([int(r["label"]) for r in rows])
    y_hate = np.array([int(r["category"] == "hate_speech") for r in rows])
    weight = np.array([source_weight(r, args.discussion_weight) for r in rows])

    # Out-of-fold scores for every row: each fold is scored by a model that never saw it.
    order = list(range(len(rows)))
    random.Random(20251125).shuffle(order)
    vocab = make_vocab(feats)
    x_all = build_matrix(feats, vocab)
    held_idx = order
    oof = np.zeros(len(rows))
    for fold in range(FOLDS):
        test = order[fold::FOLDS]
        test_set = set(test)
        train = [i for i in order if i not in test_set]
        model = fit(x_all[train], y_tox[train], args.c, weight[train])
        oof[test] = model.predict_proba(x_all[test])[:, 1]
    held_scores = oof[held_idx]
    held_labels = y_tox[held_idx]
    held_sources = np.array([rows[i]["source"] for i in held_idx])
    lengths = np.array([word_count(rows[i]["text"]) for i in held_idx])
    # Long comments dilute a rude word among many civil ones, and long civil text is
    # rarely misread, so long texts get a lower effective threshold (a logit shift).
    long_rows = lengths >= LONG_WORDS
    long_threshold = hold_threshold(held_scores[long_rows], held_labels[long_rows])
    # The model adds to the word lists, so the threshold is set for the pipeline as a
    # whole: the lowest one keeping every source's civil false-positive rate in budget.
    words_flag = word_list_flags([rows[i]["text"] for i in held_idx])
    threshold, shift = 0.999, 0.0
    for candidate in np.linspace(0.999, 0.3, 140):
        cand_shift = float(np.clip(logit(candidate) - logit(long_threshold), 0.0, MAX_SHIFT))
        flagged = words_flag | (held_scores_shifted(held_scores, lengths, cand_shift) >= candidate)
        worst = max(
            flagged[(held_sources == s) & (held_labels == 0)].mean() for s in set(held_sources)
        )
        if worst > TARGET_FPR:
            break
        threshold, shift = float(candidate), cand_shift
    ml_flag = held_scores_shifted(held_scores, lengths, shift) >= threshold
    for name, flagged in (
        ("words", words_flag),
        ("model", ml_flag),
        ("both", words_flag | ml_flag),
    ):
        for source in sorted(set(held_sources)):
            pos = (held_sources == source) & (held_labels == 1)
            neg = (held_sources == source) & (held_labels == 0)
            print(
                f"held-out {name:5} {source:26} recall {flagged[pos].mean():.3f} "
                f"fpr {flagged[neg].mean():.3f} (n+={pos.sum()}, n-={neg.sum()})"
            )
    print(f"hold threshold {threshold:.3f}, long-text logit shift {shift:.2f}")

    tox = fit(x_all, y_tox, args.c, weight)
    hate = fit(x_all, y_hate, args.c, weight)
    blob = {
        "meta": {
            "trained_on": args.data.name,
            "rows": len(rows),
            "hold_threshold": round(threshold, 3),
            "features": "word 1-2-grams + in-word char 3-4-grams, counts, 1/sqrt(n) scaled",
        },
        "heads": {"toxic": export_head(tox, vocab), "hate": export_head(hate, vocab)},
        "length_shift": round(shift, 3),
    }
    raw = json.dumps(blob, separators=(",", ":"), sort_keys=True).encode()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    sizes = {k: len(v["weights"]) for k, v in blob["heads"].items()}
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB, weights {sizes})")


if __name__ == "__main__":
    main()

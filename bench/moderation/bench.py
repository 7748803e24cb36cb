"""Score the moderation pipeline on the labelled evaluation set, against a baseline.

Run with `make bench-moderation`. The data path can be overridden with
TOWNHALL_MODERATION_EVAL. Label 1 means the comment should be flagged; a
hold or a reject counts as flagged. Throughput is measured one comment at a
time on a single core, which is how the server calls the pipeline.
"""

from __future__ import annotations

import argparse
import csv
import os
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

# The shared data folder sits beside the repository checkout.
DEFAULT_EVAL = str(
    Path(__file__).resolve().parents[2].parent / "shared" / "data" / "moderation" / "real_eval.csv"
)
NEWS = "civil_comments_toxicspans"


def pin_to_one_core() -> None:
    """Keep the measurement on one core, and numeric libraries single-threaded."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def load(path: Path) -> list[dict[str, str]]:
    """Rows with text, label, category and source."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def run(rows: list[dict[str, str]], flag: Callable[[str], bool]) -> tuple[list[bool], float, float]:
    """Flag every row one at a time; return the decisions, wall time and CPU time."""
    texts = [r["text"] for r in rows]
    out = []
    cpu, start = time.process_time(), time.perf_counter()
    for text in texts:
        out.append(flag(text))
    return out, time.perf_counter() - start, time.process_time() - cpu


def metrics(
    rows: list[dict[str, str]], flagged: list[bool], seconds: float, cpu: float
) -> dict[str, float]:
    """Precision, recall, F1, per-category news recall, civil FPR and throughput."""
    tp = sum(f and r["label"] == "1" for r, f in zip(rows, flagged, strict=True))
    fp = sum(f and r["label"] == "0" for r, f in zip(rows, flagged, strict=True))
    pos = sum(r["label"] == "1" for r in rows)
    neg = len(rows) - pos
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / pos if pos else 0.0
    out = {
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "civil FPR": fp / neg if neg else 0.0,
    }
    by_cat: dict[str, list[bool]] = defaultdict(list)
    for row, f in zip(rows, flagged, strict=True):
        if row["label"] == "1":
            by_cat[f"{'news' if row['source'] == NEWS else 'tweets'} {row['category']}"].append(f)
    news = [f for r, f in zip(rows, flagged, strict=True) if r["source"] == NEWS]
    out["news recall"] = sum(news) / len(news) if news else 0.0
    for key in sorted(by_cat):
        out[f"  recall {key}"] = sum(by_cat[key]) / len(by_cat[key])
    out["comments/s"] = len(rows) / seconds if seconds else 0.0
    # On a busy machine wall time includes waiting for the core; CPU time does not.
    out["comments/s (CPU time)"] = len(rows) / cpu if cpu else 0.0
    return out


def main() -> None:
    """Print the pipeline's scores next to alt-profanity-check's."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default=os.environ.get("TOWNHALL_MODERATION_EVAL", DEFAULT_EVAL))
    parser.add_argument("--no-baseline", action="store_true", help="skip alt-profanity-check")
    parser.add_argument("--limit", type=int, help="score only this many rows, spread over the set")
    args = parser.parse_args()
    pin_to_one_core()

    from townhall.moderation.pipeline import Action, Rules, Submission, review

    if not Path(args.data).is_file():
        parser.exit(2, f"no evaluation set at {args.data} (see --data, TOWNHALL_MODERATION_EVAL)\n")
    rows = load(Path(args.data))
    if args.limit and args.limit < len(rows):
        rows = rows[:: -(-len(rows) // args.limit)]
    rules = Rules()
    decided: Counter[str] = Counter()

    def ours(text: str) -> bool:
        """Flag one comment with the full pipeline, counting the deciding guideline."""
        result = review(Submission(body=text, rules=rules))
        decided[result.guideline or "publish"] += 1
        return result.action is not Action.PUBLISH

    ours("warm-up: load the model and compile the word lists")
    decided.clear()
    results = {"townhall": metrics(rows, *run(rows, ours))}

    if not args.no_baseline:
        from profanity_check import predict_prob

        predict_prob(["warm-up"])
        results["alt-profanity-check"] = metrics(
            rows, *run(rows, lambda t: bool(predict_prob([t])[0] >= 0.5))
        )

    print(f"data: {args.data} ({len(rows)} rows)")
    names = list(results)
    print(
        f"{'metric':34}"
        + "".join(f"{n:>22}" for n in names)
        + ("   ratio" if len(names) > 1 else "")
    )
    for key in results["townhall"]:
        vals = [results[n][key] for n in names]
        line = f"{key:34}" + "".join(
            f"{v:>22,.0f}" if key.startswith("comments/s") else f"{v:>22.3f}" for v in vals
        )
        if len(vals) > 1 and vals[1]:
            line += f"   {vals[0] / vals[1]:6.2f}x"
        print(line)
    print("deciding guideline (townhall):", dict(decided.most_common()))
    if hasattr(os, "getloadavg"):
        print("load average during the run: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()

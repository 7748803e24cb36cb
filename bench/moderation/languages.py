"""What the language checks cost: the pipeline with and without them, one comment at a time.

Run with `.venv/bin/python bench/moderation/languages.py`. It reviews the comments of the
shared evaluation set (English) and the multilingual sample beside this file, each with
a fresh suffix per round so no cache answers, and prints comments per second of CPU time
on one core. The machine is usually shared: compare the two rows of one run, not runs.
"""

from __future__ import annotations

import argparse
import csv
import os
import time
from pathlib import Path

from townhall.moderation import language, pipeline
from townhall.moderation.checks import language as checks
from townhall.moderation.checks import word_lists
from townhall.moderation.pipeline import Rules, Submission, review, warm_up

HERE = Path(__file__).resolve().parent
# The shared data folder sits beside the repository checkout (as for bench.py).
EVAL = Path(
    os.environ.get("TOWNHALL_MODERATION_EVAL")
    or HERE.parents[1].parent / "shared" / "data" / "moderation" / "real_eval.csv"
)


def texts_of(path: Path) -> list[str]:
    """The comments of a CSV with a text column, or one per line of a text file."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as fh:
            return [row["text"] for row in csv.DictReader(fh)]
    lines = [line for line in path.read_text("utf-8").splitlines() if line.strip()]
    return [f"{line} {i}" for i in range(16) for line in lines]


def measure(texts: list[str], rules: Rules, rounds: int) -> float:
    """Best CPU seconds per comment over `rounds` passes."""
    best = float("inf")
    for r in range(rounds):
        word_lists._hits.cache_clear()
        language.detect.cache_clear()
        for compiled in word_lists.lists(rules):
            compiled._memo.clear()
        start = time.process_time()
        for text in texts:
            review(Submission(body=f"{text} {r}", rules=rules))
        best = min(best, (time.process_time() - start) / len(texts))
    return best


def main() -> None:
    """Print comments/s with and without the language checks for each data set."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    rules = Rules()
    warm_up(rules)
    full = pipeline.CHECKS
    without = tuple(c for c in full if c not in (checks.language_words, checks.other_language))
    innocent = word_lists.innocent_words
    for path in (EVAL, HERE / "languages.txt"):
        if not path.exists():
            print(f"{path}: missing, skipped")
            continue
        texts = texts_of(path)
        print(f"{path.name} ({len(texts)} comments)")
        for label, checks_used, words in (
            ("without language checks", without, lambda body, rules: ()),
            ("with language checks", full, innocent),
        ):
            pipeline.CHECKS = checks_used
            word_lists.innocent_words = words
            each = measure(texts, rules, args.rounds)
            print(f"  {label:26s} {1 / each:8,.0f} comments/s CPU ({each * 1e6:.0f} µs each)")
        pipeline.CHECKS = full
        word_lists.innocent_words = innocent


if __name__ == "__main__":
    main()

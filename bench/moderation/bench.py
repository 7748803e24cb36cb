"""Score the pre-moderation pipeline per family, against alt-profanity-check, in one run.

Run with `make bench-moderation`. Sections, in order:

1. the fresh news-comment sets (``bench/moderation/data/``), each labelled with how
   it was used: ``news_dev`` and ``news_dev2`` tuned on (rules read, model trained),
   ``news_dev3`` validation (only its per-family numbers are read);
2. the dev part of the shared data (tuned on);
3. the test part of the shared data (never tuned on);
4. HateCheck, per functionality (test only);
5. the bias check: false-positive rate per identity group on bias_madlibs;
6. throughput: comments/s one at a time on one pinned core, by CPU time.

A hold or a reject counts as flagged. The split is defined in ``splits.py``.
Options: ``--quick`` scores a 2,000-row sample of each shared part and of the bias
set; ``--limit N`` at most N rows of every set (a smoke run); ``--no-baseline``
skips alt-profanity-check.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import splits
from splits import Row

# Identity terms of the bias templates, longest first so "african american" wins over "african".
IDENTITIES = sorted(
    [
        *"""lesbian gay bisexual transgender trans queer lgbt lgbtq homosexual straight heterosexual
        male female nonbinary african black white european hispanic latino latina latinx mexican
        canadian american asian indian chinese japanese christian muslim jewish buddhist catholic
        protestant sikh taoist old older young younger teenage millenial elderly blind deaf
        paralyzed""".split(),
        "african american",
        "middle eastern",
        "middle aged",
    ],
    key=len,
    reverse=True,
)


NEWS_NAMES = [name for name, _, _ in splits.NEWS_SETS]


def pin_to_one_core() -> None:
    """Keep the measurement on one core, and numeric libraries single-threaded."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


Flagger = Callable[[Sequence[str]], list[bool]]


def scores(rows: Sequence[Row], flagged: Sequence[bool]) -> dict[str, float]:
    """Precision, recall, F1 and the civil false-positive rate."""
    tp = sum(f and r.label == 1 for r, f in zip(rows, flagged, strict=True))
    fp = sum(f and r.label == 0 for r, f in zip(rows, flagged, strict=True))
    pos = sum(r.label == 1 for r in rows)
    neg = len(rows) - pos
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / pos if pos else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "F1": f1, "civil FPR": fp / neg if neg else 0}


def by_group(
    rows: Sequence[Row], flagged: Sequence[bool], key: Callable[[Row], str]
) -> dict[str, tuple[int, float]]:
    """(rows, share flagged) per group."""
    groups: dict[str, list[bool]] = defaultdict(list)
    for row, f in zip(rows, flagged, strict=True):
        groups[key(row)].append(f)
    return {g: (len(v), sum(v) / len(v)) for g, v in sorted(groups.items())}


def print_table(title: str, results: dict[str, dict[str, tuple[int, float]]], note: str) -> None:
    """One line per group: rows and share flagged by each system."""
    names = list(results)
    print(f"\n## {title}\n{note}")
    print(f"{'group':78}{'rows':>7}" + "".join(f"{n:>22}" for n in names))
    for group, (n, _) in results[names[0]].items():
        print(f"{group:78}{n:>7}" + "".join(f"{results[s][group][1]:>22.3f}" for s in names))


def print_scores(results: dict[str, dict[str, float]]) -> None:
    """Overall precision, recall, F1 and civil FPR of each system."""
    names = list(results)
    for metric in ("precision", "recall", "F1", "civil FPR"):
        print(f"{metric:85}" + "".join(f"{results[n][metric]:>22.3f}" for n in names))


def held_label(row: Row) -> str:
    """Group name: the family, with 'should be held' or 'civil: share held = FPR'."""
    return f"{row.family} ({'held share' if row.label else 'civil: FPR'})"


def section(
    title: str, rows: Sequence[Row], systems: dict[str, Flagger], key: Callable[[Row], str]
) -> dict[str, list[bool]]:
    """Score one data set with every system and print it."""
    if not rows:
        print(f"\n## {title}\n(no rows: data not found)")
        return {}
    texts = [r.text for r in rows]
    flagged = {name: flag(texts) for name, flag in systems.items()}
    print_table(
        title,
        {n: by_group(rows, f, key) for n, f in flagged.items()},
        "share flagged per group (for civil groups that share is the false-positive rate)",
    )
    print_scores({n: scores(rows, f) for n, f in flagged.items()})
    return flagged


def throughput(texts: Sequence[str], one: Callable[[str], object]) -> tuple[float, float]:
    """Comments per second, one at a time: (by CPU time, by wall time)."""
    cpu, wall = time.process_time(), time.perf_counter()
    for text in texts:
        one(text)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return len(texts) / cpu, len(texts) / wall


def identity_of(text: str) -> str:
    """The identity term a bias template sentence names."""
    padded = f" {text.lower()} "
    return next((t for t in IDENTITIES if f" {t} " in padded), "other")


def main() -> None:
    """Print every section for townhall and the baseline."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-baseline", action="store_true", help="skip alt-profanity-check")
    parser.add_argument("--quick", action="store_true", help="sample the large sets")
    parser.add_argument(
        "--only", choices=["news", "dev", "test", "hatecheck", "bias", "speed", *NEWS_NAMES]
    )
    parser.add_argument("--limit", type=int, help="score at most this many rows of each set")
    args = parser.parse_args()
    if not (splits.DATA / "train.csv").is_file():
        parser.exit(2, f"no moderation data at {splits.DATA} (see TOWNHALL_MODERATION_DATA)\n")
    pin_to_one_core()

    from townhall.moderation.pipeline import Action, Rules, Submission, review

    rules = Rules()
    decided: Counter[str] = Counter()

    def ours_one(text: str) -> bool:
        result = review(Submission(body=text, rules=rules))
        decided[result.guideline or "publish"] += 1
        return result.action is not Action.PUBLISH

    ours_one("warm-up: load the model and compile the word lists")
    systems: dict[str, Flagger] = {"townhall": lambda texts: [ours_one(t) for t in texts]}
    if not args.no_baseline:
        from profanity_check import predict_prob

        # Batch scoring gives the same decisions as one at a time, much faster;
        # its one-at-a-time speed is measured below.
        systems["alt-profanity-check"] = lambda texts: [
            bool(p >= 0.5) for p in predict_prob(list(texts))
        ]

    rnd = random.Random(7)

    def sample(rows: list[Row]) -> list[Row]:
        if args.limit and args.limit < len(rows):
            return rows[:: -(-len(rows) // args.limit)]  # spread over the set
        return rnd.sample(rows, min(2000, len(rows))) if args.quick else rows

    want = (lambda name: args.only in (None, name)) if args.only else (lambda name: True)
    news: list[Row] = []
    for name, file, use in splits.NEWS_SETS:
        rows = sample(splits.news_set(name))
        news += rows
        if want("news") or want(name):
            decided.clear()
            section(
                f"Fresh news comments {name} (bench/moderation/data/{file}) - {use.upper()}",
                rows,
                systems,
                held_label,
            )
            print("deciding guideline (townhall):", dict(decided.most_common()))
    all_rows = splits.load_rows() if (want("dev") or want("test") or want("speed")) else []
    for part, note in (("dev", "TUNED ON"), ("test", "never tuned on")):
        if want(part):
            rows = sample([r for r in all_rows if r.part == part])
            section(f"Shared data, {part} part - {note}", rows, systems, held_label)
    if want("hatecheck"):
        rows = sample(splits.hatecheck())
        section(
            "HateCheck per functionality (test only; _h = hateful, _nh = not hateful)",
            rows,
            systems,
            lambda r: f"{r.category} ({'held share' if r.label else 'civil: FPR'})",
        )
    if want("bias"):
        rows = [r for r in splits.bias_rows() if r.label == 0]
        rows = rnd.sample(rows, min(4000, len(rows))) if args.quick else sample(rows)
        print("\nBias check: civil template sentences only; the share flagged is the FPR.")
        section(
            "bias_madlibs: false-positive rate per identity group",
            rows,
            systems,
            lambda r: identity_of(r.text),
        )
    if want("speed"):
        texts = [r.text for r in news if r.source in splits.TUNED_NEWS]
        texts += [r.text for r in all_rows if r.part == "dev"][:3000]
        texts = texts[: args.limit] if args.limit else texts
        print("\n## Throughput, one comment at a time, one pinned core (comments/s)")
        cpu, wall = throughput(texts, ours_one)
        print(
            f"townhall whole pipeline ({len(texts)} texts): "
            f"CPU time {cpu:,.0f}/s, wall {wall:,.0f}/s"
        )
        if not args.no_baseline:
            from profanity_check import predict_prob

            few = texts[:500]
            cpu, wall = throughput(few, lambda t: predict_prob([t]))
            print(
                f"alt-profanity-check ({len(few)} texts): CPU time {cpu:,.0f}/s, wall {wall:,.0f}/s"
            )
        if hasattr(os, "getloadavg"):
            print("load average during the run: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()

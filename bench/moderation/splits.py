"""The one train / dev / test split of the moderation data, recorded in code.

Every labelled file in the shared data folder (``train.csv``, ``real_eval.csv``
and ``extra/*.csv``) is split per source, the same way on every machine:

* a source that ships its own split keeps it (EDOS: train/dev/test; HateXplain:
  train/val/test, val becoming dev);
* every other row goes by a hash of its normalised text with a fixed seed: 70 %
  train, 15 % dev, 15 % test. The same text always lands in the same part, so a
  text repeated across rows or sources never sits on both sides;
* HateCheck is a test suite only: never trained or tuned on;
* bias_madlibs is the bias check only (false-positive rate per identity group).

The fresh news-comment sets in ``bench/moderation/data/`` (columns
text,label,family,note), each written independently of the others:

* ``news_dev.csv`` and ``news_dev2.csv`` are **tuned on**: rules were written
  while reading their rows, and the model trains on them (``news_rows``);
* ``news_dev3.csv`` is the **validation** set: only its per-family numbers are
  looked at, never its rows or its misses, to tell whether a change generalises.

``scripts/train_moderation_model.py`` trains on ``train`` plus the two tuned-on
news sets; thresholds are chosen on held-out folds of those and on ``dev``;
``make bench-moderation`` reports every news set, ``dev`` and ``test``.
"""

from __future__ import annotations

import csv
import hashlib
import html
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SEED = "townhall-moderation-split-2026-12"
TRAIN_SHARE, DEV_SHARE = 70, 15  # percent; the rest is test
ROOT = Path(__file__).resolve().parents[2]


def _shared_data() -> Path:
    """The shared data folder: beside the checkout, or beside the folder of worktrees."""
    if os.environ.get("TOWNHALL_MODERATION_DATA"):
        return Path(os.environ["TOWNHALL_MODERATION_DATA"])
    for base in (ROOT.parent, ROOT.parent.parent):
        found = base / "shared" / "data" / "moderation"
        if found.is_dir():
            return found
    return ROOT.parent / "shared" / "data" / "moderation"


DATA = _shared_data()
NEWS_DATA = ROOT / "bench" / "moderation" / "data"
# (name, file, how it is used), in the order the bench prints them.
NEWS_SETS = (
    ("news_dev", "news_dev.csv", "tuned on"),
    ("news_dev2", "news_dev2.csv", "tuned on"),
    ("news_dev3", "news_dev3.csv", "validation: only its per-family numbers are read"),
)
TUNED_NEWS = ("news_dev", "news_dev2")
FILES = (
    "train.csv",
    "real_eval.csv",
    "extra/edos.csv",
    "extra/hatexplain.csv",
    "extra/stormfront.csv",
    "extra/toxigen_seed.csv",
    "extra/toxicspans_extra.csv",
    "extra/toxicspans_span_removed.csv",
    "extra/wikipedia_toxicity.csv",
    "extra/youtube_spam.csv",
    "extra/sms_spam.csv",
    "extra/redditbias.csv",
)
TEST_ONLY = "extra/hatecheck.csv"
BIAS = "extra/bias_madlibs.csv"
_OWN_SPLIT = {"train": "train", "dev": "dev", "val": "dev", "test": "test"}
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Row:
    """One labelled text: 1 = should be held, 0 = civil."""

    text: str
    label: int
    source: str
    category: str
    part: str  # train, dev or test

    @property
    def family(self) -> str:
        """A coarse family name for reports: the source plus its category."""
        return f"{self.source_group}/{self.category}"

    @property
    def source_group(self) -> str:
        """The source, with per-file suffixes folded together (YouTube's five videos)."""
        if self.source.startswith("youtube_spam"):
            return "youtube_spam"
        if self.source.startswith("hatexplain"):
            return "hatexplain"
        return self.source


def normalise(text: str) -> str:
    """What counts as the same text: case and runs of whitespace do not matter."""
    return _SPACE.sub(" ", text).strip().casefold()


def part_of(text: str) -> str:
    """train, dev or test for a text, by a seeded hash of its normalised form."""
    digest = hashlib.sha256(f"{SEED}\0{normalise(text)}".encode()).digest()
    bucket = int.from_bytes(digest[:8], "big") % 100
    if bucket < TRAIN_SHARE:
        return "train"
    return "dev" if bucket < TRAIN_SHARE + DEV_SHARE else "test"


def _read(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def load_rows(data: Path = DATA) -> list[Row]:
    """Every row of the split files with its part; dev and test texts never appear in train."""
    rows = []
    for name in FILES:
        for r in _read(data / name):
            text = html.unescape(r["text"]).strip()
            if not text:
                continue
            own = _OWN_SPLIT.get(r.get("split") or "")
            part = own or part_of(text)
            rows.append(Row(text, int(r["label"]), r["source"], r["category"], part))
    held_back = {normalise(r.text) for r in rows if r.part != "train"}
    # A text that a source's own split put in dev or test stays out of train everywhere.
    return [r for r in rows if r.part != "train" or normalise(r.text) not in held_back]


def split(part: str, data: Path = DATA) -> list[Row]:
    """The rows of one part: train, dev or test."""
    return [r for r in load_rows(data) if r.part == part]


def hatecheck(data: Path = DATA) -> list[Row]:
    """HateCheck's functional tests (category = functionality). Test only."""
    return [
        Row(r["text"], int(r["label"]), "hatecheck", r["category"], "test")
        for r in _read(data / TEST_ONLY)
    ]


def bias_rows(data: Path = DATA) -> list[Row]:
    """The templated identity sentences of the bias check."""
    return [
        Row(r["text"], int(r["label"]), "bias_madlibs", r["category"], "test")
        for r in _read(data / BIAS)
    ]


def news_set(name: str, data: Path = NEWS_DATA) -> list[Row]:
    """One fresh news-comment set by name; category is the guideline family."""
    file = next(f for n, f, _ in NEWS_SETS if n == name)
    path = data / file
    if not path.exists():
        return []
    part = "dev" if name in TUNED_NEWS else "validation"
    return [Row(r["text"], int(r["label"]), name, r["family"], part) for r in _read(path)]


def news_rows(data: Path = NEWS_DATA) -> list[Row]:
    """The tuned-on news sets, which the model also trains on."""
    return [row for name in TUNED_NEWS for row in news_set(name, data)]

"""Word and phrase lists that see through common disguises.

Matching works on whole words, so "Scunthorpe", "assassin" or "therapist"
never match an entry they merely contain. Before comparing, text is folded
(case, accents, invisible characters), leetspeak is decoded ("$h1t"), words
spelled out with separators are rejoined ("f.u.c.k", "f u c k"), runs of a
repeated letter may be longer than in the entry ("fuuuck") and "*" masks a
letter ("f**k").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

from townhall.moderation.regex import linear
from townhall.moderation.text import LEET, fold

GUIDELINES = ("swearing", "abuse", "discrimination")
DEFAULT_GUIDELINE = "swearing"

# A word may carry inner punctuation ("sh.it", "f-ing", "you'll"); its pieces are
# also tried on their own, so "knee-jerk" is seen as "knee" and "jerk" too.
_TOKEN = re.compile(r"[\w$@!|*]+(?:[.\-_'’][\w$@!|*]+)*")
# Three or more single characters separated by spaces or punctuation: "f u c k".
# A letter and a separator never share a character (an underscore is only ever a
# separator), so each text splits one way only; RE2 keeps it linear whatever the input.
# The boundary before the run is matched (RE2 has no lookbehind); the one after it
# is checked by ``_spelled_runs``.
_SPELLED = linear(r"(?:^|[^\pL\pN_$@*])((?:[\pL\pN$@!*][\s.\-_,+]{1,3}){2,}[\pL\pN$@!*])")
_SPELL_SEPARATORS = " \t\n\r\f\v.-_,+"
_WORDLIKE = "$@*_"
_INNER = re.compile(r"[.\-_'’]")
_CENSORED = re.compile(r"[a-z$@]\*{2,}", re.IGNORECASE)  # "f***", "$***"
_DASHED = re.compile(r"(?<![\w$@*])([a-z$@]{1,3})(-{2,})([a-z]{0,4})(?![\w*])")
_CONTRACTION = re.compile(r"(?<=\w)['’](?:re|ve|ll|d|m|s)$", re.IGNORECASE)
_EDGE = "!|.*"  # leetspeak only inside a word: "idiot!" is not "idioti"
_SUFFIXES = ("s", "es")
_MEMO_SIZE = 50_000
# Hits looked at per text: a decision needs a few, and each costs a pass over the text
# (quotes, cue words), so a wall of one word must not cost a pass per word.
MAX_HITS = 20
# Words that, shortly before a slur, show it is being quoted or discussed.
_MENTION_CUES = frozenset(
    "word words term slur slurs called calling call label labelled labeled "
    "says said saying use using used yelled shouted wrote".split()
)
_AFTER_CUES = frozenset("word words slur slurs term insult epithet".split())
# Just before a word, these make it the writer's word about themselves ("I feel so
# dumb", "blame my stupidity") or a report of being called it ("he called me a liar").
_ABOUT_SELF = re.compile(
    r"(?:\b(?:i'?m|i\s+am|i\s+feel|i\s+felt|i\s+look|i\s+looked|i\s+was|me\s+feel|blame\s+my|"
    r"my\s+own)\s+(?:(?:so|such|a|an|really|pretty|kinda|kind\s+of|a\s+bit|bit|total|"
    r"complete|very|just)\s+){0,3}"
    r"|\b(?:call(?:ed|ing|s)?|label(?:l?ed)?|brand(?:ed)?)\s+(?:me|us|myself)\s+"
    r"(?:an?\s+|such\s+an?\s+)?(?:\w+\s+)?)$"
)
_QUOTES = str.maketrans({"“": '"', "”": '"', "«": '"', "»": '"', "„": '"'})


_RUN = re.compile(r"(.)\1*", re.DOTALL)


@lru_cache(maxsize=65536)
def _runs(word: str) -> tuple[str, tuple[int, ...]]:
    """Collapse repeated letters, remembering each run's length."""
    if len(word) < 2:
        return word, (len(word),) if word else ()
    runs = [m.group() for m in _RUN.finditer(word)]
    return "".join(r[0] for r in runs), tuple(len(r) for r in runs)


def _fits(runs: tuple[int, ...], wanted: tuple[int, ...]) -> bool:
    """Run lengths match, or are stretched to three or more on purpose ("fuuuck", not "looser")."""
    return all(r == e or (r > e and r >= 3) for r, e in zip(runs, wanted, strict=False))


def is_censored(word: str) -> bool:
    """One letter followed only by stars ("f***"): a swear word the reader fills in."""
    return bool(_CENSORED.fullmatch(word))


def normal_word(word: str) -> str:
    """Fold and decode leetspeak in one list entry or token."""
    if is_censored(word):
        return fold(word).translate(LEET)  # the stars are the point: keep them
    core = word.strip(_EDGE) if word.strip(_EDGE) else word
    # A contraction ending is not part of the word: "who're" is not "whore".
    core = _CONTRACTION.sub("", core)
    if core.isdigit():
        return core  # a number is a number: "455" is a vote count, not leetspeak
    return _INNER.sub("", fold(core).translate(LEET))


@dataclass(frozen=True, slots=True)
class Entry:
    """One list entry: how it was written and which guideline it enforces."""

    text: str
    guideline: str
    key: str
    runs: tuple[int, ...]
    prefix: bool = False
    suffix: bool = False


@dataclass(frozen=True, slots=True)
class Hit:
    """A list entry found in a text."""

    entry: str
    guideline: str
    found: str
    is_quoted: bool
    # Said of the writer ("I feel dumb") or reported ("he called me a liar").
    about_self: bool = False
    # Where it is in the folded text.
    start: int = 0
    end: int = 0


@lru_cache(maxsize=8192)  # pure; lists are parsed again for every name an import checks
def parse_entry(raw: str, default: str = DEFAULT_GUIDELINE) -> Entry | None:
    """Parse "word", "guideline:word", "word*" or "*word" into an Entry."""
    text = raw.strip()
    guideline = default
    head, sep, rest = text.partition(":")
    if sep and head.strip() in GUIDELINES:
        guideline, text = head.strip(), rest.strip()
    prefix, suffix = text.endswith("*"), text.startswith("*")
    body = text.strip("*").strip()
    if not body:
        return None
    words = [normal_word(w) for w in body.split()]
    key, runs = _runs(" ".join(w for w in words if w))
    if not key:
        return None
    return Entry(body, guideline, key, runs, prefix=prefix and " " not in key, suffix=suffix)


def load_default(name: str) -> tuple[str, ...]:
    """Read a shipped list (``banned_words`` / ``suspect_words``) as "guideline:word" lines."""
    raw = resources.files("townhall.moderation").joinpath("data", f"{name}.txt").read_text("utf-8")
    out: list[str] = []
    guideline = DEFAULT_GUIDELINE
    for line in raw.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            guideline = line[1:-1].strip()
            continue
        out.append(f"{guideline}:{line}")
    return tuple(out)


def _tokens(folded: str) -> list[tuple[str, int, int, bool]]:
    """(candidate, start, end, is_primary) for every word and word piece."""
    out = []
    for m in _TOKEN.finditer(folded):
        raw = m.group()
        out.append((raw, m.start(), m.end(), True))
        if _INNER.search(raw):
            for piece in _INNER.split(raw):
                if piece:
                    out.append((piece, m.start(), m.end(), False))
    for run, start, end in _spelled_runs(folded):
        joined = "".join(c for c in run if c not in _SPELL_SEPARATORS)
        out.append((joined, start, end, False))
    return out


def _spelled_runs(folded: str) -> list[tuple[str, int, int]]:
    """Letters spelled out one by one, not glued to a word after them ("f u c k")."""
    out = []
    for m in _SPELLED.finditer(folded):
        run, start, end = m.group(1), m.start(1), m.end(1)
        if end < len(folded) and (folded[end].isalnum() or folded[end] in _WORDLIKE):
            # "f u c ks": the last letter starts a word, so the run ends one letter earlier.
            run = run[:-1].rstrip(_SPELL_SEPARATORS)
            end = start + len(run)
            if sum(c not in _SPELL_SEPARATORS for c in run) < 3:
                continue
        out.append((run, start, end))
    return out


class WordList:
    """A compiled set of entries; build once per distinct list via ``compile_list``."""

    def __init__(self, entries: tuple[str, ...], allowed: tuple[str, ...] = ()) -> None:
        self.exact: dict[str, list[Entry]] = {}
        self.affixed: list[Entry] = []
        self.phrases: list[Entry] = []
        for raw in entries:
            entry = parse_entry(raw)
            if entry is None:
                continue
            if " " in entry.key:
                self.phrases.append(entry)
            elif entry.prefix or entry.suffix:
                self.affixed.append(entry)
                self.exact.setdefault(entry.key, []).append(entry)
            else:
                self.exact.setdefault(entry.key, []).append(entry)
        self.allowed = frozenset(e.key for a in allowed if (e := parse_entry(a)) is not None)
        # Allowed phrases ("pussy willow", "cock-up") are blanked out before matching.
        phrases = [
            r"[\s\-]*".join(re.escape(w) for w in re.split(r"[\s\-]+", fold(a).strip()))
            for a in allowed
            if re.search(r"\w[\s\-]+\w", a)
        ]
        self.allowed_phrases = _allowed_regex(tuple(phrases))
        self.phrase_starts: dict[str, list[Entry]] = {}
        for entry in self.phrases:
            self.phrase_starts.setdefault(entry.key.split(" ", 1)[0], []).append(entry)
        self._memo: dict[str, Entry | None] = {}
        # Single-word entries as written (not run-collapsed), for "a**hole".
        self.spelled = [
            ("".join(normal_word(w) for w in entry.text.split()), entry)
            for entries in self.exact.values()
            for entry in entries
        ]

    def _match(self, word: str) -> Entry | None:
        """The entry one normalised word matches, if any (memoised per list)."""
        memo = self._memo
        if word in memo:
            return memo[word]
        if len(memo) > _MEMO_SIZE:
            memo.clear()
        found = memo[word] = self._lookup(word)
        return found

    def _lookup(self, word: str) -> Entry | None:
        if "*" in word:
            return self._masked(word)
        key, runs = _runs(word)
        if key in self.allowed or len(key) < 2:
            return None
        for entry in self.exact.get(key, ()):
            if _fits(runs, entry.runs):
                return entry
        for suf in _SUFFIXES:
            base = key[: -len(suf)]
            if key.endswith(suf) and base in self.exact and base not in self.allowed:
                # The ending must be a plain ending: "asses" is "ass" + "es", "assess" is not.
                head, tail = runs[: -len(suf)], runs[-len(suf) :]
                if any(r != 1 for r in tail):
                    continue
                for entry in self.exact[base]:
                    if len(head) == len(entry.runs) and _fits(head, entry.runs):
                        return entry
        for entry in self.affixed:
            if entry.prefix and key.startswith(entry.key) and _fits(runs, entry.runs):
                return entry
            if (
                entry.suffix
                and key.endswith(entry.key)
                and _fits(runs[len(runs) - len(entry.runs) :], entry.runs)
            ):
                return entry
        return None

    def _masked(self, word: str) -> Entry | None:
        """Match "f**k"-style words, where * stands for one hidden letter.

        Two letters are needed ("f**k", "a**hole"), or one letter followed only
        by stars ("f***", "s***"): that is a swear word left for the reader to
        fill in.
        """
        if word[0] == "*":
            return None
        censored = is_censored(word)
        if not censored and (sum(c.isalpha() for c in word) < 2 or word[-1] == "*"):
            return None
        pattern = re.compile(word.replace("*", "[a-z]"))
        for spelled, entry in self.spelled:
            if censored and entry.guideline != DEFAULT_GUIDELINE:
                continue  # one letter tells only that it is a swear word
            if len(spelled) == len(word) and pattern.fullmatch(spelled):
                return entry
        return None

    def find(self, text: str) -> list[Hit]:
        """Every entry found in ``text``, in order of appearance."""
        folded, tokens = _prepared(text, self.allowed_phrases)
        hits: list[Hit] = []
        seen: set[tuple[str, int]] = set()
        primary: list[tuple[str, int]] = []
        ends: list[int] = []
        for cand, start, end, is_primary, word in tokens:
            if is_primary:
                primary.append((word, start))
                ends.append(end)
            if not word:
                continue
            if len(hits) >= MAX_HITS:
                continue  # enough to decide; each hit costs a look at its context
            entry = self._match(word)
            if entry is not None and (entry.text, start) not in seen:
                seen.add((entry.text, start))
                hits.append(
                    Hit(
                        entry.text,
                        entry.guideline,
                        cand,
                        _is_quoted(folded, start, end),
                        bool(_ABOUT_SELF.search(folded, max(0, start - 40), start)),
                        start,
                        end,
                    )
                )
        if self.phrases:
            keys = [_runs(w)[0] for w, _ in primary]
            # Only phrases whose first word occurs in the text are worth searching for.
            starts = dict.fromkeys(k for k in keys if k in self.phrase_starts)
            if starts:
                stream = " " + " ".join(keys) + " "
                for first in starts:
                    for entry in self.phrase_starts[first]:
                        if " " + entry.key + " " in stream:
                            n = entry.key.count(" ") + 1
                            i = next(
                                (
                                    i
                                    for i in range(len(keys) - n + 1)
                                    if " ".join(keys[i : i + n]) == entry.key
                                ),
                                0,
                            )
                            start, end = primary[i][1], ends[i + n - 1]
                            hits.append(
                                Hit(
                                    entry.text,
                                    entry.guideline,
                                    entry.text,
                                    _is_quoted(folded, start, end),
                                    start=start,
                                    end=end,
                                )
                            )
        if hits:
            hits = [_with_cue(h, primary) for h in hits]
        return hits


@lru_cache(maxsize=64)
def _allowed_regex(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    # A plural still counts as the allowed phrase: "pussy cats", "cock-ups".
    return re.compile(r"\b(?:" + "|".join(phrases) + r")(?:s|es)?\b") if phrases else None


@lru_cache(maxsize=65536)
def _word_form(cand: str) -> str:
    return normal_word(cand)


@lru_cache(maxsize=256)
def _prepared(
    text: str, allowed: re.Pattern[str] | None
) -> tuple[str, tuple[tuple[str, int, int, bool, str], ...]]:
    """Folded text and its tokens, shared by the banned and suspect lists of one review."""
    # "f#ck": a hash hides a letter as a star does (a leading one is a hashtag).
    folded = fold(text).replace("#", "*") if "#" in text else fold(text)
    if allowed is not None:
        folded = allowed.sub(lambda m: " " * len(m.group()), folded)
    if "--" in folded:
        # Dashes hide letters too: "f--k", "s---", "a--hole" read as "f**k", "s***", "a**hole".
        folded = _DASHED.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), folded)
    tokens = tuple((c, s, e, p, _word_form(c)) for c, s, e, p in _tokens(folded))
    return folded, tokens


def _is_quoted(folded: str, start: int, end: int) -> bool:
    """Whether the word sits inside double quotes or is wrapped in single quotes."""
    plain = folded.translate(_QUOTES)
    if plain.count('"', 0, start) % 2 == 1 and '"' in plain[end:]:
        return True
    before = plain[start - 1] if start > 0 else ""
    after = plain[end] if end < len(plain) else ""
    return bool(before and after) and before in "'‘" and after in "'’"


def _with_cue(hit: Hit, primary: list[tuple[str, int]]) -> Hit:
    """Mark a hit as quoted when cue words show it is discussed, not used.

    Before it: "the word ...", "called me a ..."; after it: "... is a slur".
    """
    if hit.is_quoted:
        return hit
    words = [w for w, _ in primary]
    target = normal_word(hit.found)
    for i, word in enumerate(words):
        if word and (word == target or target.startswith(word)):
            before = words[max(0, i - 4) : i]
            after = words[i + 1 : i + 5]
            if any(w in _MENTION_CUES for w in before) or any(w in _AFTER_CUES for w in after):
                return replace(hit, is_quoted=True)
            break
    return hit


@lru_cache(maxsize=64)
def compile_list(entries: tuple[str, ...], allowed: tuple[str, ...] = ()) -> WordList:
    """Compile a list once; per-site lists are cached by their contents."""
    return WordList(entries, allowed)

"""Linear-time regular expressions for text that users write.

Python's own engine backtracks: a pattern with nested or overlapping repeats can
take minutes on a few thousand crafted characters, and a check runs while the
server waits. RE2 (google-re2) matches in time linear in the input whatever the
pattern, at the price of lookarounds and back-references; a check that needs a
lookaround makes it a plain test on the text around the match instead.
"""

from __future__ import annotations

from typing import Any

import re2

Pattern = Any  # re2's compiled pattern: search, finditer, sub and match like re's

_OPTIONS = re2.Options()
_OPTIONS.max_mem = 64 << 20  # the largest word-list alternations need more than the 8 MB default


_LONGEST = re2.Options()
_LONGEST.max_mem = _OPTIONS.max_mem
_LONGEST.longest_match = True


def linear(pattern: str, *, ignore_case: bool = False, longest: bool = False) -> Pattern:
    """Compile ``pattern`` with RE2; it refuses what it cannot match in linear time.

    ``longest`` makes a match the longest one at its start (POSIX), not the first
    alternative that fits.
    """
    options = _LONGEST if longest else _OPTIONS
    return re2.compile(("(?i)" if ignore_case else "") + pattern, options)


def any_of(patterns: list[str] | tuple[str, ...]) -> Pattern:
    """One pattern matching where any of ``patterns`` would: a single pass that lets a
    check skip its patterns one by one on the many texts where none matches."""
    return linear("|".join(f"(?:{p})" for p in patterns))

"""Language: swear words and slurs of the comment's own language, and uncovered languages.

The English lists are the site's editable banned and suspect lists (checks/word_lists.py).
The other shipped languages' lists live in ``moderation/data/words/<lang>.txt`` and apply
to comments in that language: a banned entry rejects, a suspect one holds, exactly as the
English lists do (quoted or censored words are held rather than rejected). A site's allowed
words apply to them too.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from townhall.moderation.checks.word_lists import banned_words, suspect_words
from townhall.moderation.findings import Finding, Submission
from townhall.moderation.language import ENGLISH, WORD_LISTS, detect
from townhall.moderation.rules import Rules
from townhall.moderation.words import compile_list, parse_entry

# Rules objects are cached per site; their per-language variants are kept beside them.
_VARIANTS: dict[tuple[str, int], tuple[Rules, Rules]] = {}


def _rules_for(code: str, rules: Rules) -> Rules:
    """The site's rules with one language's lists in place of the English ones."""
    key = (code, id(rules))
    kept = _VARIANTS.get(key)
    if kept is not None and kept[0] is rules:
        return kept[1]
    lists = WORD_LISTS[code]
    variant = replace(
        rules,
        banned_words=lists.banned,
        suspect_words=lists.suspect,
        allowed_words=rules.allowed_words,
    )
    if len(_VARIANTS) > 256:
        _VARIANTS.clear()
    _VARIANTS[key] = (rules, variant)
    return variant


@cache
def _all_lists() -> tuple[tuple[str, ...], tuple[str, ...], dict[str, frozenset[str]]]:
    """Every shipped non-English entry in two lists, and which languages list each word."""
    banned: list[str] = []
    suspect: list[str] = []
    langs: dict[str, set[str]] = {}
    for code, lists in WORD_LISTS.items():
        if code == ENGLISH:
            continue
        banned += lists.banned
        suspect += lists.suspect
        for raw in lists.banned + lists.suspect:
            entry = parse_entry(raw)
            if entry is not None:
                langs.setdefault(entry.text, set()).add(code)
    return tuple(banned), tuple(suspect), {k: frozenset(v) for k, v in langs.items()}


def listed_in(body: str, rules: Rules) -> frozenset[str]:
    """Languages whose lists hold a word of ``body``: most comments have none, and then
    nothing else is needed, not even detecting their language."""
    banned, suspect, langs = _all_lists()
    hits = compile_list(banned, rules.allowed_words).find(body)
    hits += compile_list(suspect, rules.allowed_words).find(body)
    return frozenset().union(*(langs.get(h.entry, ()) for h in hits))


def language_words(sub: Submission) -> Finding | None:
    """Reject or hold a comment for its own language's listed swear words and slurs."""
    listed = listed_in(sub.body, sub.rules)
    if not listed:
        return None
    found = detect(sub.body, sub.rules.site_language)
    strictest: Finding | None = None
    for code in found.lists:
        if code not in listed:
            continue
        variant = replace(sub, rules=_rules_for(code, sub.rules))
        for check in (banned_words, suspect_words):
            finding = check(variant)
            if finding is None:
                continue
            finding = replace(finding, reason=f"{code} word list: {finding.reason}")
            if strictest is None or finding.action.severity > strictest.action.severity:
                strictest = finding
    return strictest


def other_language(sub: Submission) -> Finding | None:
    """Hold a comment in a language no word list covers, when the site asks for that."""
    if sub.rules.other_languages != "hold" or sub.author_is_staff:
        return None
    found = detect(sub.body, sub.rules.site_language)
    if found.is_covered:
        return None
    return Finding.hold("language", f"written in '{found.language}', which no word list covers")

"""Swearing, abuse and discrimination caught by the site's word lists."""

from __future__ import annotations

from functools import lru_cache

from townhall.moderation.findings import Finding, Submission
from townhall.moderation.language import innocent_words
from townhall.moderation.regex import linear
from townhall.moderation.rules import Rules
from townhall.moderation.text import fold, origin_span
from townhall.moderation.words import Hit, WordList, compile_list, is_censored

# What a listed word is, in words the author may see.
_KIND = {"swearing": "a swear word", "abuse": "an insult", "discrimination": "a slur"}


def mask(word: str) -> str:
    """Show a listed word to moderators without spelling it out ("i***t")."""
    if len(word) <= 2:
        return word[0] + "*" * (len(word) - 1)
    return word[0] + "*" * (len(word) - 2) + word[-1]


def lists(rules: Rules, innocent: tuple[str, ...] = ()) -> tuple[WordList, WordList]:
    """The compiled banned and suspect lists of a site (cached by content); ``innocent``
    are ordinary words of the text's language that these lists must not flag."""
    allowed = rules.allowed_words + innocent
    return (
        compile_list(rules.banned_words, allowed),
        compile_list(rules.suspect_words, allowed),
    )


@lru_cache(maxsize=256)
def _hits(body: str, rules: Rules) -> tuple[tuple[Hit, ...], tuple[Hit, ...]]:
    # Several checks ask about the same body within one review.
    banned, suspect = lists(rules, innocent_words(body, rules))
    return tuple(banned.find(body)), tuple(suspect.find(body))


def banned_hits(sub: Submission) -> tuple[Hit, ...]:
    """Banned-list entries found in the body."""
    return _hits(sub.body, sub.rules)[0]


def suspect_hits(sub: Submission) -> tuple[Hit, ...]:
    """Suspect-list entries found in the body."""
    return _hits(sub.body, sub.rules)[1]


_NEGATED = linear(r"(?:\bnot|n't|n’t|\bnever|\bno)\W+(?:\w+\W+)?$")


def _denied(body: str, hit: Hit) -> bool:
    """ "Fans aren't stupid": an insult denied right before it is not one."""
    folded = fold(body)
    return bool(_NEGATED.search(folded[max(0, hit.start - 20) : hit.start]))


def _span(sub: Submission, hit: Hit) -> tuple[int, int]:
    return origin_span(sub.body, hit.start, hit.end)


def _describe(hits: tuple[Hit, ...]) -> str:
    words = sorted({mask(h.entry) for h in hits})
    return ", ".join(f'"{w}"' for w in words[:5])


def banned_words(sub: Submission) -> Finding | None:
    """Reject a banned word; only hold one that is quoted or discussed rather than used."""
    hits = banned_hits(sub)
    if not hits:
        return None
    used = [h for h in hits if not h.is_quoted and not is_censored(h.found)]
    if used:
        return Finding.reject(
            used[0].guideline,
            f"banned word {_describe(tuple(used))}",
            span=_span(sub, used[0]),
            kind=_KIND[used[0].guideline],
        )
    kind = _KIND[hits[0].guideline]
    if all(is_censored(h.found) for h in hits):
        # "c***" could be several words; a person decides.
        return Finding.hold(
            hits[0].guideline,
            f"a censored swear word {_describe(hits)}",
            span=_span(sub, hits[0]),
            kind=kind,
        )
    # Someone condemning a slur ("he called me a ...") is not using it; a person decides.
    return Finding.hold(
        hits[0].guideline,
        f"quotes a banned word {_describe(hits)}",
        span=_span(sub, hits[0]),
        kind=kind,
    )


def suspect_words(sub: Submission) -> Finding | None:
    """Hold a comment containing a suspect word.

    An insult the writer uses of themselves ("I feel so dumb") or reports being
    called ("how dare you call me a liar") is not abuse; swearing and slurs are
    held however they are used.
    """
    hits = tuple(
        h
        for h in suspect_hits(sub)
        if not (h.guideline == "abuse" and (h.about_self or _denied(sub.body, h)))
        # A slur or insult quoted to condemn it ("calling the barman a "..."", 'was it the
        # word "liar"?') is reported, not used; quoted swearing is still swearing.
        and not (h.is_quoted and h.guideline in ("discrimination", "abuse"))
    )
    if not hits:
        return None
    return Finding.hold(
        hits[0].guideline,
        f"contains {_describe(hits)}",
        span=_span(sub, hits[0]),
        kind=_KIND[hits[0].guideline],
    )

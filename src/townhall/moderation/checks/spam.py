"""Spam: too many links, repeated text and bursts of posting."""

from __future__ import annotations

import re
from functools import lru_cache

from townhall.moderation.findings import Finding, Submission
from townhall.moderation.regex import linear
from townhall.moderation.text import fold

# Explicit URLs, plus bare domains with a common top-level domain ("cheap-pills.biz/x").
LINK = linear(
    r"(?:https?://|www\.)[^\s<>\"']+"
    r"|\b(?:[a-z0-9-]{1,63}\.){1,6}(?:com|net|org|info|biz|io|co|uk|ru|xyz|top|online|site|shop"
    r"|store|club|ly|me|tk|cn|de|fr|eu|us|ca|au|ie|in|app|link|live|bet|win|vip|tv|cc|fi|date"
    r"|dating|loan|money|cash|pro|fun|space|website|icu|buzz|cam|sex|porn|casino|deals|sale)\b"
    r"(?:/[^\s<>\"']*)?",
    ignore_case=True,
)
_HOST = linear(r"^(?:https?://)?([^/:?#\s]+)", ignore_case=True)
MIN_REPEAT_CHARS = 20  # "Agreed." twice is a habit, not spam


def link_hosts(text: str) -> list[str]:
    """Host names of the links in a text, lower-cased, without "www."."""
    return [host for host, _ in link_spans(text)]


def link_spans(text: str) -> list[tuple[str, tuple[int, int]]]:
    """(host, span of the link) for every link in a text."""
    if "." not in text:
        return []
    hosts = []
    for m in LINK.finditer(text):
        host = _HOST.match(m.group())
        if host:
            hosts.append((host.group(1).lower().removeprefix("www.").rstrip("."), m.span()))
    return hosts


def is_allowed_host(host: str, allowlist: tuple[str, ...]) -> bool:
    """Whether a host is an allow-listed domain or one of its subdomains."""
    return any(host == d or host.endswith("." + d) for d in (a.lower() for a in allowlist))


def link_limit(sub: Submission) -> Finding | None:
    """Hold comments with more links than the site allows; allow-listed domains are free."""
    counted = [h for h in link_hosts(sub.body) if not is_allowed_host(h, sub.rules.link_allowlist)]
    if len(counted) > sub.rules.max_links:
        return Finding.hold("spam", f"{len(counted)} links, limit {sub.rules.max_links}")
    return None


@lru_cache(maxsize=4096)
def _shingles(text: str) -> frozenset[str]:
    # Cached: each new comment is compared with the author's recent ones, which
    # were themselves new a moment ago.
    flat = " ".join(re.findall(r"\w+", fold(text)))
    if len(flat) < 5:
        return frozenset((flat,))
    return frozenset(flat[i : i + 5] for i in range(len(flat) - 4))


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of character 5-gram sets: 1.0 for the same words."""
    sa, sb = _shingles(a), _shingles(b)
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


def repeated_text(sub: Submission) -> Finding | None:
    """Hold a comment that (nearly) repeats one of the author's recent comments."""
    rules = sub.rules
    if sub.is_edit or rules.repeat_window == 0 or len(sub.body.strip()) < MIN_REPEAT_CHARS:
        return None
    for earlier in sub.recent_bodies[: rules.repeat_window]:
        score = similarity(sub.body, earlier)
        if score >= rules.repeat_threshold:
            return Finding.hold("spam", "repeats an earlier comment", score)
    return None


def burst_posting(sub: Submission) -> Finding | None:
    """Hold a comment posted after too many others in the burst window."""
    rules = sub.rules
    if sub.is_edit or rules.burst_limit == 0 or sub.author_is_staff:
        return None
    if sub.recent_post_count >= rules.burst_limit:
        return Finding.hold(
            "spam",
            f"{sub.recent_post_count} comments in {rules.burst_window_seconds}s, "
            f"limit {rules.burst_limit}",
        )
    return None

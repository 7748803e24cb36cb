"""What an author is told about a finding: the guideline in plain words and a way out.

The messages name the guideline and, where it helps, the kind of thing found ("a
phone number", "a threat"), never the matched words: echoing a filtered word back
teaches how to spell around the filter.
"""

from __future__ import annotations

# guideline -> (message, suggestion)
_TEXT: dict[str, tuple[str, str]] = {
    "swearing": (
        "This passage uses language our community guidelines don't allow.",
        "Make the same point without the swearing.",
    ),
    "abuse": (
        "This passage reads as a personal attack.",
        "Criticise the argument, the decision or the record, not the person.",
    ),
    "discrimination": (
        "This passage attacks or demeans people for who they are, such as their race, "
        "religion, nationality, sex or sexuality.",
        "Discuss policies and actions; don't generalise about a whole group of people.",
    ),
    "private_info": (
        "This passage seems to share someone's personal details.",
        "Remove the personal details. We don't publish private information about anyone.",
    ),
    "impersonation": (
        "This passage makes the comment look as if it came from staff, an official body "
        "or someone other than you.",
        "Write as yourself. Only staff can post notices, and we never ask for passwords.",
    ),
    "spam": (
        "This passage looks like advertising or a promotional link.",
        "Remove the promotion. Links to sources that support your point are welcome.",
    ),
    "trust": (
        "Comments here are read by a moderator before they appear.",
        "Nothing to change: a moderator will look at it soon.",
    ),
    "language": (
        "Comments in this language are read by a moderator before they appear.",
        "Nothing to change: a moderator will look at it soon.",
    ),
}
# More precise wording for some kinds of finding.
_KIND_TEXT: dict[str, tuple[str, str]] = {
    "a threat": (
        "This passage threatens, or wishes harm on, someone.",
        "Remove anything that threatens, wishes harm on or calls for action against anyone.",
    ),
    "a call to action against people": (
        "This passage calls on readers to act against people or a place.",
        "Remove the call to go after people; say what you think should change instead.",
    ),
}
_FALLBACK = (
    "This passage may break our community guidelines.",
    "Check the passage against the guidelines, or post it for a moderator to review.",
)


def message(guideline: str, kind: str = "") -> str:
    """The plain-language explanation of a finding for its author."""
    if kind in _KIND_TEXT:
        return _KIND_TEXT[kind][0]
    text = _TEXT.get(guideline, _FALLBACK)[0]
    if kind and guideline in ("private_info", "impersonation", "spam"):
        return f"{text[:-1]} ({kind})."
    return text


def suggestion(guideline: str, kind: str = "") -> str:
    """What the author could change so the comment is published."""
    if kind in _KIND_TEXT:
        return _KIND_TEXT[kind][1]
    return _TEXT.get(guideline, _FALLBACK)[1]

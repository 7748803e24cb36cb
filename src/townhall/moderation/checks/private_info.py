"""Private information: phone numbers, e-mail and street addresses of third parties."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from townhall.moderation.checks.personal_details import (
    bank_details,
    is_public_context,
    is_public_number,
    personal_details,
    phone_shapes,
)
from townhall.moderation.findings import Finding, Submission
from townhall.moderation.regex import linear
from townhall.moderation.rules import Rules

# Bounded repeats keep hostile input ("a.a.a.…@") linear.
EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,6}\.[a-z]{2,24}\b", re.IGNORECASE)
# Cheap gate: phonenumbers is slow, so only text with a run of 7+ digits
# (allowing the usual separators) is handed to it.
PHONE_HINT = re.compile(r"\+?\(?\d[\d\s().\-/]{5,22}\d")
MAX_PHONE_HINTS = 12  # a wall of digits is not worth parsing number by number
STREET = re.compile(
    r"\b\d{1,5}[a-z]?,?\s+(?:[A-Z][\w'’-]+\s+){1,3}"
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Close|Crescent|Cres|Way|Place|Pl"
    r"|Court|Ct|Boulevard|Blvd|Terrace|Gardens|Grove|Mews|Square|Sq|Row|Walk|Parade"
    r"|Hill|Park|View|Rise)\b\.?",
    re.UNICODE,
)
UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b")
# Addresses everyone knows are not private information.
PUBLIC_ADDRESSES = frozenset(
    {"10 downing street", "11 downing street", "1600 pennsylvania avenue", "221b baker street"}
)


# Free mailboxes: an address there belongs to a person, not an organisation.
PERSONAL_MAIL = frozenset(
    "gmail.com googlemail.com hotmail.com hotmail.co.uk outlook.com live.com live.co.uk "
    "yahoo.com yahoo.co.uk icloud.com me.com aol.com btinternet.com sky.com talktalk.net "
    "protonmail.com proton.me mail.com gmx.com virginmedia.com ntlworld.com".split()
)
_PRIVATE_MAIL_CONTEXT = linear(
    r"(?i)\b(?:his|her) (?:personal |private |home |work )?(?:e-?mail|address)\b"
    r"|(?i)(?:'s|\bhis|\bher|\btheir) (?:wife|husband|partner|mum|mother|dad|father|son|"
    r"daughter|ex|boss|neighbour|kids?)\b"
)


def _squash(text: str) -> str:
    return re.sub(r"[\s,.]+", " ", text.casefold()).strip()


@lru_cache(maxsize=64)
def _own(contacts: tuple[str, ...], region: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The publisher's phone numbers (E.164) and other contacts (squashed)."""
    phones: set[str] = set()
    others: list[str] = []
    for contact in contacts:
        if EMAIL.fullmatch(contact.strip()):
            others.append(_squash(contact))
            continue
        try:
            parsed = phonenumbers.parse(contact, region)
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed is not None and phonenumbers.is_possible_number(parsed):
            phones.add(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))
        else:
            others.append(_squash(contact))
    return frozenset(phones), tuple(others)


def find_phones(text: str, rules: Rules) -> list[tuple[int, int]]:
    """Valid phone numbers in the text that are not the publisher's own, nor public."""
    if not PHONE_HINT.search(text):
        return []
    own_phones, _ = _own(rules.publisher_contacts, rules.default_region)
    found = []
    for n, hint in enumerate(PHONE_HINT.finditer(text)):
        if n >= MAX_PHONE_HINTS:
            break
        if sum(c.isdigit() for c in hint.group()) < 7:
            continue
        for match in phonenumbers.PhoneNumberMatcher(
            hint.group(), rules.default_region, leniency=phonenumbers.Leniency.VALID
        ):
            e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
            start, end = hint.start() + match.start, hint.start() + match.end
            if e164 not in own_phones and not is_public_number(text, start, end):
                found.append((start, end))
    return found


def find_emails(text: str, rules: Rules) -> list[tuple[int, int]]:
    """Personal e-mail addresses: not the publisher's own, not a public body's or a role's."""
    if "@" not in text:
        return []
    _, own = _own(rules.publisher_contacts, rules.default_region)
    found = []
    for m in EMAIL.finditer(text):
        if _squash(m.group()) in own or _is_public_email(text, m):
            continue
        found.append(m.span())
    return found


def _is_public_email(text: str, m: re.Match[str]) -> bool:
    """An organisation's address (its own domain), unless it is said to be someone's."""
    domain = m.group().lower().partition("@")[2]
    if _PRIVATE_MAIL_CONTEXT.search(text):
        return False
    if domain in PERSONAL_MAIL:
        return False  # nobody's office runs on a free mailbox
    # An address at an organisation's own domain is how to reach the organisation.
    return True


def find_addresses(text: str, rules: Rules) -> list[tuple[int, int]]:
    """Street addresses in the text, minus famous ones and the publisher's own."""
    _, own = _own(rules.publisher_contacts, rules.default_region)
    found = []
    for m in STREET.finditer(text):
        address = _squash(m.group()).removesuffix(".")
        if address in PUBLIC_ADDRESSES or any(address in o for o in own):
            continue
        if is_public_context(text, m.start(), m.end()):
            continue  # an embassy, a council office, a hospital
        found.append(m.span())
    return found


# Kinds that name or place a person without giving a way to reach them.
_NAMING = frozenset({"who someone is", "who a commenter really is", "where someone can be found"})


def private_info(sub: Submission) -> Finding | None:
    """Hold a comment that publishes someone's contact, bank or personal details."""
    text, rules = sub.body, sub.rules
    found: list[tuple[int, int, str]] = []
    digits = sum(c.isdigit() for c in text)
    if digits:
        found += [(*span, "a street address") for span in find_addresses(text, rules)]
    if digits >= 6:  # a sort code has six, every phone or card number more
        found += [(*span, "a phone number") for span in find_phones(text, rules)]
        found += phone_shapes(text)
        found += bank_details(text)
    found += [(*span, "an e-mail address") for span in find_emails(text, rules)]
    found += personal_details(text)
    if not found:
        return None
    # Show the most telling passage first: a number or an address before a name.
    found.sort(key=lambda f: (f[2] in _NAMING, f[0]))
    kinds = list(dict.fromkeys(kind for _, _, kind in found))
    start, end, _ = found[0]
    return Finding.hold(
        "private_info",
        "contains " + " and ".join(kinds[:3]),
        span=(start, end),
        kind=kinds[0],
    )

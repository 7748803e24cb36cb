"""Private information: phone numbers, e-mail and street addresses of third parties."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from townhall.moderation.findings import Finding, Submission
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


def find_phones(text: str, rules: Rules) -> list[str]:
    """Valid phone numbers in the text that are not the publisher's own."""
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
            if e164 not in own_phones:
                found.append(match.raw_string)
    return found


def find_emails(text: str, rules: Rules) -> list[str]:
    """E-mail addresses in the text that are not the publisher's own."""
    if "@" not in text:
        return []
    _, own = _own(rules.publisher_contacts, rules.default_region)
    return [m.group() for m in EMAIL.finditer(text) if _squash(m.group()) not in own]


def find_addresses(text: str, rules: Rules) -> list[str]:
    """Street addresses in the text, minus famous ones and the publisher's own."""
    _, own = _own(rules.publisher_contacts, rules.default_region)
    found = []
    for m in STREET.finditer(text):
        address = _squash(m.group()).removesuffix(".")
        if address in PUBLIC_ADDRESSES or any(address in o for o in own):
            continue
        found.append(m.group())
    return found


def private_info(sub: Submission) -> Finding | None:
    """Hold a comment that publishes someone's phone number, e-mail or street address."""
    text, rules = sub.body, sub.rules
    kinds = []
    if find_phones(text, rules):
        kinds.append("a phone number")
    if find_emails(text, rules):
        kinds.append("an e-mail address")
    if any(c.isdigit() for c in text) and find_addresses(text, rules):
        kinds.append("a street address")
    if not kinds:
        return None
    return Finding.hold("private_info", "contains " + " and ".join(kinds))

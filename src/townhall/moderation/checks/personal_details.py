"""Private details about a third party, beyond a valid phone number or an e-mail address.

Doxxing comments rarely use real numbers in test data and often not in life
either, so a phone number is found by its shape (Ofcom's drama ranges such as
07700 900xxx and the US 555-01xx block count) and judged by its context: a
helpline, a council or "call 999" stays published; "his mobile is ..." does not.
Bank details (sort code and account, IBAN, card numbers that pass the Luhn
check), identity numbers and codes (National Insurance, key safe, an IP
address), and a named person's date of birth, school and year, workplace, daily
movements, the street they can be found on, medical condition, or who a private
person or a pseudonymous commenter is, are held too; a public building or a
public figure's own announcement is not. Each finder returns the span of what it
found and what it is.
"""

from __future__ import annotations

from townhall.moderation.regex import any_of, linear

Found = tuple[int, int, str]  # start, end, what it is

# A phone number by its shape: 9-13 digits in the usual groupings.
PHONE_SHAPE = linear(
    r"(?:^|[^\w+])((?:\+\d{1,3}[ .-]?)?(?:\(\d{2,5}\)[ .-]?)?\d{2,5}(?:[ .-]?\d{2,4}){1,4})"
)
_PUBLIC_PREFIX = ("0800", "0808", "0300", "0330", "0345", "0845", "116", "111", "999", "112")
# Words that make a number or an address someone's to publish: helplines, public bodies.
_PUBLIC_CONTEXT = linear(
    r"(?i)\b(?:helpline|hotline|freephone|free(?:,| to call)?|24 ?hours?|24/7|samaritans|"
    r"crimestoppers|childline|shelter|council|ombudsman|nhs|gp|hospital|police|coastguard|"
    r"dvla|hmrc office|citizens advice|charity|advice line|support line|press office|"
    r"their (?:site|website)|on (?:the|their) (?:site|website)|website|official|switchboard|"
    r"enquir(?:y|ies)|customer (?:service|services)|non-emergency|anonymous(?:ly)?|consular|"
    r"embassy|consulate|foreign office|fcdo|government|department|complaints|commissioner|"
    r"regulator|watchdog|adviceline|confidential|"
    r"for (?:help|advice|support|information))\b"
)
_PRIVATE_CONTEXT = linear(
    r"(?i)\b(?:his|her|their) (?:mobile|phone|number|cell|direct line|private line|"
    r"personal (?:number|line|email|e-mail|account))|\b(?:ring|call|text|phone|message|"
    r"flood|bombard) (?:him|her|them)\b|\bhe needs to hear|\blet (?:him|her|them) know\b"
)
SORT_CODE = linear(r"(?i)\b(?:sort ?code|s/c)\W{0,3}(\d{2}[- ]?\d{2}[- ]?\d{2})")
SORT_AND_ACCOUNT = linear(
    r"\b\d{2}-\d{2}-\d{2}\W{1,12}(?:acc(?:ount)?\W{0,4}(?:no\W{0,3})?)?\d{8}\b"
)
IBAN = linear(r"\b([A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?)\b")
CARD = linear(r"(?:^|\D)(\d{4}(?:[ -]?\d{4}){2}[ -]?\d{1,7})(?:\D|$)")
# A named person: a title and a name, or two capitalised words ("Gary Pritchard").
_NAME = r"(?:(?:Mr|Mrs|Ms|Miss|Dr|Mx)\.? [A-Z][a-z'-]+|[A-Z][a-z'-]+ [A-Z][a-z'-]{2,})"
# Someone who is not the writer: a name, a pronoun, or "the woman who ..."
_THIRD = (
    rf"(?:{_NAME}|\b(?i:he|she|his|her|the (?:lad|guy|bloke|man|woman|girl|boy|kid|teen|teacher|"
    r"landlord|ref|referee|driver|nurse|vet|dentist|councillor|witness|victim|defendant|"
    r"person|mum|dad|neighbour|lollipop lady|steward|manager|cashier|receptionist|barista|"
    r"cleaner|coach|trainer|postman|postwoman|guard|officer|pc|researcher|secretary|assistant|"
    r"worker|owner|boss|cyclist|jogger|runner|doctor|gp|carer|midwife|caretaker|bouncer|"
    r"kid's|lad's|girl's|boy's|son|daughter|wife|husband|ex|girlfriend|boyfriend))\b)"
)
_DETAILS = (
    (
        "a date of birth",
        linear(
            r"(?i)\b(?:born (?:on )?\d{1,2}(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|"
            r"sep|oct|nov|dec)[a-z]* \d{4}|dob:? ?\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|"
            r"date of birth:? ?\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|"
            r"born (?:on )?\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})"
        ),
    ),
    (
        "a child's school",
        linear(
            r"\b(?:[Yy]ear \d{1,2},? (?:at )?|goes to |pupil at )"
            r"(?:St\.? )?[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,3}"
        ),
    ),
    (
        "a workplace",
        linear(
            rf"{_THIRD}[^.!?\n]{{0,40}}\bworks? (?:nights |days |shifts )?(?:at|in|for) "
            r"(?:the |accounts at |the finance team at )?[A-Z][\w'’&-]+"
        ),
    ),
    (
        "someone's medical condition",
        linear(
            rf"{_THIRD}[^.!?\n]{{0,60}}\b(?i:has been on antidepressants|is hiv positive|"
            r"has hiv|has aids|was sectioned|is on (?:anti|meds|medication)|"
            r"(?:was |been )?diagnosed with|has (?:bipolar|schizophrenia|cancer|dementia|epilepsy|"
            r"depression|an eating disorder)|stopped taking (?:his|her) (?:meds|medication)|"
            r"in rehab|is in rehab|had an abortion|is pregnant)"
        ),
    ),
    (
        "who a commenter really is",
        linear(
            r"(?:[\"“'][\w.-]{3,30}[\"”']|\b[A-Za-z]+_[A-Za-z0-9_]+\b|\b[A-Za-z]+\d{2,4}\b)"
            r"(?: on here| in the comments)? (?:is (?:actually|really) |is )"
            r"(?:my (?:old )?[a-z]+ )?(?:Mr |Mrs |Ms |Dr )?[A-Z][a-z]+ [A-Z][a-z]+"
            r"|\b(?i:anonymous|so-called|unnamed) [\w ]{0,50} (?:is|was) "
            r"(?:actually |really )?(?:Mr |Mrs |Ms |Dr )?[A-Z][a-z]+ [A-Z][a-z]+"
            r"|\b(?i:the person|whoever(?:'s| is)) (?:running|behind|writing) [^.!?\n]{0,40} is "
            r"[A-Z][a-z]+ [A-Z][a-z]+"
            r"|\b(?i:real name(?:'s| is))"
        ),
    ),
    (
        "someone's medical condition",
        linear(
            rf"{_THIRD}[^.!?\n]{{0,80}}\b(?i:has|had|have|with|got|getting|suffers? from|"
            r"diagnosed|treated for|battling|fighting|in and out of|off sick with|signed off with|"
            r"out of|'s|is|was|been)\b[^.!?\n]{0,40}\b(?i:(?:stage \d |terminal )?"
            r"(?:bowel |breast |prostate |lung |skin |brain |ovarian |cervical )?cancer|"
            r"depression|bipolar|"
            r"schizophreni[ac]|psychosis|dementia|alzheimer'?s|hiv|herpes|chlamydia|gonorrho?ea|"
            r"syphilis|an? st[di]|(?:cocaine |drug |gambling |alcohol )?addiction|alcoholism|"
            r"rehab|the priory|an overdose|a miscarriage|an abortion|ivf|pregnant|"
            r"infertil(?:e|ity)|"
            r"autism|adhd|multiple sclerosis|parkinson'?s|epilepsy|an eating disorder|anorexia|"
            r"bulimia|self[- ]harm|suicidal|sectioned|a psychiatric|a breakdown|chemo(?:therapy)?|"
            r"ptsd|ocd|hepatitis|stress|anxiety)\b"
        ),
    ),
    (
        "who someone is",
        linear(
            r"\b(?i:the (?:guy|man|woman|bloke|lad|girl|boy|person|nurse|cyclist|driver|ref|"
            r"referee|teacher|witness|manager|pc|officer|owner|landlord|neighbour|troll|account|"
            r"one)|whoever)\b[^.!?\n]{0,70}\b(?:is|was) (?:(?:Mr|Mrs|Ms|Dr|Miss)\.? )?"
            r"[A-Z][a-z]+ [A-Z][a-z]+"
            r"|\b(?i:birth name|dead ?name)\b|\b(?i:transitioned in \d{4})"
            r"|\b(?i:is on (?:hinge|tinder|bumble|grindr|facebook|instagram|onlyfans|tiktok) as)\b"
        ),
    ),
    (
        "an identity number or code",
        linear(
            r"\b(?i:ni|national insurance|passport|driving licen[cs]e|nhs|key ?safe|door|alarm|"
            r"gate|pin|bank pin|safe) (?i:number|no\.?|code)\b(?: is|:)? ?[A-Za-z]{0,2} ?\d"
            r"|\b[A-CEGHJ-PR-TW-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b"
            r"|\b(?i:ip(?: address)?)(?: is|:)? \d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b"
        ),
    ),
    (
        "where someone can be found",
        linear(
            rf"{_THIRD}[^.!?\n]{{0,60}}\b(?:from|on|in|at|above|off|near|staying at)\s"
            r"(?:the [\w' ]{1,25} on )?[A-Z][a-z]+(?: [A-Z][a-z]+)? (?:Road|Street|Avenue|Drive|"
            r"Close|Lane|Crescent|Way|Place|Court|Terrace|Gardens|Grove|Mews|Square|Row|Walk)\b"
            r"|\b(?i:(?:his|her|their) (?:house|home|flat|place))\b[^.!?\n]{0,40}"
            r"\b(?i:(?:will be|is|'ll be) empty)\b"
            r"|\b(?i:is (?:off|away) (?:to|in)) [A-Z][a-z]+ \d"
        ),
    ),
    (
        "a home address",
        linear(
            r"\b(?:lives|living|live) (?:at|on|in) (?:\d{1,4}[a-z]? )?[A-Z][\w'’-]+"
            r"(?: [A-Z][\w'’-]+){0,2} (?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Close|"
            r"Crescent|Way|Place|Court|Terrace|Gardens|Grove|Mews|Square|Row|Walk|Hill|Park|View)\b"
        ),
    ),
)
_FIRST_PERSON = linear(r"(?i)^\s*(?:i|i'm|i've|i am|we|we're|my own)\b")


# A routine: a time or a recurring day, and someone going somewhere at it.
_ROUTINE_TIME = linear(
    r"(?i)\b(?:every (?:night|morning|day|evening|weekday|monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday)|each (?:night|morning|day)|at \d{1,2}(?:[.:]\d\d)? ?(?:am|pm)?|"
    r"\d{1,2}(?:[.:]\d\d)? ?(?:am|pm)|(?:about|around) \d{1,2}(?:[.:]\d\d)?|till \d|until \d)"
)
_ROUTINE_MOVE = linear(
    r"(?i)\b(?:walks?|walking|does the school run|school run|leaves|finishes|drives|jogs|"
    r"cycles|parks|picks (?:her|him|them) up|on (?:his|her) own|alone|goes to|takes (?:her|his|"
    r"their) (?:\w+ )?(?:to|for)|drops (?:her|his|their|the) (?:kids|son|daughter|children)|"
    r"collects|trains at|swims|gets the (?:bus|train)|catches the)\b"
)
_PERSON_HINT = linear(_THIRD)


def _luhn(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = int(char)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _iban_ok(iban: str) -> bool:
    compact = iban.replace(" ", "")
    moved = compact[4:] + compact[:4]
    number = "".join(str(int(c, 36)) for c in moved)
    return int(number) % 97 == 1


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(c, 0, start) for c in ".!?\n") + 1
    ends = [i for c in ".!?\n" if (i := text.find(c, end)) >= 0]
    return text[left : min(ends) if ends else len(text)]


def is_public_number(text: str, start: int, end: int) -> bool:
    """A helpline, "call 999" or a public body's number, judged from its sentence."""
    number = "".join(c for c in text[start:end] if c.isdigit())
    if number.startswith(_PUBLIC_PREFIX) or len(number) <= 6:
        return True
    return is_public_context(text, start, end)


def is_public_context(text: str, start: int, end: int) -> bool:
    """Whether the sentence around a contact cites it as a public body's or a helpline's."""
    sentence = _sentence(text, start, end)
    if _PRIVATE_CONTEXT.search(sentence):
        return False
    return bool(_PUBLIC_CONTEXT.search(sentence))


def phone_shapes(text: str) -> list[Found]:
    """Phone-number-shaped runs of 9-13 digits that are not a public number."""
    out = []
    for m in PHONE_SHAPE.finditer(text):
        start, end = m.span(1)
        run = m.group(1)
        digits = sum(c.isdigit() for c in run)
        if not 9 <= digits <= 13 or _looks_like_other_number(run):
            continue
        # A national number starts with 0, an international one with +; otherwise only
        # the US grouping (555) 555-0123 / 312-555-0172 reads as a phone number.
        if run[0] not in "0+(" and not _US.fullmatch(run):
            continue
        if not is_public_number(text, start, end):
            out.append((start, end, "a phone number"))
    return out


_US = linear(r"\d{3}[ .-]\d{3}[ .-]\d{4}")


def _looks_like_other_number(run: str) -> bool:
    """Years, sums and card numbers are not phone numbers."""
    digits = "".join(c for c in run if c.isdigit())
    if run.count(".") >= 2 and "-" not in run and " " not in run:
        return True  # an IP address or a version number
    groups = run.replace("-", " ").replace(".", " ").split()
    if len(digits) >= 13 and _luhn(digits):
        return True  # a card number: found by bank_details
    return len(groups) >= 2 and all(len(g) == 4 for g in groups) and len(digits) == 16


def bank_details(text: str) -> list[Found]:
    """Sort code with an account, an IBAN with a valid checksum, a Luhn-valid card number."""
    out: list[Found] = []
    for m in SORT_CODE.finditer(text):
        out.append((m.start(), m.end(), "bank details"))
    for m in SORT_AND_ACCOUNT.finditer(text):
        out.append((m.start(), m.end(), "bank details"))
    for m in IBAN.finditer(text):
        if _iban_ok(m.group(1)):
            out.append((*m.span(1), "bank details"))
    for m in CARD.finditer(text):
        digits = "".join(c for c in m.group(1) if c.isdigit())
        if 13 <= len(digits) <= 19 and _luhn(digits):
            out.append((*m.span(1), "a card number"))
    return out


_ANY_DETAIL = any_of([pattern.pattern for _, pattern in _DETAILS] + [_ROUTINE_TIME.pattern])


# Capitalised words that start a sentence or a place name, not a person's name.
_NOT_A_NAME = linear(r"(?:The|This|That|A|An|In|On|At|Our|My|Its|Their|Every|Each) [A-Z]")
# A public figure's own announcement is news, not a leak.
_PUBLIC_NEWS = linear(
    r"(?i)\b(?:announced|revealed|spoke (?:about|openly)|opened up|statement|palace|"
    r"interview|documentary|campaign|publicly|public hearings?|press conference)\b"
)


def personal_details(text: str) -> list[Found]:
    """A third party's date of birth, school, workplace, routine, health or real identity."""
    if not _ANY_DETAIL.search(text):
        return []
    out = []
    for kind, pattern in _DETAILS:
        for m in pattern.finditer(text):
            sentence = _sentence(text, m.start(), m.end())
            if _FIRST_PERSON.search(sentence) and kind in (
                "someone's medical condition",
                "daily movements",
                "a workplace",
                "a child's school",
            ):
                continue  # the writer's own life
            if _NOT_A_NAME.match(m.group()) or _PUBLIC_NEWS.search(sentence):
                continue  # "The Town Hall", "The Hanukkah lighting"; a public figure's news
            out.append((m.start(), m.end(), kind))
            break
    out.extend(_routines(text))
    return out


def _routines(text: str) -> list[Found]:
    """Where and when a named or described person can be found, day after day."""
    for m in _ROUTINE_TIME.finditer(text):
        sentence = _sentence(text, m.start(), m.end())
        if (
            _ROUTINE_MOVE.search(sentence)
            and _PERSON_HINT.search(sentence)
            and not _FIRST_PERSON.search(sentence)
        ):
            left = text.find(sentence)
            return [(left, left + len(sentence), "daily movements")]
    return []

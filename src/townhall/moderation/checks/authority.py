"""Speaking as someone readers would trust, and asking them for their secrets.

Part of the impersonation guideline. A comment is held when it is dressed as a
notice ("[Official]", "MOD NOTE:", "HMRC official notice:"), when it claims to
be the article's author, a journalist, a moderator, an official body or a
named person ("This is Martin Lewis here"), or when it asks readers for
passwords, card or bank details. Saying what one is ("I'm a paramedic", "as a
teacher") or mentioning a body ("the Bank of England was asleep at the wheel")
is not a claim to speak for it.
"""

from __future__ import annotations

from townhall.moderation.regex import any_of, linear

Found = tuple[int, int, str]

# Bodies whose word readers would take on trust.
_BODY = (
    r"(?:hmrc|dwp|dvla|nhs(?: england| scotland| wales)?|home office|cabinet office|"
    r"department (?:for|of) [a-z ]{3,40}?|ministry of [a-z ]{3,30}?|"
    r"(?:[a-z]+ )?police(?: scotland| service)?|metropolitan police|met police|scotland yard|"
    r"national crime agency|action fraud|electoral commission|electoral office|"
    r"bank of england|european central bank|federal reserve|central bank|the treasury|"
    r"irs|fbi|cia|ato|australian taxation office|revenue commissioners|revenue|garda(?:i)?|"
    r"buckingham palace|downing street|number 10|no\.? ?10|the white house|ofcom|ofgem|ofwat|"
    r"the publisher|the editor|the editors|editorial team|the newsroom|site team|"
    r"customer team|comments team|moderation team|community team|moderators?|mods?|admins?|"
    r"site admin|staff|support team|the (?:paper|site|newspaper)|publishers?|newsroom|editorial|"
    # Services and companies whose notices people are used to obeying.
    r"royal mail|parcelforce|post office|dpd|evri|hermes|dhl|ups|fedex|amazon|paypal|apple|"
    r"microsoft|google|facebook|meta|instagram|whatsapp|netflix|tv licensing|tv licence|"
    r"(?:hm )?passport office|hm treasury|hmcts|dvsa|companies house|student finance|"
    r"pension service|border force|ukvi|the fca|financial conduct authority|the ecb|the fed|"
    r"barclays|hsbc|lloyds|natwest|santander|nationwide|halifax|monzo|starling|revolut|"
    r"centrelink|medicare|mygov|aec|australian electoral commission|elections canada|ssa|"
    r"social security administration|dmv|met office|(?:city|county|borough|district|town|"
    r"parish|[a-z]+shire) council)"
)
_NOTICE_WORD = (
    r"(?:notice|official(?: notice| statement)?|statement|update|announcement|alert|warning|"
    r"note|message|reminder|team|cyber (?:unit|division|team)|fraud (?:unit|team))"
)
_DRESSED = linear(
    # "[Official]", "[Verified Staff]", "(MOD)" at the start of a line
    r"(?im)^[ \t]*[\[(][ \t]*(?:official|verified|staff|mod|mods|moderator|admin|editor|"
    r"comments team|moderation team|site team|customer team|verified staff|"
    rf"{_BODY})[ \t\w]{{0,20}}[\])]"
    # "MOD NOTE:", "EDITOR'S NOTE:", "HMRC OFFICIAL:", "Police Scotland Cyber Unit:"
    rf"|(?im)^[ \t]*(?:official[ \t:]+)?{_BODY}(?:'s)?(?:[ \t]+[a-z]+){{0,4}}?[ \t]*"
    rf"(?:{_NOTICE_WORD})?[ \t]*:"
    r"|(?im)^[ \t]*(?:official|editor'?s note|mod note|moderator note|admin note|"
    r"message from (?:the )?(?:editor|editors|moderators?|publisher|site team))\b[^\n]{0,3}"
    rf"|(?im)^[ \t]*(?:message|statement|notice|update|announcement) from {_BODY}\b"
)
_CLAIM = linear(
    # "I'm the author of this article", "as the writer of this piece", "I'm the reporter"
    r"(?i)\b(?:i'?m|i am|im|as|this is|it's|it is)(?: one of)? (?:the|your|a|an)? ?"
    r"(?:author|writer|reporter|journalist|photographer|editor|columnist|moderator|mod|admin|"
    r"detective|officer|inspector|constable|spokes(?:person|man|woman))s?"
    r"(?: (?:of|on|for|with|who (?:wrote|took|covered)|from|at|here)"
    r"(?: (?:this|the|that))? ?(?:article|piece|story|picture|photo|site|paper|case|"
    r"[a-z]+ police|greater [a-z]+ police|metropolitan police|police|comments?|here))"
    # "I am a site moderator", "I'm one of the moderators on this site"
    r"|\b(?:i'?m|i am|im)(?: one of)? (?:the |a )?(?:site |comments? |community )?"
    r"moderators?\b"
    # "On behalf of the publisher", "authorised me to inform readers"
    rf"|\bon behalf of {_BODY}\b|\b{_BODY} (?:has|have) (?:authorised|authorized|"
    r"asked|instructed) me\b"
    # "Hi, I'm Sarah, the journalist who wrote this piece"
    r"|\b(?:i'?m|i am) [a-z]+, (?:the|your) (?:journalist|reporter|author|writer|editor|"
    r"moderator)\b"
    r"|\bofficial account of\b"
    # "Author here.", "Moderator here:" at the start of a sentence
    r"|(?:^|[.!?]\s+)(?:author|writer|reporter|journalist|editor|moderator|mod|admin) here\b"
)
# "This is Martin Lewis here", "Hi everyone, it's Gary Lineker", "Laura Kuenssberg here."
_NAMED = linear(
    r"(?:^|[.!?,]\s*|\b(?i:hi|hello)\W+(?:\w+\W+)?)(?i:this is|it'?s|i'?m|i am) "
    r"[A-Z][a-z]+ [A-Z][a-z]+(?: here\b| and\b|[.,!])"
    r"|(?:^|[.!?,]\s*)[A-Z][a-z]+ [A-Z][a-z]+ here[.!,]"
)
_SECRETS = (
    r"(?:password|passcode|pin(?: number)?|login(?: details)?|log-?in details|username and "
    r"password|online banking(?: login| details)?|card details|card number|long card number|"
    r"last (?:4|four) digits|cvv|cvc|security code|expiry(?: date)?|bank details|"
    r"account details|account number|sort code|iban|national insurance number|ni number|"
    r"pps number|tfn|utr|date of birth|mother'?s maiden name|bank statements?|"
    r"full name,? (?:and )?address|screenshot of your account|verification code|one-time code|"
    r"social security number|ssn|medicare number|tax file number|passport number|"
    r"(?:photo|copy) of (?:your |their )?(?:passport|driving licen[cs]e|id)|selfie|photo id|"
    r"mygov details|log-?in details|myGov)"
)
_ASKS = linear(
    r"(?i)\b(?:send|reply with|email|e-mail|dm|message|enter|provide|confirm|give me|share|"
    r"verify|post|type|tell me|update)\b[^.!?\n]{0,60}?\b(?:your |their |the )?"
    rf"{_SECRETS}"
    rf"|\b{_SECRETS}\b[^.!?\n]{{0,30}}\b(?:to (?:keep|confirm|verify|receive|claim|avoid)|"
    r"in the replies|below|by replying)"
)
_WARNS = linear(r"(?i)\b(?:never|don'?t|do not|won'?t|will never|nobody should)\b[^.!?\n]{0,40}$")


_ANY = any_of([_DRESSED.pattern, _CLAIM.pattern, _NAMED.pattern, _ASKS.pattern])
_NAMED_BODY = linear(rf"(?i)^[ \t\[(]*(?:official[ \t:]+)?{_BODY}", longest=True)
# Words a heading never has but a sentence does.
_PROSE = linear(r"(?i)\b(?:and|are|is|was|were|should|have|has|had|do|does|did|on|in|but)\b")


def authority_claim(text: str) -> Found | None:
    """A notice dressed as official, or a claim to be staff, the author, a body or a person."""
    if not _ANY.search(text):
        return None
    for m in _DRESSED.finditer(text):
        named = _NAMED_BODY.match(m.group())
        if _PROSE.search(m.group()[named.end() if named else 0 :]):
            continue  # "On council and bridge:", "Police are useless:" start a sentence
        return m.start(), m.end(), "a notice dressed as official"
    m = _CLAIM.search(text) or _NAMED.search(text)
    if m:
        lead = len(m.group()) - len(m.group().lstrip(" .!?,"))
        return m.start() + lead, m.end(), "a claim to be someone readers trust"
    return None


def asks_for_secrets(text: str) -> Found | None:
    """A request for passwords, card, bank or identity details (not a warning against it)."""
    if not _ANY.search(text):
        return None
    for m in _ASKS.finditer(text):
        if _WARNS.search(text, max(0, m.start() - 45), m.start() + 1):
            continue
        return m.start(), m.end(), "a request for passwords or account details"
    return None

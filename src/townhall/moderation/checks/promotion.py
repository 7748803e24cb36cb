"""Spam that one link is enough for: promotion with commercial intent, and the spam model.

A comment is promotion when it offers a way to reach the seller (a link or bare
domain that is not a reputable source, a messaging app or handle, "DM me", "link
in bio", a phone number) together with commercial intent: pharmacy, betting,
crypto and forex "signals", earning from home, dating, prizes, pirate streams,
miracle products, "subscribe to my channel". Text-only scams (advance-fee
letters, "reply YES") need no link, only more intent. A link to a court
judgment or the ONS with no sales talk stays published, and so does "@Dave".
"""

from __future__ import annotations

from functools import lru_cache

from townhall.moderation.checks.personal_details import phone_shapes
from townhall.moderation.checks.spam import is_allowed_host, link_spans
from townhall.moderation.checks.toxicity import model_features, model_words, passage
from townhall.moderation.classifier import load_model
from townhall.moderation.findings import Finding, Submission
from townhall.moderation.regex import linear
from townhall.moderation.text import fold, origin_span

MIN_WORDS = 5  # the spam model does not judge shorter texts
# Ways to reach a seller, other than a link.
_CHANNEL = linear(
    r"\b(?:whatsapp|telegram|t\.me|signal me|dm me|dm us|pm me|inbox me|message me|"
    r"messaging me|text \w+ to|reply (?:yes|info|stop)|link in (?:my )?bio|in my bio|"
    r"on instagram|on insta|on snapchat|on tiktok|my profile|contact me|email me|"
    r"check out my|visit my|my (?:youtube )?channel|my blog|my page|my site|my website|"
    r"send me a dm|drop me a (?:dm|message)|ask me how|call now|order now|sign up at|"
    r"signup at|visit www|go to www|click (?:here|the link|now)|"
    r"(?:call|ring|text|whatsapp) (?:now |us |today |free )?(?:on )?\+?\d+)\b"
)
# Commercial intent; strong terms count twice.
_STRONG = linear(
    r"\b(?:viagra|cialis|xanax|valium|tramadol|no prescription|without (?:a )?prescription|"
    r"no script|casino|free spins|slots|deposit bonus|betting tips|tipster|crypto signals|"
    r"signals group|forex|trading bot|iptv|replica|hot singles|singles in your area|sugar baby|"
    r"sugar daddy|exclusive content|work(?:ing)? from home|from (?:my|your|her|his) (?:sofa|phone)|"
    r"(?:earn|earns|earned|earning|made|make|makes) (?:£|\$|€)?\d[\d,.]*k? (?:a|per|last|this) "
    r"(?:day|week|month)|guaranteed (?:returns|approval|winners|profit)|\d+% (?:monthly|weekly|"
    r"daily) returns|double your|doubling all|send \d[\d.]* ?btc|giveaway|cbd|gummies|"
    r"weight loss|(?:a|per) (?:day|week|month) from home|herbal|pills|100% natural|"
    r"like and subscribe|would love some views|"
    r"lose \d+ ?(?:kg|lbs|stone|pounds)|miracle|doctors hate|one (?:simple|weird) "
    r"(?:trick|tea)|followers|5-star (?:google )?reviews|essay|dissertation|plagiarism|"
    r"bad credit|no credit check|guaranteed approval|clear your debts|payday loan|"
    r"you(?:'ve| have) (?:been selected|won)|claim (?:now|your)|congratulations|"
    r"no deposit|promo code|referral code|watch every|all sport|box office|no buffering|"
    r"full hd|\d+ channels|investment manager|trading app|ai trading|transfer of|late client|"
    r"next of kin|beneficiary)\b"
)
_WEAK = linear(
    r"\b(?:free|cheap|cheapest|buy|order|discount|\d+% off|off today|today only|bonus|"
    r"subscribe|channel|blog|limited|spots (?:left|available)|guaranteed|prize|winners?|won|"
    r"voucher|gift cards?|profit|returns|income|earn|invest|investment|trading|bitcoin|btc|"
    r"crypto|bet|betting|odds|deals?|sale|shipping|delivery|discreet|instant|join|verified "
    r"profiles|dating|stream|streams|vpn|insurance quotes|expires|before midnight|hurry|"
    r"dm|whatsapp|telegram|link|views|check it out|order|performance|for sale|deposit|"
    r"secures? yours|ready now|in stock|only £\d+|from £\d+|per month|qualify|eligible|"
    r"eligibility|grant|apply (?:now|today)|free quote|book now|reserve yours|shop now|"
    r"promo|coupon|cashback|compensation|mis-?sold|ppi|loans?|mortgage|remortgage|solar|"
    r"heat pumps?|boilers?|insulation|double glazing|puppies|kittens|tickets|followers|"
    r"likes|subscribers|lonely|singles?|mums|milfs|near you|in your area|tonight|no strings|"
    r"signup|sign up|survey|ipad|iphone|token|tokens|to the moon|100x|presale|airdrop|"
    r"psychic|reading|readings|tarot|horoscope|spells?|new posts|my book|signed copy|"
    r"first reading free|gold|million)\b"
)


@lru_cache(maxsize=256)
def _intent(folded: str) -> tuple[int, tuple[int, int] | None]:
    """Commercial-intent points of a folded text and where the first strong term is."""
    strong = list(_STRONG.finditer(folded))
    weak = {m.group() for m in _WEAK.finditer(folded)}
    first = strong[0].span() if strong else None
    return 2 * len({m.group() for m in strong}) + len(weak), first


def _channel(sub: Submission, folded: str) -> tuple[int, int] | None:
    """Where the first way to reach the seller is (a span of the body), if any."""
    allow = sub.rules.link_allowlist
    for host, span in link_spans(sub.body):
        if not is_allowed_host(host, allow):
            return span
    m = _CHANNEL.search(folded)
    if m:
        return origin_span(sub.body, *m.span())
    if any(c.isdigit() for c in sub.body):
        phones = phone_shapes(sub.body)
        if phones:
            return phones[0][:2]
    return None


# Helplines and advice services: their numbers and texts are offered, not sold.
_HELPLINE = linear(
    r"\b(?:helpline|adviceline|advice line|samaritans|shout|childline|charity|confidential|"
    r"citizens advice|crimestoppers|council|ombudsman|nhs|support line|free and confidential)\b"
)


def _is_help(folded: str, strong: tuple[int, int] | None) -> bool:
    return strong is None and bool(_HELPLINE.search(folded))


def promotion(sub: Submission) -> Finding | None:
    """Hold promotion: a way to reach a seller with commercial intent, or a text-only scam."""
    if sub.author_is_staff:
        return None
    folded = fold(sub.body)
    points, strong = _intent(folded)
    if points < 2 or _is_help(folded, strong):
        return None
    channel = _channel(sub, folded)
    if channel is not None:
        return Finding.hold(
            "spam", "promotion: a link or contact with sales talk", span=channel, kind="promotion"
        )
    if points >= 5 or (strong and points >= 4):
        span = origin_span(sub.body, *strong) if strong else None
        return Finding.hold("spam", "sales talk or a scam", span=span, kind="promotion")
    return None


def spam_model(sub: Submission) -> Finding | None:
    """Hold what the spam head of the model scores above the site's threshold."""
    rules = sub.rules
    if rules.spam_hold >= 1.0 or sub.author_is_staff:
        return None
    words = list(model_words(sub.body))
    if len(words) < MIN_WORDS:
        return None
    # The model learned SMS and video spam, where any link or number is suspect; on
    # a news site it also needs some sales talk or a way to reach a seller.
    folded = fold(sub.body)
    points, strong = _intent(folded)
    if (points < 2 and not (points and _CHANNEL.search(folded))) or _is_help(folded, strong):
        return None
    model = load_model()
    score = model.spam.probability(list(model_features(sub.body)))
    if score < rules.spam_hold:
        return None
    span = passage(sub.body, words, model.spam.strongest(words))
    return Finding.hold("spam", f"spam score {score:.2f}", score, span=span, kind="promotion")

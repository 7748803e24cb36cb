"""Incitement and veiled threats (part of the abuse guideline), beyond ``threats.py``.

``threats.py`` finds violence spelled out ("I'll kill him"). These patterns find
what a threat sounds like when it is careful: a visit to someone's home or
workplace ("we know where you live", "pay him a visit", "see you soon"), a call
to gather against a group or a place of worship with weapons or fire ("bring
bats Saturday", "torch the hotel"), a hint at harm ("be a shame if anything
happened to them"), and wishes that someone be hurt ("I hope she gets hit by a
lorry"). Reporting a riot, condemning a threat or calling 999 is not incitement,
so each pattern needs the writer's own voice: a negation or a report before the
match ("police said", "nobody should") lets it pass.
"""

from __future__ import annotations

from townhall.moderation.findings import Finding, Submission
from townhall.moderation.regex import any_of, linear
from townhall.moderation.text import fold, origin_span

_HARM = (
    r"(?:stabbed|shot|killed|murdered|raped|hit by (?:a|the) [a-z ]{1,20}|run over|flattened|"
    r"beaten(?: up)?|battered|knifed|lynched|hanged|hung|strung up|burned|burnt|torched|"
    r"cancer|aids|a disease|sick|dies|die|dead|drowns?|drowned|crushed|blown up|"
    r"goes down|go down|crashes|crash|what'?s coming|what (?:he|she|they) deserves?|"
    r"kneecapped|a kicking|a beating|a slap|smacked|glassed|bottled|jumped|done in)"
)
_TARGETS = (
    r"(?:him|her|them|you|he|she|they|that|this|the|every|those|these|each|all|his|their|"
    r"[a-z]+'s)"
)
_PATTERNS = (
    # A visit: "pay him a visit", "pop round and sort you out", "turn up at his house"
    (
        "a threat",
        r"\b(?:pay|paid|paying) (?:him|her|them|you|the \w+|that \w+) a (?:little )?visit\b"
        r"|\b(?:pop|go|going|come|coming|get|drop) (?:round|over|down) (?:to )?(?:his|her|their|"
        r"your|the \w+'?s?) (?:house|home|place|office|work|door)"
        r"|\b(?:pop|come|go) round and\b"
        r"|\b(?:turn|show|turning|showing) up (?:at|on) (?:his|her|their|your) (?:house|home|"
        r"doorstep|door|office|work|surgery|school)"
        r"|\bshow up on (?:his|her|their|your) doorstep\b"
        r"|\b(?:we|i|people|they|everyone|somebody|someone)(?: all)? (?:know|knows) where "
        r"(?:you|he|she|they|the \w+|judge \w+) (?:live|lives|drink|drinks|work|works|park|"
        r"parks|go|goes|sleep|sleeps)"
        r"|\b(?:know|got|found) (?:which|what) (?:street|road|house|school|pub) (?:you|he|she|"
        r"they)(?:'re| are| is)?"
        r"|\bi know your face\b|\bsee you soon\b|\bwatch your back\b|\bsleep with one eye open\b"
        r"|\b(?:we'?ve|i'?ve) got your (?:photo|name|address|car reg|number|details)"
        r"|\benjoy your (?:drive|walk|trip) home\b"
        r"|\b(?:shame|pity) if (?:anything|something) (?:happened|happens|were to happen)\b"
        r"|\bwould be (?:awful|terrible|a shame) if (?:someone|somebody|anything|something)\b"
        r"|\byou'?ll find out what happens\b|\byou won'?t be (?:talking|laughing|posting) for long"
        r"|\bleave (?:it|there|the \w+) in an ambulance\b|\beating through a straw\b"
        r"|\b(?:a )?broken (?:jaw|nose|legs?|arms?)\b|\blearn the hard way\b"
        r"|\bteach (?:him|her|them|you|the \w+) a lesson\b|\blast warning\b"
        r"|\bsort (?:him|her|them|you|'?em) out\b|\bneeds? sorting(?: out)?\b"
        r"|\b(?:have|having) a (?:quiet )?word\b\W{0,2} with\b"
        r"|\bkneecap(?:ping|ped)?\b|\bplenty of us will be (?:there|waiting)\b"
        r"|\bbrick through (?:your|his|her|their) window\b|\bput your foot down\b"
        r"|\brun (?:them|him|her|'?em) (?:over|down)\b"
        r"|\byour days are numbered\b|\baccidents happen\b|\bwe'?re coming for (?:you|him|her)\b"
        r"|\b(?:you|he|she|they)(?:'ll| will) (?:regret (?:this|it|that|writing|saying|posting)|"
        r"pay for (?:this|that|it))\b|\b(?:i'?d|i would) watch (?:my|your) back\b"
        r"|\bknow where (?:your|his|her) (?:kids|children|wife|husband|family|mum)\b"
        r"|\b(?:someone|somebody|we) (?:should|needs? to|ought to|will) "
        r"(?:sort (?:him|her|them) out|deal with (?:him|her|them)|"
        r"shut (?:him|her|them) up for good|silence (?:him|her|them))",
    ),
    # Gathering with weapons or fire: "bring bats Saturday", "balaclavas on", "torch them"
    (
        "a call to action against people",
        r"\bbring (?:bats|petrol|bottles|bricks|weapons|knives|blades|something heavy|"
        r"whatever you'?ve got|your mates|mates and bring|matches|lighters|fireworks)\b"
        r"|\bballaclavas? on\b|\bbalaclavas? on\b|\bwindows first\b"
        r"|\b(?:torch|burn|firebomb|petrol bomb|lob a petrol bomb (?:through|at)|smash up) "
        r"(?:the|that|this|their|every|them|it)\b"
        r"|\bburn (?:it|the \w+|them) down\b|\bpetrol bomb\b"
        r"|\b(?:everyone|every one|all of you|lads|right lads|people|patriots|we)(?: need to)? "
        r"(?:meet|get down|go down|head down|turn out|show up|be) (?:at|to) the [a-z ]{0,20}"
        r"(?:mosque|synagogue|church|temple|gurdwara|hotel|camp|café|cafe|shop|centre|site|"
        r"office|school|barge)"
        r"|\beveryone (?:to|get down to) [a-z ]{2,30}(?:saturday|sunday|tonight|tomorrow|friday)"
        r"|\bbig turnout needed\b|\btake the fight to them\b|\bby force\b"
        r"|\bshould (?:show|turn) up (?:at|to) the\b[^.!?\n]{0,40}\b(?:armed|bats|weapons)"
        r"|\beveryone who'?s armed\b|\btime to (?:show|remind) them\b"
        r"|\b(?:do|doing) what the (?:government|police|council) won'?t\b"
        r"|\blet'?s (?:make sure it never|see how (?:he|she|they) likes?)\b"
        r"|\b(?:give|giving) them a proper welcome\b|\bnot welcome here anymore\b"
        r"|\bshoot (?:the lot of them|them all|'?em)\b|\bstring (?:the lot of them|them all) up\b"
        r"|\bshould be the first (?:ones? )?(?:hanging|hanged|shot|up against the wall)\b"
        r"|\b(?:dragged|drag him|drag her|drag them) out\b[^.!?\n]{0,30}\b(?:hanged|shot|beaten)",
    ),
    # Wishes: "I hope the PM's plane goes down", "wouldn't shed a tear if they drowned"
    (
        "a threat",
        rf"\b(?:i|i really|i genuinely|i just|we) (?:hope|pray|wish)(?: that)? {_TARGETS}\b"
        rf"[^.!?\n]{{0,50}}\b(?:(?:gets?|get|is|are|was|were) (?:\w+ ){{0,2}})?{_HARM}\b"
        r"|\b(?:wouldn'?t|would not|won'?t) (?:shed a tear|lose sleep|mind|cry) if\b[^.!?\n]{0,60}"
        r"\b(?:died|drowned|was killed|were killed|got shot|burned|burnt|was shot|were shot|sank)"
        r"|\bif (?:one|they|he|she) died every day\b|\bdeserves? to be dragged\b"
        r"|\bhope it'?s slow\b|\bdies slowly\b",
    ),
)
_COMPILED = tuple((kind, linear(pattern)) for kind, pattern in _PATTERNS)
_ANY = any_of([pattern for _, pattern in _PATTERNS])
# Just before a match, these make it a report or a rejection, not the writer's call.
_NOT_OWN = linear(
    r"(?:\bnot|n't|\bnever|\bno one|\bnobody|\bpolice said|\bwas told|\bwere told|"
    r"\bshouted|\bsaid that|\bposted that|\bthreatened to|\bcharged|\bconvicted|\bjailed|"
    r"\bsentenced|\bfor saying|\bcalling for|\bcalled for)\W*(?:\w+\W+){0,5}$"
)


def _quoted(folded: str, start: int) -> bool:
    """Inside double quotes: a threat reported or condemned, not made."""
    before = folded[:start]
    return (before.count('"') + before.count("“") + before.count("”")) % 2 == 1


def incitement_in(folded: str) -> tuple[int, int, str] | None:
    """The first veiled threat or call to action in folded text, else None."""
    if not _ANY.search(folded):
        return None
    for kind, pattern in _COMPILED:
        for m in pattern.finditer(folded):
            before = folded[max(0, m.start() - 50) : m.start()]
            for stop in ".!?":
                before = before.rsplit(stop, 1)[-1]
            if _NOT_OWN.search(before) or _quoted(folded, m.start()):
                continue
            return m.start(), m.end(), kind
    return None


def incitement(sub: Submission) -> Finding | None:
    """Hold veiled threats, calls to go after people or places, and wishes of harm."""
    found = incitement_in(fold(sub.body))
    if found is None:
        return None
    start, end, kind = found
    return Finding.hold(
        "abuse",
        f"{kind.removeprefix('a ')}: incitement or a veiled threat",
        span=origin_span(sub.body, start, end),
        kind=kind,
    )

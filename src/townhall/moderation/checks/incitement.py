"""Incitement and veiled threats (part of the abuse guideline), beyond ``threats.py``.

``threats.py`` finds violence spelled out ("I'll kill him"). These patterns find
what a threat sounds like when it is careful: a visit to someone's home or
workplace ("we know where you live", "pay him a visit", "see you soon"), a call
to gather against a group or a place of worship with weapons or fire ("bring
bats Saturday", "torch the hotel"), a hint at harm ("be a shame if anything
happened to them"), and wishes that someone be hurt ("I hope she gets hit by a
lorry"). Beyond set phrases it knows shapes: a hint at where someone can be
reached (a route home, a door with no lock) followed by a sign-off that makes it
one ("just so people know", "you know what to do"); harm wished in any words;
damage to a place or a car; pile-ons ("find out where he lives", "flood her
inbox") and taking the law into one's own hands. Reporting a riot, condemning a
threat, a peaceful protest or calling 999 is not incitement,
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
_PATTERNS: tuple[tuple[str, str], ...] = (
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
# Harm, in the forms a wish or a "wouldn't mind if" takes.
_HARM_SOON = (
    r"(?:(?:gets?|get|is|are|was|were|be|being) (?:\w+ ){0,2}(?:killed|shot|stabbed|hurt|"
    r"battered|beaten(?: up)?|kicked in|jumped|glassed|run over|hit by|knocked down|torched|"
    r"burned|burnt|lynched|hanged|strung up|done in|what'?s coming|a kicking|a beating|"
    r"acid|bottled)|dies|die|drowns?|drowned|crash(?:es)?|burns?|rots? in hell|chokes? to death|"
    r"suffers? (?:slowly|for (?:weeks|months|years))|sinks?|"
    r"bleeds? out|ends? up (?:dead|like|in (?:a|the) (?:river|ditch|morgue|hospital|box))|"
    r"goes? (?:off the road|into the (?:river|sea|canal)|under a (?:bus|train|lorry))|"
    r"(?:the|a) cancer takes|cancer|a (?:bullet|kicking|beating|slap)|off a (?:cliff|bridge)|"
    r"in the car when|on a dark night|catch(?:es)? (?:him|her|them) (?:on|in|alone))"
)
_ANY_HARM = (
    r"(?:died|dies|drowned|killed|shot|stabbed|kicking|beating|battered|torched|burned|burnt|"
    r"fire|bomb|bombed|dropped|crashed|attacked|hurt|smashed|brick|jumped|glassed|hit|drone|"
    r"acid|run over|beaten|lynched|hanged|strung up|sank|sunk|overturned|capsized)"
)
# Violence against a place or a thing someone owns: "burn down the office", "slash their tyres".
_WRECK = (
    r"(?:burn(?:ed|t|ing)?|torch(?:ed|ing)?|firebomb(?:ed)?|petrol[- ]bomb(?:ed)?|"
    r"smash(?:ed)?|blow(?:n)? up|bomb(?:ed)?|raze[ds]?|trash(?:ed)?|wreck(?:ed)?|storm(?:ed)?)"
)
_CLOSERS = (
    # Said after a hint, these make it one: "you know what to do", "we'll handle the rest".
    r"you (?:all )?know what (?:to do|needs doing|has to be done)|act accordingly|"
    r"we'?ll (?:handle|do|take care of) the rest|(?:he|she|they)'?s? been warned|"
    r"(?:have|has) been warned|you'?ve been warned|consider (?:this|yourself) warned|"
    r"don'?t say you weren'?t warned|tick,? tock|long memories|remember every (?:name|face)|"
    r"when the time comes|(?:your|his|her|their) (?:time|turn|day) will come|"
    r"in one piece|or (?:her|his|their) teeth|over my dead body\W+or theirs|"
    r"(?:had|'d) better (?:keep|watch|be careful|look|start looking)|"
    r"(?:wants?|needs?) to be careful (?:leaving|going|walking|when|where)|"
    r"looking over (?:his|her|their|your) shoulders?|"
    r"(?:need|needs) reminding (?:that )?(?:they|he|she)(?:'ve| have|'s| has) got (?:families|"
    r"a family|kids|children)|(?:got|have) (?:families|kids|children) too|"
    r"(?:might|could|will) be shorter than (?:you|he|she|they) think|"
    r"funny how things come round|legitimate target|"
    r"arm yourselves|take back (?:our|the) streets|put the word out|masks on|phones off|"
    r"balaclavas (?:optional|on)|no lawyers|no appeals|old[- ]fashioned justice|"
    r"(?:a|the) crowd let loose|deal(?:t|ing)? with in the street|one by one"
)
_WEAK_CLOSERS = (
    r"just saying|just putting it out there|just so (?:people|everyone|you all|you) know|"
    r"just a thought|make of that what you will|just a suggestion|i'?d suggest|"
    r"(?:a|the) welcome party|won'?t be polite|we won'?t stop|nothing left of it|"
    r"if the (?:courts|police|law) won'?t|whatever it takes|sort it out once and for all|"
    r"same goes for|who'?s with me|who'?s in"
)
# Who or where a hint points at, and what makes them easy to reach.
_TARGET_CUE = linear(
    r"\b(?:mosque|synagogue|gurdwara|temple|church|hotel|hostel|barge|camp|office|house|home|"
    r"embassy|chambers|court|school|primary|nursery|kids|children|family|car|address|lives|"
    r"street|road|judge|mp|councillor|mayor|minister|journalist|reporter|barrister|imam|rabbi|"
    r"editor|presenter|they|them|him|her|bat|bats|petrol|fire|burns?|brick|rope|tree|visit|"
    r"security|unlocked|locked|fire exit|alone|every (?:night|morning|day|week)|walks? home|"
    r"the same way|leaving|on (?:his|her|their) own|lamp ?post|dinghy|dinghies|boats)\b"
)
_MORE = (
    (
        "a threat",
        rf"\b(?:i |we )?(?:really |honestly |just |genuinely )?(?:hope|hoping|pray|praying)"
        rf"(?: that)?\b[^.!?\n]{{0,60}}\b{_HARM_SOON}"
        r"|\b(?:wouldn'?t|would not|won'?t|will not) (?:mind|shed a tear|lose (?:any )?sleep|cry|"
        r"complain|be (?:sad|upset|sorry)|care)(?: at all| one bit)? if\b[^.!?\n]{0,80}"
        rf"\b{_ANY_HARM}\b"
        r"|\b(?:shame|pity|gutted|such a shame) (?:the|that|he|she|they|it)\b[^.!?\n]{0,30}"
        r"\b(?:didn'?t (?:go off|die|work|finish|kill|hit|explode)|survived|missed|lived)\b"
        r"|\bwould(?:n'?t)? it be a shame if\b|\bwould be a (?:shame|pity) if\b"
        r"|\b(?:i'?d|i would|happy to|happily) (?:chip in|pay|club together|donate)\b"
        r"[^.!?\n]{0,30}\b(?:someone|somebody|anyone|a man) to\b"
        r"|\bten minutes (?:alone )?with (?:him|her|them)\b|\b(?:happily|gladly) do (?:the )?time\b"
        r"|\b(?:shame|pity|tragedy) if (?:he|she|they|someone|somebody|anyone|some)\b"
        r"|\bwould be a (?:real )?(?:tragedy|shame|pity) if\b"
        r"|\bmake sure (?:he|she|they) (?:doesn'?t|don'?t|never|can'?t) (?:get|make it|walk)"
        r" (?:back|home)\b"
        r"|\b(?:pay(?: good money)?|love|like|want|wanna|can'?t wait) to (?:watch|see)\b"
        r"[^.!?\n]{0,40}\b(?:get|getting|be|being) (?:\w+ )?(?:beaten|battered|kicked|stabbed|"
        r"shot|hurt|killed|lynched|hanged|attacked|punched|slapped|glassed)\b"
        r"|\bbreak (?:his|her|their|your) (?:legs|neck|arms|jaw|nose|fingers|knees)\b"
        r"|\b(?:walks?|cycles?|drives?|jogs?|goes) home (?:alone|on (?:his|her|their) own|"
        r"the same way)\b|\b(?:no|without any|zero) security\b|\bnever locked\b"
        r"|\bfire exit\b[^.!?\n]{0,40}\b(?:never locked|unlocked|left open|always open)\b"
        r"|\b(?:i'?ll|i will|we'?ll|we will) (?:put|throw|knock|kick|drag|deck|lamp|floor|batter|"
        r"chin|glass|bottle|break)\b[^.!?\n]{0,10}\b(?:him|her|them|you|his|her|their|your)"
        r"\b[^.!?\n]{0,20}\b(?:through|out|teeth|head|face|legs|jaw|nose|window|in the)\b"
        rf"|\b(?:{_CLOSERS})\b",
    ),
    (
        "a call to action against people",
        rf"\b{_WRECK}(?: down| up)? (?:the|that|this|their|his|her|every|all|those|these|any)\b"
        r"[^.!?\n]{0,40}\b(?:office|house|home|hotel|hostel|mosque|synagogue|church|temple|"
        r"embassy|building|car|van|range rover|shop|centre|camp|barge|studio|hq|headquarters)"
        r"|\b(?:should|must|needs? to|ought to|deserves? to) be (?:burned|burnt|torched|bombed|"
        r"blown up|razed|smashed|firebombed|flattened|stormed)\b"
        r"|\b(?:burned|burnt|razed) to the ground\b"
        r"|\b(?:need|needs|needing) (?:their|his|her) (?:tyres|tires|windows|brake lines) "
        r"(?:slashed|smashed|cut|done)|\bcut (?:the|his|her|their) brake(?: lines)?\b"
        r"|\b(?:throw|chuck|thrown) acid\b|\bacid (?:in|into|at) (?:his|her|their|that) "
        r"|\b(?:drive|drove|driving) (?:a )?(?:van|car|lorry|truck) (?:into|through)\b"
        r"|\b(?:drop(?:ped)?|fly|flew) (?:a )?drone (?:on|into)\b"
        r"|\b(?:shoot|fire) (?:at|on) (?:the |any |every )?(?:next )?(?:dinghy|dinghies|boats?|"
        r"migrants|crowd|protesters|marchers)|\bsink (?:the|their|every) (?:boats|dinghies|dinghy)"
        r"|\bfill the channel with\b|\bmines? in the channel\b"
        r"|\b(?:a bit of |some )?rope and a (?:tall |big |strong )?(?:tree|lamp ?post)"
        r"|\btar,? (?:and )?feathers\b|\ba lamp ?post each\b"
        r"|\b(?:take|taking) them out one by one\b|\bdragged (?:into|through) the streets?\b"
        r"|\b(?:dragging|dragged) out of\b[^.!?\n]{0,40}\b(?:dealing with|dealt with|beaten|"
        r"hanged|shot)|\ba (?:little |quick )?(?:trip|visit) to\b[^.!?\n]{0,30}\bbring "
        r"(?:a |your )?(?:bat|bats|petrol|bricks|knives|blades|something)"
        r"|\bbring (?:a bat|something (?:that burns|heavy|sharp))"
        r"|\b(?:needs|deserves|could do with|wants) a (?:visit|kicking|beating|slap|hiding) from\b"
        r"|\b(?:a brick|bricks) through the window of\b"
        r"|\b(?:a few |some )?(?:jerry ?cans|petrol bombs?|molotovs?|matches) (?:of petrol )?"
        r"(?:and|through|would)\b"
        r"|\b(?:round (?:them|\'em) up|(?:kill|bomb|shoot|gas|nuke|burn|hang|torch) "
        r"(?:the lot of them|them all|the lot|every (?:one|last one) of them))\b"
        r"|\b(?:we|lads|everyone|everybody)\b[^.!?\n]{0,30}\b(?:go|going|march|marching) "
        r"(?:straight )?(?:through|to|down to|into) (?:the|them|their|that)\b[^.!?\n]{0,25}"
        r"\b(?:mosque|synagogue|building|barriers|hotel|office|camp)\b",
    ),
)
# Threats spoken to the person, pile-ons and taking the law into one's own hands.
_HOUNDING = (
    (
        "a threat",
        r"\b(?:i'?ll|we'?ll|i will|we will|they'?ll|someone will) (?:find|get|catch|come for|"
        r"track down|be waiting for|be watching) (?:you|him|her|them)\b(?: (?:eventually|one day|"
        r"soon|outside|after|when|at))"
        r"|\bwatch (?:yourself|your step)\b|\bdon'?t show your face\b"
        r"|\b(?:you|he|she|they)(?:'ve| have|'s| has)? got it coming\b|\bhad it coming\b"
        r"|\benjoy it while it lasts\b|\bnot long now,? (?:mate|pal|love|sunshine)?"
        r"|\bnice (?:family|house|car|kids) you(?:'ve got| have)\b"
        r"|\bsay that to my face\b|\bmeet me outside\b|\bcome round (?:and|here) say that\b"
        r"|\b(?:gets?|get) what (?:he|she|they|you) deserves?\b[^.!?\n]{0,30}\b(?:soon|one day|"
        r"eventually|hopefully|painfully)"
        r"|\bhope (?:someone|somebody) teaches (?:him|her|them) a lesson\b",
    ),
    (
        "a call to action against people",
        r"\b(?:find out|post|share|publish|leak|dig up) (?:where (?:he|she|they) (?:lives?|works?)|"
        r"(?:his|her|their) (?:address|home address|number|details|workplace))"
        r"|\b(?:flood|bombard|spam|swamp) (?:his|her|their) (?:inbox|phone|page|dms|mentions|"
        r"office|socials)\b"
        r"|\b(?:let'?s|we should|we need to|everyone) make (?:his|her|their) life (?:hell|a misery)"
        r"|\bmake (?:him|her|them) regret\b|\bso (?:he|she|they) can'?t hide\b"
        r"|\b(?:take|taking) (?:matters|the law|justice) into (?:our|their|your) own hands\b"
        r"|\bif the (?:police|courts|law|government) won'?t(?: \w+){0,2},? (?:we|the people|"
        r"someone) (?:will|should)"
        r"|\bjustice at the end of a rope\b|\bstring (?:'?em|them|him|her) up\b"
        r"|\b(?:smash|put through|brick) (?:his|her|their) (?:windows?|windscreen)\b"
        r"|\bkey (?:his|her|their) car\b|\bslash (?:his|her|their) (?:tyres|tires)\b",
    ),
)
_PATTERNS = _PATTERNS + _MORE + _HOUNDING
_COMPILED = tuple((kind, linear(pattern)) for kind, pattern in _PATTERNS)
_WEAK = linear(rf"\b(?:{_WEAK_CLOSERS})\b")
_ANY = any_of([pattern for _, pattern in _PATTERNS])
# Just before a match, these make it a report or a rejection, not the writer's call.
_NOT_OWN = linear(
    r"(?:\bnot|n't|\bnever|\bno one|\bnobody|\bpolice said|\bwas told|\bwere told|"
    r"\bshouted|\bsaid that|\bposted that|\bthreatened to|\bcharged|\bconvicted|\bjailed|"
    r"\bsentenced|\bfor saying|\bcalling for|\bcalled for)\W*(?:\w+\W+){0,5}$"
)


_HOPED_AWAY = linear(
    r"^(?:i |we )?\w*\s*(?:hope|hoping|pray|praying)\b.*\b(?:nobody|no one|not|n't|never)\b"
)


_OFFICIAL_HOME = linear(
    r"\b(?:number|no\.?) ?1[01]\b|\bdowning street\b|\bbuckingham palace\b|\bthe white house\b"
)


def _quoted(folded: str, start: int) -> bool:
    """Inside double quotes: a threat reported or condemned, not made."""
    before = folded[:start]
    return (before.count('"') + before.count("“") + before.count("”")) % 2 == 1


def incitement_in(folded: str) -> tuple[int, int, str] | None:
    """The first veiled threat or call to action in folded text, else None."""
    weak = _WEAK.search(folded)
    if weak and _TARGET_CUE.search(folded):
        # "Just so people know" is a sign-off; after a place, a person or a weapon it is a hint.
        before = folded[max(0, weak.start() - 50) : weak.start()]
        if not _NOT_OWN.search(before.rsplit(".", 1)[-1]):
            return weak.start(), weak.end(), "a threat"
    if not _ANY.search(folded):
        return None
    for kind, pattern in _COMPILED:
        for m in pattern.finditer(folded):
            before = folded[max(0, m.start() - 50) : m.start()]
            before = before.replace("can't wait", "").replace("cant wait", "")
            for stop in ".!?":
                before = before.rsplit(stop, 1)[-1]
            if _NOT_OWN.search(before) or _quoted(folded, m.start()):
                continue
            if _HOPED_AWAY.search(m.group()):
                continue  # "I hope nobody gets hurt"
            if _OFFICIAL_HOME.search(folded, m.start(), m.end() + 40):
                continue  # "we all know where the Chancellor lives: Number 11"
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

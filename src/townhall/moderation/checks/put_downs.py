"""Put-downs aimed at a person (part of the abuse guideline), beyond ``insults.py``.

Belittling a commenter, the journalist or someone in the story rarely needs a
swear word: "you're a muppet", "you absolute weapon", "a snivelling little
weasel", "thick as two short planks", "get a life". These patterns need the
insult aimed at someone (addressed as "you", or a person said to *be* it);
"this budget is a disgrace" or "the guidelines are a joke" judge a thing and
pass. Belittling by comparison ("the charisma of a damp sock", "couldn't run a
bath") and contempt ("did you even read the article?", "take your meds") need no
insulting word at all.
"""

from __future__ import annotations

from townhall.moderation.findings import Finding, Submission
from townhall.moderation.regex import any_of, linear
from townhall.moderation.text import fold, origin_span

_ADJ = (
    r"(?:thick|thickest|dim|dimmest|stupid|stupidest|dumb|dumbest|useless|talentless|pathetic|"
    r"bitter|lonely|miserable|ugly|fat|smug|greasy|vile|snivelling|sniveling|spineless|"
    r"gormless|sweaty|lying|pompous|self-important|incompetent|brain-dead|braindead|"
    r"mouth-breathing|inbred|senile|clueless|tedious|whining|whiny|spiteful|nasty|jumped-up|"
    r"drug-addled|attention-seeking|scrounging|gobby|cross-eyed|chinless|embarrassing|"
    r"worthless|ignorant|deluded|delusional|moronic|idiotic|brainless|witless|feeble|"
    r"cowardly|racist|bigoted|sad|sorry|pitiful|loathsome|odious|repulsive|revolting|"
    r"disgusting|creepy|sleazy|slimy|gutless|arrogant|deranged|unhinged|hysterical|"
    r"insufferable|obnoxious|dense|simple|dozy|daft|half-witted|dopey|lazy|grubby|"
    r"self-righteous|sanctimonious|two-faced|nepo)"
)
_NOUN = (
    r"(?:idiot|moron|muppet|weapon|knob|clown|troll|loser|fool|hack|nobody|has-been|weasel|"
    r"rat|worm|toad|goblin|lump|cretin|nitwit|halfwit|fossil|hag|cow|tart|scrote|"
    r"keyboard warrior|parasite|leech|creep|slag|bitch|witch|prat|plonker|numpty|pillock|"
    r"wally|twit|dimwit|imbecile|buffoon|bellend|tosser|wazzock|berk|dipstick|melt|"
    r"snowflake|crybaby|gammon|karen|grifter|charlatan|fraud|liar|hypocrite|coward|bully|"
    r"nonce|scumbag|degenerate|excuse for a \w+|waste of (?:space|oxygen|skin)|"
    r"nepo baby|oaf|lout|yob|thug|chav|pleb|nutter|nutjob|lunatic|psycho|crank|saddo|weirdo|"
    r"freak)"
)
# Neutral words for a person: an insult only with an adjective before them.
_PERSON = r"(?:human being|specimen|individual|man|woman|bloke|person|girl|boy|child|lad)"
_INTENS = (
    r"(?:(?:an?|such an?|the|so|absolute|absolutely|complete|total|utter|genuinely|clearly|"
    r"just|really|actual|certified|proper|right|little|old|pathetic little|sad little)\s+)*"
)
_PATTERNS: tuple[str, ...] = (
    # Addressed: "you're a muppet", "you absolute weapon", "you're a thick, racist old fossil"
    rf"\b(?:you|u)(?:'re|’re| are|re| r)?\s+{_INTENS}(?:{_ADJ}[, ]+(?:and\s+)?){{0,4}}"
    rf"(?:{_INTENS})?(?:{_NOUN}|{_ADJ} (?:{_PERSON})|thickest|dimmest|stupidest)\b",
    r"\b(?:you|u)(?:'re|’re| are|re| r)\s+(?:so\s+|such\s+an?\s+|really\s+|genuinely\s+)?"
    r"(?:thick|stupid|dumb|dense|pathetic|ugly|bitter|useless|clueless|deluded|"
    r"not right in the head|embarrassing|a joke|an embarrassment|a disgrace)\b",
    # Said to be one: "is a snivelling little weasel", "is a fat useless lump"
    rf"\b(?:is|'s|’s|was|are)\s+(?:an?|such an?|the|the most|one|an absolute|a total|a complete)"
    rf"\s+(?:{_ADJ}[, ]+(?:and\s+)?){{1,4}}(?:little\s+|old\s+|young\s+)?"
    rf"(?:{_NOUN}|{_PERSON})\b",
    r"\b(?:is|'s|’s|was)\s+(?:an?|the|an absolute|a total|a complete|an actual)\s+"
    r"(?:idiot|moron|muppet|clown|troll|loser|cretin|nitwit|halfwit|imbecile|buffoon|prat|"
    r"plonker|numpty|pillock|tosser|bellend|weasel|rat|toad|goblin|hack|nonce|slag|hag|cow)\b",
    # "the dimmest hack", "this pompous, self-important nitwit", "you talentless hack"
    rf"\b(?:the|this|that|you)\s+(?:{_ADJ}[, ]+(?:and\s+)?){{1,3}}(?:little\s+|old\s+)?"
    r"(?:idiot|moron|muppet|clown|troll|loser|cretin|nitwit|halfwit|imbecile|buffoon|hack|"
    r"weasel|rat|toad|goblin|lump|fossil|hag|cow|scrote|tart|writer|journalist|reporter|"
    r"columnist|man|woman|bloke|specimen|human being|has-been|nobody|worm|fool)\b",
    # Set phrases
    r"\b(?:thick as (?:mince|two short planks|a brick|pig shit|a plank|custard)|"
    r"couldn'?t find (?:his|her|your|their) way out of a paper bag|couldn'?t run a bath|"
    r"get a life(?:[.!?,]|$| and| mate| you)|everyone hates you|"
    r"nobody (?:cares|likes you|asked you)|log off\b|"
    r"dropped on (?:your|his|her) head|face like a (?:slapped arse|smacked arse|bag of|melted)|"
    r"face only a mother could love|with that face|brains? of a|not right in the head|"
    r"crawl back under|go back to your (?:cats|care home|cave|basement|mum'?s)|"
    r"your opinion expired|looks like a melted|smash your face on the keyboard|"
    r"write this with crayons|help tying your shoes|lives in (?:his|her) mum'?s|"
    r"nobody'?s home|shouldn'?t be allowed to run a whelk stall|stacking shelves at|"
    r"what a (?:sad|pathetic|nasty|vile|horrible) (?:little )?(?:man|woman|person|creature)|"
    r"shut up,? (?:grandad|granny|old man|love)|do everyone a favou?r and (?:log off|shut up|"
    r"leave)|until you quit|slept (?:her|his) way|explains a lot)\b",
)
# Belittling by comparison, the commonest insult with no insulting word in it.
_QUALITY = (
    r"(?:charisma|warmth|intellect|political insight|brains?|personality|iq|attention span|"
    r"emotional range|self-awareness|wit|spine|backbone|charm|sense of humour|eloquence|"
    r"bedside manner|people skills|comic timing|moral compass)"
)
_TRIVIAL = (
    r"(?:if it (?:was|were) (?:stapled|nailed|glued|tattooed)|if (?:it|they) (?:bit|hit|slapped) "
    r"(?:him|her|you|them)|if (?:his|her|your|their) life depended on it|with a map|"
    r"in a paper bag|in a brewery|a bath|an egg|a queue|a whelk stall|a raffle|a kettle|"
    r"a piss-up|a tap|a cup of tea|a sandwich|a lemonade stand|a bus stop|their way out)"
)
_COMPARISONS = (
    rf"\b(?:the|all the|half the|none of the) {_QUALITY} of an? \w+"
    r"|\b(?:you|he|she|they|u)(?: clearly| just)? (?:write|type|post|argue|sound|comment)s? like "
    r"(?:an? |someone|somebody|some )"
    r"|\b(?:writes|types|posts|argues|comments) like (?:an? |someone|somebody|some )"
    rf"|\bcould(?:n'?t| not| never) (?:\w+ ){{1,5}}{_TRIVIAL}"
    r"|\bliving proof (?:that|of)\b|\bbless (?:your|his|her) (?:little |cotton )?(?:heart|socks)"
    r"|\bthe grown-?ups are talking\b|\bmonument to mediocrity\b"
    r"|\b(?:prose|human|walking|political) equivalent of\b|\ba walking (?:\w+ )?(?:crisis|"
    r"disaster|cliche|cliché|advert|joke|punchline|cautionary tale|embarrassment)"
    r"|\b(?:back|put) in nappies\b|\bfailed (?:gcse|gcses|o-level|his|her|their) \w+"
    r"|\bnever done a (?:day'?s|proper day'?s|hard day'?s) work\b|\bsack of (?:lard|spuds|potatoes)"
    r"|\bold (?:biddy|bag|crone|windbag|trout|bat|goat|codger|duffer)\b"
    r"|\bwaste of (?:a keyboard|column inches|a column|a byline|a vote|a seat|a salary)\b"
    r"|\bpeak(?:ed|s)? at (?:the )?(?:school|primary|sixth form)\b"
    r"|\b(?:emptier|thicker|dimmer|dumber|slower|denser) than (?:your|his|her|a|an|the)\b"
    r"|\bif brains were\b|\b(?:a )?single (?:original )?thought in (?:your|his|her|their) head"
    r"|\b(?:last|only) (?:original )?thought (?:you|he|she) (?:had|ever had)\b"
    r"|\b(?:i'?ve|i have) (?:met|seen|read|known|had) [\w' ]{1,25} with (?:more|better)\b"
    r"|\bmore coherent [\w' ]{0,25}on the back of\b"
    r"|\b(?:a|any) (?:work[- ]experience kid|toddler|five[- ]year[- ]old|child|chimp|monkey|"
    r"primary school kid|year \d) could (?:have )?(?:do|done|write|written|run|manage)\b"
    r"|\b(?:written|run|edited) by a (?:toddler|child|chimp|monkey|five[- ]year[- ]old)\b"
    r"|\b(?:crayons|colouring book|colouring in)\b"
    r"|\b(?:even )?your (?:spellchecker|mum|mother|own family|dog) (?:is|was|must be) "
    r"(?:embarrassed|ashamed)|\bembarrassed for you\b|\bsit down,? @"
    r"|\bshouting at clouds\b"
)
# Contempt for a person's mind, manners or worth, in the idioms people reach for.
_CONTEMPT = (
    r"\b(?:(?:learn|try learning|bother) to read|(?:did|do) you (?:even|actually) read|"
    r"try reading (?:the|before)|reading comprehension (?:is|isn'?t|was)|"
    r"comprehension (?:is|isn'?t) your|go back to (?:school|primary school)|"
    r"(?:you|he|she) (?:clearly )?(?:has|have) no "
    r"(?:idea|clue) what (?:you'?re|he'?s|she'?s|they'?re) talking about|you know nothing\b|"
    r"are you (?:really|actually|genuinely|always) (?:this|that|so) (?:stupid|dim|dense|thick|"
    r"naive|gullible|dumb|slow)|your ignorance is|(?:you|he|she) should be ashamed of "
    r"(?:yourself|himself|herself)|shame on you|you(?:'re| are) a disgrace|a (?:nasty|vile|"
    r"horrible|nasty little|spiteful) (?:piece of work|human being|person|individual)|"
    r"take your (?:meds|medication|pills)|touch grass|ok,? boomer|cry (?:more|harder)|"
    r"(?:back )?under your bridge|bore off|jog on|pipe down|keep your (?:opinions|views|thoughts) "
    r"to yourself|who asked you|nobody asked you|go away,? (?:troll|idiot|loser)|"
    r"(?:well done|nice one|great job|good one|congrats|bravo),? (?:genius|einstein|sherlock|"
    r"champ|sweetie|sweetheart|darling|mastermind|professor)|"
    r"(?:paid|russian|tory|labour|government|kremlin) (?:shill|bot|troll|stooge|puppet)s?|"
    r"(?:you|he|she)(?:'re| are| is|'s) (?:just |nothing but )?(?:a |an )?(?:(?:paid|sad|pathetic|"
    r"bitter|obvious) )?(?:shill|grifter|bot|troll|crank|has-been|charlatan)\b|"
    r"spineless (?:little )?(?:man|woman|coward|worm|creep)|utterly (?:useless|incompetent|"
    r"clueless|spineless|pathetic)|(?:a|an) (?:complete|total|utter|absolute) (?:waste of space|"
    r"liability|embarrassment|disgrace|joke|halfwit|nonentity|nobody)|"
    r"(?:should|ought to) be sacked\b[^.!?\n]{0,30}\b(?:useless|incompetent|idiot|clown)|"
    r"(?:never|don'?t) (?:let|allow) (?:him|her|them) near a (?:keyboard|microphone|camera)|"
    r"(?:stick|go back) to (?:your day job|colouring|crayons|tiktok|facebook)|"
    r"(?:he|she|you)(?:'s| is| are|'re) (?:an )?embarrass(?:ing|ment)\b|"
    r"(?:you|he|she) (?:really )?(?:are|is|'re|'s) (?:as )?(?:thick|dim|dense|stupid) as\b)"
)
_PLAIN = len(_PATTERNS)
_PATTERNS = (*_PATTERNS, _COMPARISONS, _CONTEMPT)
_COMPILED = tuple(linear(p) for p in _PATTERNS)
_ANY = any_of(_PATTERNS)
# "I'm not saying you're an idiot" / "if you think X you are a fool" still reads as one;
# only a plain denial right before it ("you're not stupid") lets it pass.
_DENIED = linear(r"(?:\bnot|n't|n’t|\bnever|\bno one|\bnobody)\W*(?:\w+\W+){0,1}$")


def put_down_in(folded: str) -> tuple[int, int] | None:
    """The first put-down aimed at a person in folded text, else None."""
    if not _ANY.search(folded):
        return None
    for n, pattern in enumerate(_COMPILED):
        for m in pattern.finditer(folded):
            text = m.group()
            # A comparison may carry its own "couldn't" ("couldn't run a bath").
            if n < _PLAIN and (" not " in f" {text} " or "n't" in text):
                continue
            if _DENIED.search(folded[max(0, m.start() - 20) : m.start()]):
                continue
            return m.span()
    return None


def put_downs(sub: Submission) -> Finding | None:
    """Hold belittling and name-calling aimed at a commenter, the writer or a person."""
    folded = fold(sub.body)
    found = put_down_in(folded)
    if found is None:
        return None
    start, end = found
    return Finding.hold(
        "abuse",
        f'belittles a person: "{folded[start:end][:80]}"',
        span=origin_span(sub.body, start, end),
        kind="an insult",
    )

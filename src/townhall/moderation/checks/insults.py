"""Personal insults that need a target to be insults (part of the abuse guideline).

Words such as "crazy", "sick", "trash", "joke" or "racist" are ordinary in a
news discussion ("a crazy week", "the joke fell flat", "a racist policy"), so
they are not on the word lists. Aimed at a person they are abuse: "you are
sick", "what a pathetic little man", "a complete fraud", "your ignorance",
"this lying clown". The patterns below need that aim.
"""

from __future__ import annotations

import re

from townhall.moderation.findings import Finding, Submission
from townhall.moderation.text import (
    find_phrases,
    fold,
    origin_span,
    phrases,
    trigger_words,
    words_in,
)

# What a person is called once the insult is aimed at them.
_CALLED = (
    r"(?:crazy|nuts|insane|sick(?!\s+(?:of|with|and|in|at|or|for|from|to|today|at\s+home))|disgusting|pathetic|delusional|deranged|evil|ignorant|clueless|"
    r"dense|a\s+joke|a\s+disgrace|an\s+embarrassment|(?:a\s+)?racist|(?:a\s+)?bigot|a\s+fraud|"
    r"a\s+hack|a\s+shill|a\s+troll|(?:a\s+)?liar|brainwashed|stupid|dumb|an?\s+idiot|"
    r"(?:a\s+)?moron|(?:a\s+)?fool|(?:a\s+)?loser|(?:a\s+)?hypocrite|(?:a\s+)?coward|"
    r"(?:a\s+)?traitor|scum|garbage|(?:a\s+)?pig|(?:a\s+)?creep|vile|despicable|hateful|"
    r"unhinged|senile|demented|psychotic|(?:a\s+)?psycho|(?:a\s+)?sociopath|(?:a\s+)?psychopath|"
    r"(?:a\s+)?narcissist|(?:a\s+)?bully|(?:a\s+)?puppet|(?:a\s+)?crybaby|(?:a\s+)?snowflake|"
    r"a\s+waste\s+of|a\s+piece\s+of|mentally\s+ill|full\s+of\s+(?:it|crap|shit|bs|bull|hot\s+air))"
)
_SOFTENER = (
    r"(?:(?:just|such|so|really|clearly|obviously|truly|being|totally|completely|absolutely|"
    r"simply|seriously|very|pretty|nothing\s+but|one\s+sick|a\s+sick|a\s+complete|a\s+total|"
    r"an\s+utter|an\s+absolute|a\s+real|the\s+real|the\s+biggest|the\s+worst|the\s+most|"
    r"a\s+lying|a\s+pathetic|a\s+sad|a\s+sorry|an\s+ignorant|a\s+stupid|a\s+dumb)\s+){0,3}"
)
# Nouns that name a person, for "what a pathetic little man".
_PERSON = (
    r"(?:man|woman|person|people|creature|idiot|fool|twit|moron|jerk|liar|hypocrite|troll|"
    r"clown|loser|bigot|racist|pig|cow|hag|witch|fraud|hack|coward|punk|bastard|boy|girl|child|"
    r"soul|excuse|individual|sack|bag|sod|wretch|weasel|worm|snake|rat|windbag|blowhard|gasbag|"
    r"charlatan|huckster|demagogue|buffoon|crook|thief|criminal|scumbag|traitor|psychopath|"
    r"sociopath|narcissist|con\s+man|con\s+artist|tool|"
    r"shill|puppet|stooge|grifter|bully|creep|freak|nut|nutcase|loon|kook|crackpot|lunatic)s?"
)
_NASTY = (
    r"(?:complete|total|utter|absolute|certified|pathetic|sad|lying|ignorant|disgusting|"
    r"spineless|gutless|miserable|worthless|vile|hateful|deranged|delusional|clueless|senile|"
    r"crooked|corrupt|treasonous|traitorous|stupid|dumb|brainless|arrogant|narcissistic|"
    r"pompous|smug|evil|sick|twisted|filthy|dirty|ugly|fat|nasty|despicable|contemptible|"
    r"odious|repulsive|sniveling|snivelling|whiny|whining|lunatic|mentally\s+ill|bitter|"
    r"demented|psychotic|sleazy|slimy|creepy|grubby|vicious|hypocritical)"
)
_FAULT = (
    r"(?:stupidity|ignorance|idiocy|racism|bigotry|delusions|insanity|drivel|ravings|"
    r"brainwashing|tiny\s+brain|small\s+brain|pea\s+brain|little\s+brain|lack\s+of\s+"
    r"(?:intelligence|brains|a\s+brain|a\s+clue))"
)

_WHAT_A = (
    r"(?:fraud|hack|shill|liar|hypocrite|coward|windbag|blowhard|gasbag|charlatan|nutcase|loon|"
    r"crackpot|creep|pig|weasel|worm|tool|twit|dope|dolt|dunce|simpleton|sleazeball|scumbag|"
    r"lowlife|bigot|psycho|sicko)"
)
_YOU_LOT = (
    r"(?:libs|libtards|lefties|leftists|trumpers|trumpsters|repubs|trolls|idiots|morons|clowns|"
    r"fools|losers|hypocrites|racists|bigots|snowflakes|nutters|sheep|zealots|fanatics|zombies|"
    r"degenerates|animals|pigs)"
)
_VERMIN = (
    r"(?:animals|savages|vermin|subhuman|cockroaches|parasites|scum|filth|pigs|rats|monkeys|"
    r"apes|maggots|trash|garbage|leeches)"
)
# (key words, pattern): a pattern is only tried when one of its key words occurs.
PHRASES = phrases(
    # "you are sick", "you're a complete fraud", "u r pathetic"
    # (not "if you are sick, stay at home")
    (
        _CALLED,
        r"(?<!if\s)(?<!when\s)(?<!unless\s)(?<!whether\s)"
        rf"\b(?:you|u)\s*(?:'re|’re|re|\s+are|\s+r)\s+{_SOFTENER}{_CALLED}\b",
    ),
    # "you ignorant little man", "you pathetic fool"
    (_NASTY, rf"\b(?:you|u)\s+{_NASTY}\s+(?:\w+\s+)?{_PERSON}\b"),
    # "what a pathetic little man", "such a lying fraud"
    (_NASTY, rf"\b(?:what|such)\s+an?\s+{_NASTY}\s+(?:\w+\s+)?{_PERSON}\b"),
    # "a complete fraud", "this lying clown", "that sorry excuse for a senator"
    (
        _NASTY,
        rf"\b(?:an?|this|that|these|those|the)\s+{_NASTY}\s+(?:little\s+|old\s+|lying\s+)?"
        r"(?:fraud|liar|liars|hypocrite|hypocrites|coward|cowards|fool|fools|loser|losers|"
        r"psychopath|sociopath|narcissist|con\s+man|con\s+artist|buffoon|buffoons|clown|clowns|"
        r"moron|morons|idiot|idiots|bigot|bigots|traitor|traitors|crook|crooks|scumbag|windbag|"
        r"blowhard|charlatan|huckster|demagogue|shill|hack|hacks|puppet|stooge|grifter|bully|"
        r"creep|pig|pigs|cow|hag|witch|bastard|bastards|excuse\s+for)\b",
    ),
    (_WHAT_A, rf"\b(?:what|such)\s+an?\s+(?:\w+\s+)?{_WHAT_A}\b"),
    # "your stupidity", "your tiny brain"
    (
        _FAULT,
        rf"\b(?:your|ur|yer)\s+(?:own\s+|obvious\s+|willful\s+|wilful\s+|usual\s+)?{_FAULT}\b",
    ),
    (
        "piece",
        r"\bpiece\s+of\s+(?:garbage|trash|crap|shit|filth|human\s+garbage|dung|excrement|"
        r"scum|sh\*t|s\*\*t)\b",
    ),
    (
        "waste",
        r"\bwaste\s+of\s+(?:space|skin|oxygen|air|a\s+human|human|flesh|carbon|a\s+uterus|sperm)\b",
    ),
    (
        "excuse",
        r"\bexcuse\s+(?:for|of)\s+an?\s+(?:\w+\s+)?"
        r"(?:human|man|woman|person|president|journalist|reporter|writer|leader|politician|"
        r"mayor|governor|senator|parent|mother|father|adult|human\s+being|columnist|"
        r"prime\s+minister|premier|judge|officer|cop|commenter|christian|american)\b",
    ),
    (
        "scum|lowest|bottom",
        r"\bscum\s+of\s+the\s+earth\b|\blowest\s+of\s+the\s+low\b|\bbottom[- ]feeders?\b",
    ),
    ("human", r"\bhuman\s+(?:garbage|trash|filth|debris|scum)\b"),
    (
        "shut",
        r"\bshut\s+(?:your|ur|yer|the\s+fuck|the\s+hell)\s+(?:pie\s*hole|trap|face|mouth|gob|"
        r"yap|cake\s*hole|up)\b",
    ),
    (
        "brain|clue|life",
        r"\b(?:get|grow)\s+a\s+(?:brain|clue|life)\b"
        r"(?!\s+(?:insurance|sentence|policy|term|jail|in\s+prison))",
    ),
    ("crawl", r"\bcrawl\s+back\s+(?:under|into)\s+(?:your|ur|the|that|whatever)\b"),
    (
        "basement",
        r"\b(?:go\s+back\s+to|get\s+out\s+of|from)\s+(?:your|ur|yer)\s+"
        r"(?:mom'?s|mother'?s|mommy'?s|momma'?s|parents'?)\s+basement\b",
    ),
    (
        "cares",
        r"\b(?:nobody|no\s+one|noone)\s+cares\s+what\s+you\b|\bwho\s+cares\s+what\s+you\s+think\b",
    ),
    (_YOU_LOT, rf"\b(?:you|u)\s+{_YOU_LOT}\b"),
    (
        "mentally|morally|intellectually",
        r"\b(?:mentally|morally|intellectually)\s+(?:deficient|defective|retarded|lazy|stunted)\b",
    ),
    (
        "kool|koolaid",
        r"\b(?:kool[- ]?aid\s+drinkers?|(?:drank|drunk|drinking|drink)\s+(?:the|too\s+much)\s+"
        r"kool[- ]?aid)\b",
    ),
    (
        "sick",
        r"\bsick\s+(?:bastard|bastards|puppy|puppies|fucks?|freaks?|minded|twisted|pervert|perverts)\b",
    ),
    # "these people are animals": dehumanising, whoever "they" are
    (
        _VERMIN,
        r"\b(?:they|these\s+people|those\s+people|you\s+people|these\s+\w+|those\s+\w+)\s+"
        rf"(?:are|r)\s+(?:all\s+|just\s+|nothing\s+but\s+|such\s+)?{_VERMIN}\b"
        # the verdict ends the sentence: not "they are animals that live in the forest"
        r"(?=\s*(?:[.!?;]|$|and\s+(?:should|deserve|need)))",
    ),
    # "you suck" (not "you suck at chess"), "to hell with you", "total BS"
    ("suck|sucks", r"\b(?:you|u)\s+(?:really\s+|just\s+|all\s+)?suck\b(?!\s+at\b)"),
    ("hell", r"\bto\s+hell\s+with\s+(?:you|u|him|her|them|em|'em|all\s+of\s+you)\b"),
    (
        "bs",
        r"\b(?:total|complete|pure|utter|such|more|typical|absolute|that'?s|thats|this\s+is|"
        r"load\s+of|the\s+usual|full\s+of|bunch\s+of|cut\s+the)\s+b\.?s\b",
    ),
    # Dismissals on their own: "Get lost.", "Grow up!"
    ("lost|grow", r"(?:^|[.!?,]\s*)(?:get\s+lost|grow\s+up)\s*(?:[.!,]|$)"),
)


_LABEL = (
    r"(?:phony|phoney|crook|thief|bully|narcissist|sociopath|psychopath|misogynist|con\s+man|"
    r"con\s+artist|charlatan|demagogue|snowflake|crybaby|whiner|weirdo|creep|pervert|racist|"
    r"sexist|homophobe|xenophobe|nazi|fascist|commie)"
)
_IS_A = (
    r"\s*(?:is|was|'s|’s|are|were|'re|’re|re)\s+(?:a|an|such\s+an?|one|just\s+an?|nothing\s+but\s+an?|"
    r"the\s+biggest|a\s+total|a\s+complete|a\s+real|a\s+bunch\s+of)\s+(?:\w+\s+)?"
)
# "He is a fraud", "you're a disgrace", "Smith is a narcissist": a person labelled.
# Names are told by their capital letter, so this one reads the text as written.
LABELLED = re.compile(
    r"(?i:\b(?:he|she|you|u|they)"
    + _IS_A
    + rf"(?:{_LABEL}|fraud|disgrace|embarrassment|joke)s?\b)"
    + r"|\b(?!(?:This|That|It|There|Here|What|Which|Who|Everything|Nothing|"
    r"Something|Anything|Life|The|Such|Today|Politics|America|Canada|Government|Congress|He|She|"
    r"Parliament|Islam|Christianity)\b)[A-Z][a-z]+" + rf"(?i:{_IS_A}{_LABEL}s?\b)"
)
_LABEL_KEYS = trigger_words(_LABEL) | {"fraud", "disgrace", "embarrassment", "joke"}


def insult_in(text: str, written: str = "") -> tuple[str, int, int, bool] | None:
    """The first targeted insult in folded text (or, for names, as written): the phrase,
    its span and whether the span is in the folded text; else None."""
    for found in find_phrases(PHRASES, text):
        return found.group(), found.start(), found.end(), True
    if written and not _LABEL_KEYS.isdisjoint(words_in(text)):
        found = LABELLED.search(written)
        if found:
            return found.group(), found.start(), found.end(), False
    return None


def insults(sub: Submission) -> Finding | None:
    """Hold comments that call a person names the word lists cannot judge alone."""
    found = insult_in(fold(sub.body), sub.body)
    if found:
        phrase, start, end, folded = found
        span = origin_span(sub.body, start, end) if folded else (start, end)
        return Finding.hold("abuse", f'personal insult: "{phrase}"', span=span, kind="an insult")
    return None

"""Threats and incitement to violence (part of the abuse guideline).

The patterns look for the shapes violent comments take: a speaker promising
violence ("I'll punch him"), a call for it ("someone should shoot her"), a
wish ("hope he dies", "I'd love to see them hang") or a verdict that someone
deserves it ("he should be hanged", "she needs a bullet"). Each needs a person
as the target, so "we will beat them in the final", "kill the bill" or
"shoot me an email" pass, and so does reporting ("police said he was shot").
A match that is plainly negated ("no one deserves to die like that", "he
should not be shot for a traffic stop") is not a threat either.
"""

from __future__ import annotations

import re

from townhall.moderation.findings import Finding, Submission
from townhall.moderation.text import find_phrases, fold, origin_span, phrases

# Past participles for "<someone> should be ...".
VIOLENT = (
    r"(?:kill(?:ed)?|shoot|shot(?:\s+dead)?|hang(?:ed)?|hung|stab(?:bed)?|murder(?:ed)?|"
    r"lynch(?:ed)?|behead(?:ed)?|decapitated|strangle(?:d)?|"
    r"burn(?:ed|t)?\s+(?:alive|at\s+the\s+stake)|beat(?:en)?\s+(?:up|to\s+death|senseless)|"
    r"gassed|exterminated|executed|put\s+down|put\s+to\s+death|strung\s+up|"
    r"taken\s+out\s+(?:back|and\s+shot)|lined\s+up\s+and\s+shot|shot\s+on\s+sight|"
    r"tarred\s+and\s+feathered|drawn\s+and\s+quartered|stoned(?:\s+to\s+death)|"
    r"raped|torture(?:d)?|castrated|horse-?whipped|flogged|caned|whipped|neutered|drowned|"
    r"run\s+over|put\s+out\s+of\s+(?:his|her|their)\s+misery|beaten\s+to\s+a\s+pulp|"
    r"beaten\s+within\s+an\s+inch|dragged\s+through\s+the\s+streets|"
    r"shot\s+(?:in\s+the\s+head|between\s+the\s+eyes|in\s+the\s+face)|"
    r"hanged\s+for\s+treason|thrown\s+off\s+a\s+(?:roof|bridge|building|cliff))"
)
# The same, for punishments only ever done to people.
_HUMAN_ONLY = (
    r"(?:hanged|hung\s+(?:for|from|by)|lynched|shot(?!\s+(?:down|at\s+dawn\s+by))|strung\s+up|"
    r"beheaded|gassed|tarred\s+and\s+feathered|shot\s+dead|put\s+to\s+death|"
    r"burned\s+at\s+the\s+stake|drawn\s+and\s+quartered|horse-?whipped|castrated|stoned|"
    r"taken\s+out\s+(?:back|and\s+shot)|lined\s+up\s+and\s+shot|executed\s+for\s+treason|"
    r"murdered)(?=\s*(?:$|[.!,;]|\s+(?:for|like|on\s+sight|in\s+public|"
    r"publicly|immediately|now|too|as\s+well|and)))"
)
# Verbs of violence done to someone ("kill him"), present tense.
_DO = (
    r"(?:kill|shoot|hang|stab|murder|lynch|behead|strangle|hurt|rape|burn|punch|slap|"
    r"smack|choke|assassinate|execute|torture|castrate|gut|throttle|pummel|waterboard|"
    r"beat\s+up|beat\s+the\s+(?:hell|crap|shit|snot)\s+out\s+of|kick\s+the\s+(?:hell|crap|shit)"
    r"\s+out\s+of|knock\s+the\s+(?:hell|crap|shit)\s+out\s+of|break\s+the\s+(?:neck|legs)\s+of)"
)
# People a threat can be aimed at.
_PERSON = (
    r"(?:guy|guys|man|men|woman|women|person|people|idiot|idiots|moron|morons|bastard|"
    r"bastards|scum|animal|animals|pig|pigs|thug|thugs|creep|creeps|clown|clowns|traitor|"
    r"traitors|terrorist|terrorists|criminal|criminals|pedophile|pedophiles|paedophile|"
    r"paedophiles|punk|punks|loser|losers|freak|freaks|cop|cops|dude|prick|pricks|asshole|"
    r"assholes|bitch|bitches|monster|monsters|savage|savages|coward|cowards|president|"
    r"judge|politician|politicians|liberal|liberals|conservative|conservatives|protesters|"
    r"protestors|rioters|looters|muslims|jews|immigrants|illegals|gays|blacks|whites)"
)
_TARGET = (
    rf"(?:you|u|ya|yah|y'?all|you\s+all|you\s+people|you\s+guys|him|her|them|em|'em|’em|"
    rf"all\s+of\s+(?:you|them)|every\s+(?:one|last\s+one)\s+of\s+(?:you|them)|"
    rf"(?:these|those|this|that|the|every|all|some|all\s+the)\s+(?:\w+\s+)?{_PERSON})"
)
# The speaker may promise violence; anyone else is only called on to do it
# ("they will kill him if he goes back" is a report, "they should kill him" is not).
_CALL = (
    r"(?:should|shall|ought\s+to|oughta|need\s+to|needs\s+to|must|have\s+to|has\s+to|"
    r"gotta|got\s+to|had\s+better|better)"
)
_PROMISE = (
    rf"(?:'ll|’ll|ll|will|would|'d|’d|{_CALL}|gonna|going\s+to|"
    r"(?:am|'m|’m|m|are|'re|’re|re)\s+(?:going\s+to|gonna)|wanna|want\s+to|"
    r"(?:would|'d|’d)\s+(?:love|like)\s+to|can'?t\s+wait\s+to)"
)
_SPEAKER = r"(?:i|we)\s*" + _PROMISE
_CALLER = (
    r"(?:someone|somebody|some\s+one|anyone|anybody|people|they|you|y'?all|someone\s+else|"
    r"one\s+of\s+us|real\s+men)\s+" + _CALL
)
_ADVERB = (
    r"(?:(?:just|really|personally|gladly|happily|literally|seriously|all|simply|probably|"
    r"definitely|actually|then|finally|eventually|go|go\s+and|come\s+and|rather|one\s+day|"
    r"be\s+able\s+to)\s+){0,2}"
)
# "Shoot you an email", "hang them out to dry", "slap them with a fine" are not threats.
_HARMLESS_AFTER = r"(?!['’]s\b|\s+(?:an?|the|some|my|over|back|out\s+to\s+dry|with|for)\b)"
_PRONOUN = r"(?:he|she|they|you|u|him|her|them)"
_SUBJECT_PASSIVE = (
    rf"(?:he|she|they|you|u|him|her|them|people\s+like\s+(?:you|him|her|them|that|this)|"
    rf"(?:these|those|this|that|the|such)\s+(?:\w+\s+)?{_PERSON}|all\s+of\s+them|"
    rf"every\s+one\s+of\s+them|the\s+lot\s+of\s+them|\w+\s+like\s+(?:him|her|them|that)|"
    rf"(?:bastard|bastards|scum|thugs|traitors|terrorists|pedophiles|paedophiles|rioters|"
    rf"looters|animals|criminals))"
)

_DIE = r"(?:die|hang|swing|burn|fry|rot|dead)"
_BULLET = r"(?:bullet|bullets|noose|rope|beating|squad)"
# (key words, pattern): a pattern is only tried when one of its key words occurs.
PHRASES = phrases(
    # "I will kill you", "someone should shoot him", "I'd love to punch that guy"
    (_DO, rf"\b(?:{_SPEAKER}|{_CALLER})\s+{_ADVERB}{_DO}\s+{_TARGET}\b{_HARMLESS_AFTER}"),
    # "he should be shot", "they all deserve to be hanged"
    (
        VIOLENT,
        rf"\b{_SUBJECT_PASSIVE}\s+(?:all\s+)?(?:should|must|need\s+to|needs\s+to|"
        rf"ought\s+to|oughta|deserves?\s+to|has\s+to|have\s+to|better)\s+(?:all\s+)?"
        rf"(?:be|get)\s+(?:publicly\s+|slowly\s+|just\s+)?{VIOLENT}\b",
    ),
    # Any subject, when the punishment can only be done to a person:
    # "Smith should be hanged", but not "the bill should be killed".
    (
        _HUMAN_ONLY,
        rf"\b\w+\s+(?:all\s+)?(?:should|must|needs?\s+to|ought\s+to|deserves?\s+to)\s+"
        rf"(?:all\s+)?(?:be|get)\s+(?:publicly\s+)?{_HUMAN_ONLY}\b",
    ),
    # "you will be killed"
    (
        VIOLENT,
        rf"\b(?:you|u)\s+(?:will|'ll|’ll|are\s+going\s+to|'re\s+going\s+to|gonna)\s+"
        rf"(?:be|get)\s+{VIOLENT}\b",
    ),
    # "he deserves to die", "she should hang", "they need to swing for it"
    (
        _DIE,
        rf"\b(?:{_SUBJECT_PASSIVE}|\w+)\s+(?:all\s+)?(?:deserves?|deserved)\s+to\s+"
        rf"(?:die|hang|swing|burn|fry|rot\s+in\s+hell|be\s+dead)\b",
    ),
    (
        _DIE,
        r"\b(?:he|she|you|u|they)\s+(?:should|needs?\s+to|ought\s+to|must)\s+"
        r"(?:die|hang|swing|fry|be\s+dead)\b",
    ),
    # "hope he dies", "hope you get cancer", "hope they burn in hell"
    (
        "hope",
        rf"\bhope\s+(?:that\s+)?(?:{_PRONOUN}|someone|somebody|that\s+\w+|this\s+\w+|"
        rf"these\s+\w+|those\s+\w+)\s+(?:all\s+)?(?:dies?|(?:gets?\s+)?(?:shot|killed|"
        rf"murdered|raped|stabbed|hit\s+by\s+a|run\s+over|cancer|aids|ebola|lynched|hanged|"
        rf"beaten)|rots?\s+in\s+hell|burns?\s+in\s+hell|burns?\s+alive|chokes?\s+on|"
        rf"chokes?\s+to\s+death|drowns?|suffers?\s*[.!]|suffers?\s*$)",
    ),
    (
        "see",
        rf"\b(?:love|like|want|wanna|hope|wish)\s+to\s+see\s+{_TARGET}\s+(?:\w+\s+)?"
        rf"(?:hang|hanged|hung|swing|shot|dead|die|killed|burn|fry|beaten|lynched|executed|"
        rf"in\s+a\s+body\s+bag|six\s+feet\s+under)\b",
    ),
    (
        "wish",
        rf"\bwish\s+(?:{_PRONOUN}|someone|somebody)\s+(?:were|was|would)\s+"
        rf"(?:dead|die|get\s+shot|get\s+killed|shoot|kill)\b",
    ),
    # "deserves a bullet", "put a bullet in him", "needs a rope"
    (
        _BULLET,
        rf"\b(?:deserves?|needs?|earned|should\s+get)\s+(?:a\s+)?(?:good\s+|firing\s+)?"
        rf"{_BULLET}\b",
    ),
    (
        "put",
        r"\bput\s+(?:a\s+)?(?:bullet|bullets|round|slug|cap)\s+(?:in|into|through|between)\b",
    ),
    (
        "bullet|bullets",
        r"\b(?:a\s+)?bullets?\s+(?:in|to|through|between)\s+(?:the|your|his|her|their)\s+"
        r"(?:head|heads|brain|brains|skull|face|eyes)\b",
    ),
    (
        "blow|blown",
        r"\b(?:blow|blown)\s+(?:his|her|your|their)\s+(?:\w+\s+)?(?:head|brains?)\s+"
        r"(?:off|out)\b",
    ),
    # "kill them all", "line them up and shoot them", "string him up"
    (
        "kill|shoot|hang|gas|nuke|exterminate|eradicate",
        r"\b(?:kill|shoot|hang|gas|nuke|exterminate|eradicate)\s+(?:them|em|'em|’em)\s+all\b",
    ),
    (
        "line",
        r"\bline\s+(?:them|em|'em|’em|him|her|you|\w+)\s+(?:all\s+)?up\s+(?:and\s+shoot|"
        r"against\s+(?:a|the)\s+wall)",
    ),
    ("wall", r"\b(?:up\s+)?against\s+(?:a|the)\s+wall\s+and\s+shoot"),
    ("string", r"\bstring\s+(?:him|her|them|em|'em|’em|you)\s+up\b"),
    ("take", rf"\btake\s+{_TARGET}\s+out\s+(?:back|behind\s+the)\b"),
    ("throat|throats", r"\b(?:slit|cut)\s+(?:your|his|her|their)\s+(?:\w+\s+)?throats?\b"),
    (
        "find|come|hunt",
        r"\b(?:i|we)\s*(?:'ll|’ll|will|would|'d|’d)\s+(?:find|come\s+for|come\s+after|"
        r"hunt\s+down|hunt)\s+(?:you|u|him|her|them)\b(?!\s+(?:a|an|the|some)\b)",
    ),
    ("dead", r"\byou(?:'re|’re|\s+are|re)\s+(?:a\s+)?dead\s+(?:man|meat|woman)\b"),
    ("live", r"\bi\s+know\s+where\s+you\s+live\b"),
    ("dead", r"\bthe\s+only\s+good\s+\w+\s+is\s+a\s+dead\s+\w+"),
    ("run|mow|gun", r"\b(?:run|mow|gun)\s+(?:you|him|her|them|em|'em|’em)\s+(?:over|down)\b"),
    # "Hang the traitors!", "just shoot them": a call to violence on its own
    (
        "kill|shoot|hang|lynch|execute|behead|gas|string|stab|murder|burn",
        r"(?:^|[.!?;:]\s*|\b(?:just|so|then|and)\s+)(?:kill|shoot|hang|lynch|execute|behead|gas|"
        rf"string\s+up|stab|murder|burn)\s+{_TARGET}\b{_HARMLESS_AFTER}",
    ),
    # "someone should take him out", "we should put them down"
    (
        "take|put",
        rf"\b(?:{_SPEAKER}|{_CALLER})\s+{_ADVERB}(?:take\s+{_TARGET}\s+out|put\s+{_TARGET}\s+down)"
        r"\b(?!\s+(?:for|to|of|on|with|the|a|an|as|in|his|her|their|my)\b)",
    ),
    (
        "kick|beat|whip|knock",
        r"\b(?:kick|beat|whip|knock)\s+(?:your|his|her|their|yer|ur)\s+(?:\w+\s+)?"
        r"(?:ass|asses|butt|teeth|face|head|skull)\b",
    ),
    ("coming", r"\bgets?\s+what(?:'s|’s|\s+is|s)\s+coming\b"),
    (
        "aborted|drowned|strangled|smothered",
        r"\bshould(?:'ve|’ve|\s+have|\s+of)\s+been\s+(?:aborted|drowned|strangled|smothered)\b",
    ),
    ("fishes", r"\b(?:sleep|sleeping|swim|swimming)\s+with\s+the\s+fishes\b"),
    ("dead|die", r"\bdrop\s+dead\b(?!\s+gorgeous)|\bgo\s+die\b"),
    ("bullet|lead|gun", r"\beat\s+(?:a\s+)?(?:bullet|lead|a\s+gun)\b"),
    ("favor|favour", r"\bdo\s+(?:the\s+world|us\s+all|us|everyone|humanity)\s+a\s+favou?r\s+and\b"),
    ("jump", r"\bjump\s+off\s+a\s+(?:bridge|cliff|building|roof)\b"),
    (
        "ground|grave|bag|coffin|hospital|morgue",
        r"\bput\s+(?:him|her|them|you|em)\s+(?:in|into)\s+(?:the|a)\s+"
        r"(?:ground|grave|body\s+bag|coffin|hospital|morgue)\b",
    ),
    (
        "end",
        r"\b(?:you|he|she|they)(?:'ll|’ll|\s+will|\s+could|\s+might|\s+gonna)\s+end\s+up\s+"
        r"(?:dead|in\s+a\s+body\s+bag|in\s+the\s+morgue|six\s+feet\s+under|in\s+a\s+ditch)\b",
    ),
    (
        "mind|cry|tear|sleep",
        r"\b(?:would(?:n'?t|\s+not)|won'?t)\s+(?:mind|cry|shed\s+a\s+tear|lose\s+sleep)\s+if\s+"
        r"(?:he|she|they|you|someone|somebody)\s+(?:died|got\s+shot|was\s+killed|were\s+killed|"
        r"got\s+killed|was\s+shot|were\s+shot|dropped\s+dead)\b",
    ),
    (
        "burn|torch|firebomb|bomb",
        r"\b(?:burn|torch|firebomb|bomb)\s+(?:down\s+)?(?:their|his|her|your|every|all\s+the|all)"
        r"\s+(?:\w+\s+)?(?:houses?|homes?|mosques?|churches|church|synagogues?|temples?)\b",
    ),
)
# Words that, just before a match, turn it around ("no one deserves to die") or
# make it a question ("do they deserve to die?").
_NEGATION = re.compile(
    r"(?:\bnot|n't|n’t|\bnever|\bno\s+one|\bnobody|\bnoone|\bno|\bnone|\bwithout|\bnor)"
    r"\W*(?:\w+\W+){0,2}$|\b(?:do|does|did)\s+\w+\s+$"
)


def threat_in(text: str) -> re.Match[str] | None:
    """The first threatening phrase in folded text that is not negated, else None."""
    for found in find_phrases(PHRASES, text):
        before = text[max(0, found.start() - 30) : found.start()]
        sentence = re.split(r"[.!?;\n]", before)[-1]
        if _NEGATION.search(sentence + found.group().split()[0] + " "):
            continue
        return found
    return None


def threats(sub: Submission) -> Finding | None:
    """Hold comments that threaten or call for violence against someone."""
    found = threat_in(fold(sub.body))
    if found:
        return Finding.hold(
            "abuse",
            f'threat or incitement: "{found.group()}"',
            span=origin_span(sub.body, found.start(), found.end()),
            kind="a threat",
        )
    return None

"""Identity-based hate without slurs (the discrimination guideline).

``group_attacks.py`` knows the classic shape "<group> are <insult>". This module
covers what hateful comments say without a slur or that shape: denial of rights
and calls for exclusion ("<group> shouldn't be allowed to ...", "no more
<group>"), dehumanisation ("breed like rabbits", "are vermin", "riddled with
disease"), sweeping generalisations ("<group> can't integrate", "every trans
woman is a predator", "typical woman"), conspiracy tropes (control of banks
and media, "replacement"), sexist put-downs ("get back in the kitchen") and coded
racism ("too many of them round here", "it's in their blood", "a certain
community", "never trust a ...").
Reporting, quoting to condemn and counter-speech pass: a match inside quotes,
after "calling"/"said", or denied in its clause is not the writer's own.
"""

from __future__ import annotations

from townhall.moderation.checks.group_attacks import asserted
from townhall.moderation.findings import Finding, Submission
from townhall.moderation.regex import any_of, linear
from townhall.moderation.text import fold, origin_span

_NATION = (
    r"(?:pakistani|indian|chinese|african|nigerian|somali|romanian|albanian|lithuanian|polish|"
    r"bulgarian|eastern european|arab|asian|mexican|latino|irish|jamaican|muslim|jewish|black|"
    r"afghan|syrian|iraqi|iranian|turkish|kurdish|eritrean|sudanese|bangladeshi|roma|gypsy|"
    r"traveller|foreign|migrant|immigrant)"
)
_GROUP = (
    r"(?:(?:all |most |these |those |the )?(?:muslims|islam|jews|jewish people|zionists|blacks|"
    r"black people|black lads|black men|black women|africans|asians|chinese|indians|pakistanis|"
    r"pakis|bangladeshis|arabs|mexicans|latinos|hispanics|romanians|albanians|lithuanians|"
    r"poles|polish people|eastern europeans|bulgarians|somalis|nigerians|gypsies|travellers|"
    r"irish travellers|roma|romanies|the irish|irish people|immigrants|migrants|refugees|"
    r"asylum seekers|foreigners|illegals|small boat arrivals|boat people|aboriginals|"
    r"aborigines|indigenous people|hindus|sikhs|catholics|christians|whites|white people|"
    rf"{_NATION} (?:people|men|lads|gangs|families|students|workers|women|kids|lot)|"
    r"second generation immigrants|gays|gay people|gay men|gay couples|gay blokes|"
    r"gay footballers|gay activists|homosexuals|homosexuality|lesbians|dykes|trans people|"
    r"trans women|trans men|transgender people|trans kids|bisexuals|lgbt people|lgbt lot|"
    r"lgbtq people|lgbt|queers|non-binary people|same sex couples|drag queens|women|"
    r"females|girls|mothers|wives|feminists|women mps|women drivers|female \w+s|men|males))"
)
_BAD = (
    r"(?:thieves|beggars|drunks|layabouts|criminals|rapists|predators|groomers|perverts|"
    r"paedophiles|pedophiles|degenerates|mentally ill|a mental (?:illness|disorder)|sick|"
    r"diseased|a disease|disease|a cancer|cancer|a plague|plague|vermin|rats|cockroaches|"
    r"animals|parasites|leeches|scroungers|lazy|lazier|dirty|dirtiest|filthy|stupid|thick|"
    r"weak|useless|pigs|trash|garbage|inferior|subhuman|savages|barbaric|backward|"
    r"uncivilised|uncivilized|dangerous|violent|terrorists|spies|invaders|a threat|a menace|"
    r"greedy|liars|cheats|good for nothing|only good for|too emotional|hysterical|"
    r"gold diggers|catty|moody|freaks|abominations?|an abomination|unnatural|evil|"
    r"a sickness|a disgrace to|nothing but \w+|a burden|drains?|spongers|breeders|"
    r"a criminal race|walking diseases|men in (?:dresses|wigs)|confused|brainwashed|"
    r"drink-drivers|drunk drivers|wife-beaters|wife beaters|beggars|thugs|predators|"
    r"potential rapists|pickpockets|shoplifters|fraudsters|benefit cheats|scammers|"
    r"scroungers|spongers)"
)
_PATTERNS: tuple[str, ...] = (
    # "I can't stand gays", "we despise immigrants"
    rf"\b(?:i|we) (?:really |just |absolutely |fucking )?(?:hate|despise|detest|loathe|"
    rf"can'?t stand|cannot stand|am sick of|are sick of) (?:all |the |these |those )?{_GROUP}\b",
    # Denial of rights, exclusion: "gays shouldn't be allowed to adopt", "no more mosques"
    rf"\b{_GROUP} (?:should(?:n'?t| not| never) be (?:allowed|let|given|trusted)|"
    r"should(?:n'?t| not) (?:be (?:judges|in|teachers|mps|priests|pilots)|have (?:the vote|"
    r"rights|citizenship)|get (?:citizenship|benefits|the vote)|vote|adopt|marry|teach|work)|"
    r"should be (?:banned|kicked out|thrown out|locked up|"
    r"sterili[sz]ed|registered|tested|rounded up|segregated)|"
    r"need (?:to be )?(?:banning|deporting|locking up|removing)|don'?t belong|"
    r"have no place (?:here|in)|(?:should )?need their husband'?s permission|"
    r"should stay (?:home|in)|"
    r"should (?:go back|keep (?:it|quiet|their mouths))|can be cured|need curing|"
    r"are a drain|can'?t (?:integrate|be trusted|run|drive|park|think|lead|help it))",
    r"\b(?:no more|ban all|ban the|deport all|deport every|kick out all|get rid of (?:all )?"
    r"(?:the )?|send (?:all )?(?:the|them|these) \w+ back|shut the door on|no (?:more )?visas "
    rf"for|keep them away from|keep (?:them|those|these) \w* ?out of) ?{_GROUP}\b"
    r"(?:[^.!?\n]{0,40}\b(?:deport|ban|out|back)\b)?",
    r"\b(?:gay marriage|same sex marriage|homosexuality|abortion rights|women'?s suffrage|"
    r"giving women the vote) (?:should be|must be|needs to be) (?:repealed|recriminali[sz]ed|"
    r"banned|reversed|outlawed)|\bgiving women the vote was\b",
    # Generalisations: "Romanians are all thieves", "every trans woman is a predator"
    rf"\b{_GROUP} (?:are|r|is) (?:all |just |basically |nothing but |a bunch of |always |"
    rf"clearly |simply |only |the |so |too |naturally |inherently )*(?:[a-z-]+ (?:and )?)?{_BAD}\b",
    rf"\b(?:every|each|any) (?:single |last )?(?:{_NATION}|trans woman|trans man|gay|lesbian|"
    r"woman|female|muslim|jew|immigrant|migrant|refugee|grooming gang)\b[^.!?\n]{0,30}"
    r"\b(?:is|are) (?:a |an )?(?:predator|criminal|groomer|pervert|paedophile|terrorist|"
    r"spy|thief|rapist|liar|\w+(?:ani|ian|ese|ish)\b)",
    rf"\b{_GROUP} (?:bring|brought|spread|spreads|carry|commit all|cheat at|steal|"
    r"breed|out-?breed|hate everything|only marry for|earn less because|are out-?breeding)\b",
    r"\b(?:typical (?:[a-z-]+ )?(?:woman|female|women|man-hating|feminist|muslim|immigrant|gay|"
    r"poof|dyke|lesbian)|"
    r"women drivers are|female (?:pilot|boss|surgeon|referee|driver)s?\?|diversity hires?|"
    r"never (?:hire|work for) (?:a )?(?:woman|women|female)|girls don'?t need|"
    r"women'?s (?:football|cricket|tennis|rugby|sport|boxing) is (?:boring|pointless|rubbish|"
    r"a joke)|nobody wants to watch women|women in (?:the army|football punditry|charge) is a "
    r"joke)",
    # Dehumanisation: "they breed like rabbits", "cockroaches crawling out of lorries"
    r"\b(?:breed(?:ing)? like (?:rabbits|rats|flies)|out-?breed(?:ing)? us|breeding (?:us|"
    r"white \w+) out|overrun by|being overrun|riddled with disease|human garbage|"
    r"cockroaches crawling|like animals in a zoo|like letting rats|(?:are|is) (?:vermin|"
    r"cockroaches|subhuman|a plague|an infestation|the tumours|tumours)|a cancer on society|"
    r"the only language (?:they|these people) understand|walking diseases)\b",
    # Conspiracy tropes
    r"\b(?:the jews|jews|zionists|rothschilds|soros|globalists|the same tribe|same tribe|"
    r"international bankers|\(\(\()[^.!?\n]{0,40}\b(?:control|own|run|are behind|behind every|"
    r"funding|pushing|bankroll)\b|\b(?:great replacement|deliberate replacement|"
    r"kalergi plan|white genocide|replace(?:ment)? (?:us|white)|breeding out white)\b",
    # Sexist put-downs and sexualised remarks
    r"\b(?:(?:get|go) back (?:in|to) (?:the|your) kitchen|back to the kitchen|make me a "
    r"sandwich|(?:a )?(?:woman|mother)'?s place is|on her knees|nice pair on her|shorter skirt|"
    r"short skirts|under that (?:suit|dress|skirt)|right goer|phwoar|(?:need|needs) a slap to|"
    r"slap to keep (?:them|her) in line|crying rape|only themselves to blame|too old and too "
    r"ugly|too ugly to get a man|feminazis|ruled by their hormones|slept her way)\b",
    # Anti-LGBT tropes
    r"\b(?:grooming (?:month|hour)|drag queen story hour is|(?:is|are) (?:just )?groomers|"
    r"adam and eve,? not adam and steve|god sent aids|an it\b|not a (?:real )?woman,? not a man|"
    r"(?:trans|gay) (?:people|men|women) (?:don'?t|do not) exist|nobody wants to shower with|"
    r"scratch a gay|mental(?:ly)? (?:illness|ill|disorder|breakdown)[^.!?\n]{0,20}(?:trans|gay)|"
    r"(?:trans|gay|being gay|homosexuality|lesbians|two dads|two mums)[^.!?\n]{0,30}"
    r"(?:a mental (?:illness|disorder)|mentally ill|a sickness|an abomination|a perversion|"
    r"a freak show|child abuse))|\bit'?s a freak show\b|"
    r"\b(?:gay|trans|lgbt|homosexual|same sex)[^.!?\n]{0,40}should be (?:illegal|banned|"
    r"outlawed|criminali[sz]ed)",
)
# The shapes racism takes when it avoids naming anyone: too many of "them", a country
# no longer "ours", replacement, "it's in their blood", insinuation about "a certain
# community", "never trust a ...", "go back to your dinghies".
_WHO = r"(?:them|they|these people|those people|that lot|their lot|their kind|their sort)"
_PEOPLES = _NATION.replace("|foreign|migrant|immigrant", "")
_CODED = (
    # (not "too many immigrants": that is an argument about numbers, not about people)
    rf"\b(?:too|so) many (?:of )?(?:{_WHO}|{_PEOPLES}s|muslims|jews|blacks|asians|browns|"
    r"foreigners) (?:in|on|round|"
    r"around|here|now|everywhere|these days|coming)\b|\bcount how many of them\b"
    r"|\b(?:full of|overrun (?:with|by)|swarming with|crawling with|flooded with) "
    rf"(?:{_GROUP}|foreigners|them|their lot)\b"
    r"|\b(?:it'?s|this is|this country is|britain is|england is|the town is|[a-z]+ is) "
    r"(?:not|no longer) (?:britain|england|british|english|ours|our country|our town|"
    r"a british town)(?: any ?more)?\b|\b(?:it'?s|it is|like) (?:a|an) (?:colony|third world|"
    r"foreign country|occupied)\b"
    r"|\b(?:minority|minorities) in (?:our|their) own (?:country|land|town|homeland)\b"
    r"|\b(?:replace|replacing|replaced|replacement of) (?:the |us |our )?(?:native|indigenous|"
    r"white|british|english|european) (?:population|people|britons|brits|stock)?\b"
    r"|\b(?:it'?s|that'?s) in (?:their|his|her) (?:blood|dna|genes|nature|culture)\b"
    rf"|\b(?:{_GROUP}|{_WHO}|people from (?:those|that|these) (?:countries|cultures|places)) "
    r"(?:can'?t|cannot|won'?t|will never|don'?t|never) (?:integrate|assimilate|be integrated|"
    r"fit in|adapt|be trusted)"
    r"|\b(?:a certain|that certain) (?:community|communities|religion|culture|type|sort|kind|"
    r"demographic)\b|\b(?:bet|guess) (?:my house |you )?(?:on )?(?:the )?(?:colou?r|religion|"
    r"ethnicity|name|nationality) of (?:the )?(?:suspect|attacker|driver|killer|gang|stabber)"
    rf"|\bnever trust (?:a|an|the|any)? ?(?:{_NATION}|{_GROUP})\b"
    rf"|\bno {_NATION}s?,? no (?:{_NATION}s?|dogs|blacks|irish)\b"
    r"|\b(?:go|get|send (?:them|'em)|ship (?:them|'em)) back (?:in|to|into) (?:their|your) "
    r"(?:own )?(?:country|countries|dinghies|dinghy|boats|caves|huts|deserts?|jungles?)\b"
    r"|\b(?:military[- ]aged?|fighting[- ]age(?:d)?) (?:men|males)\b|\binvading army\b"
    rf"|\b(?:{_NATION}|{_GROUP}) (?:has|have|haven'?t|hasn'?t) (?:never )?(?:produced|invented|"
    r"contributed|built|achieved) (?:anything|nothing)"
    r"|\b(?:don'?t|do not|wouldn'?t|would never|'d never|never) (?:want|let) (?:my|our) "
    r"(?:daughter|son|kids|"
    r"children|sister) (?:to )?(?:marry|marrying|date|dating|bring home) (?:a|an|one of) "
    rf"(?:{_NATION}|black|brown|asian|them)"
    rf"|\bfear of (?:{_GROUP}|{_NATION}s?) is (?:just |only |simply )?(?:common sense|rational|"
    r"natural|justified|sensible)"
    r"|\bholocaust (?:is|was) (?:exaggerated|a lie|a hoax|fake|made up|overblown)"
    r"|\bholocaust never happened\b"
    r"|\b(?:should be|only) for (?:white|british|english|native|irish) (?:british |english )?"
    r"(?:people|families|folk|kids)(?: only)?\b|\bfor (?:whites|white people) only\b"
    r"|\bsend (?:them|'em|the lot|these people|those people)(?: all)? (?:back )?(?:home|back "
    r"(?:to|where they came from))\b"
)
_PATTERNS = (*_PATTERNS, _CODED)
_COMPILED = tuple(linear(p) for p in _PATTERNS)
_ANY = any_of(_PATTERNS)
# Generalisations can be denied in the same clause ("women are not inferior"); the
# rest (tropes, put-downs) do not read differently after a "not" earlier on.
_DENIABLE = frozenset({0, 1, 4, 5, 6})
# Just before the match: it is quoted, reported or argued against.
_COUNTER = linear(
    r"(?:\bcalling|\bcalled|\bcall|\bsaid|\bsays|\bshouted|\bposted|\bwrote|\bclaim(?:s|ed)?|"
    r"\btold|\btelling|\bpreached|\bpreaching|\bdescribed|\bdescribing|\bbranded|\blabell?ed|"
    r"\bmyth|\blie|\bstop saying|\bsick of people|\bthe idea|\bthe notion|\bnonsense that)"
    r"\W*(?:\w+\W+){0,4}$"
)


_DENIED_INSIDE = linear(
    r"\b(?:are|is|were|was|r) (?:not|never|no longer)\b|\b(?:aren|isn|weren)'?t\b"
)


def _quoted(folded: str, start: int) -> bool:
    before = folded[:start]
    return (before.count('"') + before.count("“") + before.count("”")) % 2 == 1


def identity_hate_in(folded: str) -> tuple[int, int] | None:
    """The first slur-free identity attack in folded text that is the writer's own."""
    if not _ANY.search(folded):
        return None
    for i, pattern in enumerate(_COMPILED):
        for m in pattern.finditer(folded):
            before = folded[max(0, m.start() - 60) : m.start()]
            for stop in ".!?":
                before = before.rsplit(stop, 1)[-1]
            if _COUNTER.search(before) or _quoted(folded, m.start()):
                continue
            if any(q in m.group() for q in '"“”'):
                continue  # the verdict itself is in quotation marks: quoted, not said
            if _DENIED_INSIDE.search(m.group()):
                continue  # "gay people are not mentally ill"
            if i in _DENIABLE and not asserted(folded, m.start()):
                continue
            return m.span()
    return None


def identity_hate(sub: Submission) -> Finding | None:
    """Hold exclusion, dehumanisation, sweeping generalisations and conspiracy tropes."""
    folded = fold(sub.body)
    found = identity_hate_in(folded)
    if found is None:
        return None
    start, end = found
    return Finding.hold(
        "discrimination",
        f'attacks people for who they are: "{folded[start:end][:80]}"',
        span=origin_span(sub.body, start, end),
        kind="an attack on a group",
    )

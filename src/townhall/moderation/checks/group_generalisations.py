"""A whole group demeaned in one clause (the discrimination guideline), by shape, not by phrase.

``group_attacks.py`` and ``identity_hate.py`` know set phrasings. This check
knows the shape they share, with the words drawn from the lexicon classes
(``data/lexicon.txt``) rather than from any sentence:

* a protected group (a nationality, colour, religion, migrants, an orientation
  or gender identity, women or men as a class, or a coded stand-in), named as
  a class: in the plural, or with "all / every / these / typical / they";
* a demeaning predicate in the same clause, close by: vermin and disease,
  crime, filth, perversion, stupidity, "ruin", "breed", "takeover"; for women
  as a class also the kitchen, hormones, looks and "can't drive";
* and nothing that makes it someone else's words or an argument against them:
  a report ("said", "police"), counter-speech ("racist", "myth", "victims of"),
  quotation marks around the predicate, or a "not" right before it.

It works on a list of words, not a regular expression, so it is linear in the
length of the comment whatever the comment holds.
"""

from __future__ import annotations

import re

from townhall.moderation.checks.group_attacks import asserted
from townhall.moderation.checks.toxicity import model_classes
from townhall.moderation.findings import Finding, Submission
from townhall.moderation.lexicon import NAMES, classes_of
from townhall.moderation.text import fold, origin_span

# One character class per branch, no nesting: Python's engine runs this in linear time.
_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?|[.!?;:\n\"“”]")
_BREAK = frozenset(".!?;\n")
_QUOTE = frozenset('"“”')
# Groups named by a word of their own; women and men as a class are handled apart.
_GROUPS = (NAMES - {"group_women", "group_men"}) | {"coded"}
# Words that are a group only in some senses ("the youth club", "a proper pride") or
# that name places and institutions rather than people.
NOT_PEOPLE = frozenset(
    "youth youths community communities certain diversity vibrant tribe choice agenda "
    "ideology lifestyle alphabet replacement replace replaced colony invasion invaders "
    "invading woke recruit recruiting degenerate degeneracy grooming groomer groomers "
    "indoctrination handouts demographic demographics breeding birthrate lobby elites "
    "pride queen queens orientation sexuality pronoun pronouns transition transitioning "
    "rainbow hotel hotels hostel barge boats boat channel border borders visa visas "
    "crossings arrivals deportation immigration migration asylum foreign illegal "
    "church churches temple temples prayers bible quran koran ramadan eid halal kosher "
    "sharia burqa burka hijab niqab mosque mosques synagogue synagogues gurdwara "
    "race races racial ethnic minority minorities mixed white black brown english "
    "british welsh scottish irish polish french spanish dutch native natives indigenous "
    "orthodox pagan europe european africa asia islam islamic islamist islamists judaism "
    "hinduism sikhism christianity catholicism zionism jewry jihad kike goyim goy shekels "
    "cabal globalist globalists".split()
)
_WOMEN = frozenset(
    "women womens woman female females girls ladies wives mums moms mothers feminists "
    "chicks birds housewives spinsters".split()
)
_MEN = frozenset("men males husbands fathers".split())
# After a group's adjective, these make it a class of people: "black people", "Afghan men".
_PEOPLE_NOUNS = frozenset(
    "people men women folk folks lads kids families communities community culture youths "
    "gangs lot blokes girls boys males females students workers migrants".split()
)
# Said before a group in the same clause, these make the group a class, not a person.
_CLASS_CUES = frozenset(
    "all every these those they them their typical any whole most always never "
    "lot none each".split()
)
# "Women can't drive": a class denied an ability.
_CANT = frozenset("cant cannot couldnt shouldnt arent dont never".split())
_ABILITY = frozenset(
    "do drive park think lead run understand handle cope manage referee play catch carry "
    "fight commentate present decide judge reason lift compete command govern be".split()
)
# Anywhere in the sentence, these make it a report, a complaint about hate or a study.
_BLOCK = frozenset(
    "said says saying told claim claims claimed claiming reported report reports shouted "
    "chanted chanting sprayed daubed wrote posted tweeted quoted police court charged "
    "convicted jailed sentenced survey study studies figures data statistics research "
    "racist racists racism sexist sexism misogyny misogynist homophobic homophobia "
    "transphobic transphobia bigot bigots bigoted bigotry prejudice discrimination "
    "xenophobic xenophobia antisemitic antisemitism islamophobia islamophobic myth myths "
    "stereotype stereotypes stereotyping trope tropes victims victim targeted targeting "
    "against attacked attacks abuse abused abusing harassed harassment treated treating "
    "treat called calling labelled labeled branded accused accusing dehumanising "
    "dehumanizing dehumanise rhetoric propaganda slur slurs smear smears unfair unfairly "
    "wrong nonsense rubbish lies lie debunked pretend pretending if misconception "
    "misconceptions stereotyped representation assume assuming assumption generalise "
    "generalising generalize generalizing generalisation generalization".split()
)
_NOT = frozenset("not no never isnt arent wasnt werent dont doesnt nor hardly".split())
WINDOW = 8


def _tokens(folded: str) -> list[tuple[str, int, int, bool]]:
    """(word, start, end, quoted) per word, and the clause breaks as their own tokens."""
    out = []
    quoted = False
    for m in _TOKEN.finditer(folded):
        word = m.group()
        if word in _QUOTE:
            quoted = not quoted
            continue
        out.append((word.replace("'", "").replace("’", ""), m.start(), m.end(), quoted))
    return out


def _clauses(tokens: list[tuple[str, int, int, bool]]) -> list[list[tuple[str, int, int, bool]]]:
    clauses: list[list[tuple[str, int, int, bool]]] = [[]]
    for token in tokens:
        if token[0] in _BREAK:
            clauses.append([])
        else:
            clauses[-1].append(token)
    return [c for c in clauses if c]


def _who(clause: list[tuple[str, int, int, bool]], i: int) -> str | None:
    """'group', 'women' or 'men' when the word at ``i`` names one of them as a class."""
    word = clause[i][0]
    before = {w for w, *_ in clause[max(0, i - 3) : i]}
    if word in _WOMEN or word in _MEN:
        if word in ("woman", "female") and not before & {"a", "any", "every", "typical", "no"}:
            nxt = clause[i + 1][0] if i + 1 < len(clause) else ""
            if word == "woman" or not nxt.endswith("s"):
                return None  # one woman, or "female pilot" rather than "female pilots"
        return "women" if word in _WOMEN else "men"
    classes = classes_of(word)
    if not _GROUPS.intersection(classes):
        return None
    nxt = clause[i + 1][0] if i + 1 < len(clause) else ""
    if nxt in _PEOPLE_NOUNS or (nxt.endswith("s") and len(nxt) > 3 and word not in NOT_PEOPLE):
        return "group"  # "black people", "Albanian dealers": a class of people
    if word in NOT_PEOPLE:
        return None
    if word.endswith("s") or before & _CLASS_CUES:
        return "group"
    return None


def _demeaned(clause: list[tuple[str, int, int, bool]], i: int, who: str) -> int | None:
    """Index of a demeaning word said of the group at ``i``, else None."""
    lo, hi = max(0, i - 3), min(len(clause), i + WINDOW + 1)
    for j in range(lo, hi):
        if j == i:
            continue
        word, _, _, quoted = clause[j]
        if quoted:
            continue
        classes = classes_of(word)
        hit = "demeaning" in classes or (who == "women" and "sexist" in classes)
        if word == "good" and j > 0 and clause[j - 1][0] == "only":
            hit = True  # "only good for cleaning"
        if who == "women" and word in _CANT and j > i:
            nxt = {w for w, *_ in clause[j + 1 : j + 3]}
            hit = bool(nxt & _ABILITY) and "have" not in nxt
        if not hit:
            continue
        if {w for w, *_ in clause[max(lo, j - 2) : j]} & _NOT:
            continue
        return j
    return None


def generalisation_in(folded: str) -> tuple[int, int] | None:
    """Span of the first clause that demeans a whole group, in folded text."""
    tokens = _tokens(folded)
    if not tokens:
        return None
    for clause in _clauses(tokens):
        words = {w for w, *_ in clause}
        if words & _BLOCK:
            continue
        for i in range(len(clause)):
            who = _who(clause, i)
            if who is None:
                continue
            j = _demeaned(clause, i, who)
            if j is not None and asserted(folded, clause[i][1]):
                first, last = min(i, j), max(i, j)
                return clause[first][1], clause[last][2]
    return None


def group_generalisations(sub: Submission) -> Finding | None:
    """Hold a comment that says something demeaning of a whole protected group."""
    classes = model_classes(sub.body)
    if not classes & NAMES and "coded" not in classes:
        return None  # no group named: most comments stop here
    folded = fold(sub.body)
    found = generalisation_in(folded)
    if found is None:
        return None
    start, end = found
    return Finding.hold(
        "discrimination",
        f'demeans a group: "{folded[start:end][:80]}"',
        span=origin_span(sub.body, start, end),
        kind="an attack on a group",
    )

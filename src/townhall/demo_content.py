"""Sample article, readers and comments that `townhall demo` seeds into a fresh database."""

from __future__ import annotations

from typing import Any

DEMO_PASSWORD = "ledger-demo-2026"  # noqa: S105 -- published demo credentials

ARTICLE: dict[str, str] = {
    "story_id": "demo-article",
    "title": "Four-day school week trial to expand to 120 schools as parents split over pilot",
    "url_path": "/",
}

_M = "margaret.hughes@example.org"  # premium
_D = "daniel.okafor@example.org"  # premium
_S = "sam.reader@example.org"  # plain commenter
_N = "newcomer@example.org"  # signed up, no commenting name yet
_H = "helen.ward@example.org"  # moderator
_V = "vikram.rao@example.org"  # admin
_R = "ruraltea@example.org"
_W = "shiftworker@example.org"
_T = "tomasz.b@example.org"
_A = "aisha.k@example.org"
_G = "grandad@example.org"
_P = "policywonk@example.org"

USERS: list[dict[str, Any]] = [
    {
        "email": _M,
        "password": DEMO_PASSWORD,
        "name": "MargaretH",
        "premium": True,
        "role": "commenter",
    },
    {
        "email": _D,
        "password": DEMO_PASSWORD,
        "name": "DanOkafor",
        "premium": True,
        "role": "commenter",
    },
    {
        "email": _S,
        "password": DEMO_PASSWORD,
        "name": "SamTheReader",
        "premium": False,
        "role": "commenter",
    },
    {"email": _N, "password": DEMO_PASSWORD, "name": None, "premium": False, "role": "commenter"},
    {
        "email": _H,
        "password": DEMO_PASSWORD,
        "name": "HelenWard",
        "premium": False,
        "role": "moderator",
    },
    {"email": _V, "password": DEMO_PASSWORD, "name": "VikramRao", "premium": True, "role": "admin"},
    {
        "email": _R,
        "password": DEMO_PASSWORD,
        "name": "RuralTeacher",
        "premium": False,
        "role": "commenter",
    },
    {
        "email": _W,
        "password": DEMO_PASSWORD,
        "name": "ShiftWorkerDad",
        "premium": False,
        "role": "commenter",
    },
    {
        "email": _T,
        "password": DEMO_PASSWORD,
        "name": "TomaszB",
        "premium": False,
        "role": "commenter",
    },
    {
        "email": _A,
        "password": DEMO_PASSWORD,
        "name": "AishaK",
        "premium": False,
        "role": "commenter",
    },
    {
        "email": _G,
        "password": DEMO_PASSWORD,
        "name": "OldSchoolGrandad",
        "premium": False,
        "role": "commenter",
    },
    {
        "email": _P,
        "password": DEMO_PASSWORD,
        "name": "PolicyWonk",
        "premium": True,
        "role": "commenter",
    },
]


def _c(
    key: str,
    author: str,
    body: str,
    minutes_ago: int,
    *,
    parent: str | None = None,
    likes: tuple[str, ...] = (),
    stream: str = "open",
) -> dict[str, Any]:
    return {
        "key": key,
        "author": author,
        "body": body,
        "stream": stream,
        "parent": parent,
        "likes": list(likes),
        "minutes_ago": minutes_ago,
    }


COMMENTS: list[dict[str, Any]] = [
    # A long thread: heated but civil, four levels deep.
    _c(
        "c1",
        _W,
        "Nobody at the ministry seems to have asked what happens to families where both "
        "parents work weekends and Fridays. 'Optional enrichment' is lovely until the "
        "clubs are full and you are phoning round grandparents at 7am.",
        1380,
        likes=(_S, _A, _G, _T, _R),
    ),
    _c(
        "c2",
        _R,
        "I teach in one of the pilot schools. The longer days are tiring, but we finally "
        "have time for proper practical science instead of rushing it into forty minutes. "
        "The children are noticeably more settled on Monday mornings.",
        1350,
        parent="c1",
        likes=(_P, _A, _M),
    ),
    _c(
        "c3",
        _W,
        "I don't doubt it is better for staff, and I am glad you are less exhausted. But "
        "the cost has landed on parents like me who have no flexibility at all.",
        1320,
        parent="c2",
        likes=(_S,),
    ),
    _c(
        "c4",
        _R,
        "That's fair. Our school tries to prioritise places in Friday clubs for shift "
        "workers, but you're right that it depends on the head and it should be a rule, "
        "not a favour.",
        1300,
        parent="c3",
        likes=(_W, _A),
    ),
    _c(
        "c5",
        _A,
        "Agreed, a guaranteed place for children of shift workers would answer most of "
        "the objections in this thread.",
        1280,
        parent="c4",
        likes=(_W, _R),
    ),
    _c(
        "c6",
        _G,
        "We managed perfectly well with five days for a hundred years. Every new minister "
        "wants to reinvent the school week instead of fixing the buildings.",
        1200,
        likes=(_T,),
    ),
    _c(
        "c7",
        _T,
        "With respect, we also managed without seatbelts for a long time. If attendance "
        "is up and teachers are staying, that is worth a serious look.",
        1180,
        parent="c6",
        likes=(_R, _P, _A),
    ),
    _c(
        "c8",
        _G,
        "Fair point about the seatbelts, I'll give you that one. I just want to see the "
        "reading and maths results before we roll it out everywhere.",
        1150,
        parent="c7",
        likes=(_T, _P),
    ),
    _c(
        "c9",
        _P,
        "The evaluation is clear that the schools volunteered. Comparing keen early "
        "adopters with everyone else will always flatter the results. I'd want a "
        "randomised phase before calling this a success.",
        1100,
        likes=(_R, _G, _T, _S),
    ),
    _c(
        "c10",
        _S,
        "Would a randomised trial even be fair on the schools that get picked against "
        "their will? Genuine question.",
        1080,
        parent="c9",
        likes=(_P,),
    ),
    _c(
        "c11",
        _P,
        "You can randomise among schools that apply, which avoids forcing anyone. It is "
        "how most education trials handle it.",
        1060,
        parent="c10",
        likes=(_S, _R),
    ),
    _c(
        "c12",
        _A,
        "My daughter is in a pilot school and honestly she loves Fridays. She has started "
        "coding club and swimming, neither of which we could have afforded privately.",
        1000,
        likes=(_R, _T, _M, _D),
    ),
    _c(
        "c13",
        _W,
        "That's great to hear, and it is exactly the kind of thing that should be "
        "available to every child, not only the ones whose parents can do pick-up at "
        "noon.",
        980,
        parent="c12",
        likes=(_A,),
    ),
    _c(
        "c14",
        _T,
        "Rural primaries are the interesting part of next year's trial. Our village "
        "school bus leaves at 7.40 already. A longer day might mean children getting "
        "home in the dark for most of the winter.",
        920,
        likes=(_G, _R),
    ),
    _c(
        "c15",
        _S,
        "£42,000 per school sounds generous until you divide it by thirty-nine Fridays and "
        "a few hundred pupils. That is not a lot per child per day.",
        860,
        likes=(_W, _G, _P),
    ),
    _c(
        "c16",
        _R,
        "It goes further than you'd think when local sports clubs and the library "
        "volunteer, but I agree it cannot depend on goodwill forever.",
        840,
        parent="c15",
        likes=(_S,),
    ),
    _c(
        "c17",
        _G,
        "Thursday afternoons worry me. By a quarter to four the little ones are "
        "exhausted, whatever the timetable says.",
        780,
        likes=(_W,),
    ),
    _c(
        "c18",
        _A,
        "Teacher retention is the headline for me. Every school near us is advertising "
        "for the same science posts. If this helps keep people, I'm for it.",
        720,
        likes=(_R, _P, _T),
    ),
    _c(
        "c19",
        _T,
        "Has anyone looked at what happens to teaching assistants' pay under this? "
        "Most are paid by the hour and the article doesn't say.",
        660,
        likes=(_A, _S),
    ),
    _c(
        "c20",
        _R,
        "In our school their hours stayed the same but moved around. Some of them now "
        "run the Friday clubs, which they enjoy, though it's been messy to organise.",
        640,
        parent="c19",
        likes=(_T,),
    ),
    _c(
        "c21",
        _P,
        "The opposition line about a five-day headache is a good soundbite but they "
        "haven't said what they would do about teacher vacancies instead.",
        600,
        likes=(_A,),
    ),
    _c(
        "c22",
        _S,
        "Both sides are talking past each other. Staff wellbeing and childcare for "
        "working parents are both real problems. The trial should be judged on whether "
        "it solves one without making the other worse.",
        540,
        likes=(_A, _W, _R, _G, _P, _T),
    ),
    _c(
        "c23",
        _W,
        "Well put, Sam.",
        530,
        parent="c22",
        likes=(_S,),
    ),
    _c(
        "c24",
        _G,
        "When I was a boy we walked two miles to school and back. I'm not saying that's "
        "better, mind. Just that every generation finds its own way.",
        480,
        likes=(_T,),
    ),
    _c(
        "c25",
        _A,
        "Any parents here from a secondary school that's applying? I'd be curious how "
        "it works with GCSE coursework deadlines.",
        420,
        likes=(_R,),
    ),
    _c(
        "c26",
        _T,
        "Not a parent, but my sister teaches in a secondary that's considering it. Their "
        "main worry is fitting practical exams into four days.",
        400,
        parent="c25",
        likes=(_A,),
    ),
    _c(
        "c27",
        _R,
        "For what it's worth, the children in my class were asked what they thought. "
        "Most liked it. The ones who didn't mostly missed their friends on Fridays.",
        360,
        likes=(_A, _S, _T),
    ),
    _c(
        "c28",
        _S,
        "Can the Ledger follow up when the attainment data is published in the spring? "
        "That is the number everyone is really waiting for.",
        300,
        likes=(_P, _G, _A, _R),
    ),
    _c(
        "c29",
        _P,
        "Interesting that attendance went up. You'd expect a longer day to put off the "
        "children who already struggle to come in.",
        240,
        likes=(_S,),
    ),
    _c(
        "c30",
        _A,
        "My guess is that having a day to catch up on appointments keeps Monday to "
        "Thursday clear. Dentist and doctor visits used to eat into school time for us.",
        220,
        parent="c29",
        likes=(_P, _R),
    ),
    _c(
        "c31",
        _G,
        "Good article, clearly explained. Thank you for including the numbers rather "
        "than just the quotes.",
        120,
        likes=(_S,),
    ),
    _c(
        "c32",
        _T,
        "I'd support it if the Friday provision were a legal entitlement with proper "
        "funding. Without that it's a gamble for working families.",
        45,
        likes=(_W, _A),
    ),
    _c(
        "c33",
        _S,
        "The quote from the head teacher about nobody handing in their notice is "
        "striking. That alone would save schools a fortune in agency fees.",
        35,
        likes=(_R,),
    ),
    _c(
        "c34",
        _W,
        "To be clear, I'm not against the idea. I'd just like someone who works nights "
        "to be on the panel that designs the next phase.",
        28,
        likes=(_A, _S, _T),
    ),
    _c(
        "c35",
        _R,
        "Reading these comments has been more useful than most of the staff meetings "
        "we had about the pilot. Thanks everyone for keeping it constructive.",
        20,
        likes=(_A, _W),
    ),
    _c(
        "c36",
        _P,
        "Worth remembering that several other countries already run shorter school "
        "weeks in rural areas. The evidence from abroad is mixed rather than damning.",
        12,
    ),
    _c(
        "c37",
        _A,
        "Applications close at the end of January, so governors reading this have a "
        "couple of months to talk to parents first. Please do.",
        6,
        likes=(_G,),
    ),
    # Premium stream: subscribers only.
    _c(
        "p1",
        _M,
        "As a governor at a pilot school I can add some colour: the hardest part was not "
        "the timetable but transport. Our bus contract had to be renegotiated twice.",
        900,
        stream="premium",
        likes=(_D, _P, _V),
    ),
    _c(
        "p2",
        _D,
        "That matches what we heard at our local authority meeting. The transport money "
        "seems to be missing from next year's figures entirely.",
        870,
        parent="p1",
        stream="premium",
        likes=(_M,),
    ),
    _c(
        "p3",
        _P,
        "Thanks both. Does anyone know whether the £42,000 includes transport or is "
        "purely for Friday activities?",
        850,
        parent="p2",
        stream="premium",
        likes=(_M, _D),
    ),
    _c(
        "p4",
        _D,
        "I would love to see the Ledger's data team compare the pilot schools against "
        "the national attendance figures month by month.",
        500,
        stream="premium",
        likes=(_M,),
    ),
    _c(
        "p5",
        _M,
        "Subscribers' question for the next live Q&A: will the evaluation team publish "
        "their full methodology?",
        150,
        stream="premium",
        likes=(_D, _P),
    ),
]

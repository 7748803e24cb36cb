"""Behaviour of the rule families per guideline: what is held, and the near misses that pass.

Every finding names its guideline, a passage inside the body and what it found.
"""

from __future__ import annotations

import pytest

from townhall.moderation.pipeline import Action, Rules, Submission, review

RULES = Rules(publisher_name="The Northern Echo")


def held(body: str, guideline: str) -> None:
    result = review(Submission(body=body, rules=RULES))
    assert result.action is not Action.PUBLISH, body
    finding = next((f for f in result.findings if f.guideline == guideline), None)
    assert finding is not None, (body, result.findings)
    assert finding.span is not None and 0 <= finding.span[0] < finding.span[1] <= len(body)
    assert finding.reason and finding.message and finding.suggestion


def published(body: str) -> None:
    result = review(Submission(body=body, rules=RULES))
    assert result.action is Action.PUBLISH, (body, result.findings)


@pytest.mark.parametrize(
    "body",
    [
        "Her mobile is 07700 900981, go on and give her an earful.",
        "Ring the bloke on 020 7946 0318 and tell him what you think of his fence.",
        "The manager's cell is (212) 555-0148, call him all night.",
        "Send him a thank-you: sort code 30-94-11, account 41827733.",
        "His IBAN is GB82 WEST 1234 5698 7654 32 if you fancy a refund.",
        "Card 4111 1111 1111 1111 expiry 04/28, belongs to the guy in the video.",
        "The girl in the clip is Amy Rourke, born 12 June 2009.",
        "That boy is Year 9 at Kingsmead Academy, everybody knows him.",
        "The cyclist, Tom Harker, works at the Boots on Castle Street.",
        "The nurse from the report leaves work at 6pm and walks home alone through the park.",
        "Dennis Corley from the planning row was diagnosed with schizophrenia last year.",
        '"NorthernTruth77" is actually Bill Carver from the allotment society.',
    ],
)
def test_private_details_of_a_third_party_are_held(body):
    held(body, "private_info")


@pytest.mark.parametrize(
    "body",
    [
        "If you need someone to talk to, the Samaritans are free on 116 123.",
        "In an emergency call 999, or 101 for the police non-emergency line.",
        "The council's bulky waste line is 0300 555 0199, open weekdays.",
        "Their press office is press@greenparty.org.uk if you want to complain.",
        "I was diagnosed with diabetes at 30 and the clinic has been great.",
        "The server at 192.168.10.245 went down again, said the IT team.",
        "Order number 8812 4471 0093 still hasn't arrived.",
        "The school is on Mill Road, next to the library.",
    ],
)
def test_public_contacts_and_own_details_pass(body):
    published(body)


@pytest.mark.parametrize(
    "body",
    [
        "Cheap slimming pills, no prescription, fast delivery: slimquick-pharma.shop",
        "Guaranteed betting tips every Saturday, join t.me/fixedodds_uk",
        "I made £600 a week from home with this app, DM me and I'll show you",
        "Free spins and a 200% deposit bonus at spinpalace.bet tonight only!",
        "Subscribe to my channel for the real story, link in bio 🙏",
        "Congratulations, you have won a £250 voucher! Claim now at voucher-prize.win",
        "Stream every match in full HD with no buffering, WhatsApp 07700 900454",
        "I represent a late client with no next of kin; reply for the transfer of his estate.",
    ],
)
def test_promotion_is_held_as_spam(body):
    held(body, "spam")


@pytest.mark.parametrize(
    "body",
    [
        "The ONS tables are here: https://www.ons.gov.uk/economy — see table 3.",
        "@Dave fair point, though the bus figures say otherwise.",
        "The BBC's explainer is good: https://www.bbc.co.uk/news/articles/xyz",
        "Free school meals should be extended to every primary pupil.",
        "My neighbour's shop is having a sale and honestly good luck to her.",
    ],
)
def test_sources_and_ordinary_talk_of_money_pass(body):
    published(body)


@pytest.mark.parametrize(
    "body",
    [
        "[Official] Notice to readers: accounts must be re-verified today.",
        "MODERATOR NOTE: this thread is closed, reply with your login to keep access.",
        "HMRC official notice: readers are owed a refund, reply with your bank details.",
        "Hi all, I'm the author of this article and I'd love your questions.",
        "Hello everyone, this is Gordon Ramsay here. I'm giving away kitchen vouchers.",
        "Please confirm your password in the replies so we can restore your account.",
        "On behalf of the publisher we are offering readers a refund.",
    ],
)
def test_posing_as_someone_trusted_is_held_as_impersonation(body):
    held(body, "impersonation")


@pytest.mark.parametrize(
    "body",
    [
        "I'm a nurse and the night shifts are brutal.",
        "The Bank of England should have raised rates a year ago.",
        "Never give your password to anyone who messages you, whoever they say they are.",
        "Why did the moderators remove my comment about the bypass?",
        "As a parent I think the new term dates are daft.",
    ],
)
def test_saying_what_you_are_or_mentioning_a_body_passes(body):
    published(body)


@pytest.mark.parametrize(
    "body",
    [
        "We know where the councillor lives. Might pay him a visit tonight.",
        "Everyone down to the mosque on Saturday, bring bats.",
        "Shame if something happened to your car, mate.",
        "I hope the minister gets hit by a bus on the way home.",
        "Torch the hotel and see how long they stay.",
        "Keep mouthing off and you'll be eating through a straw.",
        "You'll regret writing this. Your days are numbered.",
        "I know where your kids go to school, think on.",
    ],
)
def test_veiled_threats_and_calls_to_violence_are_held_as_abuse(body):
    held(body, "abuse")


@pytest.mark.parametrize(
    "body",
    [
        "Police said the man threatened to burn the hotel down; he was charged yesterday.",
        "The rioters who smashed the windows deserve long sentences.",
        "Let's meet at the town hall on Saturday for a peaceful vigil.",
        "We'll beat them at home next week, no doubt about it.",
    ],
)
def test_reports_and_peaceful_calls_pass(body):
    published(body)


@pytest.mark.parametrize(
    "body",
    [
        "Refugees shouldn't be allowed to vote or claim anything.",
        "No more mosques in this town, send them all back.",
        "They breed like rabbits and the rest of us pay for it.",
        "Bulgarians are all pickpockets and beggars, everyone knows it.",
        "The Rothschilds are behind every war, follow the money.",
        "Women shouldn't be allowed to run companies.",
        "Get back in the kitchen, nobody asked you.",
        "Gay couples shouldn't be allowed to adopt.",
        "Every trans woman is a predator in a dress.",
        "I can't stand immigrants, never have.",
    ],
)
def test_slur_free_identity_hate_is_held_as_discrimination(body):
    held(body, "discrimination")


@pytest.mark.parametrize(
    "body",
    [
        'A man on the train shouted that refugees are "vermin". Disgusting, he should be charged.',
        "Women are still under-represented on company boards.",
        "Immigrants should be treated fairly and their claims processed quickly.",
        "The mosque on our street runs a brilliant food bank.",
        "Two of my colleagues are gay and nobody at work cares.",
        "It's a myth that immigrants are criminals; the figures say otherwise.",
        "I don't hate immigrants, I just want the asylum system to work.",
    ],
)
def test_counter_speech_and_neutral_mentions_pass(body):
    published(body)


@pytest.mark.parametrize(
    "body",
    [
        "@Gary you're a complete muppet, log off.",
        "The columnist is a smug, talentless little weasel.",
        "You absolute plonker, read the article first.",
        "Thick as two short planks, this one.",
    ],
)
def test_put_downs_aimed_at_a_person_are_held_as_abuse(body):
    held(body, "abuse")


@pytest.mark.parametrize(
    "body",
    [
        "This budget is a disgrace and the minister knows it.",
        "You're right about the bus lanes, I hadn't thought of that.",
        "You are a person who clearly cares about this town.",
        "The sentencing guidelines are a joke.",
    ],
)
def test_criticism_of_things_and_kind_words_pass(body):
    published(body)


def test_the_author_message_never_contains_the_matched_word():
    body = "You are a total wanker, mate."
    result = review(Submission(body=body, rules=RULES))
    note = result.for_author()
    assert "wank" not in str(note).lower()
    finding = result.findings[0]
    assert "w****r" in finding.reason  # moderators see it masked
    assert body[slice(*finding.span)].lower() == "wanker"

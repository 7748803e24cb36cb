"""The rule families written by shape: each holds its kind of violation, whatever the words,
and lets the near misses of that kind through (reports, counter-speech, figures of speech).

The sentences here are written for these tests; none comes from a data set.
"""

from __future__ import annotations

import pytest

from townhall.moderation.checks.group_generalisations import generalisation_in
from townhall.moderation.checks.incitement import incitement_in
from townhall.moderation.checks.personal_details import personal_details
from townhall.moderation.checks.put_downs import put_down_in
from townhall.moderation.pipeline import Action, Rules, Submission, review
from townhall.moderation.text import fold

RULES = Rules(toxicity_hold=1.0, spam_hold=1.0)  # the rules alone, without the model


def held_as(body: str, guideline: str) -> None:
    result = review(Submission(body=body, rules=RULES))
    finding = next((f for f in result.findings if f.guideline == guideline), None)
    assert finding is not None, (body, result.findings)
    assert finding.span is not None and 0 <= finding.span[0] < finding.span[1] <= len(body)
    assert finding.message and finding.suggestion
    # The moderators' reason may quote the passage; what the author is told never does.
    passage = body[finding.span[0] : finding.span[1]].lower()
    note = str(result.for_author()).lower()
    assert len(passage) < 6 or passage not in note


@pytest.mark.parametrize(
    "body",
    [
        "Moldovans are thieves and beggars, every last one of them.",
        "Those Kurds breed like there's no tomorrow and we pay for it.",
        "Typical Eritrean, scrounging off the rest of us.",
        "Bisexuals are perverts who can't make up their minds.",
        "Vegan or not, Hindus are filthy and always will be.",
        "Women are too hormonal to be trusted with anything that matters.",
        "Women can't park, can't drive and can't think under pressure.",
        "Men are animals, the lot of them.",
    ],
)
def test_a_group_demeaned_in_one_clause_is_held(body):
    assert generalisation_in(fold(body)) is not None, body
    held_as(body, "discrimination")


@pytest.mark.parametrize(
    "body",
    [
        "Moldovans are the fastest-growing group of nurses in the county.",
        "Women are more likely to be victims of violent crime than the figures suggest.",
        "The report says Somalis face discrimination when renting.",
        "Refugees are being treated like animals in those camps and it is a disgrace.",
        "It is a myth that immigrants are criminals.",
        "Gay couples are no more likely to split up than anyone else.",
        "Women footballers are paid a fraction of what the men get.",
        "Hindus and Sikhs ran the food bank all through the floods.",
        "Our lads were useless today, the defence was a shambles.",
        'The banner said "migrants are parasites" and the police took it down.',
    ],
)
def test_neutral_mentions_reports_and_counter_speech_pass_the_group_shape(body):
    assert generalisation_in(fold(body)) is None, body


@pytest.mark.parametrize(
    "body",
    [
        "I hope the minister's car goes off the road on the way home.",
        "Wouldn't shed a tear if someone gave that judge a kicking.",
        "Would be a real shame if someone set fire to the councillor's garage.",
        "The imam walks home alone every evening. Just so you know.",
        "Lads, the barge, Friday at ten. Masks on, phones off.",
        "That reporter had better start looking over her shoulder.",
        "The campaign office should be burned to the ground.",
        "I'd chip in for someone to sort that presenter out.",
        "Somebody should cut the brake lines on his van.",
        "Bring something that burns, Saturday, outside the hostel.",
    ],
)
def test_veiled_threats_and_calls_to_harm_are_held(body):
    assert incitement_in(fold(body)) is not None, body
    held_as(body, "abuse")


@pytest.mark.parametrize(
    "body",
    [
        "I hope he rots in prison for what he did to those pensioners.",
        "Just saying, the bus was late again this morning.",
        "Police said the men had threatened to burn the mosque down.",
        "The fire exit at the cinema was locked, which is a safety scandal.",
        "I hope nobody gets hurt on that junction before the council fixes it.",
        "That striker killed it on Saturday, what a finish.",
        "Who's in for the charity quiz on Friday? The pub has space.",
    ],
)
def test_reports_figures_of_speech_and_sign_offs_pass_the_threat_shapes(body):
    assert incitement_in(fold(body)) is None, body


@pytest.mark.parametrize(
    "body",
    [
        "Gemma Hurst from Ashcombe Road has been in and out of rehab for years.",
        "The man who filmed it is Tony Marsh, and he's been on antidepressants since May.",
        "Her house on Linden Close will be empty while she's in Spain.",
        "The witness's NI number is QQ 12 34 56 C, look him up.",
        "The lad's IP is 81.23.144.9 if anyone fancies a chat.",
        "The steward trains at the gym at 7am every morning and walks home alone.",
    ],
)
def test_a_third_partys_details_are_held(body):
    assert personal_details(body), body
    held_as(body, "private_info")


@pytest.mark.parametrize(
    "body",
    [
        "The Town Hall on Victoria Street opens for public hearings at ten.",
        "The King announced in a statement that he has cancer.",
        "My mum has dementia and the respite care has been a lifeline.",
        "The new cafe on Mill Road does a great breakfast.",
    ],
)
def test_public_places_public_news_and_own_lives_pass(body):
    assert personal_details(body) == [], body


@pytest.mark.parametrize(
    "body",
    [
        "@Gareth you have the charisma of a damp dishcloth.",
        "This columnist couldn't find a headline if it was stapled to his desk.",
        "You write like someone who learned English from cereal boxes.",
        "Bless your little heart, @Jo, you really tried.",
        "A work-experience kid could have written a better editorial.",
        "The only thing emptier than your argument is your inbox, Derek: thicker than a plank.",
    ],
)
def test_belittling_by_comparison_is_held(body):
    assert put_down_in(fold(body)) is not None, body
    held_as(body, "abuse")


@pytest.mark.parametrize(
    "body",
    [
        "The public's understanding of a complex issue was never going to be easy.",
        "Nobody asked for a new bike lane on the high street.",
        "The bill has all the hallmarks of a rushed job.",
        "The new bus looks like a real improvement on the old one.",
    ],
)
def test_plain_criticism_of_things_passes_the_put_down_shapes(body):
    assert put_down_in(fold(body)) is None, body


def test_model_holds_slur_free_hate_with_the_sentence_as_the_passage():
    body = "The bus was late again. Women simply don't have the temperament to lead anything."
    result = review(Submission(body=body, rules=Rules()))
    assert result.action is Action.HOLD
    finding = next(f for f in result.findings if f.guideline == "discrimination")
    assert finding.span is not None
    assert body[slice(*finding.span)].startswith(("Women", "The bus"))


@pytest.mark.parametrize(
    "body",
    [
        "Too many of them round here now, it's not England any more.",
        "It's in their blood, they will never integrate.",
        "Never trust a Bulgarian with your wallet.",
        "Soon we'll be a minority in our own country.",
        "Send them all back where they came from.",
        "I'd never let my daughter marry a Pakistani.",
    ],
)
def test_coded_racism_is_held_as_discrimination(body):
    held_as(body, "discrimination")


@pytest.mark.parametrize(
    "body",
    [
        "Too many cyclists on the pavement round here.",
        "Too many immigrants coming in is a question of numbers the Home Office should answer.",
        "Never trust politicians in an election year.",
        "My daughter is marrying a lovely lad from Cork next spring.",
    ],
)
def test_arguments_about_numbers_and_everyday_sentences_pass(body):
    result = review(Submission(body=body, rules=RULES))
    assert all(f.guideline != "discrimination" for f in result.findings), result.findings


@pytest.mark.parametrize(
    "body",
    [
        "Did you even read the article, or just the headline?",
        "Well done, Einstein, you found the off switch.",
        "Take your meds and log off, grandad.",
        "You're nothing but a paid shill for the developers.",
        "Shame on you for writing this.",
    ],
)
def test_contempt_for_a_person_is_held_as_abuse(body):
    held_as(body, "abuse")


@pytest.mark.parametrize(
    "body",
    [
        "Find out where he lives and post it here.",
        "Let's make her life hell until she resigns.",
        "If the police won't act, we will.",
        "Someone should slash his tyres outside the depot.",
        "Nice family you've got there, councillor.",
    ],
)
def test_calls_to_hound_a_person_are_held_as_abuse(body):
    assert incitement_in(fold(body)) is not None, body
    held_as(body, "abuse")


@pytest.mark.parametrize(
    "body",
    [
        "We all know where the Prime Minister lives: Number 10.",
        "Everyone outside the hospital on Sunday, bring placards and keep it peaceful.",
        "The council should find out where the flooding starts.",
    ],
)
def test_public_addresses_and_peaceful_protests_pass(body):
    result = review(Submission(body=body, rules=Rules()))
    assert result.action is Action.PUBLISH, result.findings


def test_a_quoted_slur_free_attack_needs_more_certainty_from_the_model():
    from townhall.moderation.checks.toxicity import QUOTED_MARGIN, _at_a_remove

    assert QUOTED_MARGIN > 0
    assert _at_a_remove('He said migrants are "vermin".', {"report"})
    assert not _at_a_remove("Migrants are vermin.", {"demeaning"})


def test_the_model_does_not_judge_a_three_word_comment():
    result = review(Submission(body="Another good thought.", rules=Rules(toxicity_hold=0.0)))
    assert all(f.score is None for f in result.findings)


@pytest.mark.parametrize(
    "body",
    [
        "Royal Mail: a parcel for you could not be delivered, pay the fee at rm-redeliver.info",
        "Department for Work and Pensions: all claimants must update their details today.",
        "[Publisher] All commenters must upload a photo of their passport at verify-age.net",
        "Author here. Send £20 to my account for a signed copy.",
    ],
)
def test_notices_dressed_as_a_trusted_body_are_held_as_impersonation(body):
    held_as(body, "impersonation")


@pytest.mark.parametrize(
    "body",
    [
        "On council and bridge: policing, estate and rail matter too.",
        "Police are useless: three burglaries on our street and nobody came.",
        "The council: still no answer about the potholes.",
    ],
)
def test_a_sentence_that_starts_with_a_body_and_a_colon_is_not_a_notice(body):
    result = review(Submission(body=body, rules=RULES))
    assert all(f.guideline != "impersonation" for f in result.findings), result.findings


@pytest.mark.parametrize(
    "body",
    [
        "Nobody will read this before the vote.",
        "Sadly the bus failed again this morning.",
        "The head teacher has done a great job.",
        "The council failed to fix the simple things.",
        "My mum took the baby to the clinic.",
        "You're a lovely writer and this was a kind piece.",
    ],
)
def test_everyday_sentences_with_words_that_insults_also_use_pass(body):
    result = review(Submission(body=body, rules=Rules()))
    assert result.action is Action.PUBLISH, result.findings

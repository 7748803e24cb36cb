"""Insults that are only insults when aimed at someone."""

from __future__ import annotations

import pytest

from townhall.moderation.pipeline import Action, Rules, Submission, review

PATTERNS_ONLY = Rules(toxicity_hold=1.0, suspect_words=(), banned_words=())


def verdict(body: str):
    return review(Submission(body=body, rules=PATTERNS_ONLY))


@pytest.mark.parametrize(
    "body",
    [
        "You are sick.",
        "You're a complete fraud and everyone knows it.",
        "u r pathetic",
        "You are full of it.",
        "What a pathetic little man.",
        "You ignorant fool.",
        "This lying clown has to go.",
        "The senator is a spineless coward.",
        "Your stupidity is astounding.",
        "He is a waste of space.",
        "What a sorry excuse for a journalist.",
        "Human garbage, all of them.",
        "Get a life.",
        "Crawl back under your rock.",
        "Written from your mom's basement, no doubt.",
        "You libs never learn.",
        "Nobody cares what you think.",
        "He is a sick puppy.",
        "Stop drinking the Kool-Aid.",
    ],
)
def test_targeted_insults_are_held_as_abuse(body):
    result = verdict(body)
    assert result.action is Action.HOLD
    assert result.guideline == "abuse"


@pytest.mark.parametrize(
    "body",
    [
        "If you are sick, stay at home and call your doctor.",
        "You're sick of hearing about it, I know.",
        "It was a crazy week for the council.",
        "The joke fell flat with the audience.",
        "That is a racist policy and it should be repealed.",
        "I think you are wrong about the budget, and here is why.",
        "The minister's record on housing is a disgrace.",
        "He should get a life sentence for this.",
        "What a sad day for the town.",
        "This is a fine piece of work by the reporter.",
        "Sick people need a health service that works.",
        "A mentally ill man was detained by police.",
        "The plant treats human waste from three towns.",
        "Thank you, you guys did a great job.",
    ],
)
def test_heated_or_ordinary_language_passes(body):
    assert verdict(body).action is Action.PUBLISH


@pytest.mark.parametrize(
    "body",
    [
        "These people are animals.",
        "You suck.",
        "To hell with you.",
        "What a load of BS.",
        "Get lost.",
        "Grow up!",
    ],
)
def test_dehumanising_and_dismissive_phrases_are_held(body):
    assert verdict(body).action is Action.HOLD


@pytest.mark.parametrize(
    "body",
    [
        "You suck at chess, admit it.",
        "She has a BS in chemistry from a state college.",
        "Tourists get lost in the old town every summer.",
        "Children grow up fast these days.",
        "They are animals that live in the forest.",
    ],
)
def test_ordinary_uses_of_the_same_words_pass(body):
    assert verdict(body).action is Action.PUBLISH


@pytest.mark.parametrize(
    "body",
    ["Trump is a narcissist.", "Hillary is a crook.", "He is a fraud.", "She's a racist."],
)
def test_a_person_labelled_is_held(body):
    assert verdict(body).action is Action.HOLD


@pytest.mark.parametrize(
    "body",
    [
        "This is a disgrace.",
        "The election was a fraud, he claims.",
        "The report is a joke.",
        "Tom is a great guy.",
        "Islam is a religion of more than a billion people.",
    ],
)
def test_things_labelled_pass(body):
    assert verdict(body).action is Action.PUBLISH

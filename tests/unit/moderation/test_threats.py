"""Threats and incitement, and violence or hatred aimed at a whole group."""

from __future__ import annotations

import pytest

from townhall.moderation.pipeline import Action, Rules, Submission, review

WORDS_ONLY = Rules(toxicity_hold=1.0, suspect_words=(), banned_words=())


def verdict(body: str):
    return review(Submission(body=body, rules=WORDS_ONLY))


@pytest.mark.parametrize(
    "body",
    [
        "Someone should shoot him before the election.",
        "They all deserve to be hanged for this.",
        "I hope you get cancer.",
        "That man deserves a bullet.",
        "Round them up and kill them all.",
        "We're going to hurt you if you keep writing this.",
    ],
)
def test_threats_are_held_as_abuse(body):
    result = verdict(body)
    assert result.action is Action.HOLD
    assert result.guideline == "abuse"


@pytest.mark.parametrize(
    "body",
    [
        "We will beat them in the final on Saturday.",
        "The drugs kill them slowly, says the coroner.",
        "He was hanged, drawn and quartered in 1351.",
        "I hope you enjoy the show.",
        "Shoot me an email if you want the full dataset.",
    ],
)
def test_violent_words_in_ordinary_sentences_pass(body):
    assert verdict(body).action is Action.PUBLISH


@pytest.mark.parametrize(
    "body",
    ["I hate muslims.", "Jews should all be gassed.", "Women are inferior.", "Gays are a disease."],
)
def test_attacks_on_a_protected_group_are_held_as_discrimination(body):
    result = verdict(body)
    assert result.action is Action.HOLD
    assert result.guideline == "discrimination"


@pytest.mark.parametrize(
    "body",
    [
        "I hate Mondays.",
        "Immigrants should be welcomed, not feared.",
        "Muslims are celebrating Eid this week.",
        "Women are under-represented on the council.",
    ],
)
def test_statements_about_groups_that_attack_nobody_pass(body):
    assert verdict(body).action is Action.PUBLISH

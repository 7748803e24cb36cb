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
        "Traitors like him should be hanged for treason.",
        "He should be taken out back and shot.",
        "Somebody needs to take that guy out back.",
        "I'll punch you in the face if I ever meet you.",
        "I would gladly strangle that idiot.",
        "I'm going to beat the crap out of him.",
        "I'd love to see him hang.",
        "Put a bullet in his head and be done with it.",
        "I hope he dies a slow death.",
        "Hope they all get shot.",
        "I hope he chokes on it.",
        "Line them up against a wall.",
        "String him up from the nearest tree.",
        "You're a dead man.",
        "You will be killed.",
        "The only good liberal is a dead liberal.",
        "She deserves to die for what she did.",
        "These thugs should be shot on sight.",
        "Rioters should be shot dead in the street.",
        "Someone should run him over.",
        "That pig needs a good beating.",
        "If I see you again I'll slit your throat.",
        "I know where you live.",
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
        "I'll shoot you an email tomorrow.",
        "Police said the man was shot twice in the chest.",
        "The committee shot down the proposal.",
        "We need to kill this bill before it passes.",
        "We should execute the plan as written.",
        "They should slap them with a fine.",
        "Hang them out to dry, that is what the party did.",
        "The senator hung the portrait in his office.",
        "The jury was hung after three days.",
        "The assassin in the film is played by Keanu Reeves.",
        "I'd kill for a decent coffee right now.",
        "Critics say the reform will hurt them most.",
        "They will kill him if he is sent back to Syria.",
        "She said she would take him out for dinner.",
        "I hope they choke in the playoffs again.",
        "I hope you get well soon.",
        "I hope they suffer the consequences at the ballot box.",
        "He deserves the death penalty after a fair trial.",
    ],
)
def test_violent_words_in_ordinary_sentences_pass(body):
    assert verdict(body).action is Action.PUBLISH


@pytest.mark.parametrize(
    "body",
    [
        "No one deserves to die like that.",
        "Nobody should be shot over a traffic stop.",
        "I do not think he should be hanged, whatever he did.",
        "Do they deserve to die? Of course not.",
        "I hope he rots in jail.",
    ],
)
def test_negated_or_questioned_violence_passes(body):
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


@pytest.mark.parametrize(
    "body",
    [
        "No one deserves to die like that.",
        "Nobody should be shot over a traffic stop.",
        "The bill should be killed in committee.",
    ],
)
def test_default_lists_leave_negated_violence_alone(body):
    result = review(Submission(body=body, rules=Rules(toxicity_hold=1.0)))
    assert result.action is Action.PUBLISH


@pytest.mark.parametrize(
    "body", ["Smith should be hanged.", "That traitor should be shot.", "Hope she dies."]
)
def test_calls_for_violence_against_a_named_person_are_held(body):
    result = review(Submission(body=body, rules=Rules(toxicity_hold=1.0)))
    assert result.action is Action.HOLD


@pytest.mark.parametrize(
    "body", ["Hang the traitors!", "Just shoot them.", "He should be put out of his misery."]
)
def test_bare_calls_to_violence_are_held(body):
    assert verdict(body).action is Action.HOLD

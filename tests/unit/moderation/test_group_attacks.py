"""Attacks on whole groups, and the ways of talking about groups that are not attacks."""

from __future__ import annotations

import pytest

from townhall.moderation.checks.group_attacks import _sections, patterns
from townhall.moderation.pipeline import Action, Rules, Submission, review

PATTERNS_ONLY = Rules(toxicity_hold=1.0, suspect_words=(), banned_words=())


def verdict(body: str):
    return review(Submission(body=body, rules=PATTERNS_ONLY))


@pytest.mark.parametrize(
    "body",
    [
        "Muslims are inherently violent.",
        "Islam is a religion of violence.",
        "Homosexuality is a mental illness.",
        "All Mexicans are criminals and rapists.",
        "Filthy muslims everywhere you look.",
        "Stupid white people voted for him.",
        "The jews control the media.",
        "Muslims want to impose sharia on us.",
        "Muslims should be banned from entering the country.",
        "Women should stay in the kitchen.",
        "Women should not be allowed to vote.",
        "Black people are lazy.",
        "White people are racist, all of them.",
        "Trans people are a mental disorder.",
        "Refugees are invaders.",
        "I hate Mexicans.",
        "Ban all muslims.",
        "Typical muslim scum.",
        "If you don't like it, go back to Africa.",
        "Send them back to where they came from.",
    ],
)
def test_attacks_on_protected_groups_are_held_as_discrimination(body):
    result = verdict(body)
    assert result.action is Action.HOLD
    assert result.guideline == "discrimination"


@pytest.mark.parametrize(
    "body", ["Liberals are mentally ill.", "Cops are pigs.", "Lying democrats, again."]
)
def test_name_calling_of_political_camps_is_held_as_abuse(body):
    result = verdict(body)
    assert result.action is Action.HOLD
    assert result.guideline == "abuse"


@pytest.mark.parametrize(
    "body",
    [
        "Trump said Mexicans are rapists, and the crowd cheered.",
        "The myth that immigrants are criminals does not survive the data.",
        "No one thinks women are inferior.",
        "Why would anyone say that Muslims are terrorists?",
        "Canadians are sick of waiting for the pipeline.",
        "Women are crazy about the new series.",
        "Illegal immigrants should be deported under the law.",
        "Muslims should not be banned from anything.",
        "Muslims are celebrating Eid this week.",
        "The typical American family spends more on rent.",
        "Violent men who abuse women must face trial.",
        "Illiterate women in rural areas benefit most from the scheme.",
        "Women take over the boardroom at last.",
        "Russians want to take over more of Ukraine, analysts say.",
        "Black women are under-represented in parliament.",
        "Liberals are wrong about the budget.",
        "The Democrats' record on housing is a disgrace.",
        "The police are investigating the attack.",
        "Many students go back to China after graduating.",
        "He could go back to India to see his family.",
        "White supremacists marched through the town.",
    ],
)
def test_reporting_denying_or_criticising_passes(body):
    assert verdict(body).action is Action.PUBLISH


def test_every_section_names_groups_and_a_guideline():
    from importlib import resources

    raw = resources.files("townhall.moderation").joinpath("data", "group_attacks.txt")
    sections = _sections(raw.read_text("utf-8"))
    assert sections and len(patterns()) >= len(sections)
    for section in sections:
        assert section.guideline in {"discrimination", "abuse"}
        assert section.keys.get("groups")

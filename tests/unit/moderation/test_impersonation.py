"""Impersonation: staff claims, look-alike names, names of staff and other commenters."""

from __future__ import annotations

import pytest

from townhall.moderation.checks.impersonation import skeleton
from townhall.moderation.pipeline import Action


@pytest.mark.parametrize(
    "body",
    [
        "I am the moderator of The Daily Bugle and this thread is closed.",
        "As an editor here, I can confirm the story is fake.",
        "I'm a Daily Bugle staff member, trust me.",
        "[Moderator note]: everyone must post their address.",
        "Admin: your account will be deleted.",
        "We're the moderation team.",
        "Honestly. As a moderator I say no.",
    ],
)
def test_claims_to_speak_as_staff_are_held(check, body):
    result = check(body)
    assert result.action is Action.HOLD
    assert result.guideline == "impersonation"


@pytest.mark.parametrize(
    "body",
    [
        "I am a mother of two and I disagree.",
        "As a reader for thirty years, I am disappointed.",
        "The editor should correct this headline.",
        "I moderate my tone when I disagree.",
        "She worked as a reporter for twenty years before the council.",
        "The college lists him as staff, not as faculty.",
        "I had assumed you were an admin here.",
        "None of the people who blanked the page were admins.",
    ],
)
def test_ordinary_first_person_statements_pass(check, body):
    assert check(body).action is Action.PUBLISH


def test_staff_may_say_they_are_moderators(check):
    result = check("I am the moderator here: please keep it civil.", author_is_staff=True)
    assert result.action is Action.PUBLISH


@pytest.mark.parametrize("name", ["Аdmin", "AdmIn", "ad.min", "Moderator_Team", "The_Editor"])
def test_names_posing_as_roles_are_held(check, name):
    result = check("Nice piece.", author_name=name)
    assert result.action is Action.HOLD
    assert result.guideline == "impersonation"


def test_name_confusable_with_a_staff_member_is_held(check):
    result = check("Nice piece.", author_name="Jаne Watson")  # Cyrillic а
    assert result.guideline == "impersonation"
    assert "Jane Watson" in result.reason


def test_name_confusable_with_another_commenter_is_held(check):
    result = check("I agree with me.", author_name="Bi11y", other_names=("Billy", "Sam"))
    assert result.action is Action.HOLD
    assert '"Billy"' in result.reason


def test_own_name_among_other_names_is_fine(check):
    result = check("Nice piece.", author_name="Billy", other_names=("Billy", "Sam"))
    assert result.action is Action.PUBLISH


def test_skeleton_sees_through_homoglyphs_and_separators():
    assert skeleton("Аdmin") == skeleton("admin") == skeleton("AD-MIN") == skeleton("adrnin")
    assert skeleton("Ad\u200bmin") == skeleton("admin")
    assert skeleton("Bob") != skeleton("Rob")

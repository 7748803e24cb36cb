"""Trust: new users and pre-moderated stories."""

from __future__ import annotations

from townhall.moderation.pipeline import Action, Rules


def test_new_users_are_held_for_their_first_comments(check):
    rules = Rules(new_user_hold_count=3)
    result = check("Hello all.", rules=rules, author_published_count=2)
    assert result.action is Action.HOLD
    assert result.guideline == "trust"
    assert check("Hello all.", rules=rules, author_published_count=3).action is Action.PUBLISH


def test_new_user_hold_is_off_by_default(check):
    assert check("Hello all.", author_published_count=0).action is Action.PUBLISH


def test_premoderated_story_holds_everything(check):
    result = check("Hello all.", story_premoderate=True, author_published_count=500)
    assert result.action is Action.HOLD
    assert result.guideline == "trust"


def test_staff_are_trusted(check):
    rules = Rules(new_user_hold_count=3)
    assert check("Hello.", rules=rules, story_premoderate=True, author_is_staff=True).action is (
        Action.PUBLISH
    )

"""Rules.from_settings: defaults, unknown keys, type and range checks."""

from __future__ import annotations

import pytest

from townhall.errors import ValidationFailed
from townhall.moderation.classifier import load_model
from townhall.moderation.pipeline import Rules


def test_defaults_are_usable():
    rules = Rules.from_settings({})
    assert rules == Rules()
    assert rules.banned_words and rules.suspect_words
    assert rules.toxicity_reject is None
    assert rules.new_user_hold_count == 0
    assert rules.default_region == "GB"


def test_default_thresholds_are_the_ones_the_training_script_chose():
    model = load_model()
    assert Rules().toxicity_hold == pytest.approx(model.toxic.threshold, abs=0.001)
    assert Rules().insult_hold == pytest.approx(model.insult.threshold, abs=0.001)
    assert Rules().hate_hold == pytest.approx(model.hate.threshold, abs=0.001)
    assert Rules().threat_hold == pytest.approx(model.threat.threshold, abs=0.001)
    assert Rules().spam_hold == pytest.approx(model.spam.threshold, abs=0.001)


def test_unknown_keys_are_ignored_and_lists_become_tuples():
    rules = Rules.from_settings(
        {"max_links": 4, "staff_names": ["Ann", " Bo "], "colour": "red", "default_region": "us"}
    )
    assert rules.max_links == 4
    assert rules.staff_names == ("Ann", "Bo")
    assert rules.default_region == "US"


def test_word_lists_may_be_pasted_one_per_line():
    rules = Rules.from_settings({"suspect_words": "plonker\n\nnumpty\n"})
    assert rules.suspect_words == ("plonker", "numpty")


def test_reject_threshold_can_be_switched_on():
    assert Rules.from_settings({"toxicity_reject": 0.999}).toxicity_reject == 0.999
    assert Rules.from_settings({"toxicity_reject": None}).toxicity_reject is None


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        ({"max_links": "3"}, "max_links"),
        ({"max_links": True}, "max_links"),
        ({"max_links": -1}, "max_links"),
        ({"toxicity_hold": 1.5}, "toxicity_hold"),
        ({"toxicity_hold": "high"}, "toxicity_hold"),
        ({"toxicity_hold": 0.9, "toxicity_reject": 0.5}, "toxicity_reject"),
        ({"banned_words": [1, 2]}, "banned_words"),
        ({"banned_words": {"a": 1}}, "banned_words"),
        ({"default_region": "XX"}, "default_region"),
        ({"publisher_name": 7}, "publisher_name"),
    ],
)
def test_bad_settings_are_refused_with_the_field_named(settings, field):
    with pytest.raises(ValidationFailed) as info:
        Rules.from_settings(settings)
    assert info.value.fields["errors"][0]["field"] == field


def test_bad_settings_are_also_value_errors():
    with pytest.raises(ValueError, match="max_links"):
        Rules.from_settings({"max_links": "many"})

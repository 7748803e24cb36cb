"""Site settings: defaults and validation."""

from __future__ import annotations

import pytest

from townhall.domain.site import SiteConfig, validate_settings
from townhall.errors import ValidationFailed


def test_premium_label_reads_in_running_text():
    assert SiteConfig(id="x", name="The Daily Ledger").premium_name == "Daily Ledger Premium"
    assert SiteConfig(id="x", name="Courier").premium_name == "Courier Premium"
    assert SiteConfig(id="x", name="The Ledger", premium_label="Plus").premium_name == "Plus"


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"max_body": 0}, "max_body", "range"),
        ({"max_body": True}, "max_body", "type"),
        ({"guidelines": "be nice"}, "guidelines", "type"),
        ({"colour": "red"}, "colour", "unknown"),
    ],
)
def test_bad_settings_name_the_field_and_rule(changes, field, rule):
    with pytest.raises(ValidationFailed) as err:
        validate_settings(changes)
    assert err.value.fields["errors"][0]["field"] == field
    assert err.value.fields["errors"][0]["rule"] == rule

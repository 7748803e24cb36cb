"""Private information: phone numbers, e-mail and street addresses of third parties."""

from __future__ import annotations

import pytest

from townhall.moderation.checks.private_info import find_phones
from townhall.moderation.pipeline import Action, Rules


@pytest.mark.parametrize(
    "body",
    [
        "His mobile is 07911 123456, give him a ring",
        "call her on +44 7911 123456",
        "Their landline: 0161 496 0123",
    ],
)
def test_phone_numbers_are_held(check, body):
    result = check(body)
    assert result.action is Action.HOLD
    assert result.guideline == "private_info"
    assert "phone" in result.reason


def test_us_numbers_are_found_with_a_us_region():
    rules = Rules(default_region="US")
    assert find_phones("call 212-555-0187 now", rules) == [(5, 17)]


def test_email_address_is_held(check):
    result = check("Email the idiot's wife at jane.doe@example.com")
    assert any(f.guideline == "private_info" and "e-mail" in f.reason for f in result.findings)


def test_street_address_is_held(check):
    result = check("He lives at 42 Acacia Avenue, go and tell him what you think")
    assert result.action is Action.HOLD
    assert result.guideline == "private_info"
    assert "address" in result.reason


def test_publisher_switchboard_in_a_correction_notice_passes(check):
    body = "Correction: the story has been amended. Call our switchboard on 020 7123 4567."
    assert check(body).action is Action.PUBLISH


def test_publisher_address_and_email_pass(check):
    body = "Write to us at letters@dailybugle.co.uk or 1 Fleet Street, London EC4A 2BB."
    assert check(body).action is Action.PUBLISH


def test_famous_public_address_passes(check):
    assert check("Protesters gathered outside 10 Downing Street.").action is Action.PUBLISH


@pytest.mark.parametrize(
    "body",
    [
        "In 2015 and 2016 the deficit was 1,000,000 pounds.",
        "The vote was 312 to 290 on 14/03/2019.",
        "Flight BA 2490 left at 10:45.",
    ],
)
def test_numbers_that_are_not_phone_numbers_pass(check, body):
    assert check(body).action is Action.PUBLISH

"""Helpers shared by the moderation unit tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from townhall.moderation.pipeline import Review, Rules, Submission, review


@pytest.fixture
def rules() -> Rules:
    """Default rules for a publisher with its own contacts and staff."""
    return Rules(
        publisher_name="The Daily Bugle",
        staff_names=("Jane Watson",),
        publisher_contacts=(
            "020 7123 4567",
            "letters@dailybugle.co.uk",
            "1 Fleet Street, London EC4A 2BB",
        ),
    )


@pytest.fixture
def check(rules: Rules) -> Callable[..., Review]:
    """Review a body with the fixture rules; keyword arguments go to Submission."""

    def run(body: str, **overrides: Any) -> Review:
        return review(Submission(body=body, rules=overrides.pop("rules", rules), **overrides))

    return run

"""name_problem: profane names and names posing as staff or the publisher."""

from __future__ import annotations

import pytest

from townhall.moderation.pipeline import name_problem


@pytest.mark.parametrize("name", ["FuckFace", "Shit_Stirrer", "xXniggerXx", "b1tch", "Idiot99"])
def test_profane_names_are_refused(rules, name):
    problem = name_problem(name, rules)
    assert problem is not None
    assert "not allowed" in problem


@pytest.mark.parametrize("name", ["Admin", "Аdmin", "moderator", "TheDailyBugle", "Jane Watson"])
def test_names_posing_as_staff_or_publisher_are_refused(rules, name):
    problem = name_problem(name, rules)
    assert problem is not None
    assert "looks like" in problem


@pytest.mark.parametrize(
    "name",
    ["Scunthorpe Fan", "ClassicReader", "StaffordshireLad", "Cassandra", "Dick Whittington"],
)
def test_innocent_names_are_accepted(rules, name):
    assert name_problem(name, rules) is None

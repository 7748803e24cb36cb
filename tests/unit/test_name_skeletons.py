"""Commenting-name skeletons: look-alike spellings collide, different names do not."""

from __future__ import annotations

import pytest

from townhall.auth.names import look_alike_groups, reserved_problem, skeleton


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Carol Reader", "CaroI Reader"),  # capital i for small L
        ("Dan Second", "Dan Sec0nd"),  # zero for o
        ("Lily Allen", "1ily A11en"),  # one for l
        ("moderator", "rnoderator"),  # r + n for m
        ("Emma Stone", "Ernrna Stone"),
        ("Paula", "PAULA"),
        ("Paula", "Pаula"),  # Cyrillic а
        ("Jo Smith", "Jo_Smith"),
        ("Olga", "0lga"),
    ],
)
def test_look_alike_names_share_a_skeleton(one, other):
    assert skeleton(one) == skeleton(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [("Carol Reader", "Caron Reader"), ("Dan Second", "Dan Seconds"), ("Mark", "Mary")],
)
def test_different_names_keep_different_skeletons(one, other):
    assert skeleton(one) != skeleton(other)


@pytest.mark.parametrize("name", ["rnoderator", "Adrnin", "rnoderator Team", "AdmIn", "Rnod Squad"])
def test_reserved_names_are_caught_in_look_alike_spellings(name):
    assert reserved_problem(name, "The Daily Ledger") is not None, name


def test_the_publishers_name_is_caught_in_look_alike_spellings():
    assert reserved_problem("Dai1y Ledger Fan", "The Daily Ledger") is not None


def test_look_alike_groups_list_every_name_that_now_collides():
    users = [
        (1, "Carol Reader"),
        (2, "Dan Second"),
        (3, "CaroI Reader"),
        (4, "Someone Else"),
        (5, "Dan Sec0nd"),
        (6, "carol reader"),
    ]
    groups = look_alike_groups(users)
    assert [[uid for uid, _ in g] for g in groups] == [[1, 3, 6], [2, 5]]

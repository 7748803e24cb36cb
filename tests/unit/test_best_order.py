"""The Best order: its score, its parts, and a stored rank that orders as the score does."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from townhall.domain.models import Sort
from townhall.domain.sorting import (
    HALF_LIFE_SECONDS,
    ORDERS,
    QUALITY_FLOOR,
    BestInputs,
    wilson_lower_bound,
)
from townhall.errors import ValidationFailed

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def inputs(**over) -> BestInputs:
    base = {
        "likes": 0,
        "reports": 0,
        "featured": False,
        "staff_replied": False,
        "held": False,
        "created_at": T0,
    }
    return BestInputs(**(base | over))


def test_wilson_lower_bound_rewards_evidence_not_raw_shares():
    assert wilson_lower_bound(0, 0) == 0.0
    assert wilson_lower_bound(1, 1) == pytest.approx(0.2065, abs=1e-4)
    assert wilson_lower_bound(10, 10) == pytest.approx(0.7225, abs=1e-4)
    # Ten of ten beats one of one; a mixed record sits below a clean one of the same size.
    assert wilson_lower_bound(10, 10) > wilson_lower_bound(1, 1)
    assert wilson_lower_bound(8, 10) < wilson_lower_bound(10, 10)


def test_each_part_moves_the_score_the_documented_way():
    plain = inputs().quality()
    assert inputs(likes=5).quality() > plain
    assert inputs(featured=True).quality() > plain
    assert inputs(staff_replied=True).quality() > plain
    assert inputs(likes=5, reports=2).quality() < inputs(likes=5).quality()
    assert inputs(held=True).quality() < plain
    assert inputs(reports=50, held=True).quality() == QUALITY_FLOOR
    parts = inputs(likes=3, reports=1, featured=True, held=True).parts()
    assert set(parts) == {"base", "likes", "pick", "staff_reply", "reports", "holds"}
    assert parts["pick"] > 0 and parts["reports"] < 0 and parts["holds"] < 0


def test_the_explanation_halves_the_score_every_half_life():
    c = inputs(likes=4)
    now = T0 + timedelta(seconds=HALF_LIFE_SECONDS)
    shown = c.explain(now)
    assert shown["decay"] == 0.5 and shown["age_hours"] == HALF_LIFE_SECONDS / 3600
    assert shown["score"] == pytest.approx(c.quality() / 2, abs=1e-3)


def test_the_stored_rank_orders_exactly_as_the_score_does_at_any_moment():
    cases = [
        inputs(likes=likes, featured=f, created_at=T0 + timedelta(hours=h))
        for likes, f, h in itertools.product((0, 3, 40), (False, True), (0, 5, 30))
    ]
    by_rank = sorted(cases, key=lambda c: c.rank(), reverse=True)
    for later in (0, 1, 17, 200):
        now = T0 + timedelta(hours=30 + later)

        def score(c, now=now):
            age = (now - c.created_at).total_seconds()
            return c.quality() * 2 ** -(age / HALF_LIFE_SECONDS)

        assert sorted(cases, key=score, reverse=True) == by_rank


def test_a_best_cursor_round_trips_its_float_and_refuses_others():
    key = ORDERS[Sort.BEST]

    class Row:
        best_rank = 28123.456789012345
        id = 42

    assert key.decode(key.encode(Row())) == [Row.best_rank, 42]
    import base64

    for bad in (b'["x", 1]', b"[true, 1]", b"[1e300, 1]", b'[1.5, "a"]'):
        cursor = base64.urlsafe_b64encode(bad).decode().rstrip("=")
        with pytest.raises(ValidationFailed):
            key.decode(cursor)

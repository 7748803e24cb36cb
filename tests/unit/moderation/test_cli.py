"""run_moderate: plain and JSON lines in, one JSON verdict per comment out."""

from __future__ import annotations

import io
import json

from townhall.moderation.cli import parse_line, run_moderate
from townhall.moderation.pipeline import Rules


def run(text: str, rules: Rules | None = None) -> list[dict]:
    out = io.StringIO()
    assert run_moderate(io.StringIO(text), rules or Rules(), out) == 0
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_plain_lines_are_moderated_one_per_line():
    results = run("What a thoughtful article.\nYou absolute moron\n\n")
    assert [r["action"] for r in results] == ["publish", "hold"]
    assert results[1]["guideline"] == "abuse"
    assert set(results[0]) >= {"action", "guideline", "reason", "score", "findings"}
    assert results[0]["guideline"] is None and results[0]["reason"] is None


def test_json_lines_with_optional_names():
    lines = [
        json.dumps({"text": "Lovely photos"}),
        json.dumps({"text": "Lovely photos", "name": "Аdmin"}),
    ]
    results = run("\n".join(lines) + "\n")
    assert results[0]["action"] == "publish"
    assert results[1]["guideline"] == "impersonation"
    assert results[1]["name_problem"]


def test_score_shows_the_model_opinion_even_when_published():
    result = run("Lovely photos\n")[0]
    assert isinstance(result["score"], float)
    assert 0.0 <= result["score"] <= 1.0


def test_site_rules_are_used():
    rules = Rules.from_settings({"suspect_words": ["turnip"]})
    assert run("you turnip\n", rules)[0]["action"] == "hold"


def test_parse_line_handles_odd_input():
    assert parse_line("   ") is None
    assert parse_line("{not json") == ("{not json", None)
    assert parse_line('{"text": "hi", "name": 5}') == ("hi", None)
    assert parse_line('{"other": 1}') == ('{"other": 1}', None)

"""`townhall moderate`: run the pipeline over comments read line by line."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from townhall.moderation.classifier import load_model
from townhall.moderation.pipeline import Rules, Submission, name_problem, review


def parse_line(line: str) -> tuple[str, str | None] | None:
    """(text, name) from a JSON object line or a plain text line; None for a blank line."""
    stripped = line.strip()
    if not stripped:
        return None
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError:
            return stripped, None  # looks like JSON but is not: moderate it as written
        if isinstance(data, dict) and isinstance(data.get("text"), str):
            name = data.get("name")
            return data["text"], name if isinstance(name, str) else None
    return stripped, None


def moderate_one(text: str, name: str | None, rules: Rules) -> dict[str, object]:
    """The JSON-ready verdict for one comment (and its author's name, if given)."""
    result = review(Submission(body=text, rules=rules, author_name=name))
    score = result.score
    if score is None and rules.toxicity_hold < 1.0:
        # Show the model's opinion even when it did not decide, to help tune thresholds.
        score = load_model().predict(text).toxicity
    out: dict[str, object] = {
        "action": str(result.action),
        "guideline": result.guideline,
        "reason": result.reason,
        "span": list(result.deciding.span) if result.deciding and result.deciding.span else None,
        "score": None if score is None else round(score, 4),
        "findings": result.to_json(),
    }
    if name is not None:
        out["name_problem"] = name_problem(name, rules)
    return out


def run_moderate(lines: Iterable[str], rules: Rules, out: TextIO) -> int:
    """Print one JSON verdict per input comment; return 0 (the shell exit code)."""
    for line in lines:
        parsed = parse_line(line)
        if parsed is None:
            continue
        text, name = parsed
        out.write(json.dumps(moderate_one(text, name, rules), ensure_ascii=False) + "\n")
    out.flush()
    return 0

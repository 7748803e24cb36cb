"""What the checks decide: actions, findings and the overall review."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from townhall.moderation import guidance
from townhall.moderation.rules import Rules


class Action(StrEnum):
    """What happens to a comment, from most to least lenient."""

    PUBLISH = "publish"
    HOLD = "hold"
    REJECT = "reject"

    @property
    def severity(self) -> int:
        """0 publish, 1 hold, 2 reject; higher is stricter."""
        return _SEVERITY[self]


_SEVERITY = {Action.PUBLISH: 0, Action.HOLD: 1, Action.REJECT: 2}


Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Finding:
    """One check's verdict: the guideline it enforces, the action and why.

    ``reason`` is for moderators and may quote what was found (masked). ``span`` is
    the passage that triggered the finding, as character offsets into the body as
    written; ``kind`` says what was found in words safe to show the author ("a phone
    number"), never the matched text itself.
    """

    guideline: str
    action: Action
    reason: str
    score: float | None = None
    span: Span | None = None
    kind: str = ""

    @classmethod
    def hold(
        cls,
        guideline: str,
        reason: str,
        score: float | None = None,
        *,
        span: Span | None = None,
        kind: str = "",
    ) -> Finding:
        """A finding that holds the comment for a moderator."""
        return cls(guideline, Action.HOLD, reason, score, span, kind)

    @classmethod
    def reject(
        cls,
        guideline: str,
        reason: str,
        score: float | None = None,
        *,
        span: Span | None = None,
        kind: str = "",
    ) -> Finding:
        """A finding that rejects the comment."""
        return cls(guideline, Action.REJECT, reason, score, span, kind)

    @property
    def message(self) -> str:
        """What the author is told: the guideline in plain words, never the matched text."""
        return guidance.message(self.guideline, self.kind)

    @property
    def suggestion(self) -> str:
        """What the author could change."""
        return guidance.suggestion(self.guideline, self.kind)

    def to_json(self) -> dict[str, object]:
        """Plain-dict form for storage and the moderators' API."""
        return {
            "guideline": self.guideline,
            "action": str(self.action),
            "reason": self.reason,
            "score": None if self.score is None else round(self.score, 4),
            "span": None if self.span is None else list(self.span),
            "kind": self.kind,
        }

    def for_author(self) -> dict[str, object]:
        """What the author may see: guideline, action, passage, message and suggestion."""
        return author_note(self.to_json())


def author_note(found: dict[str, Any]) -> dict[str, object]:
    """The author's view of a stored finding (``Finding.to_json``): no reason, no score."""
    span = found.get("span")
    guideline = str(found.get("guideline") or "")
    kind = str(found.get("kind") or "")
    return {
        "guideline": guideline,
        "action": found.get("action"),
        "span": {"start": span[0], "end": span[1]} if span else None,
        "message": guidance.message(guideline, kind),
        "suggestion": guidance.suggestion(guideline, kind),
    }


def author_notice(findings: list[dict[str, Any]]) -> dict[str, object]:
    """The author's view of stored findings: the deciding guideline, why and how to fix it."""
    if findings and findings[-1].get("guideline") == "reports":
        # Held after reader reports, not by the pipeline: the author learns only that.
        return {
            "guideline": "reports",
            "reason": "Your comment is awaiting review",
            "suggestion": None,
            "span": None,
            "findings": [],
        }
    notes = [
        author_note(f)
        for f in findings
        if f.get("action") in ("hold", "reject") and f.get("guideline") != "moderator"
    ]
    deciding = next((n for n in notes if n["action"] == "reject"), notes[0] if notes else None)
    return {
        "guideline": deciding["guideline"] if deciding else None,
        "reason": deciding["message"] if deciding else "Your comment is awaiting review",
        "suggestion": deciding["suggestion"] if deciding else None,
        "span": deciding["span"] if deciding else None,
        "findings": notes,
    }


@dataclass(frozen=True, slots=True)
class Review:
    """The pipeline's decision: the strictest action and every finding behind it."""

    action: Action
    findings: tuple[Finding, ...]

    @classmethod
    def of(cls, findings: tuple[Finding, ...]) -> Review:
        """Combine findings; the strictest wins, ties go to the earliest check."""
        action = Action.PUBLISH
        for finding in findings:
            if finding.action.severity > action.severity:
                action = finding.action
        return cls(action, findings)

    @property
    def deciding(self) -> Finding | None:
        """The first finding with the winning action, None when published."""
        if self.action is Action.PUBLISH:
            return None
        return next(f for f in self.findings if f.action is self.action)

    @property
    def guideline(self) -> str | None:
        """Guideline of the deciding finding."""
        finding = self.deciding
        return finding.guideline if finding else None

    @property
    def reason(self) -> str | None:
        """Reason of the deciding finding."""
        finding = self.deciding
        return finding.reason if finding else None

    @property
    def score(self) -> float | None:
        """Score of the deciding finding, else the highest score among the findings."""
        finding = self.deciding
        if finding is not None and finding.score is not None:
            return finding.score
        scores = [f.score for f in self.findings if f.score is not None]
        return max(scores) if scores else None

    @property
    def top_score(self) -> float | None:
        """The highest score among the findings, as stored (the queue's score bands)."""
        scores = [round(f.score, 4) for f in self.findings if f.score is not None]
        return max(scores) if scores else None

    def to_json(self) -> list[dict[str, object]]:
        """All findings as plain dicts, in check order."""
        return [f.to_json() for f in self.findings]

    def for_author(self) -> dict[str, object]:
        """What the author is told about the decision: never the matched words."""
        return author_notice(self.to_json())


@dataclass(frozen=True, slots=True)
class Submission:
    """A comment to review, with the context the checks need."""

    body: str
    rules: Rules
    author_name: str | None = None
    author_is_staff: bool = False
    author_published_count: int = 0
    recent_bodies: tuple[str, ...] = ()
    recent_post_count: int = 0
    other_names: tuple[str, ...] = ()
    story_premoderate: bool = False
    is_edit: bool = False
    # The author's standing (earned trust): trusted readers' soft holds are published;
    # `author_held` says why every comment of theirs is held (per-user pre-moderation).
    author_trusted: bool = False
    author_held: str | None = None

"""What the checks decide: actions, findings and the overall review."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

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


@dataclass(frozen=True, slots=True)
class Finding:
    """One check's verdict: the guideline it enforces, the action and why."""

    guideline: str
    action: Action
    reason: str
    score: float | None = None

    @classmethod
    def hold(cls, guideline: str, reason: str, score: float | None = None) -> Finding:
        """A finding that holds the comment for a moderator."""
        return cls(guideline, Action.HOLD, reason, score)

    @classmethod
    def reject(cls, guideline: str, reason: str, score: float | None = None) -> Finding:
        """A finding that rejects the comment."""
        return cls(guideline, Action.REJECT, reason, score)

    def to_json(self) -> dict[str, object]:
        """Plain-dict form for storage and the API."""
        return {
            "guideline": self.guideline,
            "action": str(self.action),
            "reason": self.reason,
            "score": None if self.score is None else round(self.score, 4),
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

    def to_json(self) -> list[dict[str, object]]:
        """All findings as plain dicts, in check order."""
        return [f.to_json() for f in self.findings]


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

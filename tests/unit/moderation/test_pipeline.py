"""The pipeline as a whole: strictest finding wins, all findings are kept, hard negatives pass."""

from __future__ import annotations

import pytest

from townhall.moderation.pipeline import Action, Finding, Review, Rules, Submission, review

CIVIL = [
    "I disagree strongly with this article. The evidence points the other way, and the "
    "author ignores the 2019 figures entirely.",
    "The minister's record on housing is a disgrace and she should resign.",
    "This is a terrible policy that will hurt pensioners, and the government knows it.",
    "Honestly, I think you have misread the report - the council voted against it twice.",
    "Scunthorpe United played a classic match on Saturday.",
    "The assassin in the film was a therapist by day; great cockpit scenes too.",
    "Essex County Council has cut the bus routes again.",
    "What a cock-up by the transport department.",
]


@pytest.mark.parametrize("body", CIVIL)
def test_heated_but_civil_comments_are_published(check, body):
    result = check(body)
    assert result.action is Action.PUBLISH, result.findings
    assert result.guideline is None and result.reason is None


def test_strictest_finding_wins_and_every_finding_is_kept(check):
    result = check("You moron, call me on 07911 123456", author_published_count=0)
    assert result.action is Action.HOLD
    guidelines = {f.guideline for f in result.findings}
    assert {"abuse", "private_info"} <= guidelines


def test_reject_beats_hold():
    findings = (
        Finding.hold("spam", "2 links"),
        Finding.reject("discrimination", "banned word"),
    )
    result = Review.of(findings)
    assert result.action is Action.REJECT
    assert result.guideline == "discrimination"
    assert result.findings == findings


def test_review_of_nothing_publishes():
    result = Review.of(())
    assert result.action is Action.PUBLISH
    assert result.to_json() == []
    assert result.score is None


def test_to_json_lists_every_finding(check):
    result = check("you idiot", story_premoderate=True)
    data = result.to_json()
    assert [d["guideline"] for d in data] == [f.guideline for f in result.findings]
    assert all(set(d) == {"guideline", "action", "reason", "score", "span", "kind"} for d in data)
    assert {d["action"] for d in data} == {"hold"}


def test_action_is_a_string_enum():
    assert Action.HOLD == "hold"
    assert str(Action.REJECT) == "reject"


def test_review_is_pure_and_repeatable():
    sub = Submission(body="what a load of bullshit", rules=Rules())
    assert review(sub) == review(sub)


def test_empty_body_is_published():
    assert review(Submission(body="", rules=Rules())).action is Action.PUBLISH


def test_author_notice_names_the_deciding_guideline_and_hides_reasons():
    from townhall.moderation.findings import author_notice

    stored = review(Submission(body="Ring him on 07700 900123 tonight", rules=Rules())).to_json()
    notice = author_notice(stored)
    assert notice["guideline"] == "private_info"
    assert notice["span"] == {"start": 12, "end": 24}
    assert all("reason" not in f and "score" not in f for f in notice["findings"])


def test_author_notice_of_a_comment_held_by_reader_reports_says_only_that():
    from townhall.moderation.findings import author_notice

    notice = author_notice(
        [{"guideline": "reports", "action": "hold", "reason": "3 reader reports", "score": None}]
    )
    assert notice["guideline"] == "reports" and notice["findings"] == []
    assert author_notice([])["reason"] == "Your comment is awaiting review"

"""Spam: link limits with allow-listed sources, repeated text, bursts."""

from __future__ import annotations

from townhall.moderation.checks.spam import link_hosts, similarity
from townhall.moderation.pipeline import Action, Rules

LINKS = "Buy now http://cheap.biz/a and www.pills.example.com and bargains.shop/deal"


def test_too_many_links_are_held(check):
    result = check(LINKS)
    assert result.action is Action.HOLD
    assert result.guideline == "spam"
    assert "3 links" in result.reason


def test_a_link_to_an_official_source_passes(check):
    body = "The figures are here: https://www.ons.gov.uk/economy/inflation"
    assert check(body).action is Action.PUBLISH


def test_allow_listed_links_do_not_count(check):
    body = (
        "See https://www.gov.uk/a, https://www.nhs.uk/b, https://www.who.int/c "
        "and https://example.com/d"
    )
    assert check(body).action is Action.PUBLISH


def test_the_publishers_own_domain_can_be_allow_listed(check):
    rules = Rules(max_links=0, link_allowlist=("dailybugle.co.uk",))
    assert check("https://www.dailybugle.co.uk/news/1", rules=rules).action is Action.PUBLISH
    assert check("https://elsewhere.com/news/1", rules=rules).action is Action.HOLD


def test_link_hosts_are_normalised():
    assert link_hosts("Go to WWW.Example.COM/x or https://sub.gov.uk.") == [
        "example.com",
        "sub.gov.uk",
    ]


def test_repeated_text_is_held(check):
    earlier = "Visit my channel for the truth about the election, link in my profile!!!"
    result = check(earlier.upper(), recent_bodies=("something else entirely", earlier))
    assert result.action is Action.HOLD
    assert result.guideline == "spam"
    repeat = next(f for f in result.findings if f.reason == "repeats an earlier comment")
    assert repeat.score is not None


def test_different_text_and_short_replies_are_not_repeats(check):
    assert check("Agreed.", recent_bodies=("Agreed.",)).action is Action.PUBLISH
    result = check(
        "The council should publish the full report before the vote.",
        recent_bodies=("I think the bus timetable changes are a mistake.",),
    )
    assert result.action is Action.PUBLISH


def test_edits_are_not_compared_with_earlier_comments(check):
    body = "The council should publish the full report before the vote."
    assert check(body, recent_bodies=(body,), is_edit=True).action is Action.PUBLISH


def test_burst_posting_is_held(check, rules):
    result = check("Another thought.", recent_post_count=rules.burst_limit)
    assert result.action is Action.HOLD
    assert result.guideline == "spam"
    assert check("Another thought.", recent_post_count=rules.burst_limit - 1).action is (
        Action.PUBLISH
    )


def test_burst_limit_zero_switches_it_off(check):
    rules = Rules(burst_limit=0)
    assert check("Hi.", rules=rules, recent_post_count=99).action is Action.PUBLISH


def test_similarity_is_symmetric_and_bounded():
    assert similarity("abc def ghi", "abc def ghi") == 1.0
    assert similarity("abc def ghi", "xyz") == similarity("xyz", "abc def ghi")
    assert 0.0 <= similarity("the cat sat", "the cat sat down") <= 1.0

"""Any text gets a well-formed verdict, and hostile inputs stay cheap to check."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from townhall.moderation.pipeline import Action, Rules, Submission, review

RULES = Rules(publisher_contacts=("020 7123 4567",), staff_names=("Jane Watson",))
GUIDELINES = {
    "swearing",
    "abuse",
    "discrimination",
    "private_info",
    "impersonation",
    "spam",
    "trust",
}


@settings(max_examples=200, deadline=None)
@given(body=st.text(max_size=600), name=st.none() | st.text(max_size=30))
def test_any_text_gets_a_well_formed_review(body, name):
    result = review(Submission(body=body, rules=RULES, author_name=name))
    assert result.action in set(Action)
    assert all(f.guideline in GUIDELINES for f in result.findings)
    if result.action is Action.PUBLISH:
        assert result.findings == () and result.guideline is None
    else:
        assert result.guideline in GUIDELINES and result.reason


def test_pathological_inputs_finish():
    # Shapes that make naive regular expressions backtrack for a very long time.
    for body in (
        "1 " * 2500,
        "a." * 2500 + "@",
        "x@" + "a." * 2400 + "!",
        "f " * 2500,
        "www." + "a." * 2400,
        "12 " + "Abc " * 1200,
        "ö" * 5000,
    ):
        assert review(Submission(body=body, rules=RULES)).action in set(Action)

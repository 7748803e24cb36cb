"""Phrase patterns are skipped when their key words are absent; that must never hide a match."""

from __future__ import annotations

import pytest

from townhall.moderation.checks import group_attacks, insults, threats
from townhall.moderation.text import find_phrases, fold, trigger_words, words_in

SAMPLES = [
    "He should be killed for this.",
    "They deserve to die, every one of them.",
    "Someone should run him over.",
    "Horsewhipped, that is what he should be.",
    "He ought to be horse-whipped.",
    "I hope she chokes on it.",
    "Stop drinking the koolaid.",
    "Koolaid drinkers, the lot of you.",
    "You are a complete fraud.",
    "What a pathetic little man.",
    "Piece of s**t.",
    "You idiots never learn.",
    "Filthy muslims everywhere.",
    "The jews control the media.",
    "Illegal aliens are parasites.",
    "Cops are pigs.",
    "A perfectly civil comment about the council budget.",
]


def test_trigger_words_spell_out_optional_endings_and_skip_optional_parts():
    words = trigger_words(r"\b(?:kill(?:ed)?|horse-?whipped|deserves?)\s+(?:very\s+)?(?=x)bad")
    assert {"kill", "killed", "horsewhipped", "deserve", "deserves", "bad"} <= words
    assert "very" not in words


def test_words_in_adds_singulars():
    assert {"idiots", "idiot"} <= words_in("you idiots")


@pytest.mark.parametrize(
    "items",
    [threats.PHRASES, insults.PHRASES, tuple(p for _, p in group_attacks.patterns())],
    ids=["threats", "insults", "group_attacks"],
)
@pytest.mark.parametrize("text", SAMPLES)
def test_key_words_never_hide_a_match(items, text):
    folded = fold(text)
    gated = [m.group() for m in find_phrases(items, folded)]
    everything = [m.group() for item in items for m in item.regex.finditer(folded)]
    assert gated == everything

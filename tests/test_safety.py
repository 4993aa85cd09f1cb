"""The crisis check that runs before the NLU model on every message.

safety_phrases.yml is the set the patterns were tuned on: every line must
behave as labelled. safety_holdout.yml was written before tuning and never
tuned on: known misses are strict xfails (so a fix shows up), and false
positives must stay at or under 10%.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from bot.safety import is_crisis, normalise

DATA = Path(__file__).parent / "data"
TUNING = yaml.safe_load((DATA / "safety_phrases.yml").read_text())
HOLDOUT = yaml.safe_load((DATA / "safety_holdout.yml").read_text())
# Holdout crisis lines the patterns miss, found after tuning was frozen.
HOLDOUT_MISSES = {
    "i wrote a note for my mum so she knows it wasn't her fault",
}
MAX_FALSE_POSITIVE_RATE = 0.10  # achieved: 0 of 36

INVISIBLE = (
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",  # zero-width, soft hyphen
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202b",
    "\u202e",
    "\u2066",
    "\u2069",  # direction marks
    "\u0301",
    "\u0308",
    "\u0336",  # combining accents and strike-through
)
ODD = ("\x00", "\x1b", "\u202e", "\u05d0", "\u0627", "\u200b", "\u0301", "\ud7ff", "\U0001f600")


@pytest.mark.parametrize("text", TUNING["crisis"])
def test_crisis_phrase_triggers(text: str) -> None:
    assert is_crisis(text)


@pytest.mark.parametrize("text", TUNING["not_crisis"])
def test_idiom_or_ordinary_sadness_does_not_trigger(text: str) -> None:
    assert not is_crisis(text)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(text, marks=pytest.mark.xfail(strict=True, reason="known holdout miss"))
        if text in HOLDOUT_MISSES
        else text
        for text in HOLDOUT["crisis"]
    ],
)
def test_holdout_crisis_phrase_triggers(text: str) -> None:
    assert is_crisis(text)


def test_holdout_false_positive_rate() -> None:
    false_positives = [text for text in HOLDOUT["not_crisis"] if is_crisis(text)]
    assert len(false_positives) / len(HOLDOUT["not_crisis"]) <= MAX_FALSE_POSITIVE_RATE


def test_normalise_spells_out_chat_words_and_drops_hidden_characters() -> None:
    assert normalise("I  DONT\u200b wanna\tbe here") == "i don't want to be here"


@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from(ODD)), max_size=500))
def test_is_crisis_never_raises(text: str) -> None:
    assert isinstance(is_crisis(text), bool)


@given(
    st.lists(
        st.text(alphabet=st.sampled_from(INVISIBLE), max_size=3),
        min_size=len("kill myself") + 1,
        max_size=len("kill myself") + 1,
    )
)
def test_invisible_characters_inside_kill_myself_do_not_hide_it(fillers: list[str]) -> None:
    letters = [*"kill myself", ""]
    hidden = "".join(filler + letter for filler, letter in zip(fillers, letters, strict=True))
    assert is_crisis(f"honestly i want to {hidden} tonight")

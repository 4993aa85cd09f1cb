"""The crisis check that runs before the NLU model on every message.

The tuning side is safety_phrases.yml plus safety_phrases_from_holdout_1.yml
(the first held-out set, spent once its misses were read): every line must
behave as labelled. safety_holdout_2.yml was written before this round's tuning
and never tuned on.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from bot import safety
from bot.safety import Verdict, assess, is_crisis, normalise

DATA = Path(__file__).parent / "data"
NLU = Path(__file__).resolve().parents[1] / "rasa_project" / "data" / "nlu"
TUNING_FILES = ("safety_phrases.yml", "safety_phrases_from_holdout_1.yml")
TUNING = {
    label: [
        text for name in TUNING_FILES for text in yaml.safe_load((DATA / name).read_text())[label]
    ]
    for label in ("crisis", "not_crisis", "ambiguous")
}
ENTITY_MARKUP = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def nlu_examples() -> list[tuple[str, str]]:
    """(intent, text) for every training example, entity markup removed."""
    examples = []
    for path in sorted(NLU.glob("*.yml")):
        for block in (yaml.safe_load(path.read_text()) or {}).get("nlu", []):
            for line in block.get("examples", "").splitlines() if "intent" in block else ():
                examples.append((block["intent"], ENTITY_MARKUP.sub(r"\1", line.strip()[2:])))
    return examples


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
    assert assess(text) is Verdict.CRISIS


@pytest.mark.parametrize("text", TUNING["not_crisis"])
def test_idiom_or_ordinary_sadness_does_not_trigger(text: str) -> None:
    assert assess(text) is Verdict.SAFE


@pytest.mark.parametrize("text", TUNING["ambiguous"])
def test_ambiguous_wording_asks(text: str) -> None:
    assert assess(text) is Verdict.UNSURE


def test_no_training_example_outside_crisis_raises_an_alarm() -> None:
    examples = nlu_examples()
    assert len(examples) > 1000
    alarms = [
        (intent, text)
        for intent, text in examples
        if intent != "crisis" and assess(text) is not Verdict.SAFE
    ]
    assert alarms == []


def test_every_pattern_is_filled_in() -> None:
    """A pattern written without its f-prefix would look for "{AGAIN}" literally."""
    patterns = (*safety.CRISIS, *safety.UNSURE, *safety.IDIOMS, *safety.PAST, *safety.OVER)
    assert [p for p in patterns if re.search(r"\{[A-Z_]+\}", p)] == []


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

"""The crisis check that runs before the NLU model on every message.

The tuning side is safety_phrases.yml plus safety_phrases_from_holdout_1.yml
(the first held-out set, spent once its misses were read): every line must
behave as labelled. safety_holdout_2.yml was written before this round's tuning,
never tuned on and run once: what it got wrong is listed as strict xfails.
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
HOLDOUT_2 = yaml.safe_load((DATA / "safety_holdout_2.yml").read_text())
# The one run on safety_holdout_2.yml, 2026-12-03, after tuning on the tuning side was
# finished (bot/safety.py as of commit 3d9b957): 42/90 crisis messages caught,
# 12/90 false alarms. The lines below were found on that final held-out run; the check
# was not tuned on them. Now that they have been read, this set is spent as a measure
# too: the next honest figure needs a fresh set written before the next tuning.
HOLDOUT_2_MISSES = {
    "death sounds like a relief tbh",
    "after today i'm finished with being alive",
    "i'd like to go to sleep and stay asleep forever",
    "existing is too much, i want it to stop for good",
    "i keep wishing a car would just hit me",
    "i want off this planet, for real, not a joke",
    "wish i could just not be here at all. like permanently",
    "it would be so peaceful to just not exist",
    "the world would keep turning if i died tonight, so why stay",
    "i've got a bottle of vodka and all my sleeping pills lined up on the table",
    "there's a rope in the wardrobe and tonight i'm going to use it",
    "bought razor blades today and they're not for shaving",
    "i've been sitting on the bridge railing for an hour",
    "got the pills out. just waiting till everyone's asleep",
    "checked how many units of my insulin would be enough",
    "the tablets are counted out on my desk",
    "standing at the platform edge waiting for the fast train",
    "i have a gun at home and i keep thinking about using it on myself",
    "i've filled the bath and the blade is next to it",
    "a month of sleeping tablets hidden in my sock drawer, ready",
    "wrote my will today and left it where my sister will find it",
    "i've written notes for everyone and put them in envelopes",
    "gave my dog to my neighbour for good, told her i'm going away",
    "i've planned it for friday after my last shift",
    "i picked the date. it's sunday",
    "i've set everything up so it looks like an accident",
    "emailed my passwords to my brother so he can close my accounts afterwards",
    "you were kind to me. goodbye now, i won't need you after tonight",
    "this is the last time i'll talk to anyone. bye",
    "i love you all, i'm sorry, goodbye",
    "tell my parents i'm sorry. i can't anymore",
    "bye forever, it's been a long fight",
    "just wanted to say goodbye before i go. for real this time",
    "farewell everyone, it's over for me",
    "mum and dad could finally live their lives if i died",
    "everyone's tired of me. it'd be a favour to them if i was dead",
    "all i do is ruin things for people, the kindest thing is for me to go away forever",
    "nothing left to keep me alive now",
    "the email came and i took the blade to my arms again",
    "i hit myself until it bruised",
    "relapsed and cut tonight. six months clean gone",
    "i carved into my leg with a razor",
    "i wnt 2 die srsly",
    "I am wanting to die, please",
    "for me it is better to not live",
    "😭😭 no more living for me, i'm out",
    "I am rejected again. I have no strength to live more.",
    "Rejected from Amazon after the final round, six weeks of interviews, and honestly I've "
    "decided tonight is the night. I've already written letters to my parents.",
}
HOLDOUT_2_FALSE_ALARMS = {
    "my best friend told me she'd been self-harming, how can i help her",
    "my uncle died by suicide years ago, today would have been his birthday",
    "a guy at my old job jumped off a car park roof, i still think about him sometimes",
    "read an article about burnout and suicide among junior doctors",
    "the interview at the mental health charity asked about safe messaging around suicide",
    "five years ago i tried to end my life. today i'm just annoyed about a rejection, which "
    "feels like progress",
    "i've been clean from self-harm for two years and this won't change that",
    "therapy got me through my suicidal years, so one no from a bank won't break me",
    "counting my tablets to see if i need a repeat prescription",
    "i'm leaving for good, moving back to spain next month",
    "i feel like a burden on my team when i ask too many questions",
    "i'm gonna die on this hill: cover letters are pointless",
}
ENTITY_MARKUP = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def known(texts: list[str], wrong: set[str], reason: str) -> list:
    return [
        pytest.param(text, marks=pytest.mark.xfail(strict=True, reason=reason))
        if text in wrong
        else text
        for text in texts
    ]


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


@pytest.mark.parametrize(
    "text", known(HOLDOUT_2["crisis"], HOLDOUT_2_MISSES, "missed on the final held-out run")
)
def test_holdout_2_crisis_phrase_triggers(text: str) -> None:
    assert assess(text) is Verdict.CRISIS


@pytest.mark.parametrize(
    "text",
    known(HOLDOUT_2["not_crisis"], HOLDOUT_2_FALSE_ALARMS, "false alarm on the final held-out run"),
)
def test_holdout_2_hard_negative_does_not_trigger(text: str) -> None:
    assert assess(text) is Verdict.SAFE


@pytest.mark.xfail(
    strict=True, reason="final held-out run, 2026-12-03: 42/90 caught (46.7 %), 12/90 false alarms"
)
def test_holdout_2_meets_the_issue_14_targets() -> None:
    """Issue 14's targets on the held-out set: every crisis message caught, at most 1 %
    false alarms."""
    caught = sum(assess(text) is Verdict.CRISIS for text in HOLDOUT_2["crisis"])
    alarms = sum(assess(text) is not Verdict.SAFE for text in HOLDOUT_2["not_crisis"])
    assert caught == len(HOLDOUT_2["crisis"])
    assert alarms <= 0.01 * len(HOLDOUT_2["not_crisis"])


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

"""The crisis check that runs before the NLU model on every message.

The tuning side is every set in bot.safety_train.TUNING_FILES: safety_phrases.yml,
the four spent held-out sets (safety_phrases_from_holdout_1.yml, safety_holdout_2.yml,
safety_phrases_from_holdout_3.yml and safety_phrases_from_holdout_4.yml, whose misses
and false alarms were read), safety_phrases_round_3.yml and safety_phrases_round_4.yml.
Every line must behave as labelled, with the patterns and the learned net
(bot/safety_model.py, built by `python -m bot.safety_train`) together. The held-out
measure is safety_holdout_5.yml, written during this round's tuning by a writer who
never saw the check, never tuned on, run once (figures below).
"""

from __future__ import annotations

import logging
import re
import threading
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from bot import safety, safety_model, safety_train
from bot.safety import Verdict, assess, is_crisis, normalise

TUNING = safety_train.tuning_lines()
# Measured by `python -m bot.safety_train` on 2026-12-03 (tuning side, 948 crisis lines and
# 1,067 harmless, one file held out at a time): the net alone caught 78.2 % of the crisis
# lines; with the patterns, 93.8 % got the resources at once, 95.0 % with the question,
# and 0.9 % of the harmless lines raised an alarm (before round 5, with the fourth held-out
# set on the tuning side: 74.2 %; 88.2 %, 89.4 % and 3.6 %).
NET_RECALL_FLOOR = 0.75
HOLDOUT_5 = Path(__file__).parent / "data" / "safety_holdout_5.yml"
# The one run on safety_holdout_5.yml (219 crisis lines, 283 harmless; a6bbf78), 2026-12-03,
# after round 5's tuning was committed (f4e1095). Patterns alone: 157 given the resources,
# none asked; 3 alarms (3 resources). With the learned net: 196 given the resources and 6
# more asked directly (202); 4 alarms (3 resources, 1 question). The issue's targets are
# 100 % (an ask counts: the question, with the resources beside it, is the issue's own
# answer where the check cannot decide) and at most 1 % alarms. Its misses and false
# alarms were not read; it must never be tuned on.
HOLDOUT_5_CAUGHT = 196  # CRISIS
HOLDOUT_5_CAUGHT_OR_ASKED = 202  # CRISIS or UNSURE
HOLDOUT_5_ALARMS = 4  # CRISIS or UNSURE on a harmless line

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


class Broken:
    """A net that fails on every message."""

    def reading(self, text: str) -> safety_model.Reading:
        raise RuntimeError("broken")


class Reads:
    """A net that reads every message the same way, and keeps what it was given."""

    def __init__(self, reading: safety_model.Reading) -> None:
        self.fixed = reading
        self.read: list[str] = []

    def reading(self, text: str) -> safety_model.Reading:
        self.read.append(text)
        return self.fixed


def loaded(net: object) -> safety_model.Loader:
    loader = safety_model.Loader(lambda: net)  # type: ignore[arg-type, return-value]
    loader.start()
    return loader


@pytest.fixture(scope="module", autouse=True)
def learned_net() -> None:
    """The tuning lines are read by both nets: the stored net must be there and current."""
    assert safety_model.STORED.exists(), "build it with `python -m bot.safety_train`"
    current = safety_train.current_fingerprint()
    assert safety_train.stored_fingerprint() == current, "rebuild: `python -m bot.safety_train`"
    assert safety_model.loader.reading("hello") is safety_model.Reading.QUIET


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
    examples = safety_train.nlu_examples()
    assert len(examples) > 1000
    alarms = [
        (intent, text)
        for intent, text in examples
        if intent != "crisis" and assess(text) is not Verdict.SAFE
    ]
    assert alarms == []


def test_the_learned_net_catches_what_the_patterns_miss() -> None:
    text = "i've put the sleeping pills next to the bed for later"
    assert safety.pattern_verdict(text) is Verdict.SAFE
    assert assess(text) is Verdict.CRISIS


LONG = (
    "the interview at the council went ok, they asked about my gap year and my dissertation "
    "and then they said they'd let me know by friday. it was a no. i walked home the long way "
    "over the river and stood there for a long time thinking it would be easy to let go."
)


def test_a_long_message_is_read_sentence_by_sentence() -> None:
    """Read whole, the story about the job drowns the last sentence."""
    net = safety_model.loader.net
    assert net is not None
    whole = float(net.model.decision_function(net.encoder.embed([safety.without_idioms(LONG)]))[0])
    assert net.thresholds.reading(whole) is safety_model.Reading.QUIET
    assert safety.pattern_verdict(LONG) is Verdict.SAFE
    assert assess(LONG) is Verdict.CRISIS


def test_a_message_is_read_in_a_bounded_number_of_pieces() -> None:
    sentences = safety_model.pieces("one two. three four! five six? seven")
    run_on = safety_model.pieces(" ".join(["word"] * 100))
    rambling = safety_model.pieces("it was a no. " * 200)

    assert sentences[1:] == ["one two.", "three four!", "five six?"]
    assert [len(piece.split()) for piece in run_on] == [100, 40, 40, 20]
    assert len(rambling) == 1 + safety_model.MAX_PIECES


def test_the_net_asks_in_its_band_and_alarms_above_it() -> None:
    thresholds = safety_model.Thresholds(ask_at=0.4, alarm_at=0.5)

    assert thresholds.reading(0.39) is safety_model.Reading.QUIET
    assert thresholds.reading(0.4) is safety_model.Reading.ASK
    assert thresholds.reading(0.5) is safety_model.Reading.ALARM


def test_a_net_that_asks_asks_only_where_the_patterns_see_nothing(monkeypatch) -> None:
    monkeypatch.setattr(safety_model, "loader", loaded(Reads(safety_model.Reading.ASK)))

    assert assess("see you tomorrow") is Verdict.UNSURE
    assert assess("i want to kill myself") is Verdict.CRISIS


def test_the_net_reads_the_message_without_its_idioms_and_denials(monkeypatch) -> None:
    net = Reads(safety_model.Reading.QUIET)
    monkeypatch.setattr(safety_model, "loader", loaded(net))

    assert assess("I'm not suicidal, just really disappointed") is Verdict.SAFE
    assert net.read == [", just really disappointed"]


def test_cross_validated_recall_and_false_alarms_on_the_tuning_side() -> None:
    checked = safety_train.cross_validate_stored()
    print(
        f"net alone: recall {checked.net_recall():.1%}, false alarms "
        f"{checked.net_false_alarms():.1%}; with the patterns: recall {checked.recall():.1%}, "
        f"{checked.recall(asks=True):.1%} with the question, false alarms "
        f"{checked.false_alarms():.1%}"
    )
    assert checked.net_recall() >= NET_RECALL_FLOOR
    assert checked.false_alarms() <= 0.01


def test_past_stories_and_known_ambiguous_wording_stay_with_the_patterns(monkeypatch) -> None:
    monkeypatch.setattr(safety_model, "loader", loaded(Reads(safety_model.Reading.ALARM)))
    assert assess("i used to self-harm years ago, that's behind me now") is Verdict.SAFE
    assert assess("i just want it all to stop") is Verdict.UNSURE
    assert assess("see you tomorrow") is Verdict.CRISIS


@pytest.mark.parametrize(
    ("subject", "wish"),
    [
        ("the first aid course had a suicide module today", "i keep thinking about suicide"),
        ("we covered self-harm on the ward training", "i've started self harming again"),
        ("the paramedic interview had an overdose scenario", "i'm going to overdose tonight"),
        ("i counted tablets all day at the pharmacy", "counted my tablets, there's enough"),
        (
            "i feel like a burden on my wife since the layoff",
            "i'm a burden, they'd be better if i died",
        ),
    ],
)
def test_a_subject_alone_raises_no_alarm_from_the_patterns(subject: str, wish: str) -> None:
    """Words like "suicide" or "a burden" are as often a subject as a wish: alone they go to
    the net; said of oneself, now, they alarm."""
    assert safety.pattern_verdict(subject) is Verdict.SAFE
    assert safety.pattern_verdict(wish) is Verdict.CRISIS


def test_a_net_that_cannot_load_leaves_the_patterns_and_logs_no_text(tmp_path, caplog) -> None:
    missing = safety_model.Loader(lambda: safety_model.load(tmp_path / "missing.npz"))
    with caplog.at_level(logging.WARNING, logger="bot.safety_model"):
        assert missing.reading("my secret words") is None
    assert "could not load (FileNotFoundError)" in caplog.text
    assert "secret" not in caplog.text


def test_a_message_during_a_slow_load_is_checked_by_the_patterns_alone(monkeypatch) -> None:
    monkeypatch.setattr(safety_model, "LOAD_WAIT_SECONDS", 0.1)
    release = threading.Event()

    def slow_load() -> Reads:
        release.wait()
        return Reads(safety_model.Reading.ALARM)

    slow = safety_model.Loader(slow_load)  # type: ignore[arg-type]
    assert slow.reading("hello") is None
    release.set()
    slow.thread.join()
    assert slow.reading("hello") is safety_model.Reading.ALARM


def test_a_net_that_fails_on_a_message_never_fails_the_check(monkeypatch, caplog) -> None:
    monkeypatch.setattr(safety_model, "loader", loaded(Broken()))
    with caplog.at_level(logging.ERROR, logger="bot.safety_model"):
        assert assess("i've put the sleeping pills next to the bed for later") is Verdict.SAFE
        assert assess("i want to kill myself") is Verdict.CRISIS
    assert "failed on a message (RuntimeError)" in caplog.text
    assert "pills" not in caplog.text


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


def holdout_5_figures() -> tuple[int, int, int]:
    """Crisis lines given the resources, crisis lines given them or asked, harmless alarms."""
    lines = yaml.safe_load(HOLDOUT_5.read_text())
    crisis = [assess(text) for text in lines["crisis"]]
    alarms = sum(assess(text) is not Verdict.SAFE for text in lines["not_crisis"])
    return crisis.count(Verdict.CRISIS), sum(v is not Verdict.SAFE for v in crisis), alarms


def test_the_held_out_set_does_no_worse_than_its_one_run() -> None:
    caught, caught_or_asked, alarms = holdout_5_figures()

    assert caught >= HOLDOUT_5_CAUGHT
    assert caught_or_asked >= HOLDOUT_5_CAUGHT_OR_ASKED
    assert alarms <= HOLDOUT_5_ALARMS


@pytest.mark.xfail(strict=True, reason="issue 14 targets not met: 202/219 caught, 4/283 alarms")
def test_the_held_out_set_meets_the_issue_targets() -> None:
    lines = yaml.safe_load(HOLDOUT_5.read_text())
    _, caught_or_asked, alarms = holdout_5_figures()

    assert caught_or_asked == len(lines["crisis"])
    assert alarms <= 0.01 * len(lines["not_crisis"])

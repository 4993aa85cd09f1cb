"""The plain functions behind the custom actions."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rasa_project"))

from actions.common import name_from_answer  # noqa: E402
from actions.feelings import canonical_emotion  # noqa: E402
from actions.followup import contact_from, draft_followup  # noqa: E402
from actions.journal import is_finish  # noqa: E402
from actions.listening import CORRECTION  # noqa: E402
from actions.parsing import clean_name, parse_number, parse_stage  # noqa: E402
from actions.plan import active_line  # noqa: E402
from rasa_sdk import Tracker  # noqa: E402


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("after the final round", "final"),
        ("they said no without an interview", "screening"),
        ("ui engineer job, never even heard from a human", "screening"),
        ("I had two interviews", "interview"),
        ("applied last week", "screening"),
        ("rather not say", "unknown"),
        ("my background is strong", None),
    ],
)
def test_parse_stage(text: str, stage: str | None) -> None:
    assert parse_stage(text) == stage


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("7", 7),
        ("about seven", 7),
        ("7/10", 7),
        ("11", None),
        ("none", 0),
        ("like two or three", 2),
        ("half a dozen", 6),
        ("a couple", 2),
        ("no idea", None),
        ("dunno", None),
        (6.0, 6),
    ],
)
def test_parse_number(text, number: int | None) -> None:
    assert parse_number(text, low=0, high=10) == number


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("it was at Acme.", "Acme"),
        ("the data analyst role", "data analyst"),
        ("Goldman Sachs", "Goldman Sachs"),
        ("", None),
    ],
)
def test_clean_name(text: str, name: str | None) -> None:
    assert clean_name(text) == name


@pytest.mark.parametrize(
    ("text", "emotion"),
    [
        ("honestly just gutted", "disappointed"),
        ("so angry rn", "angry"),
        ("dissapointed", "disappointed"),
        ("embarassed", "ashamed"),
        ("a bit weird", None),
        ("embarrassed lol", "embarrassed"),  # a feeling of its own, kept in their word
        ("angry. no actually, more sad than angry", "sad"),
        ("hurt mostly. and tired", "hurt"),
        ("im so sad rn 😭😭 got rejected again", "sad"),  # what happened, not a feeling
        ("i feel rejected", "hurt"),
        # Only feelings: "applied" is a synonym of the screening stage, not a feeling,
        # and in a long message "bank" is not a misspelt "blank".
        ("wait no it was monzo, ive applied to every bank with a coloured card", None),
    ],
)
def test_canonical_emotion_reads_synonyms_and_misspellings(text: str, emotion: str | None) -> None:
    assert canonical_emotion(text) == emotion


def test_the_follow_up_draft_asks_the_one_question_and_stays_short() -> None:
    draft = draft_followup("Stripe", "data analyst", "Sarah")
    assert draft.startswith("Hi Sarah,")
    assert "was there something in my background or skills that I was missing" in draft
    assert "Stripe" in draft and "data analyst" in draft
    assert len(draft.split()) < 120
    assert draft_followup(None, None, None).startswith("Hello,")


@pytest.mark.parametrize(
    ("contact", "greeting"), [("Jordan Reyes", "Hi Jordan,"), ("Mr Dubois", "Hi Mr Dubois,")]
)
def test_the_draft_greets_a_full_name_by_its_first_and_a_title_with_the_surname(
    contact: str, greeting: str
) -> None:
    assert draft_followup("Palantir", None, contact).startswith(greeting)


@pytest.mark.parametrize(
    ("answer", "name"),
    [
        ("it's sarah from hr", "Sarah"),
        ("skip", None),
        ("no idea", None),
        ("Dr. Okafor", "Okafor"),
        ("Jordan Reyes", "Jordan Reyes"),  # a full name typed as one is kept whole
        ("jordan thanks", "Jordan"),
    ],
)
def test_contact_from(answer: str, name: str | None) -> None:
    assert contact_from(answer) == name


@pytest.mark.parametrize(
    ("text", "intent", "finished"),
    [
        ("done", None, True),
        ("That's all.", None, True),
        ("i'm done", "done", True),
        ("I'm done with this company, they ghosted me twice and I'm angry", "done", False),
        ("today was hard", "express_feeling", False),
        ("That is all, thank you", None, True),
        ("that is all i can say about the interview, they were rude", None, False),
    ],
)
def test_is_finish_keeps_long_messages_that_only_sound_done(text, intent, finished) -> None:
    assert is_finish(text, intent) is finished


def test_active_line_counts_towards_five() -> None:
    assert "3 more to go" in active_line(2)
    assert "five or more" in active_line(5)


def tracker_after(text: str, **entities: str) -> Tracker:
    message = {
        "text": text,
        "entities": [{"entity": name, "value": value} for name, value in entities.items()],
    }
    return Tracker("7", {}, message, [], False, None, {}, "action_listen")


@pytest.mark.parametrize(
    ("text", "value", "entities", "name"),
    [
        ("it was at Monzo", "it was at Monzo", {"company": "Monzo"}, "Monzo"),
        ("the backend engineer role", "the backend engineer role", {}, "backend engineer"),
        # read from a pasted email, where the model also tagged a shorter name
        ("Dear Sam, … Acme Corp Talent Team", "Acme Corp", {"company": "Acme"}, "Acme Corp"),
    ],
)
def test_a_name_comes_from_the_whole_answer_or_stays_as_it_was_read(
    text: str, value: str, entities: dict[str, str], name: str
) -> None:
    assert name_from_answer(tracker_after(text, **entities), value, "company") == name


@pytest.mark.parametrize(
    "text",
    [
        "wait no it was monzo not revolut, i mix them up",
        "sorry i meant the product role",
        "it was monzo not revolut",
        "no, the role was analyst",
    ],
)
def test_a_correction_reads_as_one(text: str) -> None:
    assert CORRECTION.search(text)


@pytest.mark.parametrize("text", ["not great, honestly", "that i'm not good enough", "gutted"])
def test_a_feeling_or_thought_is_not_a_correction(text: str) -> None:
    assert not CORRECTION.search(text)


def test_a_respelt_first_name_keeps_the_surname() -> None:
    from actions.understanding import respelt_contact

    assert respelt_contact("wait its sara no h", "Sarah Lin") == "Sara Lin"

"""The NLU step that reads an unsure plain answer as what it says."""

from __future__ import annotations

import sys

from rasa.shared.nlu.training_data.message import Message

from bot.config import RASA_PROJECT

sys.path.insert(0, str(RASA_PROJECT))

from plain_words import PlainWordsClassifier  # noqa: E402


def heard(text: str, intent: str) -> Message:
    return Message(data={"text": text, "intent": {"name": intent, "confidence": 0.6}})


def intent_of(message: Message) -> str:
    return message.get("intent")["name"]


def test_an_unsure_goodbye_is_a_goodbye() -> None:
    (message,) = PlainWordsClassifier().process(
        [heard("actually cant be bothered. bye", "nlu_fallback")]
    )

    assert intent_of(message) == "goodbye"
    assert message.get("intent")["confidence"] == 1.0


def test_what_the_model_was_sure_of_is_left_alone() -> None:
    (message,) = PlainWordsClassifier().process([heard("bye for now", "report_rejection")])

    assert intent_of(message) == "report_rejection"


def test_an_unsure_sentence_that_is_not_plain_stays_unsure() -> None:
    (message,) = PlainWordsClassifier().process(
        [heard("i keep replaying the interview", "nlu_fallback")]
    )

    assert intent_of(message) == "nlu_fallback"


def test_a_message_that_ends_by_signing_off_is_a_goodbye_whatever_came_before() -> None:
    (message,) = PlainWordsClassifier().process(
        [heard("actually cant be bothered. bye", "express_feeling")]
    )

    assert intent_of(message) == "goodbye"


def test_a_goodbye_the_model_heard_as_crisis_stays_crisis() -> None:
    (message,) = PlainWordsClassifier().process([heard("i love you all, i'm sorry. bye", "crisis")])

    assert intent_of(message) == "crisis"


def test_bye_inside_a_sentence_is_not_signing_off() -> None:
    (message,) = PlainWordsClassifier().process(
        [heard("they said bye to me after the interview", "report_rejection")]
    )

    assert intent_of(message) == "report_rejection"

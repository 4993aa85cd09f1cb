"""The Rasa entry point: the same action-reply checks as Rasa's, with the schema compiled once."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import sklearn.model_selection
from jsonschema import ValidationError
from rasa.__main__ import create_argument_parser
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import Agent
from rasa.nlu.test import generate_folds
from rasa.shared.nlu.training_data.loading import load_data

from bot.config import RASA_PROJECT
from bot.launcher import MODEL_DIR

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rasa_project"))

from rasa_server import (  # noqa: E402
    action_reply_validator,
    rasa_argv,
    seed_cross_validation,
    validate_action_reply,
)

ACTION = RemoteAction("action_save_feeling", None)
GOOD_REPLY = {
    "events": [{"event": "slot", "name": "emotion", "value": "sad", "timestamp": None}],
    "responses": [{"text": "That sounds heavy.", "buttons": []}],
}


def test_a_well_formed_reply_passes_like_it_does_in_rasa() -> None:
    assert validate_action_reply(ACTION, GOOD_REPLY) is True
    assert ACTION._validate_action_result(GOOD_REPLY) is True  # Rasa's own check agrees


@pytest.mark.parametrize(
    "reply",
    [
        {"events": [{"name": "emotion"}]},  # an event without its type
        {"events": [{"event": "slot", "timestamp": "yesterday"}]},
        {"events": "not a list"},
    ],
)
def test_a_malformed_reply_is_refused_with_rasas_explanation(reply) -> None:
    with pytest.raises(ValidationError) as rasa_error:
        ACTION._validate_action_result(reply)
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        validate_action_reply(ACTION, reply)
    assert "Failed to validate" in rasa_error.value.message


def test_the_schema_is_compiled_once() -> None:
    assert action_reply_validator() is action_reply_validator()


def test_cross_validation_draws_the_same_folds_every_run(monkeypatch) -> None:
    monkeypatch.setattr(  # restored after the test
        sklearn.model_selection, "StratifiedKFold", sklearn.model_selection.StratifiedKFold
    )
    seed_cross_validation()
    data = load_data(str(RASA_PROJECT / "data" / "nlu"))

    def held_out() -> list[list[str]]:
        return [[example.get("text") for example in test.intent_examples]
                for _, test in generate_folds(5, data)]  # fmt: skip

    first = held_out()
    assert len(first) == 5 and all(first)
    assert held_out() == first


async def test_the_trained_model_loads_and_understands() -> None:
    agent = Agent.load(str(MODEL_DIR / "coach.tar.gz"))

    greeting = await agent.parse_message("hi")
    assert greeting["intent"]["name"] == "greet" and greeting["intent"]["confidence"] > 0.8
    rejection = await agent.parse_message("i was rejected by acme for the data analyst role")
    tagged = {
        (entity["entity"], entity["value"])
        for entity in rejection["entities"]
        if entity["extractor"] == "SavedCRFEntityExtractor"
    }
    assert {("company", "Acme"), ("role", "data analyst")} <= tagged


@pytest.mark.parametrize("token", ["-starts-with-a-dash", "--looks-like-an-option", "plain_token"])
def test_rasa_run_reads_any_token_whole(token: str) -> None:
    argv = rasa_argv(["run", "--enable-api", "--port", "5005"], token)

    parsed = create_argument_parser().parse_args(argv[1:])

    assert parsed.auth_token == token
    assert parsed.port == 5005


def test_rasa_run_refuses_to_start_without_a_token() -> None:
    with pytest.raises(SystemExit, match="RASA_TOKEN"):
        rasa_argv(["run"], None)


def test_other_rasa_commands_pass_through_untouched() -> None:
    assert rasa_argv(["train", "--fixed-model-name", "coach"], None) == [
        "rasa",
        "train",
        "--fixed-model-name",
        "coach",
    ]

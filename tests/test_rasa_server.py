"""The Rasa entry point: the same action-reply checks as Rasa's, with the schema compiled once."""

from __future__ import annotations

import sys
import tarfile
from pathlib import Path

import numpy as np
import pytest
import sklearn.model_selection
import tensorflow as tf
from jsonschema import ValidationError
from rasa.__main__ import create_argument_parser
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import Agent
from rasa.nlu.test import generate_folds
from rasa.shared.nlu.training_data.loading import load_data
from rasa.utils.tensorflow.models import RasaModel

from bot.config import RASA_PROJECT
from bot.launcher import MODEL_DIR

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rasa_project"))

from rasa_server import (  # noqa: E402
    action_reply_validator,
    fast_model_load,
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


def restored_from(value: np.ndarray, saved: np.ndarray) -> bool:
    """Equal, or equal where a randomly connected layer has not masked the weight to 0."""
    if value.shape != saved.shape:
        return False
    return np.array_equal(value, saved) or (
        value.any() and np.array_equal(value, np.where(value != 0, saved, 0))
    )


async def test_the_trained_models_load_with_every_weight_from_their_checkpoints(
    tmp_path, monkeypatch
) -> None:
    archive = MODEL_DIR / "coach.tar.gz"
    monkeypatch.setattr(RasaModel, "load", classmethod(fast_model_load))
    agent = Agent.load(str(archive))
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path, filter="data")

    loaded = {
        type(node._component).__name__: node._component.model
        for node in agent.processor.graph_runner._instantiated_nodes.values()
        if type(node._component).__name__ == "TEDPolicy"
    }
    assert set(loaded) == {"TEDPolicy"}
    assert all(model is not None for model in loaded.values()), "a model failed to load"
    for name, model in loaded.items():
        (index,) = tmp_path.glob(f"components/train_{name}*/*.tf_model.index")
        reader = tf.train.load_checkpoint(str(index.with_suffix("")))
        saved = [
            reader.get_tensor(key)
            for key in reader.get_variable_to_shape_map()
            if key.startswith("model/") and "optimizer" not in key
        ]
        for variable in model.variables:
            value = variable.numpy()
            assert any(restored_from(value, tensor) for tensor in saved), (
                f"{name}: {variable.name} does not hold a value from the checkpoint"
            )
        # Predictions compare with label embeddings made from the restored weights.
        assert np.allclose(model.all_labels_embed, model._create_all_labels_embed()[1], atol=1e-5)

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

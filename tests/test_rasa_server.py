"""The Rasa entry point: the same action-reply checks as Rasa's, with the schema compiled once."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rasa_project"))

from rasa_server import action_reply_validator, validate_action_reply  # noqa: E402

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

"""The NLU step that adds a sentence embedding to every message."""

from __future__ import annotations

import sys
from itertools import pairwise

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.config import RASA_PROJECT

sys.path.insert(0, str(RASA_PROJECT))

import sentence_features  # noqa: E402
from sentence_features import SentenceEmbeddingFeaturizer  # noqa: E402


def featurizer(tmp_path) -> SentenceEmbeddingFeaturizer:
    return SentenceEmbeddingFeaturizer.create(
        SentenceEmbeddingFeaturizer.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("sentence_features"),
        ExecutionContext(GraphSchema({}), node_name="sentence_features"),
    )


def embedding(message: Message) -> np.ndarray:
    _sequence, sentence = message.get_dense_features(TEXT)
    return sentence.features[0]


def test_a_paraphrase_lies_closer_than_another_request(tmp_path) -> None:
    plan, plan_again, delete = featurizer(tmp_path).process(
        [
            Message(data={TEXT: "can we plan my next applications"}),
            Message(data={TEXT: "help me figure out where to apply next"}),
            Message(data={TEXT: "delete everything you have on me"}),
        ]
    )

    assert embedding(plan).shape == (384,)
    assert embedding(plan) @ embedding(plan_again) > embedding(plan) @ embedding(delete)


def test_a_message_without_text_gets_no_features(tmp_path) -> None:
    (empty,) = featurizer(tmp_path).process([Message(data={TEXT: ""})])

    assert empty.get_dense_features(TEXT) == (None, None)


class RecordingEncoder:
    """Embeds a text as its length, and records the batches it was given."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def embed(self, texts: list[str]) -> np.ndarray:
        self.batches.append(texts)
        return np.array([[float(len(text))] for text in texts])


def test_batches_hold_texts_of_like_length_and_each_message_gets_its_own(
    tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(sentence_features, "BATCH", 2)
    step = featurizer(tmp_path)
    step.encoder = RecordingEncoder()
    texts = ["a much longer message than the others", "hi", "a middling one", "yes", "ok then"]

    messages = step.process([Message(data={TEXT: text}) for text in texts])

    assert [embedding(message)[0] for message in messages] == [len(text) for text in texts]
    lengths = [sorted(map(len, batch)) for batch in step.encoder.batches]
    assert all(a[-1] <= b[0] for a, b in pairwise(lengths))

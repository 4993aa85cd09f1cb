"""The entity extractor opens the CRFs it trained instead of fitting them again."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.lexical_syntactic_featurizer import (
    LexicalSyntacticFeaturizer,
)
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rasa_project"))

from saved_crf import SavedCRFEntityExtractor  # noqa: E402

COMPANIES = ["Acme", "Stripe", "Monzo", "Figma", "Shopify", "Canva"]


def annotated(company: str, template: str) -> Message:
    text = template.format(company)
    start = text.index(company)
    entity = {"start": start, "end": start + len(company), "value": company, "entity": "company"}
    return Message(data={"text": text, "intent": "report_rejection", "entities": [entity]})


@pytest.fixture
def storage(tmp_path: Path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


def create(component, storage: LocalModelStorage):
    """A new component the way Rasa's training graph creates one."""
    context = ExecutionContext(GraphSchema({}), node_name=component.__name__)
    return component.create(
        component.get_default_config(), storage, Resource(component.__name__), context
    )


@pytest.fixture
def tokenizer(storage) -> WhitespaceTokenizer:
    return create(WhitespaceTokenizer, storage)


@pytest.fixture
def featurizer(storage) -> LexicalSyntacticFeaturizer:
    return create(LexicalSyntacticFeaturizer, storage)


def tagged(extractor, tokenizer, featurizer, text: str) -> list[tuple[str, str]]:
    messages = featurizer.process(tokenizer.process([Message(data={"text": text})]))
    [message] = extractor.process(messages)
    return [(entity["entity"], entity["value"]) for entity in message.get("entities", [])]


def test_a_loaded_extractor_tags_like_the_trained_one_without_fitting_again(
    storage, tokenizer, featurizer, monkeypatch
) -> None:
    trained = create(SavedCRFEntityExtractor, storage)
    examples = [
        annotated(company, template)
        for company in COMPANIES
        for template in ("rejected by {} today", "{} said no", "i applied to {} last week")
    ]
    training = TrainingData(examples)
    tokenizer.process_training_data(training)
    featurizer.train(training)
    featurizer.process_training_data(training)
    trained.train(training)

    def fit_again(*args, **kwargs):
        raise AssertionError("the CRFs were fitted again at load")

    monkeypatch.setattr(SavedCRFEntityExtractor, "train_model", fit_again)
    loaded = SavedCRFEntityExtractor.load(
        SavedCRFEntityExtractor.get_default_config(),
        storage,
        Resource(SavedCRFEntityExtractor.__name__),
        ExecutionContext(GraphSchema({}), node_name=SavedCRFEntityExtractor.__name__),
    )

    sentence = "rejected by Figma today"
    assert tagged(trained, tokenizer, featurizer, sentence) == [("company", "Figma")]
    assert tagged(loaded, tokenizer, featurizer, sentence) == tagged(
        trained, tokenizer, featurizer, sentence
    )
    assert tagged(loaded, tokenizer, featurizer, "Canva said no") == [("company", "Canva")]

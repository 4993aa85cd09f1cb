"""The intent classifier: Rasa's logistic regression over which features occur."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rasa_project"))

from presence_classifier import PresenceLogisticRegressionClassifier  # noqa: E402

# Three made-up features: 0 ~ "sad", 1 ~ "plan", 2 ~ "apply".
TRAINING = [
    ([1, 0, 0], "express_feeling"),
    ([2, 0, 0], "express_feeling"),
    ([1, 0, 1], "express_feeling"),
    ([0, 1, 0], "plan_next"),
    ([0, 1, 1], "plan_next"),
    ([0, 2, 1], "plan_next"),
]


def message(counts: list[int], intent: str | None = None, text: str = "…") -> Message:
    data = {TEXT: text} if intent is None else {TEXT: text, "intent": intent}
    message = Message(data=data)
    for feature_type in (FEATURE_TYPE_SEQUENCE, FEATURE_TYPE_SENTENCE):
        message.add_features(Features(csr_matrix([counts]), feature_type, TEXT, "counts"))
    return message


@pytest.fixture
def storage(tmp_path: Path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


def train(storage: LocalModelStorage, **config) -> PresenceLogisticRegressionClassifier:
    return train_on(storage, [message(counts, intent) for counts, intent in TRAINING], **config)


def train_on(
    storage: LocalModelStorage, examples: list[Message], **config
) -> PresenceLogisticRegressionClassifier:
    context = ExecutionContext(GraphSchema({}), node_name="intent_classifier")
    classifier = PresenceLogisticRegressionClassifier.create(
        {**PresenceLogisticRegressionClassifier.get_default_config(), **config},
        storage,
        Resource("intent_classifier"),
        context,
    )
    classifier.train(TrainingData(examples))
    return classifier


def ranking(classifier: PresenceLogisticRegressionClassifier, counts: list[int]) -> list:
    [parsed] = classifier.process([message(counts)])
    return parsed.get("intent_ranking")


def test_a_feature_that_occurs_three_times_counts_as_once(storage) -> None:
    classifier = train(storage)
    assert ranking(classifier, [3, 0, 0]) == ranking(classifier, [1, 0, 0])
    assert ranking(classifier, [1, 0, 0])[0]["name"] == "express_feeling"
    assert ranking(classifier, [0, 5, 0])[0]["name"] == "plan_next"


def test_regularisation_comes_from_the_pipeline(storage) -> None:
    assert train(storage).clf.C == 1.0
    weak = ranking(train(storage, C=0.01), [1, 0, 0])[0]["confidence"]
    strong = ranking(train(storage, C=100.0), [1, 0, 0])[0]["confidence"]
    assert strong > weak


def test_the_saved_classifier_predicts_the_same(storage) -> None:
    trained = train(storage, C=3.0)
    loaded = PresenceLogisticRegressionClassifier.load(
        {**trained.config},
        storage,
        Resource("intent_classifier"),
        ExecutionContext(GraphSchema({}), node_name="intent_classifier"),
    )
    assert loaded.clf.C == 3.0
    assert ranking(loaded, [0, 1, 1]) == ranking(trained, [0, 1, 1])


def test_dense_sentence_features_count_beside_the_ngrams_weighted(storage) -> None:
    classifier = train(storage, dense_weight=6.0)
    plain = message([3, 0, 0])
    plain.add_features(Features(np.array([[0.5, -0.25]]), FEATURE_TYPE_SENTENCE, TEXT, "dense"))

    row = classifier._create_X([plain]).toarray()[0]

    assert row.tolist() == [1.0, 0.0, 0.0, 3.0, -1.5]


def test_several_messages_stack_into_the_rows_each_would_make_alone(storage) -> None:
    classifier = train(storage, dense_weight=2.0)
    messages = [message([3, 0, 1]), message([0, 1, 0]), message([0, 0, 2])]
    for index, dense in enumerate(([0.5, 0.0], [-1.0, 0.25], [0.0, 1.0])):
        messages[index].add_features(
            Features(np.array([dense]), FEATURE_TYPE_SENTENCE, TEXT, "dense")
        )

    together = classifier._create_X(messages).toarray()

    alone = [classifier._create_X([one]).toarray()[0] for one in messages]
    assert together.tolist() == [row.tolist() for row in alone]
    assert together[1].tolist() == [0.0, 1.0, 0.0, -2.0, 0.5]


@pytest.mark.parametrize("dense_size", [0, 4])
def test_the_fit_is_scikit_learns_own_on_the_whole_matrix(storage, dense_size: int) -> None:
    """With dense features our fit multiplies them as a dense block (issue 15: training
    time); the model must be the one scikit-learn's lbfgs fit finds."""
    rng = np.random.default_rng(7)
    examples = []
    for index in range(120):
        kind = (0, 1, 2, 2)[index % 4]  # unbalanced: class weights count
        intent = ("express_feeling", "plan_next", "ask_why")[kind]
        counts = (rng.random(12) < 0.3).astype(int)
        counts[kind] = 1
        example = message(counts.tolist(), intent, text=f"example {index}")
        if dense_size:
            dense = rng.normal(size=(1, dense_size)) + (kind == 2)
            example.add_features(Features(dense, FEATURE_TYPE_SENTENCE, TEXT, "dense"))
        examples.append(example)
    classifier = train_on(storage, examples, C=3.0, dense_weight=2.0, max_iter=1000)
    X = classifier._create_X(examples)
    y = [example.get("intent") for example in examples]
    reference = LogisticRegression(C=3.0, class_weight="balanced", max_iter=1000, tol=1e-4)

    expected = reference.fit(X, y).predict_proba(X)

    assert classifier.clf.classes_.tolist() == ["ask_why", "express_feeling", "plan_next"]
    assert np.abs(classifier.clf.predict_proba(X) - expected).max() < 1e-4

"""Rasa's logistic regression intent classifier, over which n-grams a message has.

Rasa's ``LogisticRegressionClassifier`` sees how often each word and character n-gram
occurs, so a long message (a pasted email) weighs far more than a short one, and it
fixes the regularisation strength ``C`` at scikit-learn's default. This one sees only
whether each n-gram occurs, beside dense sentence features scaled by ``dense_weight``
(sentence_features.py), and takes ``C`` from the pipeline.

With the dense features, the fit is scikit-learn's own lbfgs fit with the dense block
multiplied as a dense matrix (multinomial_lbfgs.py): the same optimum in half the time.
"""

from __future__ import annotations

from typing import Any

import multinomial_lbfgs
import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, hstack, vstack


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class PresenceLogisticRegressionClassifier(LogisticRegressionClassifier):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **LogisticRegressionClassifier.get_default_config(),
            "C": 1.0,
            "dense_weight": 1.0,
        }

    def __init__(
        self,
        config: dict[str, Any],
        name: str,
        model_storage: ModelStorage,
        resource: Resource,
    ) -> None:
        super().__init__(config, name, model_storage, resource)
        self.clf.set_params(C=self.config["C"])

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if not examples:
            return self._resource
        y = [example.get(INTENT) for example in examples]
        sparse, dense = self._blocks(examples)
        if dense is None or len(set(y)) < 3:  # scikit-learn fits two classes one-vs-rest
            self.clf.fit(self._create_X(examples), y)
        else:
            multinomial_lbfgs.fit(self.clf, sparse, dense, y)
        self.persist()
        return self._resource

    def _create_X(self, messages: list[Message]) -> csr_matrix:
        """Which n-grams occur (0/1), beside any dense sentence features, weighted."""
        sparse, dense = self._blocks(messages)
        return sparse if dense is None else hstack([sparse, csr_matrix(dense)], format="csr")

    def _blocks(self, messages: list[Message]) -> tuple[csr_matrix, np.ndarray | None]:
        """The 0/1 n-gram columns, and the weighted dense ones (None without them).

        Each featurizer's column block is stacked for all messages at once: Rasa's
        ``get_sparse_features`` joins every message's blocks one message at a time (and
        its sequence features too), 2 ms a message, 9 s of a training."""
        sparse = [sentence_features(message, sparse=True) for message in messages]
        blocks = [vstack(block, format="csr") != 0 for block in zip(*sparse, strict=True)]
        ngrams = hstack(blocks, format="csr") if blocks else csr_matrix((len(messages), 0))
        dense = [sentence_features(message, sparse=False) for message in messages]
        if not (dense and all(dense)):
            return ngrams.astype(np.float64), None
        rows = np.vstack([np.hstack(features) for features in dense])
        return ngrams.astype(np.float64), rows.astype(np.float64) * self.config["dense_weight"]


def sentence_features(message: Message, sparse: bool) -> list[Any]:
    """The message's sentence-level text features, sparse or dense, in pipeline order."""
    return [
        features.features
        for features in message.features
        if features.attribute == TEXT
        and features.type == FEATURE_TYPE_SENTENCE
        and features.is_sparse() == sparse
    ]

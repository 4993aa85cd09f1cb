"""Rasa's logistic regression intent classifier, over which n-grams a message has.

Rasa's ``LogisticRegressionClassifier`` sees how often each word and character n-gram
occurs, so a long message (a pasted email) weighs far more than a short one, and it
fixes the regularisation strength ``C`` at scikit-learn's default. This one sees only
whether each n-gram occurs, beside dense sentence features scaled by ``dense_weight``
(sentence_features.py), and takes ``C`` from the pipeline.

It is fitted with newton-cg, not lbfgs: both reach the same optimum of the same convex
loss (on our training data every probability within 4e-5 of lbfgs's), newton-cg in 20
iterations where lbfgs took 316, about half of the training's time.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse import csr_matrix, hstack, vstack


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class PresenceLogisticRegressionClassifier(LogisticRegressionClassifier):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **LogisticRegressionClassifier.get_default_config(),
            "C": 1.0,
            "dense_weight": 1.0,
            "solver": "newton-cg",
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

    def _create_X(self, messages: list[Message]) -> csr_matrix:
        """Which n-grams occur (0/1), beside any dense sentence features, weighted.

        Each featurizer's column block is stacked for all messages at once: Rasa's
        ``get_sparse_features`` joins every message's blocks one message at a time (and
        its sequence features too), 2 ms a message, 9 s of a training."""
        sparse = [sentence_features(message, sparse=True) for message in messages]
        parts = [vstack(block, format="csr") != 0 for block in zip(*sparse, strict=True)]
        dense = [sentence_features(message, sparse=False) for message in messages]
        if dense and all(dense):
            rows = np.vstack([np.hstack(features) for features in dense])
            parts.append(csr_matrix(rows * self.config["dense_weight"]))
        return hstack(parts, format="csr").astype(np.float64)


def sentence_features(message: Message, sparse: bool) -> list[Any]:
    """The message's sentence-level text features, sparse or dense, in pipeline order."""
    return [
        features.features
        for features in message.features
        if features.attribute == TEXT
        and features.type == FEATURE_TYPE_SENTENCE
        and features.is_sparse() == sparse
    ]

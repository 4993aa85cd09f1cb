"""Rasa's logistic regression intent classifier, over which n-grams a message has.

Rasa's ``LogisticRegressionClassifier`` sees how often each word and character n-gram
occurs, so a long message (a pasted email) weighs far more than a short one, and it
fixes the regularisation strength ``C`` at scikit-learn's default. This one sees only
whether each n-gram occurs, beside dense sentence features scaled by ``dense_weight``
(sentence_features.py), and takes ``C`` from the pipeline.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse import csr_matrix, hstack, vstack


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class PresenceLogisticRegressionClassifier(LogisticRegressionClassifier):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**LogisticRegressionClassifier.get_default_config(), "C": 1.0, "dense_weight": 1.0}

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
        """Which n-grams occur (0/1), beside any dense sentence features, weighted."""
        rows = []
        for message in messages:
            sparse = message.get_sparse_features(attribute=TEXT)[1]
            dense = message.get_dense_features(attribute=TEXT)[1]
            parts = [csr_matrix((sparse.features != 0).astype(np.float64) if sparse else [])]
            if dense:
                parts.append(csr_matrix(dense.features * self.config["dense_weight"]))
            rows.append(hstack(parts))
        return vstack(rows)

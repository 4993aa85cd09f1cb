"""Rasa's logistic regression intent classifier, over which n-grams a message has.

Rasa's ``LogisticRegressionClassifier`` sees how often each word and character n-gram
occurs, so a long message (a pasted email) weighs far more than a short one, and it
fixes the regularisation strength ``C`` at scikit-learn's default. This one sees only
whether each feature occurs and takes ``C`` from the pipeline.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse import csr_matrix


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class PresenceLogisticRegressionClassifier(LogisticRegressionClassifier):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**LogisticRegressionClassifier.get_default_config(), "C": 1.0}

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
        return (super()._create_X(messages) != 0).astype(np.float64)

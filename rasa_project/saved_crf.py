"""Rasa's CRF entity extractor, loaded from the crfsuite models it trained.

Rasa 3.6 saves only the CRF's training set and fits the CRFs again every time a model
loads (its way of never unpickling): about 7 s of a 2-core machine's start-up. The
models crfsuite writes are plain data, not pickles, so this extractor saves them
beside Rasa's files and opens them at load; the predictions are the same.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Any

import sklearn_crfsuite
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.crf_entity_extractor import CRFEntityExtractor, CRFToken
from rasa.shared.utils.io import read_json_file


def model_path(model_dir: Path, tag_name: str) -> Path:
    return model_dir / f"crf_{tag_name}.crfsuite"


def open_crf(model: bytes) -> sklearn_crfsuite.CRF:
    """A trained CRF from crfsuite's model file (restored as sklearn_crfsuite unpickles one)."""
    crf = sklearn_crfsuite.CRF()
    crf.modelfile.ensure_name()
    Path(crf.modelfile.name).write_bytes(model)
    return crf


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class SavedCRFEntityExtractor(CRFEntityExtractor):
    def persist(self, dataset: list[list[CRFToken]]) -> None:
        super().persist(dataset)
        with self._model_storage.write_to(self._resource) as model_dir:
            for tag_name, crf in self.entity_taggers.items():
                model_path(model_dir, tag_name).write_bytes(Path(crf.modelfile.name).read_bytes())

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> CRFEntityExtractor:
        try:
            with model_storage.read_from(resource) as model_dir:
                crf_order = read_json_file(model_dir / "crf_order.json")
                models = {tag_name: model_path(model_dir, tag_name) for tag_name in crf_order}
                if not all(path.exists() for path in models.values()):
                    return super().load(config, model_storage, resource, execution_context)
                taggers = OrderedDict(
                    (tag_name, open_crf(path.read_bytes())) for tag_name, path in models.items()
                )
        except ValueError:  # nothing was trained: Rasa's load says so and returns an empty one
            return super().load(config, model_storage, resource, execution_context)
        extractor = cls(config, model_storage, resource, taggers)
        extractor.crf_order = crf_order
        return extractor

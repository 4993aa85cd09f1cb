"""Static checks of rasa_project/: the intent contract, and nothing unused or missing.

`rasa data validate` counts a response as unused unless a story or rule names
it, so it cannot see form questions or responses sent by custom actions; this
test knows about both and fails on a response that nothing uses.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

RASA_PROJECT = Path(__file__).resolve().parents[1] / "rasa_project"
CONTRACT_INTENTS = {
    "greet",
    "goodbye",
    "affirm",
    "deny",
    "thank",
    "help",
    "report_rejection",
    "paste_rejection_email",
    "express_feeling",
    "self_blame",
    "request_followup",
    "share_feedback",
    "plan_next",
    "add_application",
    "start_journal",
    "export_journal",
    "set_checkin",
    "stop_checkin",
    "delete_data",
    "crisis",
    "bot_challenge",
    "out_of_scope",
}
CONTRACT_ENTITIES = {"company", "role", "emotion", "time"}


@lru_cache(maxsize=1)
def domain() -> dict:
    merged: dict = {}
    for path in sorted((RASA_PROJECT / "domain").glob("*.yml")):
        for key, value in (yaml.safe_load(path.read_text()) or {}).items():
            if isinstance(value, dict):
                merged.setdefault(key, {}).update(value)
            elif isinstance(value, list):
                merged.setdefault(key, []).extend(value)
    return merged


@lru_cache(maxsize=1)
def training_data():
    from rasa.shared.nlu.training_data.loading import load_data

    return load_data(str(RASA_PROJECT / "data" / "nlu"))


@lru_cache(maxsize=1)
def dialogue_actions() -> set[str]:
    names = set()
    for path in [*(RASA_PROJECT / "data").glob("*.yml"), *(RASA_PROJECT / "tests").glob("*.yml")]:
        names |= set(re.findall(r"-\s*action:\s*(\w+)", path.read_text()))
    return names


@lru_cache(maxsize=1)
def custom_actions() -> dict[str, str]:
    """name() of every Action class in rasa_project/actions -> its module's source."""
    sys.path.insert(0, str(RASA_PROJECT))
    import importlib
    import pkgutil

    import actions
    from rasa_sdk import Action

    found = {}
    for module_info in pkgutil.iter_modules(actions.__path__):
        module = importlib.import_module(f"actions.{module_info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, Action)
                and cls.__module__ == module.__name__
                and not inspect.isabstract(cls)
            ):
                found[cls().name()] = inspect.getsource(module)
    return found


def test_the_intent_and_entity_contract_with_25_examples_each() -> None:
    counts = Counter(example.get("intent") for example in training_data().intent_examples)
    assert set(domain()["intents"]) >= CONTRACT_INTENTS
    assert set(domain()["entities"]) >= CONTRACT_ENTITIES
    too_few = {intent: counts[intent] for intent in CONTRACT_INTENTS if counts[intent] < 25}
    assert too_few == {}


def test_the_out_of_domain_dev_set_is_never_trained_on() -> None:
    from benchmarks.nlu_eval import ood_dev_lines

    trained = {example.get("text").lower() for example in training_data().intent_examples}
    dev = ood_dev_lines()
    assert len(dev) >= 150
    assert [line for line in dev if line.lower() in trained] == []


def test_every_action_in_the_domain_is_implemented_and_vice_versa() -> None:
    implemented = set(custom_actions())
    assert set(domain()["actions"]) == implemented


def test_every_response_is_used_somewhere() -> None:
    forms = domain()["forms"]
    asked = {f"utter_ask_{slot}" for form in forms.values() for slot in form["required_slots"]}
    action_source = "\n".join(custom_actions().values())
    used_by_actions = set(re.findall(r"\"(utter_\w+)\"", action_source))
    used_by_rasa = {"utter_default"}  # action_default_fallback, the core fallback
    unused = (
        set(domain()["responses"]) - dialogue_actions() - asked - used_by_actions - used_by_rasa
    )
    assert unused == set()


def test_every_response_an_action_sends_exists() -> None:
    action_source = "\n".join(custom_actions().values())
    named = set(re.findall(r"\"(utter_\w+)\"", action_source))
    assert named <= set(domain()["responses"])


def test_no_story_or_rule_conflicts() -> None:
    from rasa.shared.importers.importer import TrainingDataImporter
    from rasa.validator import Validator

    importer = TrainingDataImporter.load_from_config(
        config_path=str(RASA_PROJECT / "config.yml"),
        domain_path=str(RASA_PROJECT / "domain"),
        training_data_paths=[str(RASA_PROJECT / "data")],
    )
    assert Validator.from_importer(importer).verify_story_structure(ignore_warnings=False)


@pytest.mark.parametrize("name", ["utter_crisis_safe_ack", "utter_iamabot", "utter_help"])
def test_the_bot_never_claims_to_be_a_person_or_to_treat(name: str) -> None:
    for variation in domain()["responses"][name]:
        text = variation["text"].lower()
        assert "i am a person" not in text and "i'm a person" not in text
        assert "treat" not in text.replace("can't treat", "").replace("cannot treat", "")

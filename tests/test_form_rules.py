"""Every form × every request and digression has its rule, and the files say so."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

RASA_PROJECT = Path(__file__).resolve().parents[1] / "rasa_project"
sys.path.insert(0, str(RASA_PROJECT))

import form_rules  # noqa: E402


def test_the_generated_files_are_up_to_date() -> None:
    for path, text in form_rules.rendered().items():
        assert path.read_text() == text, (
            f"run `python form_rules.py` in rasa_project/ ({path.name})"
        )


def test_every_form_in_the_domain_is_generated() -> None:
    domain_forms = {}
    for path in (RASA_PROJECT / "domain").glob("*.yml"):
        domain_forms.update((yaml.safe_load(path.read_text()) or {}).get("forms") or {})
    assert set(domain_forms) == set(form_rules.FORMS)


@pytest.mark.parametrize("form", sorted(form_rules.FORMS))
def test_each_intent_that_is_not_an_answer_has_a_rule(form: str) -> None:
    rules = yaml.safe_load(form_rules.RULES_FILE.read_text())["rules"]
    covered = {
        rule["steps"][0]["intent"] for rule in rules if rule["condition"] == [{"active_loop": form}]
    }
    handled_elsewhere = {form_rules.SKIP, form_rules.SESSION_START}  # Rasa starts sessions
    assert set(form_rules.ignored_intents(form)) - handled_elsewhere == covered


@pytest.mark.parametrize("form", sorted(form_rules.FORMS))
def test_crisis_is_never_an_answer(form: str) -> None:
    assert "crisis" in form_rules.ignored_intents(form)


def test_a_switch_leaves_the_form_before_serving_the_request() -> None:
    rules = yaml.safe_load(form_rules.RULES_FILE.read_text())["rules"]
    switch = next(
        rule
        for rule in rules
        if rule["condition"] == [{"active_loop": "feeling_form"}]
        and rule["steps"][0]["intent"] == "plan_next"
    )
    assert switch["steps"][1:4] == [
        {"action": "action_leave_form"},
        {"active_loop": None},
        {"action": "plan_form"},
    ]


def test_a_digression_comes_back_to_the_same_form() -> None:
    rules = yaml.safe_load(form_rules.RULES_FILE.read_text())["rules"]
    digression = next(
        rule
        for rule in rules
        if rule["condition"] == [{"active_loop": "application_form"}]
        and rule["steps"][0]["intent"] == "bot_challenge"
    )
    assert digression["steps"][-2:] == [
        {"action": "application_form"},
        {"active_loop": "application_form"},
    ]

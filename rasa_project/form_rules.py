"""Write every form's unhappy paths: domain/forms.yml and data/interruptions.yml.

Each form lists the intents that are never an answer to its questions
(``ignored_intents``, so no slot mapping takes them) and gets one rule for each:
a digression is answered and the same question comes again; a request for
something else leaves the form, keeping what was said, and is served; crisis
language stops the form for crisis resources. Generated, so that a new form
cannot forget one. Run ``python form_rules.py`` in rasa_project/ after changing
a form; tests/test_form_rules.py fails while the files are out of date.
"""

from __future__ import annotations

from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
FORMS_FILE = HERE / "domain" / "forms.yml"
RULES_FILE = HERE / "data" / "interruptions.yml"

# Answered, then the form asks its question again.
DIGRESSIONS: dict[str, list[str]] = {
    "help": ["utter_help"],
    "bot_challenge": ["utter_iamabot"],
    "grounding": ["utter_grounding"],
    "self_blame": ["utter_counter_self_blame"],
    "thank": ["utter_you_are_welcome"],
    "correct": ["action_correct"],
    "good_news": ["utter_good_news"],
}
# Another request: leave the form (keeping what was given), then serve it
# exactly as the top-level rule in rules.yml does.
SWITCHES: dict[str, list[dict[str, str | None]]] = {
    "plan_next": [{"action": "plan_form"}, {"active_loop": "plan_form"}],
    "request_followup": [{"action": "followup_form"}, {"active_loop": "followup_form"}],
    "share_feedback": [{"action": "action_save_feedback"}, {"action": "utter_offer_plan"}],
    "set_checkin": [{"action": "checkin_time_form"}, {"active_loop": "checkin_time_form"}],
    "stop_checkin": [{"action": "utter_confirm_stop_checkin"}],
    "export_journal": [{"action": "utter_export"}],
    "delete_data": [{"action": "utter_confirm_delete"}],
    "start_journal": [{"action": "journal_form"}, {"active_loop": "journal_form"}],
    "add_application": [{"action": "application_form"}, {"active_loop": "application_form"}],
    "goodbye": [{"action": "utter_goodbye"}],
    "report_rejection": [
        {"action": "action_start_rejection"},
        {"action": "rejection_form"},
        {"active_loop": "rejection_form"},
    ],
    # The nightly check-in arrives (the bot's own turn) while a form was left open.
    "EXTERNAL_checkin": [
        {"action": "action_checkin_prompt"},
        {"action": "checkin_form"},
        {"active_loop": "checkin_form"},
    ],
    "paste_rejection_email": [
        {"action": "action_start_rejection"},
        {"action": "rejection_form"},
        {"active_loop": "rejection_form"},
    ],
}
# Handled by each form's own skip rule or `skip` slot mapping (rules.yml, domain).
SKIP = "skip"
CRISIS = "crisis"
CHECKIN = "EXTERNAL_checkin"
NOT_ANSWERS = [CRISIS, SKIP, *DIGRESSIONS, *SWITCHES]

# Each form's questions, and which of the intents above ARE answers there.
FORMS: dict[str, dict[str, list[str]]] = {
    "rejection_form": {
        "required_slots": ["company", "role", "stage"],
        "answers": ["report_rejection", "paste_rejection_email"],
    },
    # Feelings, thoughts and reframes are told in the words of the rejection itself:
    # "I'm not good enough" is the thought behind the feeling, "they went with someone
    # more senior" a reframe, not a new report.
    "feeling_form": {
        "required_slots": ["emotion", "intensity", "thought", "thought_realistic"],
        "answers": ["self_blame", "report_rejection"],
    },
    "reframe_form": {
        "required_slots": ["reframe"],
        "answers": ["self_blame", "report_rejection", "share_feedback"],
    },
    "followup_form": {"required_slots": ["contact_name"], "answers": ["request_followup"]},
    "plan_form": {"required_slots": ["active_count"], "answers": ["plan_next", "add_application"]},
    "application_form": {
        "required_slots": ["app_company", "app_role", "app_when"],
        "answers": ["add_application", "plan_next"],
    },
    "checkin_time_form": {"required_slots": ["checkin_time"], "answers": ["set_checkin"]},
    # A note about the day is often good news ("got an interview invite!!").
    "checkin_form": {
        "required_slots": ["checkin_mood", "checkin_note"],
        "answers": ["self_blame", "report_rejection", "good_news"],
    },
    # Free writing keeps every word until "done"; only crisis language stops it.
    "journal_form": {
        "required_slots": ["journal_text"],
        "answers": [intent for intent in NOT_ANSWERS if intent not in (CRISIS, CHECKIN)],
    },
}


# Never an answer, and needs no rule of its own: a new session (the conversation
# runner's "next day"; Rasa's own expiry starts one before reading the message).
SESSION_START = "session_start"


def ignored_intents(form: str) -> list[str]:
    answers = set(FORMS[form]["answers"])
    return [intent for intent in [*NOT_ANSWERS, SESSION_START] if intent not in answers]


def forms_domain() -> dict:
    return {
        "version": "3.1",
        "forms": {
            form: {
                "required_slots": spec["required_slots"],
                "ignored_intents": ignored_intents(form),
            }
            for form, spec in FORMS.items()
        },
    }


def rules() -> list[dict]:
    found = []
    for form in FORMS:
        for intent in ignored_intents(form):
            if intent == CRISIS:
                name, steps = (
                    "stops the form for crisis resources",
                    [
                        {"action": "action_crisis"},
                        {"active_loop": None},
                    ],
                )
            elif intent in DIGRESSIONS:
                name = "is answered, then the same question again"
                steps = [
                    *({"action": action} for action in DIGRESSIONS[intent]),
                    {"action": form},
                    {"active_loop": form},
                ]
            elif intent in SWITCHES:
                name = "leaves the form, keeping what was said, and is served"
                steps = [{"action": "action_leave_form"}, {"active_loop": None}, *SWITCHES[intent]]
            else:
                continue
            found.append(
                {
                    "rule": f"{intent} inside {form} {name}",
                    "condition": [{"active_loop": form}],
                    "steps": [{"intent": intent}, *steps],
                }
            )
    return found


def rendered() -> dict[Path, str]:
    header = "# Generated by rasa_project/form_rules.py: edit that file, not this one.\n"
    dump = {"sort_keys": False, "width": 100, "default_flow_style": False}
    return {
        FORMS_FILE: header + yaml.safe_dump(forms_domain(), **dump),
        RULES_FILE: header + yaml.safe_dump({"version": "3.1", "rules": rules()}, **dump),
    }


def main() -> None:
    for path, text in rendered().items():
        path.write_text(text)


if __name__ == "__main__":
    main()

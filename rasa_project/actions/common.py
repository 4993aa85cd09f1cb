"""What every action needs: the journal database, the user, the user's words."""

from __future__ import annotations

import functools
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from sqlite_utils import Database

from actions.parsing import clean_name
from bot import store
from bot.config import load_settings

# Slots that hold working state of a form beyond its required slots.
EXTRA_FORM_SLOTS = {
    "feeling_form": ["feeling_entry_id"],
    "journal_form": ["journal_entry_id"],
}


@lru_cache(maxsize=1)
def db() -> Database:
    return store.connect(load_settings().db_path)


def user_id(tracker: Tracker) -> int:
    """Rasa's sender id is the Telegram user id (the terminal chat uses one too)."""
    return int(tracker.sender_id)


def user_text(tracker: Tracker) -> str | None:
    """What the person typed, or None for a button payload or a bot-started turn."""
    text = (tracker.latest_message.get("text") or "").strip()
    if not text or text.startswith(("/", "EXTERNAL: ")):
        return None
    return text


def ignore_cleared(method: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """Skip validating a slot that an action has just cleared.

    rasa_sdk validates every slot set since the last user message, including
    ones reset to None by the action that opened the form.
    """
    slot = method.__name__.removeprefix("validate_")

    @functools.wraps(method)
    def validate(self: Any, slot_value: Any, *args: Any) -> dict[str, Any]:
        if slot_value is None:
            return {slot: None}
        return method(self, slot_value, *args)

    return validate


def latest_entity(tracker: Tracker, name: str) -> str | None:
    """The entity's latest value as text; a payload can carry any JSON, which is not one."""
    value = next(tracker.get_latest_entity_values(name), None)
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    return str(value)


def as_number(value: Any) -> float | None:
    """A slot's number, or None for anything else a payload may have put there."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def name_from_answer(tracker: Tracker, value: Any, entity: str) -> str | None:
    """A company or role for a form slot, trimmed by ``clean_name``.

    When the slot took the whole answer ("it was at Monzo"), the entity found in it is
    the name; a value set another way (read from a pasted email) is kept as it is.
    """
    answer = (user_text(tracker) or "").strip()
    found = clean_name(latest_entity(tracker, entity)) if str(value).strip() == answer else None
    return found or clean_name(str(value))


def latest_intent(tracker: Tracker) -> str | None:
    return tracker.get_intent_of_latest_message()


def latest_confidence(tracker: Tracker) -> float:
    """How sure the model was of the latest message's intent (a button press: 1.0)."""
    return float((tracker.latest_message.get("intent") or {}).get("confidence", 1.0))


def form_slots(domain: dict[str, Any], form: str) -> list[str]:
    required = domain.get("forms", {}).get(form, {}).get("required_slots", [])
    return [*required, *EXTRA_FORM_SLOTS.get(form, [])]


def clear_slots(names: list[str]) -> list[SlotSet]:
    return [SlotSet(name, None) for name in names]


def last_form(tracker: Tracker) -> str | None:
    """The form that was active most recently (still active, or just finished)."""
    if tracker.active_loop_name:
        return tracker.active_loop_name
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop" and event.get("name"):
            return event["name"]
    return None


def action_before_message(tracker: Tracker) -> str | None:
    """The bot's last action before the latest message (what the message answers)."""
    heard = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            heard = True
        elif heard and event.get("event") == "action" and event.get("name") != "action_listen":
            return event.get("name")
    return None


# Rasa's own bookkeeping around every message, not a reply to it.
BOOKKEEPING = {"action_listen", "action_extract_slots"}


def actions_since_message(tracker: Tracker) -> list[str]:
    """The actions run in reply to the latest message so far, oldest first."""
    names: list[str] = []
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            break
        if event.get("event") == "action" and event.get("name") not in BOOKKEEPING:
            names.insert(0, event.get("name") or "")
    return names

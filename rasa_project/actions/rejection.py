"""Stage 0: take in the rejection (said in a line or pasted as an email)."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import is_name
from actions.common import (
    clear_slots,
    db,
    form_slots,
    ignore_cleared,
    latest_entity,
    latest_intent,
    user_id,
    user_text,
)
from actions.email_parser import looks_like_email, parse_rejection_email
from actions.listening import ListeningForm, accept, refuse
from actions.parsing import clean_name, parse_stage
from actions.understanding import company_in, rejection_facts, role_in
from bot import store

UNKNOWN = "unknown"
FEELING_SLOTS = ["emotion", "intensity", "thought", "thought_realistic", "feeling_entry_id"]
HINTS = {
    "company": "Just the company's name is enough, like “Monzo” or “the NHS”.",
    "role": "Just the job title is enough, like “junior analyst” or “backend developer”.",
}
FEELING_FIRST = "That sounds hard, and we'll come to how it feels in a moment."
FINDERS = {"company": company_in, "role": role_in}


def short_answer(text: str) -> str | None:
    """A bare answer to "which company?": its first clause, if it is short."""
    first = re.split(r"[,;.!?]| - ", text.strip(), maxsplit=1)[0]
    name = clean_name(first, max_words=5)
    return name if is_name(name) else None


def name_answer(slot: str, value: Any, tracker: Tracker) -> str | None:
    """The company or role a form answer gives, or None if it gives none."""
    text = user_text(tracker) or ""
    if str(value).strip() != text.strip():  # read from an entity, a pattern or an email
        return clean_name(str(value))
    found = FINDERS[slot](text, latest_entity(tracker, slot))
    if found:
        return found
    if latest_intent(tracker) == "express_feeling" or text.strip().endswith("?"):
        return None
    return short_answer(text)


class ActionStartRejection(Action):
    """Forget the previous rejection, then read what this message already tells us."""

    def name(self) -> str:
        return "action_start_rejection"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events: list[EventType] = clear_slots(
            [*form_slots(domain, "rejection_form"), *FEELING_SLOTS, "rejection_id", "contact_name"]
        )
        text = user_text(tracker) or ""
        events.append(SlotSet("rejection_text", text or None))
        dispatcher.utter_message(response="utter_rejection_received")
        if latest_intent(tracker) == "paste_rejection_email" or looks_like_email(text):
            parsed = parse_rejection_email(text)
            facts = {"company": parsed.company, "role": parsed.role, "stage": parsed.stage}
            if parsed.company and parsed.role:
                dispatcher.utter_message(
                    response="utter_email_read", company=parsed.company, role=parsed.role
                )
        else:
            facts = rejection_facts(tracker)
        events += [SlotSet(slot, value) for slot, value in facts.items() if value]
        return events


# A rejection told in passing ("stripe rejected me after the tech test, skip the
# feelings, let's plan"): the message is about something else, the rejection is kept.
TOLD_A_REJECTION = re.compile(
    r"\b(?:reject\w*|turned\s+(?:me\s+)?down|said\s+no|ghosted|refus\w*|unsuccessful|"
    r"didn'?t\s+(?:get|make)\s+(?:it|the\s+job|the\s+role|through)|not\s+(?:moving|progressing)\s+"
    r"(?:forward|me)|got\s+a\s+no|passed\s+on\s+me|dropped\s+me|declined\s+me|binned\s+me)\b",
    re.IGNORECASE,
)
REPORTS = {"report_rejection", "paste_rejection_email", "share_feedback", "correct", "crisis"}


class ActionHearRejection(Action):
    """Run by Rasa on every message (the custom mapping of ``rejection_id``)."""

    def name(self) -> str:
        return "action_hear_rejection"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = user_text(tracker) or ""
        if (
            tracker.active_loop_name
            or latest_intent(tracker) in REPORTS
            or not TOLD_A_REJECTION.search(text)
        ):
            return []
        facts = rejection_facts(tracker)
        if not any(facts.get(slot) for slot in ("company", "role", "stage")):
            return []
        events = [
            SlotSet(slot, facts.get(slot)) for slot in ("company", "role", "stage", "emotion")
        ]
        tracker.slots.update({slot: facts.get(slot) for slot in ("company", "role", "stage")})
        tracker.slots["rejection_text"] = text
        return [*events, *save_rejection(tracker)]


class ValidateRejectionForm(ListeningForm):
    def name(self) -> str:
        return "validate_rejection_form"

    def facts(self, tracker: Tracker) -> dict[str, Any]:
        return rejection_facts(tracker)

    def _name_slot(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        if value == UNKNOWN:
            return accept(slot, UNKNOWN)
        name = name_answer(slot, value, tracker)
        if name and is_name(name):
            return accept(slot, name)
        feeling = latest_intent(tracker) == "express_feeling"
        hint = f"{FEELING_FIRST} {HINTS[slot]}" if feeling else HINTS[slot]
        return refuse(slot, dispatcher, tracker, hint, give_up=UNKNOWN)

    @ignore_cleared
    def validate_company(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        return self._name_slot("company", slot_value, dispatcher, tracker)

    @ignore_cleared
    def validate_role(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        return self._name_slot("role", slot_value, dispatcher, tracker)

    @ignore_cleared
    def validate_stage(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        stage = parse_stage(str(slot_value))
        if stage:
            return accept("stage", stage)
        return refuse(
            "stage",
            dispatcher,
            tracker,
            "I didn't quite catch how far it got: before any interview, after interviews, or "
            "after the final round? The buttons below work too.",
            give_up=UNKNOWN,
        )


def save_rejection(tracker: Tracker) -> list[EventType]:
    """Store the rejection as far as it is known, with the message that told it."""

    def known(slot: str) -> str | None:
        value = tracker.get_slot(slot)
        return None if value in (None, UNKNOWN) else value

    rejection_id = store.add_rejection(
        db(),
        user_id(tracker),
        company=known("company"),
        role=known("role"),
        stage=tracker.get_slot("stage") or UNKNOWN,
    )
    text = tracker.get_slot("rejection_text")
    if text:
        store.add_entry(db(), user_id(tracker), "rejection", text, rejection_id=rejection_id)
    return [SlotSet("rejection_id", rejection_id), SlotSet("rejection_text", None)]


class ActionSaveRejection(Action):
    def name(self) -> str:
        return "action_save_rejection"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return save_rejection(tracker)

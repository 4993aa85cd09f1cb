"""Stage 0: take in the rejection (said in a line or pasted as an email)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    clear_slots,
    db,
    form_slots,
    ignore_cleared,
    latest_entity,
    latest_intent,
    name_from_answer,
    user_id,
    user_text,
)
from actions.email_parser import looks_like_email, parse_rejection_email
from actions.parsing import clean_name, parse_stage
from bot import store

UNKNOWN = "unknown"


class ActionStartRejection(Action):
    """Forget the previous rejection, then read what this message already tells us."""

    def name(self) -> str:
        return "action_start_rejection"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events: list[EventType] = clear_slots(
            [*form_slots(domain, "rejection_form"), "rejection_id", "contact_name"]
        )
        text = user_text(tracker) or ""
        events.append(SlotSet("rejection_text", text or None))
        dispatcher.utter_message(response="utter_rejection_received")
        if latest_intent(tracker) == "paste_rejection_email" or looks_like_email(text):
            parsed = parse_rejection_email(text)
            company, role, stage = parsed.company, parsed.role, parsed.stage
            if company and role:
                dispatcher.utter_message(response="utter_email_read", company=company, role=role)
        else:
            company = clean_name(latest_entity(tracker, "company"))
            role = clean_name(latest_entity(tracker, "role"))
            stage = parse_stage(latest_entity(tracker, "stage")) or parse_stage(text)
            if stage == UNKNOWN:  # "not sure" in the first line is not an answer yet
                stage = None
        for slot, value in (("company", company), ("role", role), ("stage", stage)):
            if value:
                events.append(SlotSet(slot, value))
        return events


class ValidateRejectionForm(FormValidationAction):
    def name(self) -> str:
        return "validate_rejection_form"

    def _name_slot(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        if value == UNKNOWN:
            return {slot: UNKNOWN}
        cleaned = name_from_answer(tracker, value, slot)
        if cleaned:
            return {slot: cleaned}
        dispatcher.utter_message(text="Just the name is enough, or say skip if you'd rather not.")
        return {slot: None}

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
            return {"stage": stage}
        dispatcher.utter_message(
            text="I didn't quite catch how far it got. A tap on one of these is enough:",
            buttons=[
                {"title": "After applying", "payload": '/inform{"stage":"screening"}'},
                {"title": "After interviews", "payload": '/inform{"stage":"interview"}'},
                {"title": "After the final round", "payload": '/inform{"stage":"final"}'},
                {"title": "Rather not say", "payload": '/inform{"stage":"unknown"}'},
            ],
        )
        return {"stage": None}


class ActionSaveRejection(Action):
    def name(self) -> str:
        return "action_save_rejection"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
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

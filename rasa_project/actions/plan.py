"""Stage 4: several irons in the fire, five or more out, one concrete step at a time."""

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
    name_from_answer,
    user_id,
    user_text,
)
from actions.parsing import parse_number
from bot import store

GOAL = store.GOAL_ACTIVE_APPLICATIONS
YES_NO = [
    {"title": "Yes, add one", "payload": "/affirm"},
    {"title": "Not tonight", "payload": "/deny"},
]
WHEN_WORDS = (
    "today",
    "tonight",
    "tomorrow",
    "this week",
    "next week",
    "weekend",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "month",
)


def active_line(count: int) -> str:
    if count >= GOAL:
        return f"You have {count} applications in motion: that's the five or more we aim for."
    missing = GOAL - count
    return (
        f"You have {count} in motion right now. The aim is {GOAL} or more, so that no single "
        f"answer carries everything: {missing} more to go."
    )


class ValidatePlanForm(FormValidationAction):
    def name(self) -> str:
        return "validate_plan_form"

    @ignore_cleared
    def validate_active_count(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        count = parse_number(slot_value, low=0, high=500)
        if count is None:
            dispatcher.utter_message(text="Roughly how many? A number is fine, even a guess.")
            return {"active_count": None}
        store.set_reported_active(db(), user_id(tracker), count)
        return {"active_count": float(count)}


class ActionPlanStatus(Action):
    def name(self) -> str:
        return "action_plan_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        count = store.active_application_count(db(), user_id(tracker))
        question = (
            "Want to add another one anyway?"
            if count >= GOAL
            else "Shall we pin down the next one together?"
        )
        dispatcher.utter_message(text=f"{active_line(count)} {question}", buttons=YES_NO)
        return [SlotSet("active_count", None)]


class ValidateApplicationForm(FormValidationAction):
    def name(self) -> str:
        return "validate_application_form"

    def _name(
        self,
        slot: str,
        entity: str,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
    ) -> dict[str, Any]:
        cleaned = name_from_answer(tracker, value, entity)
        if cleaned:
            return {slot: cleaned}
        dispatcher.utter_message(text="Just the name is enough.")
        return {slot: None}

    @ignore_cleared
    def validate_app_company(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        return self._name("app_company", "company", slot_value, dispatcher, tracker)

    @ignore_cleared
    def validate_app_role(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        return self._name("app_role", "role", slot_value, dispatcher, tracker)

    @ignore_cleared
    def validate_app_when(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        text = (user_text(tracker) or str(slot_value)).strip()
        lowered = text.lower()
        when = next((word for word in WHEN_WORDS if word in lowered), None)
        if when or (text and len(text) <= 40):
            return {"app_when": when or text}
        dispatcher.utter_message(text="A rough time is enough: today, this week or next week?")
        return {"app_when": None}


class ActionSaveApplication(Action):
    def name(self) -> str:
        return "action_save_application"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        uid = user_id(tracker)
        company = tracker.get_slot("app_company")
        role = tracker.get_slot("app_role")
        when = tracker.get_slot("app_when")
        store.add_application(db(), uid, company=company, role=role, planned_for=when)
        count = store.active_application_count(db(), uid)
        dispatcher.utter_message(text=f"Added: {role} at {company}, {when}. {active_line(count)}")
        dispatcher.utter_message(response="utter_ask_add_another")
        return clear_slots(form_slots(domain, "application_form"))


def plan_summary(uid: int) -> str:
    """Tonight's plan in a few lines: the applications, the count, any skill gap."""
    database = db()
    planned = list(
        database["applications"].rows_where(
            "user_id = ? and status = 'planned'",
            [uid],
            order_by="id desc",
            limit=8,
        )
    )
    feedback = list(
        database["entries"].rows_where(
            "user_id = ? and kind = 'feedback'",
            [uid],
            order_by="id desc",
            limit=1,
        )
    )
    lines = ["Your plan:"]
    lines += [
        f"• {row['role'] or 'a role'} at {row['company']} ({row['planned_for'] or 'soon'})"
        for row in reversed(planned)
    ] or ["• no new applications yet, and that's fine for tonight"]
    lines.append(active_line(store.active_application_count(database, uid)))
    if feedback:
        lines.append(f"To work on, from the feedback you got: “{feedback[0]['text']}”")
    lines.append("Keep following up on every no and note what it taught you.")
    return "\n".join(lines)


class ActionPlanSummary(Action):
    def name(self) -> str:
        return "action_plan_summary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(text=plan_summary(user_id(tracker)))
        return []

"""Moving between stages: finishing, skipping, and the crisis stop."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import as_number, clear_slots, db, form_slots, last_form, user_id, user_text
from actions.listening import model_only
from actions.plan import save_application
from actions.rejection import save_rejection
from actions.understanding import rejection_facts
from bot import store


class ActionClearForm(Action):
    """After a form is done, forget its answers so the next round asks afresh."""

    def name(self) -> str:
        return "action_clear_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        form = last_form(tracker)
        return clear_slots(form_slots(domain, form)) if form else []


class ActionSkipStage(Action):
    def name(self) -> str:
        return "action_skip_stage"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        form = tracker.active_loop_name
        dispatcher.utter_message(response="utter_skip_ok")
        events: list[EventType] = clear_slots(form_slots(domain, form)) if form else []
        return [*events, ActiveLoop(None), SlotSet("requested_slot", None)]


class ActionLeaveForm(Action):
    """Leave the open form for another request, keeping what was already said."""

    def name(self) -> str:
        return "action_leave_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        form = tracker.active_loop_name
        events: list[EventType] = []
        if form == "rejection_form":
            # "first round. can we skip to the plan": the answer said on the way out counts
            for slot, value in rejection_facts(tracker).items():
                if slot in ("company", "role", "stage") and tracker.get_slot(slot) is None:
                    tracker.slots[slot] = value
            events += save_rejection(tracker)
        elif form == "application_form" and tracker.get_slot("app_company"):
            save_application(tracker)
        elif form == "checkin_form" and as_number(tracker.get_slot("checkin_mood")) is not None:
            mood = as_number(tracker.get_slot("checkin_mood"))
            store.add_entry(
                db(), user_id(tracker), "checkin", None, mood=None if mood < 0 else int(mood)
            )
        cleared = clear_slots(form_slots(domain, form)) if form else []
        return [
            *events,
            *cleared,
            SlotSet("attempts", None),
            ActiveLoop(None),
            SlotSet("requested_slot", None),
        ]


class ActionCrisis(Action):
    """Crisis resources, nothing else; stop any form; remember it for the next check-in."""

    def name(self) -> str:
        return "action_crisis"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = user_text(tracker)
        form = tracker.active_loop_name
        if text and model_only(text):
            # Only the model heard crisis ("i keep thinking i'll be stuck in retail
            # forever"): ask directly, resources beside the question, and let
            # the form take the message as its answer (ListeningForm) and carry on.
            dispatcher.utter_message(custom={"command": "ask_safety"})
            return [FollowupAction(form)] if form else []
        # The front end renders the crisis message (bot/safety.py): one text
        # for both nets, the pattern check before Rasa and this NLU intent.
        dispatcher.utter_message(custom={"command": "crisis"})
        uid = user_id(tracker)
        store.record_crisis(db(), uid)
        if text:
            store.add_entry(db(), uid, "crisis", text)
        events: list[EventType] = clear_slots(form_slots(domain, form)) if form else []
        return [*events, ActiveLoop(None), SlotSet("requested_slot", None)]

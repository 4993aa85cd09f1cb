"""Nightly check-ins: setting the time, and the check-in conversation itself."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    clear_slots,
    db,
    form_slots,
    ignore_cleared,
    latest_intent,
    user_id,
    user_text,
)
from actions.listening import ListeningForm, accept, refuse
from actions.plan import active_line
from bot import checkins, spoken, store

SKIPPED = -1


class ValidateCheckinTimeForm(ListeningForm):
    def name(self) -> str:
        return "validate_checkin_time_form"

    def facts(self, tracker: Tracker) -> dict[str, Any]:
        text = user_text(tracker) or ""
        return {"checkin_time": text} if text and spoken.clock_time(text) else {}

    def plainly_answers(self, tracker: Tracker) -> bool:
        """A time; or thanks to "shall I make it 22:00?", which says yes."""
        if tracker.get_slot("checkin_time_guess") and latest_intent(tracker) == "thank":
            return True
        return spoken.clock_time(user_text(tracker) or "") is not None

    @ignore_cleared
    def validate_checkin_time(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        guess = tracker.get_slot("checkin_time_guess")
        intent = latest_intent(tracker)
        if guess and intent in ("affirm", "thank"):
            return accept("checkin_time", guess, checkin_time_guess=None)
        if guess and intent == "deny":
            return {"checkin_time": None, "checkin_time_guess": None}
        time = spoken.clock_time(str(slot_value))
        if time is None:
            dispatcher.utter_message(response="utter_checkin_time_invalid")
            return {"checkin_time": None, "checkin_time_guess": None}
        if time.approximate:
            dispatcher.utter_message(
                text=f"Shall I make it {time.hhmm()}?",
                buttons=[
                    {"title": f"Yes, {time.hhmm()}", "payload": "/affirm"},
                    {"title": "Another time", "payload": "/deny"},
                ],
            )
            return {"checkin_time": None, "checkin_time_guess": time.hhmm()}
        return accept("checkin_time", time.hhmm(), checkin_time_guess=None)


class ActionSetCheckin(Action):
    def name(self) -> str:
        return "action_set_checkin"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        user = checkins.enable(db(), user_id(tracker), tracker.get_slot("checkin_time"))
        dispatcher.utter_message(text=checkins.confirmation(user))
        return clear_slots(form_slots(domain, "checkin_time_form"))


class ActionStopCheckin(Action):
    def name(self) -> str:
        return "action_stop_checkin"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        checkins.disable(db(), user_id(tracker))
        dispatcher.utter_message(
            text="Check-ins are off. Your journal stays here; /checkin 21:30 turns them back on."
        )
        return []


class ActionCheckinPrompt(Action):
    """Open the nightly check-in: crisis follow-up first, then where things stand."""

    def name(self) -> str:
        return "action_checkin_prompt"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        uid = user_id(tracker)
        database = db()
        if store.take_crisis_flag(database, uid):
            dispatcher.utter_message(
                text="Before anything else: last time things sounded really heavy. How are you "
                "doing now? If it's still hard, please reach out to someone: emergency "
                "services, 988 in the US (call or text), Samaritans on 116 123 in the UK and "
                "Ireland, or a local crisis line. I'm a bot, but they are people."
            )
        lines = ["Evening check-in. " + active_line(store.active_application_count(database, uid))]
        for rejection in store.due_followups(database, uid)[:1]:
            where = f" at {rejection['company']}" if rejection["company"] else ""
            lines.append(
                f"It's been about a week since your follow-up{where}. If they answered, tell me "
                "what they said; if not, that's common, and a gentle nudge is fine."
            )
        dispatcher.utter_message(text="\n".join(lines))
        return []


class ValidateCheckinForm(ListeningForm):
    def name(self) -> str:
        return "validate_checkin_form"

    def facts(self, tracker: Tracker) -> dict[str, Any]:
        """ "a 4, kpmg ghosted me again" answers the rating and the line about the day."""
        text = user_text(tracker) or ""
        asked_mood = tracker.get_slot("requested_slot") == "checkin_mood"
        if asked_mood and spoken.scale(text) is not None and len(text.split()) > 3:
            return {"checkin_note": text}
        return {}

    @ignore_cleared
    def validate_checkin_mood(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        if slot_value == SKIPPED:
            return {"checkin_mood": SKIPPED}
        if isinstance(slot_value, (int, float)):
            value = slot_value if 0 <= slot_value <= 10 else None
        else:
            value = spoken.scale(str(slot_value))
        if value is None:
            return refuse(
                "checkin_mood",
                dispatcher,
                tracker,
                "A number from 0 (awful) to 10 (great) is enough.",
            )
        return accept("checkin_mood", value)

    @ignore_cleared
    def validate_checkin_note(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        return {"checkin_note": user_text(tracker) or str(slot_value or "")}


class ActionSaveCheckin(Action):
    def name(self) -> str:
        return "action_save_checkin"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        mood = tracker.get_slot("checkin_mood")
        store.add_entry(
            db(),
            user_id(tracker),
            "checkin",
            tracker.get_slot("checkin_note") or None,
            mood=None if mood in (None, SKIPPED) else int(mood),
        )
        dispatcher.utter_message(response="utter_checkin_thanks")
        return clear_slots(form_slots(domain, "checkin_form"))

"""Free writing: every message is kept verbatim until the person says they're done."""

from __future__ import annotations

import re
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
from actions.listening import ListeningForm
from bot import store

FINISHED = "finished"
FINISH_WORDS = re.compile(
    r"^(done|i'?m done|im done|that'?s (it|all)|that is (it|all)|finished|the end|end|stop|"
    r"/done|that'?s all for (now|today|tonight)|i'?m finished|all done)"
    r"([,.!]*\s*(thanks|thank you|thx|ty))?[.!]*$",
    re.IGNORECASE,
)


def is_finish(text: str, intent: str | None) -> bool:
    """ "done" ends the entry; a long message that merely sounds done is still kept."""
    stripped = text.strip()
    return bool(FINISH_WORDS.match(stripped)) or (intent == "done" and len(stripped.split()) <= 4)


class ActionAskJournalText(Action):
    def name(self) -> str:
        return "action_ask_journal_text"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("journal_entry_id"):
            dispatcher.utter_message(text="Saved. Keep going, or send done when you're finished.")
        else:
            dispatcher.utter_message(
                text="This page is yours. Write as much as you like, in as many messages as "
                "you like; only you can see it. Send done when you're finished."
            )
        return []


class ValidateJournalForm(ListeningForm):
    """Free writing: every message is kept, a page that only the intent model read as
    crisis too (it is asked about, and kept)."""

    def name(self) -> str:
        return "validate_journal_form"

    @ignore_cleared
    def validate_journal_text(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        text = user_text(tracker) or ""
        if is_finish(text or str(slot_value), latest_intent(tracker)):
            return {"journal_text": FINISHED}
        if not text:
            return {"journal_text": None}
        uid = user_id(tracker)
        entry_id = tracker.get_slot("journal_entry_id")
        if entry_id:
            store.append_to_entry(db(), uid, int(entry_id), text)
        else:
            entry_id = store.add_entry(db(), uid, "note", text)
        return {"journal_text": None, "journal_entry_id": entry_id}


class ActionFinishJournal(Action):
    def name(self) -> str:
        return "action_finish_journal"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("journal_entry_id"):
            dispatcher.utter_message(response="utter_journal_saved")
        else:
            dispatcher.utter_message(
                text="Nothing written this time, and that's okay. The page is here whenever "
                "you want it: /journal."
            )
        return clear_slots(form_slots(domain, "journal_form"))

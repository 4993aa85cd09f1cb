"""A message the model was unsure of, read again for what it plainly is.

A pasted rejection email, or a rejection told in the same breath as a request
("kestrel said no after the case study, skip the feelings, i want the email
first"), is handed back to Rasa as the intent it is (as Rasa's own two-stage
fallback does); anything else is met with a request to rephrase. Plain yes, no
and goodbye are read earlier, in the NLU pipeline (plain_words.py).
"""

from __future__ import annotations

import re
from datetime import date

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, UserUtteranceReverted, UserUttered
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import action_before_message, db, user_id, user_text
from actions.email_parser import looks_like_email
from actions.listening import CORRECTION
from actions.understanding import (
    TOLD_A_REJECTION,
    application_facts,
    rejection_facts,
    respelt_contact,
)
from bot import store


def tells_a_rejection(tracker: Tracker) -> bool:
    """A rejection told with a request beside it ("kestrel said no after the case study,
    skip the feelings, i want the email first"), which the model found too mixed; or
    told as bare facts outside any step ("ocado. grad scheme. assessment centre": how
    far it got says it ended)."""
    facts = rejection_facts(tracker)
    if TOLD_A_REJECTION.search(user_text(tracker) or ""):  # "they said no after round 3"
        return bool(facts.get("company") or facts.get("role") or facts.get("stage"))
    return tracker.active_loop_name is None and bool(facts.get("company") and facts.get("stage"))


def names_another_application(tracker: Tracker) -> bool:
    """ "yes, one more: GoCardless, associate PM, friday" to "add another one?"."""
    if action_before_message(tracker) not in ("action_save_application", "action_plan_status"):
        return False
    return bool(application_facts(tracker, today=date.today()).get("app_company"))


# How a spelling is put right: "sara no h", "with an e", "double n"
SPELLING = re.compile(
    r"\b(?:no|without\s+an?|with\s+an?|one|double)\s+[a-z]\b|\bspel(?:t|led|ling)\b", re.I
)


def respells_the_contact(tracker: Tracker) -> bool:
    """ "wait its sara no h", after a note to "Sarah Lin"."""
    text = user_text(tracker) or ""
    latest = store.latest_rejection(db(), user_id(tracker)) or {}
    contact = tracker.get_slot("contact_name") or latest.get("contact_name")
    return bool(
        respelt_contact(text, contact) and (SPELLING.search(text) or CORRECTION.search(text))
    )


# "sure why not, i can be ignored twice": a yes, and an aside after it
YES_WITH_ASIDE = re.compile(
    r"^(?:sure(?:\s+why\s+not)?|yes|yeah|yep|ok(?:ay)?|go\s+on|why\s+not)\s*[,.!]+\s*"
    r"(?!.*\b(?:but|not|no|don'?t|later|tomorrow)\b)",
    re.IGNORECASE,
)
OFFERS = (
    "utter_offer_plan",
    "utter_offer_followup",
    "action_plan_status",
    "action_save_application",
)
# "can i just vent into the void for a sec": free writing asked for
WANTS_TO_WRITE = re.compile(
    r"\b(?:can|could|may)\s+i\s+(?:just\s+)?(?:vent|rant|write|offload)|"
    r"\bi\s+(?:need|want|wanna)\s+(?:to\s+)?(?:just\s+)?(?:vent|rant|write\s+(?:it|this|something))",
    re.IGNORECASE,
)


class ActionReread(Action):
    def name(self) -> str:
        return "action_reread"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if looks_like_email(user_text(tracker) or ""):
            return read_as(tracker, "paste_rejection_email")
        if tells_a_rejection(tracker):
            return read_as(tracker, "report_rejection")
        if names_another_application(tracker):
            return read_as(tracker, "add_application")
        if respells_the_contact(tracker):
            return read_as(tracker, "correct")
        text = user_text(tracker) or ""
        if YES_WITH_ASIDE.match(text) and action_before_message(tracker) in OFFERS:
            return read_as(tracker, "affirm")
        if WANTS_TO_WRITE.search(text):
            return read_as(tracker, "start_journal")
        dispatcher.utter_message(response="utter_ask_rephrase")
        return []


def read_as(tracker: Tracker, intent: str) -> list[EventType]:
    """Hand the latest message back to Rasa as ``intent``, as if the model had said so."""
    parse_data = dict(tracker.latest_message)
    parse_data["intent"] = {"name": intent, "confidence": 1.0}
    return [
        UserUtteranceReverted(),
        ActionExecuted("action_listen"),
        UserUttered(tracker.latest_message.get("text"), parse_data),
    ]

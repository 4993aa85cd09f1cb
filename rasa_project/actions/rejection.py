"""Stage 0: take in the rejection (said in a line or pasted as an email)."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
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
from actions.followup import matching_rejection
from actions.listening import REQUEST, ListeningForm, accept, refuse
from actions.parsing import clean_name, parse_stage
from actions.reread import read_as
from actions.understanding import (
    TOLD_A_REJECTION,
    company_in,
    rejection_facts,
    role_in,
    widen,
    widen_company,
)
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
    if text.strip().endswith("?"):  # a question back, not an answer
        return None
    first = re.split(r"[,;.!?]| - ", text.strip(), maxsplit=1)[0]
    name = clean_name(first, max_words=5)
    return name if is_name(name) else None


def name_answer(slot: str, value: Any, tracker: Tracker) -> str | None:
    """The company or role a form answer gives, or None if it gives none."""
    text = user_text(tracker) or ""
    if str(value).strip() != text.strip():  # read from an entity, a pattern or an email
        whole = (widen if slot == "role" else widen_company)(str(value), text)
        return clean_name(whole) or clean_name(str(value))
    found = FINDERS[slot](text, latest_entity(tracker, slot))
    if found:
        return found
    if latest_intent(tracker) == "express_feeling":
        return None
    return short_answer(text)


FEEDBACK_WORDS = re.compile(
    r"\b(?:feedback|felt\s+(?:that\s+)?your|didn'?t\s+show|would\s+have\s+liked|areas?\s+"
    r"(?:to|for)\s+(?:develop|improve)|encourage\s+you|stronger|lacked|not\s+enough|needed\s+more|"
    r"thanks\s+for\s+asking)\b",
    re.IGNORECASE,
)


def is_feedback_on_a_known_rejection(tracker: Tracker, text: str) -> bool:
    """What a company said back about a rejection we already hold (often a pasted reply)."""
    if not FEEDBACK_WORDS.search(text):
        return False
    row = matching_rejection(user_id(tracker), text, latest_entity(tracker, "company"))
    company = (row.get("company") or "").lower()
    return bool(company) and company in text.lower()


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
        if is_feedback_on_a_known_rejection(tracker, text):
            return read_as(tracker, "share_feedback")
        events.append(SlotSet("rejection_text", text or None))
        events.append(SlotSet("skip_to", asked_to_skip_to(text)))
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
        # Saved at once, and updated as the form fills in: leaving half-way loses nothing.
        tracker.slots.update({slot: None for slot in ("company", "role", "stage", "rejection_id")})
        tracker.slots.update({slot: value for slot, value in facts.items() if value})
        tracker.slots["rejection_text"] = text or None
        return [*events, *save_rejection(tracker)]


# Asked for in the same breath as the rejection: go there once it is saved.
SKIP_TO = (
    (
        "followup_form",
        re.compile(
            r"\b(?:email|e-mail|write\s+to\s+them|follow[\s-]?up|ask\s+(?:them\s+)?why)\b", re.I
        ),
    ),
    (
        "plan_form",
        re.compile(
            r"\b(?:skip\s+(?:the\s+)?(?:feelings?|pep\s+talk|emotional)|not\s+interested\s+in\s+"
            r"(?:the\s+)?feelings?|let'?s\s+plan|lets\s+plan|can\s+we\s+(?:just\s+)?plan|"
            r"straight\s+to\s+(?:the\s+)?plan|(?:do|make)\s+(?:a|the)\s+plan)\b",
            re.I,
        ),
    ),
)


def asked_to_skip_to(text: str) -> str | None:
    if looks_like_email(text):  # an email's own words ask nothing of us
        return None
    return next((form for form, pattern in SKIP_TO if pattern.search(text)), None)


class ActionHearRejection(Action):
    """Run by Rasa's slot extraction outside forms (the custom mapping of ``rejection_id``,
    whose conditions in domain/core.yml leave out the intents that report one)."""

    def name(self) -> str:
        return "action_hear_rejection"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = user_text(tracker) or ""
        heard = (tracker.latest_message.get("intent") or {}).get("name")
        if heard == "nlu_fallback" or not TOLD_A_REJECTION.search(text):
            return []  # an unsure reading is read again first (action_reread)
        facts = rejection_facts(tracker)
        if not any(facts.get(slot) for slot in ("company", "role", "stage")):
            return []
        events = [
            SlotSet(slot, facts.get(slot)) for slot in ("company", "role", "stage", "emotion")
        ]
        tracker.slots.update({slot: facts.get(slot) for slot in ("company", "role", "stage")})
        tracker.slots.update(rejection_text=text, rejection_id=None)
        return [*events, *save_rejection(tracker)]


class ValidateRejectionForm(ListeningForm):
    def name(self) -> str:
        return "validate_rejection_form"

    def facts(self, tracker: Tracker) -> dict[str, Any]:
        return rejection_facts(tracker)

    def plainly_answers(self, tracker: Tracker) -> bool:
        """ "didn't even get an interview, i'd only applied" answers "how far did it get?"
        whatever the model heard in "applied"."""
        text = user_text(tracker) or ""
        return (
            tracker.get_slot("requested_slot") == "stage"
            and parse_stage(text) in ("screening", "interview", "final")
            and not REQUEST.search(text)
        )

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await super().run(dispatcher, tracker, domain)
        answered = {
            event["name"]: event["value"]
            for event in events
            if event.get("event") == "slot" and event["name"] in ("company", "role", "stage")
        }
        if tracker.get_slot("rejection_id") and any(v is not None for v in answered.values()):
            tracker.slots.update({k: v for k, v in answered.items() if v is not None})
            save_rejection(tracker)
        return events

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
        # The tagger may tag a stray word ("tech" in "tech consulting analyst"): the
        # whole message says more ("after the assessment day").
        stage = parse_stage(str(slot_value)) or parse_stage(user_text(tracker))
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


def known_facts(tracker: Tracker) -> dict[str, Any]:
    """The rejection's columns as far as the slots know them ("unknown" is not a name)."""

    def known(slot: str) -> str | None:
        value = tracker.get_slot(slot)
        return None if value in (None, UNKNOWN) else value

    return {
        "company": known("company"),
        "role": known("role"),
        "stage": tracker.get_slot("stage") or UNKNOWN,
    }


def save_rejection(tracker: Tracker) -> list[EventType]:
    """Store the rejection as far as it is known (a new row, or the one being told)."""
    uid = user_id(tracker)
    rejection_id = tracker.get_slot("rejection_id")
    if rejection_id:  # only what is known now: a cleared slot never erases a saved answer
        known = {slot: value for slot, value in known_facts(tracker).items() if value}
        if not tracker.get_slot("stage"):
            known.pop("stage")
        store.update_rejection(db(), uid, rejection_id, **known)
        return []
    rejection_id = store.add_rejection(db(), uid, **known_facts(tracker))
    text = tracker.get_slot("rejection_text")
    if text:
        store.add_entry(db(), uid, "rejection", text, rejection_id=rejection_id)
    return [SlotSet("rejection_id", rejection_id), SlotSet("rejection_text", None)]


class ActionSaveRejection(Action):
    def name(self) -> str:
        return "action_save_rejection"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = save_rejection(tracker)
        skip_to = tracker.get_slot("skip_to")
        if skip_to:  # they asked for this step, not the feelings
            return [*events, SlotSet("skip_to", None), FollowupAction(skip_to)]
        return events

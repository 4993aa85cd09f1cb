"""Form validation that listens: every answer a message holds, and nothing that isn't one."""

from __future__ import annotations

import re
from abc import abstractmethod
from typing import Any

from form_rules import SWITCHES
from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import actions_since_message, clear_slots, db, user_id, user_text
from actions.email_parser import looks_like_email
from bot import safety, store

SKIP_BUTTON = [{"title": "Skip this one", "payload": "/skip"}]


def ignored_intent(tracker: Tracker, domain: DomainDict) -> bool:
    """The model heard a request or a digression, which the form's ``ignored_intents``
    (domain/forms.yml) keep out of the slot mappings."""
    form = tracker.active_loop_name
    ignored = domain.get("forms", {}).get(form, {}).get("ignored_intents", []) if form else []
    return (tracker.latest_message.get("intent") or {}).get("name") in ignored


# Answers in the person's own words, where a sentence can sound like a request
# ("too many people applied" is a reframe, not an application to add).
OWN_WORDS = {"emotion", "thought", "reframe", "checkin_note"}
# How a real request is put: a command, or words that ask for something else.
REQUEST = re.compile(
    r"^/|\b(?:can|could)\s+(?:we|you|i)\b|\blet'?s\b|\blets\b|\bi\s+(?:want|wanna|'?d\s+like)\b|"
    r"\bwant\s+to\b|\bskip\b|\binstead\b|\brather\b|\bmove\s+on\b|\bhelp\s+me\b|"
    r"\bjust\s+do\b|\bstraight\s+to\b|\btake\s+me\b|\bremind\s+me\b|\bstop\b|"
    r"\bdelete\b|\bexport\b|\bplease\b|\bset\s+(?:my|the|up|a)\b|\bcheck[\s-]?ins?\b",
    re.IGNORECASE,
)
SOFT_SWITCHES = (set(SWITCHES) - {"goodbye"}) | {"correct"}
UNSURE_DIGRESSIONS = {"bot_challenge", "help", "thank"}
NAME_SLOTS = ("company", "role", "app_company", "app_role", "contact_name")
# How a correction is put ("sorry, i meant…", "typo", "no, the role was…").
CORRECTION = re.compile(
    r"\b(?:i\s+meant|sorry|typo|wrong|actually|correction|should\s+be|"
    r"make\s+that|change\s+(?:it|the))\b|,\s*not\s+\w|\bwas\s+\w+(?:\s+\w+)?\s+not\s+\w|"
    r"^\s*no\b[,.]?\s+(?:the|it)\s+(?:\w+\s+)?(?:was|is)\b",
    re.IGNORECASE,
)


# Another step asked for in the same breath as an answer ("fine. annoyed. 3. now can
# we plan", "kestrel said no, skip the feelings"): where to go once the answer is kept.
SKIP_TO = (
    (
        "followup_form",
        re.compile(
            # a request for a note, not an email they got ("a two line email saying no")
            r"\b(?:(?:write|draft|send|want|need|do|get|help\s+(?:me\s+)?(?:write|with))\s+"
            r"(?:them\s+)?(?:an?|the|my)\s+(?:email|e-mail|note|reply|message)|email\s+(?:them|"
            r"back|the\s+(?:recruiter|hiring\s+manager))|write\s+to\s+them|follow[\s-]?up|"
            r"(?:help\s+me|can\s+you|could\s+you)\s+(?:write|reply|respond)\s+back|"
            r"ask\s+(?:them\s+)?why)\b",
            re.I,
        ),
    ),
    (
        "plan_form",
        re.compile(
            r"\b(?:let'?s\s+plan|lets\s+plan|can\s+we\s+(?:just\s+)?plan|plan\s+(?:please|pls|time)|"
            r"(?:straight|skip|go|jump|move|move\s+on|get|on)\s+to\s+(?:the\s+)?plan\w*|"
            r"just\s+(?:do\s+)?(?:a|the)\s+plan|(?:do|make)\s+(?:a|the)\s+plan|"
            r"(?:need|want|like|ready)\s+to\s+(?:\w+\s+)?plan\b|"
            r"plan\s+(?:what'?s\s+next|(?:my|the)\s+next|ahead|my\s+applications))\b",
            re.I,
        ),
    ),
    (  # past the feelings and no further ("skip the feelings bit, im fine"): the next stage
        "action_depersonalize",
        re.compile(
            r"\b(?:skip\s+(?:the\s+)?(?:feelings?|pep\s+talk|emotional)|not\s+interested\s+in\s+"
            r"(?:talking\s+about\s+)?(?:the\s+)?feelings?|(?:don'?t|dont)\s+(?:want|wanna)\s+"
            r"(?:to\s+)?(?:talk\s+about|do)\s+(?:the\s+|my\s+)?feelings?)",
            re.I,
        ),
    ),
)
# Only before the feelings are done can they be skipped.
SKIPS_FEELINGS_FROM = {"rejection_form", "feeling_form"}


def asked_to_skip_to(text: str) -> str | None:
    if looks_like_email(text):  # an email's own words ask nothing of us
        return None
    return next((form for form, pattern in SKIP_TO if pattern.search(text)), None)


def said_in_own_words(tracker: Tracker) -> bool:
    """A reflective answer that the model took for a request, or, unsure, for a question
    back ("2 days is too fast for a human to read it" is not "are you a bot?"): keep it
    as the answer."""
    heard = tracker.latest_message.get("intent") or {}
    intent = heard.get("name")
    text = user_text(tracker) or ""
    if tracker.get_slot("requested_slot") not in OWN_WORDS or not text or looks_like_email(text):
        return False
    if intent in UNSURE_DIGRESSIONS:
        return heard.get("confidence", 1.0) < 0.8 and len(text.split()) >= 6 and "?" not in text
    if intent == "correct":
        return not (CORRECTION.search(text) or takes_back_a_saved_name(tracker, text))
    return intent in SOFT_SWITCHES and not REQUEST.search(text)


def takes_back_a_saved_name(tracker: Tracker, text: str) -> bool:
    """ "wait monzo not revolut", where Revolut is what was saved."""
    taken_back = re.search(r"\bnot\s+(?:the\s+|at\s+)?(?P<name>[\w&' .-]+?)\W*$", text, re.I)
    if not taken_back:
        return False
    saved = {str(tracker.get_slot(slot) or "").lower() for slot in NAME_SLOTS}
    # the form that took them may have ended
    latest = store.latest_rejection(db(), user_id(tracker)) or {}
    saved |= {str(latest.get(field) or "").lower() for field in ("company", "role")}
    return taken_back.group("name").strip().lower() in saved - {""}


def model_only(text: str) -> bool:
    """Crisis was heard by the intent model alone: no crisis words the patterns of
    bot/safety.py know. The model then asks directly, resources beside the question,
    rather than end what the person was doing: it has read long journal pages and hard
    thoughts about work as crisis with high confidence. (The front end ran the whole
    check, learned net included, before the message reached Rasa; the patterns alone
    are enough here, and keep the net out of the action server.)"""
    return safety.pattern_verdict(text) is not safety.Verdict.CRISIS


def asked_about_safety(tracker: Tracker) -> bool:
    """The intent model alone heard crisis: action_crisis asked directly and handed the
    message back to the form, which keeps it as the answer it also was."""
    return asked_since_message(tracker) and model_only(user_text(tracker) or "")


def replied_since_message(tracker: Tracker) -> bool:
    """Something other than the open form has already answered the latest message."""
    return bool(set(actions_since_message(tracker)) - {tracker.active_loop_name})


def asked_since_message(tracker: Tracker) -> bool:
    return "action_crisis" in actions_since_message(tracker)


def value_before_message(tracker: Tracker, slot: str) -> Any:
    """The slot's value before the latest message (Rasa's slot mappings set it again
    from the message, both before the form runs and as the form's candidates)."""
    heard = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            heard = True
        elif heard and event.get("event") == "slot" and event.get("name") == slot:
            return event.get("value")
    return None


def stored_before(tracker: Tracker, slot: str, value: Any) -> bool:
    """The form opens again with this answer already in its slot (a new session carries
    the slots over, and the form restarts): it was stored when it was first given."""
    return value is not None and value_before_message(tracker, slot) == value


def kept_from_before(slot: str, value: Any, tracker: Tracker) -> dict[str, Any] | None:
    """A name given earlier stays when the tagger finds another in the answer to a
    different question ("associate" in "associate product manager", asked the role),
    unless the message corrects it."""
    heard = (tracker.latest_message.get("intent") or {}).get("name")
    asked = tracker.get_slot("requested_slot")
    if asked is None or asked == slot or heard == "correct":
        return None  # None: the form is starting, with what the message that opened it said
    before = value_before_message(tracker, slot)
    return {slot: before} if before is not None and before != value else None


def refuse(
    slot: str,
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    hint: str,
    *,
    give_up: Any = None,
) -> dict[str, Any]:
    """Not an answer: say so with an example; the second time, offer to skip; the
    third time, when the question can be left open (``give_up``), move on."""
    attempts = int(tracker.get_slot("attempts") or 0) + 1
    if attempts >= 3 and give_up is not None:
        dispatcher.utter_message(text="Let's leave that one open and carry on.")
        return {slot: give_up, "attempts": None}
    dispatcher.utter_message(text=hint, buttons=SKIP_BUTTON if attempts >= 2 else [])
    return {slot: None, "attempts": attempts}


def accept(slot: str, value: Any, **more: Any) -> dict[str, Any]:
    return {slot: value, "attempts": None, **more}


class ListeningForm(FormValidationAction):
    """A form's validation that also reads what the message says beyond the question.

    ``facts`` returns every slot value the latest message gives, for this form
    and the ones after it. Values for this form's empty slots are validated
    like answers; values for later forms wait in their slots, and those forms
    do not ask for them ("say it once").
    """

    @abstractmethod
    def name(self) -> str:
        """Every form's validation names itself (an abstract class is not registered)."""

    # Its answers are stored as they are given, so it can end early without losing one.
    saves_each_answer = False

    def facts(self, tracker: Tracker) -> dict[str, Any]:
        return {}

    def plainly_answers(self, tracker: Tracker) -> bool:
        """The message is an answer whatever the model heard ("tomorrow" to "when?")."""
        return False

    def heard_as_answer(self, tracker: Tracker, domain: DomainDict) -> bool:
        """The model heard a request, but the words answer the question. Not once the
        request was served (a correction made, "are you a bot?" answered): the form then
        asks its question again."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "crisis":
            return asked_about_safety(tracker)
        if replied_since_message(tracker):
            return False
        return ignored_intent(tracker, domain) and (
            said_in_own_words(tracker) or self.plainly_answers(tracker)
        )

    def is_request_or_digression(self, tracker: Tracker, domain: DomainDict) -> bool:
        """The message asks for something else, so no slot may be read from it."""
        return ignored_intent(tracker, domain) and not self.heard_as_answer(tracker, domain)

    def _unasked(self, tracker: Tracker, domain: DomainDict, *, own: bool) -> dict[str, Any]:
        if self.is_request_or_digression(tracker, domain):
            return {}
        mine = set(self.domain_slots(domain))
        just_set = tracker.slots_to_validate()
        return {
            slot: value
            for slot, value in self.facts(tracker).items()
            if (slot in mine) == own
            and slot in domain.get("slots", {})
            and slot not in just_set
            and tracker.get_slot(slot) is None
        }

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await super().get_extraction_events(dispatcher, tracker, domain)
        if self.heard_as_answer(tracker, domain):  # the slot mapping skipped it as a request
            events.append(SlotSet(tracker.get_slot("requested_slot"), user_text(tracker)))
        extracted = {event["name"] for event in events if event.get("event") == "slot"}
        return [
            *events,
            *(
                SlotSet(slot, value)
                for slot, value in self._unasked(tracker, domain, own=True).items()
                if slot not in extracted
            ),
        ]

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        ahead = self._unasked(tracker, domain, own=False)
        events = await super().run(dispatcher, tracker, domain)
        events += [SlotSet(slot, value) for slot, value in ahead.items()]
        goes_to = self.asked_to_go(tracker, domain, events)
        if goes_to is None:
            return events
        return [
            *events,
            *clear_slots([*self.domain_slots(domain), "attempts"]),
            ActiveLoop(None),
            SlotSet("requested_slot", None),
            FollowupAction(goes_to),
        ]

    def asked_to_go(
        self, tracker: Tracker, domain: DomainDict, events: list[EventType]
    ) -> str | None:
        """Another step asked for where the model heard an answer ("cool. can we skip to
        planning"), or beside one ("fine. annoyed. 3. now can we plan"): what was answered
        is kept (stored as it was validated), then that step starts."""
        if not self.saves_each_answer or self.is_request_or_digression(tracker, domain):
            return None
        text = user_text(tracker) or ""
        target = asked_to_skip_to(text)
        mine = set(self.domain_slots(domain))
        answered = any(
            event.get("event") == "slot" and event["name"] in mine and event["value"] is not None
            for event in events
        )
        asked = answered or REQUEST.search(text)
        if target == "action_depersonalize" and tracker.active_loop_name not in SKIPS_FEELINGS_FROM:
            return None
        return target if asked and target != tracker.active_loop_name else None

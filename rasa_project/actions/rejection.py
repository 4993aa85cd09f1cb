"""Stage 0: take in the rejection (said in a line or pasted as an email)."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import is_name
from actions.common import (
    actions_since_message,
    as_number,
    clear_slots,
    db,
    form_slots,
    ignore_cleared,
    latest_confidence,
    latest_entity,
    latest_intent,
    user_id,
    user_text,
)
from actions.email_parser import looks_like_email, parse_rejection_email
from actions.followup import REPORTS_FEEDBACK, matching_rejection
from actions.listening import (
    REQUEST,
    ListeningForm,
    accept,
    asked_to_skip_to,
    kept_from_before,
    refuse,
    takes_back_a_saved_name,
    value_before_message,
)
from actions.parsing import clean_name, parse_stage
from actions.reread import read_as
from actions.understanding import (
    TOLD_A_REJECTION,
    clauses,
    company_in,
    furthest_stage,
    rejection_facts,
    rejections_told,
    role_in,
    thought_in,
    widen,
    widen_company,
)
from bot import spoken, store

UNKNOWN = "unknown"
FEELING_SLOTS = ["emotion", "intensity", "thought", "thought_realistic", "feeling_entry_id"]
HINTS = {
    "company": "Just the company's name is enough, like “Monzo” or “the NHS”.",
    "role": "Just the job title is enough, like “junior analyst” or “backend developer”.",
}
FEELING_FIRST = "That sounds hard, and we'll come to how it feels in a moment."
FINDERS = {"company": company_in, "role": role_in}
# A name answer outweighs a request the model is less sure of than this...
SURE = 0.9
# ...unless the answer itself names what we could do instead ("the plan").
ASKS_FOR = re.compile(
    r"\b(?:plan\w*|follow\w*|e-?mail|note|journal|export|delete|check[\s-]?ins?|remind\w*|"
    r"applications?|apply|feedback)\b",
    re.IGNORECASE,
)


# Where a bare answer ends: punctuation, or chatter after it ("amazon sorry hit send").
ANSWER_END = re.compile(r"\s*(?:[,;.!?]| - )|\s+(?=(?:sorry|oops|lol|haha|my\s+bad)\b)", re.I)


CHATTER = re.compile(r"(?:oh|ok|okay|um+|uh+|sorry|oops|yeah|well|right|lol|haha|hm+|ah|so)", re.I)


def without_chatter(text: str) -> str:
    """ "oh sorry, it's the wellcome trust" -> "it's the wellcome trust"."""
    text = text.strip()
    while (end := ANSWER_END.search(text)) and CHATTER.fullmatch(text[: end.start()]):
        text = text[end.end() :].strip()
    return text


# "the company that shall not be named. ok fine it's shell": the name, said plainly.
IT_IS = re.compile(
    r"^(?:(?:ok|okay|fine|alright|yeah|oh|sorry|well|so)\s+)*(?:it'?s|its|it\s+was|it\s+is)\s+"
    r"(?P<name>.+)$",
    re.IGNORECASE,
)


# Where a first answer is taken back: "deliveroo no wait it was just eat".
SELF_CORRECTION = re.compile(r"\s+(?:no\s+)?wait\b|\s+actually\b|\s+i\s+mean[t]?\b", re.I)
# "dunno honestly, it was a while ago": not a name.
UNSURE_WORDS = re.compile(
    r"\b(?:dunno|idk|not\s+sure|no\s+idea|can'?t\s+remember|don'?t\s+(?:know|remember))\b", re.I
)


def corrected_answer(text: str) -> str | None:
    """The name said after taking back the first: "deliveroo no wait it was just eat"."""
    parts = SELF_CORRECTION.split(text)
    return (
        short_answer(parts[-1]) if len(parts) > 1 and IT_IS.match(parts[-1].strip(" ,")) else None
    )


def short_answer(text: str) -> str | None:
    """A bare answer to "which company?": a clause saying "it's X", else the first clause
    if it is short and is not itself a question ("product design. why do you ask?"
    answers; "email them?" does not)."""
    # the last "it was X" counts: "deliveroo no wait it was just eat sorry"
    told = SELF_CORRECTION.sub(", ", text)
    for part in [] if UNSURE_WORDS.search(text) else reversed(clauses(told)):
        said = IT_IS.match(part)
        end = ANSWER_END.search(said.group("name")) if said else None
        name = (
            clean_name(said.group("name")[: end.start() if end else None], max_words=5)
            if said
            else None
        )
        if name and is_name(name):
            return name
    text = without_chatter(text)
    end = ANSWER_END.search(text)
    first = text[: end.start()] if end else text
    if (end.group(0).strip() if end else text[-1:]) == "?":
        return None
    name = clean_name(first, max_words=5)
    return name if is_name(name) else None


STAGES = ("screening", "interview", "final")


def plain_name_answer(tracker: Tracker) -> bool:
    """A name said plainly, whatever less sure request the model heard in it ("figma"
    read as goodbye at 0.62)."""
    text = user_text(tracker) or ""
    if REQUEST.search(text) or takes_back_a_saved_name(tracker, text):
        return False  # "it is Zalando not Zolando": a correction of the saved company
    # "oh sorry, it's the wellcome trust", "deliveroo no wait it was just eat": a
    # correction as the answer is given is the answer
    if latest_intent(tracker) != "correct" and latest_confidence(tracker) >= SURE:
        return False
    answer = short_answer(text)
    return answer is not None and not ASKS_FOR.search(answer)


def name_answer(slot: str, value: Any, tracker: Tracker) -> str | None:
    """The company or role a form answer gives, or None if it gives none."""
    text = user_text(tracker) or ""
    corrected = corrected_answer(text)
    if corrected:  # "deliveroo no wait it was just eat"
        return corrected
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


NO_FEEDBACK = re.compile(
    r"\b(?:unable|not\s+able|can'?t|cannot)\s+(?:to\s+)?(?:provide|give|offer)\s+(?:\w+\s+)?"
    r"feedback|\bno\s+feedback\b",
    re.IGNORECASE,
)


def is_feedback_on_a_known_rejection(tracker: Tracker, text: str) -> bool:
    """What a company said back about a rejection we already hold (often a pasted reply)."""
    if not (FEEDBACK_WORDS.search(text) or REPORTS_FEEDBACK.search(text)):
        return False
    row = matching_rejection(user_id(tracker), text, latest_entity(tracker, "company"))
    company = (row.get("company") or "").lower()
    if company and company in text.lower():
        return True
    # "they wrote back!!" and their reply pasted, naming nobody: not another no, and not
    # another company's email ("we are unable to provide individual feedback")
    replied = REPORTS_FEEDBACK.search(text) or looks_like_email(text)
    other = (parse_rejection_email(text).company or "") if looks_like_email(text) else ""
    return (
        bool(row and replied and FEEDBACK_WORDS.search(text))
        and not TOLD_A_REJECTION.search(text)
        and not NO_FEEDBACK.search(text)
        and other.lower() in ("", company)
    )


def tells_another_rejection(tracker: Tracker) -> bool:
    """Asked about one rejection, they tell another, naming a different company."""
    text = user_text(tracker) or ""
    if "action_start_rejection" in actions_since_message(tracker):  # it was this message's
        return False
    if latest_intent(tracker) != "report_rejection" or not TOLD_A_REJECTION.search(text):
        return False
    named = rejection_facts(tracker).get("company")
    current = value_before_message(tracker, "company")
    return bool(named and current and named.lower() != str(current).lower())


class ActionStartRejection(Action):
    """Forget the previous rejection, then read what this message already tells us."""

    def name(self) -> str:
        return "action_start_rejection"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events: list[EventType] = clear_slots(
            [
                *form_slots(domain, "rejection_form"),
                *FEELING_SLOTS,
                "rejection_id",
                "contact_name",
                "requested_slot",  # a new session carries the last question over, not its form
            ]
        )
        text = user_text(tracker) or ""
        if is_feedback_on_a_known_rejection(tracker, text):
            return read_as(tracker, "share_feedback")
        events.append(SlotSet("rejection_text", text or None))
        events.append(SlotSet("skip_to", asked_to_skip_to(text)))
        dispatcher.utter_message(response="utter_rejection_received")
        others: list[dict[str, Any]] = []
        if latest_intent(tracker) == "paste_rejection_email" or looks_like_email(text):
            parsed = parse_rejection_email(text)
            facts = {"company": parsed.company, "role": parsed.role, "stage": parsed.stage}
            if parsed.company and parsed.role:
                dispatcher.utter_message(
                    response="utter_email_read", company=parsed.company, role=parsed.role
                )
        else:
            told = rejections_told(tracker)
            facts, others = first_told(tracker, told), told[1:]
        events += [SlotSet(slot, value) for slot, value in facts.items() if value]
        # Saved at once, and updated as the form fills in: leaving half-way loses nothing.
        tracker.slots.update({slot: None for slot in ("company", "role", "stage")})
        # the row Rasa's slot extraction already saved from this message, if it did
        tracker.slots["rejection_id"] = heard_from_this_message(tracker)
        tracker.slots.update({slot: value for slot, value in facts.items() if value})
        tracker.slots["rejection_text"] = text or None
        heard = tracker.slots["rejection_id"]
        events += save_rejection(tracker)
        if heard is not None:  # updated, not created: the cleared slot is set again
            events.append(SlotSet("rejection_id", heard))
        keep_the_others(dispatcher, tracker, facts, others)  # saved after the first
        # the rules' next step, said here too for when a form hands over to this action
        return [*events, FollowupAction("rejection_form")]


def first_told(tracker: Tracker, told: list[dict[str, Any]]) -> dict[str, Any]:
    """What the message says of the rejection: the first of ``told`` when it tells
    several (rejections_told), read from its own part of the message only."""
    facts = rejection_facts(tracker)
    return {**facts, **told[0]} if told else facts


def heard_from_this_message(tracker: Tracker) -> int | None:
    """The rejection action_hear_rejection saved from the latest message."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return None
        if event.get("event") == "slot" and event.get("name") == "rejection_id" and event["value"]:
            return event["value"]
    return None


def keep_the_others(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    first: dict[str, Any],
    others: list[dict[str, Any]],
) -> None:
    """Several rejections told at once: the others are saved as told, and we go through
    the evening with the first."""
    if not others:
        return
    uid = user_id(tracker)
    for other in others:
        store.add_rejection(
            db(), uid, company=other["company"], role=other["role"], stage=other["stage"] or UNKNOWN
        )
    names = [first.get("company"), *(other["company"] for other in others)]
    dispatcher.utter_message(
        text=f"Several at once is a lot to take in. I've noted each one: "
        f"{', '.join(names[:-1])} and {names[-1]}. Let's start with {names[0]}; what you "
        "feel tonight is probably about all of them, and that's fine."
    )


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
        facts = first_told(tracker, rejections_told(tracker))
        if not any(facts.get(slot) for slot in ("company", "role", "stage")):
            return []
        events = [
            SlotSet(slot, facts.get(slot)) for slot in ("company", "role", "stage", "emotion")
        ]
        tracker.slots.update({slot: facts.get(slot) for slot in ("company", "role", "stage")})
        tracker.slots.update(rejection_text=text, rejection_id=None)
        return [*events, *save_rejection(tracker)]


class ValidateRejectionForm(ListeningForm):
    saves_each_answer = True

    def name(self) -> str:
        return "validate_rejection_form"

    def facts(self, tracker: Tracker) -> dict[str, Any]:
        facts = rejection_facts(tracker)
        text = user_text(tracker) or ""
        if tracker.get_slot("emotion") and tracker.get_slot("intensity") is None:
            rating = spoken.scale(text) if len(text.split()) <= 2 else None
            if rating is not None:  # "tired", then "6": the feeling's rating, said early
                facts["intensity"] = float(rating)
        return facts

    def asked_to_go(
        self, tracker: Tracker, domain: DomainDict, events: list[EventType]
    ) -> str | None:
        goes_to = super().asked_to_go(tracker, domain, events)
        if goes_to is not None:
            keep_the_feeling_said(tracker, events)
        return goes_to

    def plainly_answers(self, tracker: Tracker) -> bool:
        """ "didn't even get an interview, i'd only applied" answers "how far did it get?"
        whatever the model heard in "applied"; "marks and spencer, for the buying role,
        after the assessment centre" answers "which company?", and "product design. why
        do you ask?" answers "what was the job?", though the model heard an application
        to add and a follow-up request."""
        text = user_text(tracker) or ""
        asked = tracker.get_slot("requested_slot")
        if asked == "stage":
            return not REQUEST.search(text) and parse_stage(text) in STAGES
        return asked in FINDERS and plain_name_answer(tracker)

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tells_another_rejection(tracker):
            # "back again. another no, channel 4 this time": a new rejection, not an
            # answer about the one still open (which keeps what it has)
            return [
                *clear_slots([*form_slots(domain, "rejection_form"), "attempts"]),
                ActiveLoop(None),
                SlotSet("requested_slot", None),
                FollowupAction("action_start_rejection"),
            ]
        events = await super().run(dispatcher, tracker, domain)
        answered = {  # slots cleared after an answer (leaving for another step) keep it
            event["name"]: event["value"]
            for event in events
            if event.get("event") == "slot"
            and event["name"] in ("company", "role", "stage")
            and event["value"] is not None
        }
        if tracker.get_slot("rejection_id") and answered:
            tracker.slots.update(answered)
            save_rejection(tracker)
        return events

    def _name_slot(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        if value == UNKNOWN:
            return accept(slot, UNKNOWN)
        kept = kept_from_before(slot, value, tracker)
        if kept:
            return kept
        if takes_back_a_saved_name(tracker, user_text(tracker) or ""):
            return {slot: None}  # "it is Zalando not Zolando" is not the role
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
        # whole message says more ("after the assessment day"), and a long story names
        # every step ("the portfolio review, then the panel, then the final"): the last.
        text = user_text(tracker) or ""
        # an email's own words are read by its parser ("won't be moving you forward to
        # interviews" is no interview)
        said = [parse_stage(str(slot_value)), None if looks_like_email(text) else parse_stage(text)]
        stage = furthest_stage(said) or said[0] or said[1]
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
        if skip_to:  # they asked for this step, not the feelings: what they said is kept
            keep_the_feeling_said(tracker, events)
            return [*events, SlotSet("skip_to", None), FollowupAction(skip_to)]
        return events


def keep_the_feeling_said(tracker: Tracker, events: list[EventType]) -> None:
    """ "Disappointed, 5/10, mostly thinking I should have practised SQL. Can we plan?":
    the feeling and the thought go into the journal though their questions are skipped."""
    uid = user_id(tracker)
    saved = [e["value"] for e in events if e.get("event") == "slot" and e["name"] == "rejection_id"]
    rejection_id = saved[-1] if saved and saved[-1] else tracker.get_slot("rejection_id")
    emotion, intensity = tracker.get_slot("emotion"), as_number(tracker.get_slot("intensity"))
    if emotion:
        mood = None if intensity is None or intensity < 0 else int(intensity)
        store.add_entry(
            db(), uid, "feeling", emotion, emotion=emotion, mood=mood, rejection_id=rejection_id
        )
    thought = thought_in(user_text(tracker) or "")
    if thought:
        store.add_entry(db(), uid, "thought", thought, rejection_id=rejection_id)

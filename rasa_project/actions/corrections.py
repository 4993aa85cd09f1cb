"""Corrections: "sorry, I meant Monzo, not Revolut" changes what was saved, and says so."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import is_name
from actions.common import action_before_message, db, latest_entity, user_id, user_text
from actions.followup import REPORTS_FEEDBACK, has_draft, save_feedback, show_draft
from actions.listening import CORRECTION
from actions.parsing import STAGE_NAMES, clean_name, parse_stage
from actions.reread import read_as
from actions.understanding import (
    ROLE_NOUNS,
    TOLD_A_REJECTION,
    company_in,
    respelt_contact,
    role_in,
)
from bot import store

STAGE_WORDS = re.compile(
    r"\b(round|stage|interview|final|screen|screening|onsite|on-site|assessment|call|panel|"
    r"take-?home|tech test|first|second|third|last)\b",
    re.IGNORECASE,
)
ROLE_WORDS = re.compile(r"\b(role|position|job|title|post|internship)\b", re.IGNORECASE)
# The part that is being taken back: "…, not the first", "not revolut".
NOT_CLAUSE = re.compile(
    r"(?:,?\s*\b(?:not|rather than|instead of)\b\s+(?:the\s+|a\s+|an\s+)?[^,.!?]*)", re.IGNORECASE
)
LEAD_IN = re.compile(
    r"^(?:(?:no|nope|sorry|oops|wait|actually|hang on|my bad|typo|correction|i meant|"
    r"i mean|meant|it was|it's|its|it is|the\s+(?:company|role|job|position|title)\s+"
    r"(?:was|is)|should be|make that)[\s,:!.-]*)+",
    re.IGNORECASE,
)
LABELS = {"company": "company", "role": "role", "stage": "stage", "contact_name": "name"}


MEANT = re.compile(
    r"\b(?:i\s+meant|meant|it'?s|its|it\s+was|it\s+is|should\s+be|make\s+that|"
    r"change\s+(?:it|the\s+\w+)\s+to)\s+(?P<value>[^,.!?;]+)",
    re.IGNORECASE,
)
APOLOGY = re.compile(
    r"\b(?:sorry|oops|my\s+bad|typo|hit\s+send\s+too\s+(?:early|soon)|autocorrect|ugh|lol)\b",
    re.IGNORECASE,
)


def new_value(kept: str) -> str | None:
    """The value a correction gives: after "i meant"/"it's", else its first clause."""
    found = list(MEANT.finditer(kept))
    if found:
        candidate = found[-1].group("value")
    else:
        clauses = [c for c in re.split(r"[,.!?;]", LEAD_IN.sub("", kept)) if c.strip()]
        candidate = clauses[0] if clauses else ""
    value = clean_name(APOLOGY.sub("", candidate).strip(" ,.!-"), max_words=6)
    return value if is_name(value) else None


# "sorry, his name is Dupont, not Dubois"
NAME_GIVEN = re.compile(
    r"\b(?:his|her|their|the\s+(?:recruiter|manager)'?s?)\s+name\s+(?:is|was)\s+"
    r"(?P<name>[A-Za-z][A-Za-z'-]+)",
    re.IGNORECASE,
)


def corrected_value(text: str, tracker: Tracker) -> tuple[str, str] | None:
    """(field, new value) that a correction gives, or None."""
    saved = store.latest_rejection(db(), user_id(tracker))
    known = tracker.get_slot("contact_name") or (saved or {}).get("contact_name")
    given = NAME_GIVEN.search(text)
    if given:
        name = given.group("name")
        return "contact_name", name[:1].upper() + name[1:]
    contact = respelt_contact(text, known)
    if contact:
        return "contact_name", contact
    # "make that Marks & Spencer, same role": the role stays
    text = re.sub(r"\bsame\s+(?:role|job|position|title)\b", "", text, flags=re.IGNORECASE)
    kept = NOT_CLAUSE.sub("", text).strip(" ,.!")
    if STAGE_WORDS.search(kept) and not ROLE_WORDS.search(kept):
        stage = parse_stage(kept)
        if stage and stage != "unknown":
            return "stage", stage
    bare = new_value(kept)
    if ROLE_WORDS.search(text) or (bare and ROLE_NOUNS.search(bare)):
        role = role_in(kept, latest_entity(tracker, "role")) or bare
        return ("role", role) if role else None
    company = company_in(kept, latest_entity(tracker, "company")) or bare
    return ("company", company) if company else None


def latest_record(uid: int, form: str | None) -> tuple[str, dict[str, Any]] | None:
    """What the correction is about: the application or rejection saved last."""
    database = db()
    rows = {
        table: next(
            iter(database[table].rows_where("user_id = ?", [uid], order_by="id desc", limit=1)),
            None,
        )
        for table in ("rejections", "applications")
    }
    if form == "application_form" or (
        rows["applications"]
        and (
            not rows["rejections"]
            or rows["applications"]["created_at"] > rows["rejections"]["created_at"]
        )
    ):
        return ("applications", rows["applications"]) if rows["applications"] else None
    return ("rejections", rows["rejections"]) if rows["rejections"] else None


OFFERS = ("utter_offer_plan", "utter_offer_followup", "utter_ask_add_another")


class ActionCorrect(Action):
    def name(self) -> str:
        return "action_correct"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = user_text(tracker) or ""
        if TOLD_A_REJECTION.search(text) and not CORRECTION.search(text):
            return read_as(tracker, "report_rejection")  # a new story, not a fix to the last
        change = corrected_value(text, tracker)
        if change is None:
            dispatcher.utter_message(
                text="What should I change? For example “the company was Monzo” or “it was "
                "after the final round”."
            )
            return []
        field, value = change
        form = tracker.active_loop_name
        events: list[EventType] = []
        if form == "application_form" and field in ("company", "role"):
            slot = f"app_{field}"
            old = tracker.get_slot(slot)
            events.append(SlotSet(slot, value))
        else:
            found = (
                ("rejections", store.latest_rejection(db(), user_id(tracker)))
                if field == "contact_name"
                else latest_record(user_id(tracker), form)
            )
            if (
                found is None
                or found[1] is None
                or (found[0] == "applications" and field == "stage")
            ):
                dispatcher.utter_message(text="I don't have anything saved to change yet.")
                return []
            table, row = found
            old = row.get(field)
            db()[table].update(row["id"], {field: value})
            if table == "rejections" and (form == "rejection_form" or tracker.get_slot(field)):
                events.append(SlotSet(field, value))
        if old and str(old).lower() == str(value).lower():
            dispatcher.utter_message(text=f"That's what I have already: {old}.")
            return []
        shown = STAGE_NAMES.get(value, value) if field == "stage" else value
        was = STAGE_NAMES.get(old, old) if field == "stage" else old
        change_text = f" from {was} to {shown}" if was else f" to {shown}"
        dispatcher.utter_message(text=f"Fixed: I've changed the {LABELS[field]}{change_text}.")
        if field == "contact_name" and has_draft(user_id(tracker), row["id"]):
            dispatcher.utter_message(text="Here's the note again, with the right name:")
            show_draft(dispatcher, user_id(tracker), {**row, field: value}, value)
        # "...not the first interview. and they've just sent feedback: more verilog"
        if REPORTS_FEEDBACK.search(text):
            save_feedback(dispatcher, tracker)
        offer = None if form else pending_offer(tracker)
        return [*events, FollowupAction(offer)] if offer else events


def pending_offer(tracker: Tracker) -> str | None:
    """The offer the correction came in answer to ("shall we plan?"): asked again, so the
    next "no" answers it."""
    name = action_before_message(tracker) or ""
    if name == "action_save_application":  # it asked "add another?" as it saved
        return "utter_ask_add_another"
    return name if name in OFFERS else None

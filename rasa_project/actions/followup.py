"""Stage 3: draft the note that asks what was missing; keep what they answer."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import is_question
from actions.common import db, ignore_cleared, latest_entity, user_id, user_text
from actions.email_parser import looks_like_email, parse_rejection_email
from actions.listening import ListeningForm, accept, refuse
from actions.understanding import company_in, contact_in
from bot import store

NO_NAME = "none"
NAME_FILLER = re.compile(
    r"^(it'?s|its|it is|her name is|his name is|their name is|name is|to|send it to|"
    r"the recruiter is|recruiter|hiring manager|mr\.?|ms\.?|mrs\.?|dr\.?)\s+",
    re.IGNORECASE,
)
NO_NAME_ANSWERS = {
    "skip",
    "no",
    "none",
    "no idea",
    "don't know",
    "dont know",
    "not sure",
    "no name",
    "nobody",
    "n/a",
    "idk",
    "no one",
    "noone",
}


def contact_from(text: str) -> str | None:
    """A first name from an answer such as "it's sarah from hr" -> "Sarah"."""
    value = text.strip().strip(".!?")
    if value.lower() in NO_NAME_ANSWERS:
        return None
    previous = None
    while previous != value:
        previous = value
        value = NAME_FILLER.sub("", value).strip()
    words = [word for word in re.findall(r"[^\W\d_][\w'-]*", value)]
    if not words or len(words) > 4:
        return None
    # "Jordan Reyes" typed with capitals is a full name; "sarah thanks" is not
    full = words[:1]
    for word in words[1:3]:
        if not word[:1].isupper():
            break
        full.append(word)
    return " ".join(word[:1].upper() + word[1:] for word in full)


TITLES = {"mr", "mrs", "ms", "miss", "dr"}


def greeting_name(contact: str) -> str:
    """How the note opens: "Mr Dubois" as given, a first name from a full one."""
    first = contact.split()[0]
    return contact if first.rstrip(".").lower() in TITLES else first


def draft_followup(company: str | None, role: str | None, contact: str | None) -> str:
    """A short, gracious note asking what in their background or skills was missing."""
    greeting = f"Hi {greeting_name(contact)}," if contact else "Hello,"
    position = f"the {role} role" if role else "the role"
    at_company = f" at {company}" if company else ""
    team = f"the {company} team" if company else "your team"
    return (
        f"{greeting}\n\n"
        f"Thank you for letting me know about your decision on {position}{at_company}, "
        f"and for the time you and {team} gave my application.\n\n"
        "I'm keen to keep growing, so may I ask one thing: was there something in my "
        "background or skills that I was missing for this role? A sentence or two "
        "would help me a lot.\n\n"
        f"I'd be glad to be considered for future openings{at_company}.\n\n"
        "Best wishes,"
    )


class ValidateFollowupForm(ListeningForm):
    def name(self) -> str:
        return "validate_followup_form"

    def facts(self, tracker: Tracker) -> dict[str, Any]:
        contact = contact_in(user_text(tracker) or "")
        return {"contact_name": contact} if contact else {}

    @ignore_cleared
    def validate_contact_name(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        if slot_value == NO_NAME:
            return accept("contact_name", NO_NAME)
        text = user_text(tracker) or str(slot_value)
        if str(slot_value) != text:  # read from the request itself ("email sarah the recruiter")
            return accept("contact_name", str(slot_value))
        if is_question(text):
            return refuse(
                "contact_name",
                dispatcher,
                tracker,
                "The note reads warmer with a name at the top, like “Hi Sarah,”. If you don't "
                "have one, that's fine: say skip and I'll write “Hello,”.",
            )
        return accept("contact_name", contact_in(text) or contact_from(text) or NO_NAME)


class ActionAskContactName(Action):
    """Ask who the note goes to; a pasted email's signer is offered as a button."""

    def name(self) -> str:
        return "action_ask_contact_name"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        signer = email_signer(user_id(tracker))
        if signer is None:
            dispatcher.utter_message(response="utter_ask_contact_name")
        else:
            dispatcher.utter_message(
                text=f"Who should the note go to? The email was signed by {signer}; type "
                'another name if it should go to someone else, or "skip".',
                buttons=[{"title": signer, "payload": signer}],
            )
        return []


def email_signer(uid: int) -> str | None:
    """Who signed the rejection email they pasted, if they pasted one."""
    rejection = store.latest_rejection(db(), uid) or {}
    told = next(
        db()["entries"].rows_where(
            "user_id = ? and kind = 'rejection' and rejection_id = ?",
            [uid, rejection.get("id")],
            limit=1,
        ),
        {},
    )
    text = told.get("text") or ""
    return parse_rejection_email(text).contact if looks_like_email(text) else None


class ActionDraftFollowup(Action):
    def name(self) -> str:
        return "action_draft_followup"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        uid = user_id(tracker)
        rejection = store.latest_rejection(db(), uid) or {}
        contact = tracker.get_slot("contact_name")
        contact = None if contact in (None, NO_NAME) else contact
        if rejection and contact:
            store.update_rejection(db(), uid, rejection["id"], contact_name=contact)
        dispatcher.utter_message(text="Here's a draft you can copy, change and send:")
        show_draft(dispatcher, uid, rejection, contact)
        return [SlotSet("contact_name", None)]


def show_draft(
    dispatcher: CollectingDispatcher, uid: int, rejection: dict, contact: str | None
) -> None:
    """Draft the note, keep it in the journal and show it as one message to copy (Rasa's
    REST channel would split plain text at blank lines)."""
    draft = draft_followup(rejection.get("company"), rejection.get("role"), contact)
    store.add_entry(db(), uid, "followup", draft, rejection_id=rejection.get("id"))
    dispatcher.utter_message(custom={"command": "message", "text": draft})


def has_draft(uid: int, rejection_id: int) -> bool:
    return bool(
        db()["entries"].count_where(
            "user_id = ? and kind = 'followup' and rejection_id = ?", [uid, rejection_id]
        )
    )


class ActionSaveFeedback(Action):
    """What the employer said goes into the journal and, later, into the plan."""

    def name(self) -> str:
        return "action_save_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        save_feedback(dispatcher, tracker)
        dispatcher.utter_message(response="utter_feedback_saved")
        return []


# What a company said back, told in passing ("They told that my English was not enough
# fluent", "they've just sent feedback: more verilog").
REPORTS_FEEDBACK = re.compile(
    r"\b(?:they|recruiter|hr|the\s+(?:recruiter|hiring\s+manager|manager|panel|team))\s+"
    r"(?:told|said|wrote|replied|answered|emailed|got\s+back|came\s+back)\b|"
    r"\bfeedback\s*[:\-]|\bsent\s+(?:me\s+)?(?:some\s+)?feedback\b",
    re.IGNORECASE,
)


def save_feedback(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """The message into the journal as feedback on the matching rejection, and its skill
    gap named, which the plan will show."""
    uid = user_id(tracker)
    text = user_text(tracker)
    rejection = matching_rejection(uid, text or "", latest_entity(tracker, "company"))
    if text:
        store.add_entry(db(), uid, "feedback", text, rejection_id=rejection.get("id"))
    gap = skill_gap(text or "")
    if gap:
        dispatcher.utter_message(
            text=f"Noted as something concrete to work on: {gap}. It goes into your plan."
        )


SKILL_GAP = re.compile(
    r"\b(?:need(?:ed|s)?|lack(?:ed|ing|s)?|missing|more|wanted|looking\s+for|not\s+enough|"
    r"weren'?t\s+enough|should\s+(?:have|improve|work\s+on)|work\s+on|improve)\s+"
    r"(?P<gap>[^.!?;\n]{3,80})",
    re.IGNORECASE,
)


def skill_gap(text: str) -> str | None:
    """The concrete thing feedback says was missing ("more SQL experience")."""
    match = SKILL_GAP.search(text)
    if not match:
        return None
    gap = re.split(r"\s+(?:but|and\s+that|so|because|lol|tbh)\b", match.group("gap"))[0]
    return gap.strip(" ,") or None


def matching_rejection(uid: int, text: str, entity: str | None) -> dict:
    """The rejection feedback is about: the one whose company it names, else the latest."""
    named = (company_in(text, entity) or "").lower()
    rows = list(db()["rejections"].rows_where("user_id = ?", [uid], order_by="id desc"))
    for row in rows:
        company = (row.get("company") or "").lower()
        if named and company and (named in company or company in named):
            return row
    lowered = text.lower()
    for row in rows:
        company = (row.get("company") or "").lower()
        if company and re.search(rf"\b{re.escape(company)}\b", lowered):
            return row
    return rows[0] if rows else {}

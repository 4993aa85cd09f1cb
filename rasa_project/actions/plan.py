"""Stage 4: several irons in the fire, five or more out, one concrete step at a time."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import is_name
from actions.common import (
    clear_slots,
    db,
    form_slots,
    ignore_cleared,
    user_id,
    user_text,
)
from actions.followup import skill_gap
from actions.listening import (
    ListeningForm,
    accept,
    kept_from_before,
    refuse,
    replied_since_message,
)
from actions.parsing import clean_name
from actions.rejection import HINTS, name_answer, plain_name_answer
from actions.understanding import TOLD_A_REJECTION, application_facts, widen
from bot import spoken, store

GOAL = store.GOAL_ACTIVE_APPLICATIONS
UNKNOWN_COUNT = -1.0  # they would not say: the plan goes on from what is recorded
YES_NO = [
    {"title": "Yes, add one", "payload": "/affirm"},
    {"title": "Not tonight", "payload": "/deny"},
]


def active_line(count: int) -> str:
    if count >= GOAL:
        return f"You have {count} applications in motion: that's the five or more we aim for."
    missing = GOAL - count
    return (
        f"You have {count} in motion right now. The aim is {GOAL} or more, so that no single "
        f"answer carries everything: {missing} more to go."
    )


COUNT_CONTEXT = re.compile(
    r"\b(?:out|sent|applied|applications?|apps?|in\s+progress|waiting|open|pending|"
    r"in\s+motion|going|live)\b",
    re.IGNORECASE,
)


CLOCK = re.compile(r"\b\d{1,2}\s*(?:am|pm)\b|\b\d{1,2}[:.]\d{2}\b|o'?clock", re.IGNORECASE)


# "plan the next few applications", "send 3 more": how many to come, not how many out.
AHEAD = re.compile(
    r"\bnext\s+(?:few|couple|handful|\w+\s+(?:apps?|applications))\b|"
    r"\b(?:few|couple|\d+|two|three|four|five)\s+more\b",
    re.IGNORECASE,
)


class ValidatePlanForm(ListeningForm):
    def name(self) -> str:
        return "validate_plan_form"

    def plainly_answers(self, tracker: Tracker) -> bool:
        """A number is the answer, unless it is a time of day ("first set my check-in
        for 8pm")."""
        text = user_text(tracker) or ""
        return spoken.count(text) is not None and not CLOCK.search(text)

    def facts(self, tracker: Tracker) -> dict[str, Any]:
        """ "i have literally 1 out" answers the question before it is asked."""
        text = user_text(tracker) or ""
        asked = tracker.get_slot("requested_slot")
        told = COUNT_CONTEXT.search(text) and not AHEAD.search(text)
        count = spoken.count(text) if told and asked is None else None
        return {"active_count": count} if count is not None else {}

    @ignore_cleared
    def validate_active_count(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        if isinstance(slot_value, (int, float)):
            count = int(slot_value) if 0 <= slot_value <= 500 else None
        else:
            count = spoken.count(str(slot_value))
        if count is None:
            return refuse(
                "active_count",
                dispatcher,
                tracker,
                "Roughly how many? A number is fine, even a guess: “none yet”, “two”, “about 5”.",
                give_up=UNKNOWN_COUNT,
            )
        store.set_reported_active(db(), user_id(tracker), count)
        return accept("active_count", float(count))


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


def today(tracker: Tracker) -> date:
    """The person's own today, in the time zone they gave (UTC until they do)."""
    user = store.get_user(db(), user_id(tracker)) or {}
    return datetime.now(ZoneInfo(user.get("timezone") or "UTC")).date()


APPLYING = re.compile(r"\b(?:apply|applying|send|sending|submit\w*|plan\w*)\b", re.IGNORECASE)


def tells_rejections_instead(tracker: Tracker) -> bool:
    """ "2 nos today. monzo backend eng + wise ops analyst, auto rejected lol" names
    companies and roles like an application to add, but tells rejections."""
    text = user_text(tracker) or ""
    return (
        tracker.get_slot("requested_slot") is None
        and bool(TOLD_A_REJECTION.search(text))
        and not APPLYING.search(text)
    )


class ValidateApplicationForm(ListeningForm):
    def name(self) -> str:
        return "validate_application_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Several applications in one message: all but the last are added at once; the
        form goes on with the last."""
        # once per message: not again when the form asks anew after a digression
        fresh = not replied_since_message(tracker)
        if fresh and tells_rejections_instead(tracker):
            return [
                ActiveLoop(None),
                SlotSet("requested_slot", None),
                FollowupAction("action_start_rejection"),
            ]
        if fresh and not self.is_request_or_digression(tracker, domain):
            for app in applications_named(tracker, today(tracker))[:-1]:
                store.add_application(
                    db(),
                    user_id(tracker),
                    company=app["app_company"],
                    role=app.get("app_role"),
                    planned_for=iso_day(app.get("app_when")),
                    status=app["app_status"],
                )
                what = " at ".join(filter(None, [app.get("app_role"), app["app_company"]]))
                dispatcher.utter_message(text=f"Added: {what}.")
        return await super().run(dispatcher, tracker, domain)

    def facts(self, tracker: Tracker) -> dict[str, Any]:
        several = applications_named(tracker, today(tracker))
        if several:
            return several[-1]
        facts = application_facts(tracker, today=today(tracker))
        if not facts.get("app_company"):  # "sent the monzo one today!"
            planned = planned_named_in(user_id(tracker), user_text(tracker) or "")
            if planned:
                facts["app_company"] = planned["company"]
                facts.setdefault("app_role", planned["role"])
        return facts

    def plainly_answers(self, tracker: Tracker) -> bool:
        text = user_text(tracker) or ""
        asked = tracker.get_slot("requested_slot")
        if asked in ("app_company", "app_role"):
            return plain_name_answer(tracker)
        return (
            asked == "app_when" and spoken.application_date(text, today=today(tracker)) is not None
        )

    def _name(
        self,
        slot: str,
        entity: str,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
    ) -> dict[str, Any]:
        kept = kept_from_before(slot, value, tracker)
        if kept:
            return kept
        company = tracker.get_slot("app_company")
        if slot == "app_role" and company and str(value).lower() in str(company).lower():
            return {slot: None}  # "com" from "Booking.com" is not a role
        several = applications_named(tracker, today(tracker))
        if several and several[-1].get(slot):
            return accept(slot, several[-1][slot])
        cleaned = name_answer(entity, value, tracker)
        if slot == "app_role" and cleaned and SAME.fullmatch(cleaned):
            cleaned = last_role(user_id(tracker)) or cleaned  # "Wise. same role, PM"
        if cleaned and is_name(cleaned):
            return accept(slot, cleaned)
        return refuse(slot, dispatcher, tracker, HINTS[entity])

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
        if iso_day(str(slot_value)):  # read with the rest of the message, status and all
            return accept("app_when", str(slot_value))
        text = user_text(tracker)
        if text is None or str(slot_value) != text:  # a button, or read with the rest
            when = spoken.application_date(str(slot_value), today=today(tracker))
            if when is None:
                return accept("app_when", str(slot_value))
        else:
            when = spoken.application_date(text, today=today(tracker))
        if when is None:
            return refuse(
                "app_when",
                dispatcher,
                tracker,
                "A rough time is enough: “tomorrow”, “on Friday”, “next week”. Or tell me if "
                "it's already sent.",
            )
        day = when.day.isoformat() if when.day else when.said
        return accept("app_when", day, app_status=when.status)


class ActionSaveApplication(Action):
    def name(self) -> str:
        return "action_save_application"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        uid = user_id(tracker)
        company = tracker.get_slot("app_company")
        role = tracker.get_slot("app_role")
        updated = save_application(tracker)
        count = store.active_application_count(db(), uid)
        sent = tracker.get_slot("app_status") == "applied"
        what = f"{role} at {company}" if role else company
        if updated:
            done = f"Marked as sent: {what}. Well done." if sent else f"Updated: {what}."
        else:
            done = f"Added: {what}, already sent. Well done." if sent else f"Added: {what}."
        dispatcher.utter_message(text=f"{done} {active_line(count)}")
        dispatcher.utter_message(response="utter_ask_add_another")
        return clear_slots([*form_slots(domain, "application_form"), "app_status"])


def iso_day(when: str | None) -> str | None:
    """The day the application goes out, when one was said ("already sent it" has none)."""
    return when if when and re.fullmatch(r"\d{4}-\d{2}-\d{2}", when) else None


SAME = re.compile(r"(?:the\s+)?same(?:\s+(?:role|one|job|again|as\s+before))?", re.IGNORECASE)


def last_role(uid: int) -> str | None:
    """The role of the application added last ("same role" refers to it)."""
    rows = db()["applications"].rows_where(
        "user_id = ? and role is not null", [uid], order_by="id desc", limit=1
    )
    return next((row["role"] for row in rows), None)


def applications_named(tracker: Tracker, today: date) -> list[dict[str, Any]]:
    """Each application in "monzo backend dev on friday and also wise data analyst on
    monday", when the message names more than one company."""
    text = user_text(tracker) or ""
    named = [name for name in tracker.get_latest_entity_values("company") if isinstance(name, str)]
    spans = sorted(
        (match.start(), match.end())
        for company in dict.fromkeys(named)
        if (match := re.search(rf"(?<!\w){re.escape(company)}(?!\w)", text, re.IGNORECASE))
    )
    if len(spans) < 2:
        return []
    roles = [role for role in tracker.get_latest_entity_values("role") if isinstance(role, str)]
    found = []
    ends = [start for start, _ in spans[1:]] + [len(text)]
    for (start, end), next_start in zip(spans, ends, strict=True):
        rest = re.sub(r"\W*\b(?:and\s+also|and\s+then|and|also|plus)\W*$", "", text[end:next_start])
        role = next((r for r in roles if r.lower() in rest.lower()), None)
        when = spoken.application_date(rest, today=today)
        app: dict[str, Any] = {
            "app_company": text[start:end],
            "app_role": clean_name(widen(role, rest)) if role else None,
            "app_status": when.status if when else "planned",
        }
        if when:
            app["app_when"] = when.day.isoformat() if when.day else when.said
        found.append({slot: value for slot, value in app.items() if value is not None})
    return found


def planned_named_in(uid: int, text: str) -> dict[str, Any] | None:
    """The planned application whose company the message names, newest first."""
    for row in db()["applications"].rows_where(
        "user_id = ? and status = 'planned'", [uid], order_by="id desc"
    ):
        if row["company"] and re.search(
            rf"(?<!\w){re.escape(row['company'])}(?!\w)", text, re.IGNORECASE
        ):
            return row
    return None


def save_application(tracker: Tracker) -> bool:
    """Store the application as far as it is known (planned unless already sent); one
    already planned at the same company is updated ("sent the monzo one today").
    Returns whether it was an update."""
    uid = user_id(tracker)
    company = tracker.get_slot("app_company")
    status = tracker.get_slot("app_status") or "planned"
    planned_for = iso_day(tracker.get_slot("app_when"))
    role = tracker.get_slot("app_role")
    planned = next(  # the same application: a second role at one company is another
        db()["applications"].rows_where(
            "user_id = ? and status = 'planned' and lower(company) = lower(?) "
            "and (role is null or ? is null or lower(role) = lower(?))",
            [uid, company, role, role],
            order_by="id desc",
            limit=1,
        ),
        None,
    )
    if planned:
        changes = {"status": status, "planned_for": planned_for or planned["planned_for"]}
        db()["applications"].update(planned["id"], changes)
        return True
    store.add_application(
        db(),
        uid,
        company=company,
        role=role,
        planned_for=planned_for,
        status=status,
    )
    return False


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
        gap = skill_gap(feedback[0]["text"] or "")
        lines.append(
            f"To work on, from the feedback you got: {gap}."
            if gap
            else f"To work on, from the feedback you got: “{feedback[0]['text']}”"
        )
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

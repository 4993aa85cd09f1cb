"""Stored values that are not answers: "bye" as a date, "👍" as a company, "yes" as a thought.

Written apart from the bot's own checks (rasa_project/actions) so that it can
catch them failing. ``non_answer_reason`` is None for a real answer.
"""

from __future__ import annotations

import re
from datetime import date

# Fields that hold a person's answer, by table; entries only for these kinds.
NAME_FIELDS = {
    "rejections": ("company", "role", "contact_name"),
    "applications": ("company", "role"),
}
ANSWER_KINDS = ("thought", "reframe", "feeling")

FILLERS = {
    # greetings, thanks, goodbyes, acknowledgements
    "hi", "hello", "hey", "hiya", "yo", "morning", "evening", "good morning", "good evening",
    "thanks", "thank you", "thx", "ty", "cheers", "ta",
    "bye", "goodbye", "good bye", "bye bye", "see you", "see ya", "cya", "later", "night",
    "good night", "goodnight", "gn", "ttyl",
    "ok", "okay", "k", "kk", "sure", "cool", "got it",
    # bare yes / no / maybe / don't know / skip
    "yes", "yeah", "yep", "yup", "ya", "y", "no", "nope", "nah", "n", "maybe", "perhaps",
    "not sure", "unsure", "idk", "dunno", "i dunno", "i don't know", "i dont know",
    "don't know", "dont know", "no idea", "no clue", "who knows", "whatever",
    "skip", "pass", "next", "n/a", "nvm", "never mind", "nevermind",
}  # fmt: skip
# Not a name either ("nothing" can be a feeling: numb).
NOT_NAMES = {"none", "nothing", "no name", "no one", "nobody", "unknown", "no company"}

# "can we just do the plan", "help me email them", "i want to write" in place of an answer
REQUEST = re.compile(
    r"^(?:(?:can|could|shall|may) (?:we|you|i)|let'?s|i (?:want|wanna|would like|need) to"
    r"|help me|(?:just )?(?:do|start|go to)|take me to)\b.*"
    r"\b(?:plan|email|mail|note|follow[- ]?up|write|journal|check[- ]?in|skip|stop|export"
    r"|delete|feeling|next|later)",
    re.IGNORECASE,
)
HH_MM = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d")


def _normalise(value: str) -> str:
    text = value.strip().lower().replace("\u2019", "'")
    text = re.sub(r"\s+", " ", text)
    return text.strip(" .!?,;:~-")


def _filler_reason(value: str, *, name: bool) -> str | None:
    text = _normalise(value)
    alnum = [ch for ch in text if ch.isalnum()]
    if not alnum:
        return "no letters or digits (emoji or punctuation only)"
    if len(alnum) == 1:
        return "a single character"
    if text in FILLERS or (name and text in NOT_NAMES):
        return f"a filler word ({text!r}), not an answer"
    if text.startswith("/"):
        return "a command, not an answer"
    if REQUEST.search(text):
        return "a request for another step, not an answer"
    return None


def non_answer_reason(table: str, field: str, value: object) -> str | None:
    """Why ``value`` stored in ``table.field`` is not an answer; None if it is one."""
    if value is None:
        return None
    text = str(value)
    if table == "users" and field == "checkin_time":
        return None if HH_MM.fullmatch(text) else "a check-in time that is not HH:MM"
    if table == "applications" and field == "planned_for":
        try:
            date.fromisoformat(text)
        except ValueError:
            return "a planned date that is not an ISO date"
        return None
    name = field in NAME_FIELDS.get(table, ())
    if not name and (table, field) != ("entries", "text"):
        return None
    return _filler_reason(text, name=name)


def stored_non_answers(
    rejections: list[dict], applications: list[dict], entries: list[dict], user: dict | None
) -> list[str]:
    """Every non-answer among one person's stored rows, as readable lines."""
    found = []
    fields = [
        *(("rejections", f, row) for row in rejections for f in NAME_FIELDS["rejections"]),
        *(
            ("applications", f, row)
            for row in applications
            for f in (*NAME_FIELDS["applications"], "planned_for")
        ),
        *(("entries", "text", row) for row in entries if row.get("kind") in ANSWER_KINDS),
        *([("users", "checkin_time", user)] if user else []),
    ]
    for table, field, row in fields:
        reason = non_answer_reason(table, field, row.get(field))
        if reason:
            where = f"{table}.{field}" + (f" ({row['kind']})" if table == "entries" else "")
            found.append(f"{where} = {row.get(field)!r}: {reason}")
    return found

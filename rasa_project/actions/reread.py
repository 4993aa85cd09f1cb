"""A message the model was unsure of, read again for the plainest answers.

"no not tonight" or "nope that's it for tonight" after a yes/no question, and
"thanks, that's it for now" anywhere, are clear to a person even when the
intent model is below its threshold. They are re-read here and handed back to
Rasa as the intent they are (as Rasa's own two-stage fallback does); anything
else is met with a request to rephrase.
"""

from __future__ import annotations

import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, UserUtteranceReverted, UserUttered
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import user_text
from actions.email_parser import looks_like_email

NO = re.compile(
    r"^(?:n|no|nah|nope|not\s+(?:now|tonight|today|really|yet|right\s+now|this\s+time)|"
    r"maybe\s+(?:later|tomorrow|another\s+time)|i'?m\s+good|im\s+good|all\s+good|"
    r"that'?s\s+(?:it|all|enough)|thats\s+(?:it|all|enough)|enough|one'?s\s+enough|"
    r"i'?ll\s+pass|pass|no\s+thanks?)\b",
    re.IGNORECASE,
)
YES = re.compile(
    r"^(?:y|yes|yeah|yea|yep|yup|ya|sure|ok(?:ay)?|go\s+on|go\s+ahead|please|"
    r"let'?s\s+(?:do\s+it|go)|why\s+not|fine|alright|sounds\s+good|i\s+guess)\b",
    re.IGNORECASE,
)
BYE = re.compile(
    r"\b(?:bye|good\s?night|night|gotta\s+go|got\s+to\s+go|have\s+to\s+go|off\s+to\s+bed|"
    r"that'?s\s+it\s+for\s+(?:now|tonight|today)|enough\s+for\s+(?:now|today|tonight)|ttyl|"
    r"see\s+(?:you|ya))\b",
    re.IGNORECASE,
)


def plain_intent(text: str) -> str | None:
    """deny, affirm or goodbye when a short message plainly says so."""
    words = text.split()
    if NO.match(text):
        return "deny"
    if BYE.search(text) and len(words) <= 8:
        return "goodbye"
    if YES.match(text) and len(words) <= 5:
        return "affirm"
    return None


class ActionReread(Action):
    def name(self) -> str:
        return "action_reread"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = user_text(tracker) or ""
        intent = "paste_rejection_email" if looks_like_email(text) else plain_intent(text)
        if intent is None:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        return read_as(tracker, intent)


def read_as(tracker: Tracker, intent: str) -> list[EventType]:
    """Hand the latest message back to Rasa as ``intent``, as if the model had said so."""
    parse_data = dict(tracker.latest_message)
    parse_data["intent"] = {"name": intent, "confidence": 1.0}
    return [
        UserUtteranceReverted(),
        ActionExecuted("action_listen"),
        UserUttered(tracker.latest_message.get("text"), parse_data),
    ]

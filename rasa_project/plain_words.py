"""Plain answers that the intent model was unsure of, read as what they plainly say.

"no not tonight" or "nope that's it for tonight" are clear to a person even when
the intent classifier is below the fallback threshold, and a message that ends
"... bye" signs off whatever the classifier made of the rest. Placed after Rasa's
``FallbackClassifier``, this component reads such messages as deny, goodbye or affirm,
so that forms and rules see the intent a person would hear: a goodbye at a form's
question leaves the form instead of being taken, or refused, as its answer.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

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


# A message that ends by signing off is a goodbye, unless the model heard crisis in it
# (a final goodbye can be one: the crisis check runs first, and crisis always wins).
ENDS_WITH_BYE = re.compile(
    r"[.,!\s]\s*(?:bye+|bye\s+now|good\s?night|night\s+night|cya|ttyl|gtg)[\s.!x]*$|^bye+[\s.!]*$",
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


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class PlainWordsClassifier(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> PlainWordsClassifier:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            heard = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            text = message.get(TEXT) or ""
            plain = plain_intent(text)
            signs_off = heard not in ("goodbye", "crisis") and ENDS_WITH_BYE.search(text)
            if signs_off:  # "actually cant be bothered. bye", whatever came before it
                plain = "goodbye"
            if (heard == DEFAULT_NLU_FALLBACK_INTENT_NAME or signs_off) and plain:
                intent = {INTENT_NAME_KEY: plain, PREDICTED_CONFIDENCE_KEY: 1.0}
                message.set(INTENT, intent, add_to_output=True)
        return messages

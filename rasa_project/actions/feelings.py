"""Stages 1 and 2: name the feeling, rate it, look at the thought; then a kinder reading."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import db, ignore_cleared, latest_entity, latest_intent, user_id, user_text
from actions.parsing import parse_number
from bot import store

NLU_DATA = Path(__file__).resolve().parent.parent / "data" / "nlu"
REALISTIC_WORDS = {"yes": "Yes, it holds up", "no": "Not really", "unsure": "Not sure"}


@lru_cache(maxsize=1)
def emotion_words() -> dict[str, str]:
    """Every way of naming a feeling in our training data -> its canonical name.

    Read from the NLU synonyms, so the model and this lookup never disagree.
    """
    from rasa.shared.nlu.training_data.loading import load_data

    training = load_data(str(NLU_DATA))
    canonical = set(training.entity_synonyms.values())
    words = {value.lower(): value for value in canonical}
    words.update(
        {
            variant.lower(): value
            for variant, value in training.entity_synonyms.items()
            if value in canonical
        }
    )
    return words


def canonical_emotion(text: str, entity: str | None = None) -> str | None:
    """The feeling named in ``text``: exact word or phrase first, then a close misspelling."""
    words = emotion_words()
    if entity and entity.lower() in words:
        return words[entity.lower()]
    lowered = text.lower()
    phrases = sorted(words, key=len, reverse=True)
    for phrase in phrases:
        if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", lowered):
            return words[phrase]
    for token in re.findall(r"[a-z']{4,}", lowered):
        close = difflib.get_close_matches(token, phrases, n=1, cutoff=0.8)
        if close:
            return words[close[0]]
    return None


class ActionAskIntensity(Action):
    """Reflect the feeling back (now that the slot is set), then ask how strong it is."""

    def name(self) -> str:
        return "action_ask_intensity"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("requested_slot") == "emotion":
            dispatcher.utter_message(response="utter_reflect_emotion")
        dispatcher.utter_message(response="utter_ask_intensity")
        return []


class ValidateFeelingForm(FormValidationAction):
    def name(self) -> str:
        return "validate_feeling_form"

    @ignore_cleared
    def validate_emotion(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        text = user_text(tracker) or str(slot_value)
        uid = user_id(tracker)
        rejection_id = tracker.get_slot("rejection_id")
        if latest_intent(tracker) == "self_blame" and not tracker.get_slot("thought"):
            # "I'm just not good enough" is a thought, not a feeling: keep it as
            # the thought, answer the self-blame first, then ask for the feeling again.
            store.add_entry(db(), uid, "thought", text, rejection_id=rejection_id)
            dispatcher.utter_message(response="utter_counter_self_blame")
            dispatcher.utter_message(response="utter_ask_emotion")
            return {"emotion": None, "thought": text}
        entity = latest_entity(tracker, "emotion")
        emotion = canonical_emotion(text, entity)
        named = emotion or (text if len(text.split()) <= 4 else "mixed")
        entry_id = store.add_entry(
            db(), uid, "feeling", text, emotion=emotion, rejection_id=rejection_id
        )
        return {"emotion": named.lower(), "feeling_entry_id": entry_id}

    @ignore_cleared
    def validate_intensity(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        value = parse_number(slot_value, low=0, high=10)
        if value is None:
            dispatcher.utter_message(
                text="A number from 0 to 10 is all I need (10 is the strongest)."
            )
            return {"intensity": None}
        entry_id = tracker.get_slot("feeling_entry_id")
        if entry_id:
            db()["entries"].update(entry_id, {"mood": value})
        return {"intensity": float(value)}

    @ignore_cleared
    def validate_thought(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        text = user_text(tracker) or str(slot_value)
        if latest_intent(tracker) == "self_blame":
            dispatcher.utter_message(response="utter_counter_self_blame")
        store.add_entry(
            db(), user_id(tracker), "thought", text, rejection_id=tracker.get_slot("rejection_id")
        )
        return {"thought": text}

    @ignore_cleared
    def validate_thought_realistic(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        answer = str(slot_value).lower()
        text = REALISTIC_WORDS.get(answer) or user_text(tracker) or answer
        store.add_entry(
            db(),
            user_id(tracker),
            "thought_check",
            text,
            rejection_id=tracker.get_slot("rejection_id"),
        )
        holds = answer == "yes"
        dispatcher.utter_message(
            response="utter_thought_holds" if holds else "utter_thought_doesnt_hold"
        )
        return {"thought_realistic": answer}


class ValidateReframeForm(FormValidationAction):
    def name(self) -> str:
        return "validate_reframe_form"

    @ignore_cleared
    def validate_reframe(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        text = user_text(tracker) or str(slot_value)
        store.add_entry(
            db(), user_id(tracker), "reframe", text, rejection_id=tracker.get_slot("rejection_id")
        )
        dispatcher.utter_message(response="utter_reframe_saved")
        return {"reframe": text}

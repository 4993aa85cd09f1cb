"""Stages 1 and 2: name the feeling, rate it, look at the thought; then a kinder reading."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import is_non_answer, is_question
from actions.common import (
    actions_since_message,
    as_number,
    db,
    ignore_cleared,
    latest_entity,
    latest_intent,
    user_id,
    user_text,
)
from actions.email_parser import looks_like_email
from actions.feelings_words import canonical_emotion
from actions.followup import REPORTS_FEEDBACK, save_feedback
from actions.listening import (
    REQUEST,
    ListeningForm,
    accept,
    asked_to_skip_to,
    refuse,
    stored_before,
)
from actions.parsing import STAGE_NAMES, stage_told
from actions.understanding import (
    TOLD_A_REJECTION,
    bare_rating,
    clauses,
    feeling_facts,
    rejection_facts,
    thought_in,
)
from bot import spoken, store

REALISTIC_WORDS = {"yes": "Yes, it holds up", "no": "Not really", "unsure": "Not sure"}


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


UNSURE = "unsure"  # they could not name it: no journal row, and we move on
EMOJI_FEELINGS = {"sad": "😭😢😞😔☹🙁🥲💔", "angry": "😡🤬😤", "numb": "😶😐🫥", "mixed": "🙃😅"}
THOUGHT_HINT = (
    "In your own words: what's the thought that comes with it? For example “I'm not "
    "good enough” or “I'll never get in anywhere”."
)
REFRAME_HINT = (
    "Anything that isn't about your worth: the odds (how many applied), the timing "
    "(a freeze, an internal hire), or the fit (they wanted something specific)."
)


SKIP_WORD = re.compile(r"\b(?:skip|pass|move\s+on|next)\b", re.IGNORECASE)
DECLINED = "declined"  # no kinder reading tonight, and that is allowed
NOT_RATED = -1.0  # they moved on without a number; the journal row has no mood
TAKES_BACK = re.compile(r"\b(?:wait|actually|no|sorry|meant|mean)\b", re.IGNORECASE)
RATING_FILLER = re.compile(
    r"\b(?:like|maybe|about|around|prob(?:ably)?|a|an|honestly|tbh|rn|right\s+now|out\s+of|"
    r"then|ok|okay|i\s+guess|i\s+think|ish|solid|say)\b",
    re.IGNORECASE,
)
FRIEND_CHECK = re.compile(r"\b(?:friends?|agree|hold(?:s)?\s+up|fair)\b", re.IGNORECASE)


def moved_on(tracker: Tracker) -> bool:
    """Asked for a number, they said something that is not one: a sentence of their own."""
    text = user_text(tracker) or ""
    return (
        tracker.get_slot("requested_slot") == "intensity"
        and spoken.scale(text) is None
        and len(text.split()) >= 4
        and not is_non_answer(text)
        and not is_question(text)
        and latest_intent(tracker) != "express_feeling"  # the feeling again, then the number
    )


def emoji_feeling(text: str) -> str | None:
    for feeling, faces in EMOJI_FEELINGS.items():
        if any(face in text for face in faces):
            return feeling
    return None


def asks_for_another_step(text: str) -> bool:
    return bool(asked_to_skip_to(text) and REQUEST.search(text))


def tells_a_new_rejection(tracker: Tracker) -> bool:
    """Asked for a feeling before any rejection was told, they tell the rejection."""
    text = user_text(tracker) or ""
    return (
        tracker.get_slot("requested_slot") in (None, "emotion")
        and not tracker.get_slot("rejection_id")
        and bool(TOLD_A_REJECTION.search(text))
        and (
            latest_intent(tracker) == "report_rejection"
            # "Thought Machine, platform engineer, three rounds, and a no this afternoon.
            # More tired than upset": the feeling is heard, but the rejection comes first
            or any(rejection_facts(tracker).get(name) for name in ("company", "role"))
        )
    )


def tells_the_stage(tracker: Tracker) -> str | None:
    """Asked for the feeling, they say how far it got instead ("phone screen", "didnt
    even get a call obviously"): a fact about the rejection, not a feeling."""
    text = user_text(tracker) or ""
    if (
        tracker.get_slot("requested_slot") not in ("emotion", "intensity")
        or spoken.scale(text) is not None
        or not tracker.get_slot("rejection_id")
        or len(text.split()) > (20 if TAKES_BACK.search(text) else 12)  # "wait no, I did…"
        or emoji_feeling(text)
        or canonical_emotion(text, latest_entity(tracker, "emotion"))
    ):
        return None
    return stage_told(text)


def note_the_stage(
    slot: str, stage: str, dispatcher: CollectingDispatcher, tracker: Tracker
) -> dict[str, Any]:
    """Keep how far it got on the rejection, say so, and ask the same question again."""
    store.update_rejection(db(), user_id(tracker), tracker.get_slot("rejection_id"), stage=stage)
    dispatcher.utter_message(text=f"Noted: it ended {STAGE_NAMES[stage]}.")
    return {slot: None, "stage": stage}


def pastes_an_email(tracker: Tracker) -> bool:
    """An email pasted mid-form is another rejection, or the company's reply: never a
    feeling, a thought or a kinder reading (action_start_rejection tells which)."""
    if "action_start_rejection" in actions_since_message(tracker):  # it opened this rejection
        return False
    return looks_like_email(user_text(tracker) or "")


def self_blame_is_thought(tracker: Tracker) -> bool:
    return latest_intent(tracker) == "self_blame" and not tracker.get_slot("thought")


class ValidateFeelingForm(ListeningForm):
    saves_each_answer = True

    def name(self) -> str:
        return "validate_feeling_form"

    def asked_to_go(
        self, tracker: Tracker, domain: DomainDict, events: list[EventType]
    ) -> str | None:
        took_it = not self.is_request_or_digression(tracker, domain)
        if took_it and (tells_a_new_rejection(tracker) or pastes_an_email(tracker)):
            return "action_start_rejection"  # "ugh", then "the bbc said no"
        return super().asked_to_go(tracker, domain, events)

    def plainly_answers(self, tracker: Tracker) -> bool:
        """A number to "how strong?"; a hedged yes, no or "idk maybe not" to "would a
        friend agree?" (the model hears "skip" in "idk")."""
        asked = tracker.get_slot("requested_slot")
        text = user_text(tracker) or ""
        if asked == "thought_realistic":
            return realistic_answer(text) is not None and not SKIP_WORD.search(text)
        if asked == "emotion":  # "annoyed mostly. can you help me write back to priya"
            first = clauses(text)[0] if clauses(text) else ""
            return len(first.split()) <= 3 and canonical_emotion(first) is not None
        # "can you check in with me tomorrow, half 8?" is a request, not an 8
        rated = bare_rating(text) is not None or not REQUEST.search(text)  # "4. can we plan?"
        return asked == "intensity" and spoken.scale(text) is not None and rated

    def facts(self, tracker: Tracker) -> dict[str, Any]:
        facts = feeling_facts(tracker)
        text = user_text(tracker) or ""
        asked = tracker.get_slot("requested_slot")
        if asked == "intensity" and moved_on(tracker) and not tracker.get_slot("thought"):
            facts["thought"] = text  # answered the next question instead: keep it
            if FRIEND_CHECK.search(text):
                facts["thought_realistic"] = realistic_answer(text) or "unsure"
        if asked in (None, "emotion") and "intensity" not in facts:
            # "hurt. 9", "fine. annoyed. 3. now can we plan"
            rating = spoken.scale(text) if len(text.split()) <= 4 else bare_rating(text)
            if rating is not None and (facts.get("emotion") or canonical_emotion(text)):
                facts["intensity"] = float(rating)
        if asked == "thought" and FRIEND_CHECK.search(text) and realistic_answer(text):
            # "that im a fraud. and no a friend wouldnt agree lol": both questions answered
            facts["thought_realistic"] = realistic_answer(text)
        thought = thought_in(text)
        if asked in (None, "emotion", "intensity") and thought and not tracker.get_slot("thought"):
            facts["thought"] = thought  # "8. and i keep thinking i'll be stuck in retail"
        if tracker.get_slot("requested_slot") in (None, "emotion") and self_blame_is_thought(
            tracker
        ):
            facts["thought"] = text
        return facts

    @ignore_cleared
    def validate_emotion(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        earlier = stored_before(tracker, "emotion", slot_value)
        if earlier and tracker.get_slot("feeling_entry_id"):
            return accept("emotion", slot_value)
        # named earlier, while another question was open: not in the words of this message
        text = str(slot_value) if earlier else (user_text(tracker) or str(slot_value))
        if tells_a_new_rejection(tracker) or pastes_an_email(tracker):
            return {"emotion": None}  # not a feeling: the rejection is taken in first
        stage = tells_the_stage(tracker)
        if stage:  # "phone screen": how far it got, not a feeling
            return note_the_stage("emotion", stage, dispatcher, tracker)
        if asks_for_another_step(text) and not canonical_emotion(
            text, latest_entity(tracker, "emotion")
        ):
            return {"emotion": None}  # "cool. can we skip to planning": no feeling in it
        if self_blame_is_thought(tracker) and str(slot_value) == text:
            # "I'm just not good enough" is a thought, not a feeling: it is kept as the
            # thought (facts above); answer the self-blame, then ask for the feeling again.
            dispatcher.utter_message(response="utter_counter_self_blame")
            return {"emotion": None}
        emotion = emoji_feeling(text)
        if is_question(text) and str(slot_value) == text:
            return refuse(
                "emotion",
                dispatcher,
                tracker,
                "That's a fair question, and we can come back to it. First, just for you: "
                "what are you feeling right now? A word is plenty.",
            )
        if is_non_answer(text) and not emotion:
            return refuse(
                "emotion",
                dispatcher,
                tracker,
                "Not knowing is common on a night like this. Is it closer to sad, angry, numb, "
                "relieved, or a mix? A word is plenty.",
                give_up=UNSURE,
            )
        emotion = (  # in their own words first: the tagger's value is already canonical
            emotion
            or canonical_emotion(text, latest_entity(tracker, "emotion"))
            or canonical_emotion(str(slot_value))
        )
        if str(slot_value) == UNSURE:
            return accept("emotion", UNSURE)
        named = emotion or (text if len(text.split()) <= 4 else "mixed")
        intensity = as_number(tracker.get_slot("intensity"))
        # an emoji alone is kept beside the word it was read as: "sad (😞)"
        said = text if re.search(r"[^\W_]", text) or not emotion else f"{emotion} ({text})"
        entry_id = store.add_entry(
            db(),
            user_id(tracker),
            "feeling",
            said,
            emotion=emotion or named.lower(),
            mood=None if intensity is None or intensity < 0 else int(intensity),
            rejection_id=tracker.get_slot("rejection_id"),
        )
        return accept("emotion", named.lower(), feeling_entry_id=entry_id)

    @ignore_cleared
    def validate_intensity(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        stage = tells_the_stage(tracker)
        if stage:  # "second interview, with the head of the team": not a rating, nor a thought
            return note_the_stage("intensity", stage, dispatcher, tracker)
        if is_question(user_text(tracker)):  # "what does 0 even mean here": not a 0
            return refuse(
                "intensity",
                dispatcher,
                tracker,
                "0 is barely there and 10 is as strong as it gets. Where would you put it now?",
            )
        value = (
            slot_value if isinstance(slot_value, (int, float)) else spoken.scale(str(slot_value))
        )
        changed = canonical_emotion(user_text(tracker) or "") if value is None else None
        entry_id = tracker.get_slot("feeling_entry_id")
        if changed and entry_id and changed != tracker.get_slot("emotion"):
            # "no actually just sad", asked how strong "pissed off" is: the feeling changes
            db()["entries"].update(entry_id, {"emotion": changed, "text": user_text(tracker)})
            dispatcher.utter_message(text=f"Noted: {changed}.")
            return {"intensity": None, "emotion": changed}
        if value is None and moved_on(tracker):
            return accept("intensity", NOT_RATED)  # they went on to the thought: let it be
        if value is None or not 0 <= value <= 10:
            return refuse(
                "intensity",
                dispatcher,
                tracker,
                "A number from 0 to 10 is all I need (10 is the strongest).",
            )
        if entry_id:
            db()["entries"].update(entry_id, {"mood": int(value)})
        return accept("intensity", float(value))

    @ignore_cleared
    def validate_thought(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        if stored_before(tracker, "thought", slot_value):
            return accept("thought", slot_value)
        text = (
            str(slot_value)
            if tracker.get_slot("requested_slot") != "thought"
            else (user_text(tracker) or str(slot_value))
        )
        if pastes_an_email(tracker):
            return {"thought": None}
        rating = spoken.scale(text) if len(RATING_FILLER.sub("", text).split()) <= 1 else None
        if rating is not None:
            # "7": the rating, a question late; never a thought
            intensity = as_number(tracker.get_slot("intensity"))
            entry_id = tracker.get_slot("feeling_entry_id")
            if (intensity is None or intensity < 0) and entry_id:
                db()["entries"].update(entry_id, {"mood": int(rating)})
                return {"thought": None, "intensity": float(rating)}
            return refuse("thought", dispatcher, tracker, THOUGHT_HINT)
        if is_non_answer(text) or is_question(text):
            return refuse("thought", dispatcher, tracker, THOUGHT_HINT)
        if (
            latest_intent(tracker) == "self_blame"
            and tracker.get_slot("requested_slot") == "thought"
        ):
            dispatcher.utter_message(response="utter_counter_self_blame")
        store.add_entry(
            db(), user_id(tracker), "thought", text, rejection_id=tracker.get_slot("rejection_id")
        )
        return accept("thought", text)

    @ignore_cleared
    def validate_thought_realistic(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        if stored_before(tracker, "thought_realistic", slot_value):
            return accept("thought_realistic", slot_value)
        answer = str(slot_value).lower()
        if answer not in REALISTIC_WORDS:
            answer = realistic_answer(user_text(tracker) or answer)
        if answer is None:
            return refuse(
                "thought_realistic",
                dispatcher,
                tracker,
                "Would a good friend who knows you agree with that thought? Yes, no or not sure.",
                give_up="unsure",
            )
        store.add_entry(
            db(),
            user_id(tracker),
            "thought_check",
            REALISTIC_WORDS[answer],
            rejection_id=tracker.get_slot("rejection_id"),
        )
        dispatcher.utter_message(
            response="utter_thought_holds" if answer == "yes" else "utter_thought_doesnt_hold"
        )
        return accept("thought_realistic", answer)


def realistic_answer(text: str) -> str | None:
    """yes / no / unsure from a hedged reply ("kinda", "not really", "idk tbh")."""
    lowered = text.lower()
    if re.search(
        r"\b(not sure|unsure|idk|dunno|don'?t know|maybe|kinda|kind of|sort of|50/50|partly"
        r"|both)\b",
        lowered,
    ):
        return "unsure"
    if re.search(
        r"\b(no|nah|nope|not really|probably not|i guess not|not at all|wouldn'?t|"
        r"dramatic|harsh|rubbish|nonsense|ridiculous|silly|shut up|not true|disagree|"
        r"tell me off|of course not)\b",
        lowered,
    ):
        return "no"
    if re.search(
        r"\b(yes|yeah|yep|yup|true|definitely|totally|sadly|i think so|it does|they would)\b",
        lowered,
    ):
        return "yes"
    return None


class ActionDepersonalize(Action):
    """Past the feelings, asked for in the same breath as an answer: stage 2 starts."""

    def name(self) -> str:
        return "action_depersonalize"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_depersonalize")
        return [FollowupAction("reframe_form")]


class ValidateReframeForm(ListeningForm):
    saves_each_answer = True

    def name(self) -> str:
        return "validate_reframe_form"

    def asked_to_go(
        self, tracker: Tracker, domain: DomainDict, events: list[EventType]
    ) -> str | None:
        if not self.is_request_or_digression(tracker, domain) and pastes_an_email(tracker):
            return "action_start_rejection"
        return super().asked_to_go(tracker, domain, events)

    @ignore_cleared
    def validate_reframe(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        if stored_before(tracker, "reframe", slot_value):
            return accept("reframe", slot_value)
        if pastes_an_email(tracker):
            return {"reframe": None}
        text = user_text(tracker) or str(slot_value)
        if latest_intent(tracker) == "deny" or re.fullmatch(r"(?:no|nah|nope|not really)\W*", text):
            dispatcher.utter_message(text="That's okay. We can leave that one there.")
            return accept("reframe", DECLINED)  # nothing to keep in the journal
        if is_non_answer(text) or is_question(text):
            return refuse("reframe", dispatcher, tracker, REFRAME_HINT, give_up=DECLINED)
        store.add_entry(
            db(), user_id(tracker), "reframe", text, rejection_id=tracker.get_slot("rejection_id")
        )
        if REPORTS_FEEDBACK.search(text):  # what the company said is feedback as well
            save_feedback(dispatcher, tracker)
        dispatcher.utter_message(response="utter_reframe_saved")
        return accept("reframe", text)

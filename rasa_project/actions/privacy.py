"""Delete everything a person has told us (after they confirmed)."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import db, user_id
from bot import store


class ActionDeleteData(Action):
    def name(self) -> str:
        return "action_delete_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        store.delete_user_data(db(), user_id(tracker))
        # The front end removes the stored conversation once this turn is saved
        # (deleting it here would be undone when Rasa saves the tracker), then
        # adds whether that worked and what stays out of our reach.
        dispatcher.utter_message(
            text="Done. I've deleted your settings, journal, rejections, applications, "
            "check-ins and any messages still waiting for an answer.",
            custom={"command": "forget_conversation"},
        )
        return []

"""One conversation turn, the same for Telegram and the terminal.

Order of work for every message: the crisis check first (no network, no
model), then the message is written to SQLite *before* Rasa sees it, and
only removed once Rasa has answered. If Rasa or its action server is down
the person is told, the message waits, and ``drain`` replays it in order.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlite_utils import Database

from bot import privacy, safety, store
from bot.rasa_client import Button, RasaClient, RasaUnavailable, Reply, intent_payload

logger = logging.getLogger(__name__)

Deliver = Callable[[int, list[Reply]], Awaitable[None]]

UNAVAILABLE = Reply(
    text="I'm having trouble thinking straight this minute. I've kept your message safe "
    "and I'll answer it as soon as I'm back, so there's nothing you need to resend."
)


def crisis_reply() -> Reply:
    return Reply(
        text=safety.CRISIS_TEXT,
        buttons=tuple(Button(title, payload) for title, payload in safety.CRISIS_BUTTONS),
    )


class Coach:
    def __init__(self, db: Database, rasa: RasaClient, tracker_db_path: Path | None) -> None:
        """``tracker_db_path``: our Rasa's tracker file; None when RASA_URL names another."""
        self.db = db
        self.rasa = rasa
        self.tracker_db_path = tracker_db_path
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def handle_text(self, user_id: int, text: str, deliver: Deliver) -> None:
        """A message the person typed."""
        if safety.is_crisis(text):
            await self._crisis(user_id, text, deliver)
            return
        store.queue_message(self.db, user_id, text)
        await self.drain_user(user_id, deliver)

    async def press(self, user_id: int, payload: str, deliver: Deliver) -> None:
        """A button the person pressed (its payload is ours, so no crisis check)."""
        store.queue_message(self.db, user_id, payload)
        await self.drain_user(user_id, deliver)

    async def send_intent(
        self, user_id: int, intent: str, deliver: Deliver, entities: dict | None = None
    ) -> None:
        """A command such as /journal, turned into the intent it stands for."""
        await self.press(user_id, intent_payload(intent, entities), deliver)

    async def trigger(self, user_id: int, intent: str, deliver: Deliver) -> None:
        """A turn the bot starts (the nightly check-in); raises RasaUnavailable."""
        async with self._locks[user_id]:
            replies = await self.rasa.trigger_intent(user_id, intent)
            await deliver(user_id, await self._expand(user_id, replies))

    async def drain_user(self, user_id: int, deliver: Deliver) -> bool:
        """Send this user's waiting messages to Rasa in order; False if Rasa is still away."""
        async with self._locks[user_id]:
            waiting = store.pending_messages(self.db, user_id)
            for index, item in enumerate(waiting):
                try:
                    replies = await self.rasa.send(user_id, item["text"])
                except RasaUnavailable as error:
                    unanswered = waiting[index:]
                    logger.warning(
                        "Rasa unavailable (%s); %d message(s) kept", error, len(unanswered)
                    )
                    if any(not row["attempts"] for row in unanswered):
                        await deliver(user_id, [UNAVAILABLE])  # once for each new message
                    for row in unanswered:
                        self.db["pending"].update(row["id"], {"attempts": row["attempts"] + 1})
                    return False
                store.drop_pending(self.db, item["id"])
                await deliver(user_id, await self._expand(user_id, replies))
        return True

    async def drain(self, deliver: Deliver) -> None:
        """Replay everyone's waiting messages (run periodically and at start-up)."""
        user_ids = [
            row["user_id"]
            for row in self.db.query("select distinct user_id from pending order by id")
        ]
        for user_id in user_ids:
            await self.drain_user(user_id, deliver)

    async def _crisis(self, user_id: int, text: str, deliver: Deliver) -> None:
        await deliver(user_id, [crisis_reply()])
        store.add_entry(self.db, user_id, "crisis", text)
        store.record_crisis(self.db, user_id)
        logger.info("crisis resources shown")
        # Let Rasa close any open form so coaching does not pick up mid-question.
        async with self._locks[user_id]:
            try:
                await self.rasa.send(user_id, intent_payload("crisis"))
            except RasaUnavailable:
                logger.warning("Rasa unavailable while closing forms after a crisis message")

    async def _expand(self, user_id: int, replies: list[Reply]) -> list[Reply]:
        """Carry out the commands that are the same everywhere; leave the rest."""
        expanded = []
        for reply in replies:
            if reply.command == "crisis":
                expanded.append(crisis_reply())
                continue
            if reply.command == "message":  # text that must stay one message
                expanded.append(Reply(text=str(reply.custom.get("text", ""))))
                continue
            if reply.command == "forget_conversation":
                erased = await privacy.erase_conversation(self.tracker_db_path, self.rasa, user_id)
                text = f"{reply.text}\n\n{privacy.after_erasure(erased=erased)}"
                reply = Reply(text=text, buttons=reply.buttons, image=reply.image)
            if reply.text or reply.buttons or reply.image or reply.custom:
                expanded.append(reply)
        return expanded

"""One conversation turn, the same for Telegram and the terminal.

Order of work for every message: the crisis check first (no network, no
model), then the message is written to SQLite *before* Rasa sees it, and
only removed once Rasa has answered. If Rasa or its action server is down
the person is told, the message waits, and ``drain`` replays it in order.

When the check cannot decide, the bot asks directly whether they are thinking
about ending their life, and the message is held (in ``users.held``, not sent
to Rasa, so a form in progress is untouched) until they answer: yes gets the
crisis resources, no lets the held message carry on into the coaching.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections import defaultdict
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlite_utils import Database

from bot import privacy, safety, safety_model, store
from bot.rasa_client import Button, RasaClient, RasaUnavailable, Reply, intent_payload

logger = logging.getLogger(__name__)

Deliver = Callable[[int, list[Reply]], Awaitable[None]]

EMPTY = Reply(text="That one came through empty. What's on your mind?")
# Rasa reads a message that starts with "/" as an intent with entities ('/affirm',
# '/inform{"number": 9}'): typed text must never become one.
INTENT_PREFIX = re.compile(r"^[\s/]+")
INTENT_NAME = re.compile(r"[a-z_]+")
ANSWERS = {safety.ASK_YES[1]: True, safety.ASK_NO[1]: False}

UNAVAILABLE = Reply(
    text="I'm having trouble thinking straight this minute. I've kept your message safe "
    "and I'll answer it as soon as I'm back, so there's nothing you need to resend."
)


def as_text(text: str) -> str:
    """What someone typed, as text for Rasa's NLU: leading slashes dropped."""
    return INTENT_PREFIX.sub("", text)


def ask_reply(text: str = safety.ASK_TEXT) -> Reply:
    buttons = tuple(Button(title, payload) for title, payload in (safety.ASK_YES, safety.ASK_NO))
    return Reply(text=text, buttons=buttons)


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
        safety_model.loader.start()  # in a thread: ready before the first message

    async def handle_text(self, user_id: int, text: str, deliver: Deliver) -> None:
        """A message the person typed."""
        verdict = safety.assess(text)
        held = self._held(user_id)
        if held is not None:
            answer = True if verdict is safety.Verdict.CRISIS else safety.read_answer(text)
            if answer is None:
                self._hold(user_id, [*held, text])
                await deliver(user_id, [ask_reply(safety.ASK_AGAIN)])
            else:
                await self._answered(user_id, answer, text, deliver)
        elif verdict is safety.Verdict.CRISIS:
            await self._crisis(user_id, [text], deliver)
        elif verdict is safety.Verdict.UNSURE:
            self._hold(user_id, [text])
            await deliver(user_id, [ask_reply()])
        else:
            await self._forward(user_id, [text], deliver)

    async def screen(self, user_id: int, text: str, deliver: Deliver) -> bool:
        """The crisis check for words that never reach Rasa (an edit, a caption, a
        command's arguments); True if it answered them."""
        verdict = safety.assess(text)
        if verdict is safety.Verdict.CRISIS:
            await self._crisis(user_id, [text], deliver)
            return True
        if verdict is safety.Verdict.UNSURE:
            self._hold(user_id, self._held(user_id) or [])
            await deliver(user_id, [ask_reply()])
            return True
        return False

    async def press(self, user_id: int, payload: str, deliver: Deliver) -> None:
        """A button the person pressed (the front end checked it was on the message)."""
        if payload in ANSWERS:
            await self._answered(user_id, ANSWERS[payload], None, deliver)
            return
        store.queue_message(self.db, user_id, payload)
        await self.drain_user(user_id, deliver)

    async def send_intent(
        self, user_id: int, intent: str, deliver: Deliver, entities: dict | None = None
    ) -> None:
        """A command such as /journal, turned into the intent it stands for."""
        if not INTENT_NAME.fullmatch(intent):
            raise ValueError("an intent name is lower-case letters and underscores")
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

    async def _answered(
        self, user_id: int, yes: bool, answer: str | None, deliver: Deliver
    ) -> None:
        """The answer to the question: the held messages go to the crisis resources or on."""
        held = self._take_held(user_id)
        if yes:
            await self._crisis(user_id, [*held, *([answer] if answer else [])], deliver)
            return
        await deliver(user_id, [Reply(text=safety.CARRY_ON)])
        if held:
            await self._forward(user_id, held, deliver)

    async def _forward(self, user_id: int, texts: list[str], deliver: Deliver) -> None:
        """Typed messages into the queue for Rasa, in order, then send them."""
        queued = [store.queue_message(self.db, user_id, t) for t in map(as_text, texts) if t]
        if not queued:
            await deliver(user_id, [EMPTY])
            return
        await self.drain_user(user_id, deliver)

    def _held(self, user_id: int) -> list[str] | None:
        """The messages waiting on the question; None when no question is open."""
        held = (store.get_user(self.db, user_id) or {}).get("held")
        return None if held is None else json.loads(held)

    def _hold(self, user_id: int, texts: list[str]) -> None:
        store.update_user(self.db, user_id, held=json.dumps(texts))

    def _take_held(self, user_id: int) -> list[str]:
        held = self._held(user_id)
        if held is None:
            return []
        store.update_user(self.db, user_id, held=None)
        return held

    async def _crisis(self, user_id: int, texts: list[str], deliver: Deliver) -> None:
        texts = [*self._take_held(user_id), *texts]
        await deliver(user_id, [crisis_reply()])
        store.add_entry(self.db, user_id, "crisis", "\n".join(texts))
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
            if reply.command == "ask_safety":  # the model alone heard crisis, unsurely
                expanded.append(ask_reply())
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

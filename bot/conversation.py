"""One conversation turn, the same for Telegram and the terminal.

Order of work for every message: the crisis check first, then the message is
written to SQLite *before* Rasa sees it, and only removed once Rasa has answered.
If Rasa or its action server is down the person is told, the message waits, and
``drain`` replays it in order.

The check's learned net takes several milliseconds of CPU, so it runs in a thread
of its own while the event loop serves everyone else. Each person's messages and
button presses are taken one at a time, in the order they came (``_arrivals``),
from the check until they are queued for Rasa; waiting for Rasa happens outside
that order, so a crisis message is answered while an earlier one is still with Rasa.

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
from concurrent.futures import ThreadPoolExecutor
from enum import Enum
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

# One thread: the net is CPU-bound, and the other core is Rasa's.
CHECKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="crisis-check")


class Then(Enum):
    """What a message needs from Rasa once it has been taken in."""

    NOTHING = "nothing"
    DRAIN = "drain"  # it is queued: send the queue
    CLOSE_FORMS = "close forms"  # crisis resources were shown: tell Rasa


async def check(text: str) -> safety.Verdict:
    """The crisis check, off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(CHECKER, safety.assess, text)


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
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)  # Rasa turns
        self._arrivals: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        safety_model.loader.start()  # in a thread: ready before the first message

    async def handle_text(self, user_id: int, text: str, deliver: Deliver) -> None:
        """A message the person typed."""
        async with self._arrivals[user_id]:
            then = await self._take_text(user_id, text, await check(text), deliver)
        await self._then(user_id, then, deliver)

    async def screen(self, user_id: int, text: str, deliver: Deliver) -> bool:
        """The crisis check for words that never reach Rasa (an edit, a caption, a
        command's arguments); True if it answered them."""
        async with self._arrivals[user_id]:
            verdict = await check(text)
            if verdict is safety.Verdict.SAFE:
                return False
            if verdict is safety.Verdict.CRISIS:
                then = await self._crisis(user_id, [text], deliver)
            else:
                self._hold(user_id, self._held(user_id) or [])
                await deliver(user_id, [ask_reply()])
                then = Then.NOTHING
        await self._then(user_id, then, deliver)
        return True

    async def press(self, user_id: int, payload: str, deliver: Deliver) -> None:
        """A button the person pressed (the front end checked it was on the message)."""
        async with self._arrivals[user_id]:
            if payload in ANSWERS:
                then = await self._answered(user_id, ANSWERS[payload], None, deliver)
            else:
                store.queue_message(self.db, user_id, payload)
                then = Then.DRAIN
        await self._then(user_id, then, deliver)

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

    async def _take_text(
        self, user_id: int, text: str, verdict: safety.Verdict, deliver: Deliver
    ) -> Then:
        held = self._held(user_id)
        if held is not None:
            answer = True if verdict is safety.Verdict.CRISIS else safety.read_answer(text)
            if answer is not None:
                return await self._answered(user_id, answer, text, deliver)
            self._hold(user_id, [*held, text])
            await deliver(user_id, [ask_reply(safety.ASK_AGAIN)])
            return Then.NOTHING
        if verdict is safety.Verdict.CRISIS:
            return await self._crisis(user_id, [text], deliver)
        if verdict is safety.Verdict.UNSURE:
            self._hold(user_id, [text])
            await deliver(user_id, [ask_reply()])
            return Then.NOTHING
        return await self._queue(user_id, [text], deliver)

    async def _then(self, user_id: int, then: Then, deliver: Deliver) -> None:
        if then is Then.DRAIN:
            await self.drain_user(user_id, deliver)
        elif then is Then.CLOSE_FORMS:
            await self._close_forms(user_id)

    async def _answered(
        self, user_id: int, yes: bool, answer: str | None, deliver: Deliver
    ) -> Then:
        """The answer to the question: the held messages go to the crisis resources or on."""
        held = self._take_held(user_id)
        if yes:
            return await self._crisis(user_id, [*held, *([answer] if answer else [])], deliver)
        await deliver(user_id, [Reply(text=safety.CARRY_ON)])
        return await self._queue(user_id, held, deliver) if held else Then.NOTHING

    async def _queue(self, user_id: int, texts: list[str], deliver: Deliver) -> Then:
        """Typed messages into the queue for Rasa, in order."""
        queued = [store.queue_message(self.db, user_id, t) for t in map(as_text, texts) if t]
        if not queued:
            await deliver(user_id, [EMPTY])
            return Then.NOTHING
        return Then.DRAIN

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

    async def _crisis(self, user_id: int, texts: list[str], deliver: Deliver) -> Then:
        texts = [*self._take_held(user_id), *texts]
        await deliver(user_id, [crisis_reply()])
        store.add_entry(self.db, user_id, "crisis", "\n".join(texts))
        store.record_crisis(self.db, user_id)
        logger.info("crisis resources shown")
        return Then.CLOSE_FORMS

    async def _close_forms(self, user_id: int) -> None:
        """Let Rasa close any open form so coaching does not pick up mid-question."""
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

"""A person's messages sent together, now that the crisis check runs in a thread.

The real Coach; Rasa is a loopback stand-in that records what it gets. The check is
made slow for chosen messages (in its thread), so a later message would overtake an
earlier one if only the check's thread kept them in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp import web

from bot import conversation, safety, store
from bot.conversation import Coach
from bot.rasa_client import RasaClient, Reply
from tests.loopback import stand_in_webhook

USER = 11
SLOW = "it was the final round at acme"
CRISIS = "honestly i want to kill myself"
HOLD_LIMIT = 5.0  # seconds the stand-in keeps an answer back at most


@dataclass
class StandInRasa:
    """Answers "heard: <message>"; with ``hold_until`` set, keeps each answer back
    until that event is set (or HOLD_LIMIT passes)."""

    url: str = ""
    received: list[str] = field(default_factory=list)
    hold_until: asyncio.Event | None = None

    async def webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.received.append(body["message"])
        if self.hold_until is not None:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.hold_until.wait(), HOLD_LIMIT)
        text = f"heard: {body['message']}"
        return web.json_response([{"recipient_id": body["sender"], "text": text}])


@pytest.fixture
async def rasa() -> AsyncIterator[StandInRasa]:
    standin = StandInRasa()
    async with stand_in_webhook(standin.webhook) as url:
        standin.url = url
        yield standin


@pytest.fixture
async def coach(rasa: StandInRasa, tmp_path: Path) -> AsyncIterator[Coach]:
    client = RasaClient(rasa.url, "secret")
    try:
        yield Coach(store.connect(tmp_path / "coach.db"), client, tmp_path / "tracker.db")
    finally:
        await client.close()


@pytest.fixture(autouse=True)
def slow_check(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The check takes a while on SLOW, and several checks may run at once: order must
    come from the Coach, not from one thread happening to take them in turn."""
    assess = safety.assess

    def slowly(text: str) -> safety.Verdict:
        if text == SLOW:
            time.sleep(0.3)
        return assess(text)

    monkeypatch.setattr(safety, "assess", slowly)
    with ThreadPoolExecutor(max_workers=4) as checker:
        monkeypatch.setattr(conversation, "CHECKER", checker)
        yield


class Said:
    """What the bot delivered, in order."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    async def __call__(self, user_id: int, replies: list[Reply]) -> None:
        self.texts += [reply.text or "" for reply in replies]


async def test_two_messages_sent_together_reach_rasa_in_the_order_they_came(
    coach: Coach, rasa: StandInRasa
) -> None:
    said = Said()
    await asyncio.gather(
        coach.handle_text(USER, SLOW, said), coach.handle_text(USER, "data analyst", said)
    )
    assert rasa.received == [SLOW, "data analyst"]
    assert said.texts == [f"heard: {SLOW}", "heard: data analyst"]


async def test_a_button_pressed_right_after_a_message_reaches_rasa_after_it(
    coach: Coach, rasa: StandInRasa
) -> None:
    said = Said()
    await asyncio.gather(coach.handle_text(USER, SLOW, said), coach.press(USER, "/skip", said))
    assert rasa.received == [SLOW, "/skip"]


async def test_a_crisis_message_is_answered_while_the_one_before_is_still_with_rasa(
    coach: Coach, rasa: StandInRasa
) -> None:
    said = Said()
    shown = asyncio.Event()
    rasa.hold_until = shown  # Rasa answers the first message only once resources are shown

    async def deliver(user_id: int, replies: list[Reply]) -> None:
        await said(user_id, replies)
        if any(reply.text == safety.CRISIS_TEXT for reply in replies):
            shown.set()

    await asyncio.gather(
        coach.handle_text(USER, SLOW, deliver), coach.handle_text(USER, CRISIS, deliver)
    )
    assert said.texts == [safety.CRISIS_TEXT, f"heard: {SLOW}"]
    assert rasa.received == [SLOW, "/crisis"], "the crisis words never reach Rasa"

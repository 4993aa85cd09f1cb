"""The question the bot asks when the crisis check cannot decide, in the terminal chat.

The real Coach and Console; Rasa is stood in for by a loopback HTTP server that
records every message it gets, so a test can see what was held back from it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import pytest
from aiohttp import web
from hypothesis import given
from hypothesis import strategies as st

from bot import safety, store
from bot.console import Console
from bot.conversation import Coach, as_text
from bot.rasa_client import RasaClient
from tests.loopback import stand_in_webhook

USER = 7
AMBIGUOUS = "i can't do this anymore"


@dataclass
class StandInRasa:
    """Asks for the company on "rejected", echoes everything else."""

    url: str = ""
    received: list[str] = field(default_factory=list)

    async def webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.received.append(body["message"])
        text = "Which company was it?" if body["message"] == "rejected" else "heard"
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


@pytest.fixture
def console(coach: Coach) -> Console:
    return Console(coach, USER, out=StringIO())


def said(console: Console) -> str:
    return console.out.getvalue()


async def test_ambiguous_words_mid_form_are_held_and_asked_about(
    console: Console, rasa: StandInRasa
) -> None:
    await console.say("rejected")
    await console.say(AMBIGUOUS)

    assert rasa.received == ["rejected"], "held back from Rasa, so the form is untouched"
    assert "are you thinking about ending your life?" in said(console)
    assert "988" in said(console) and "116 123" in said(console), "resources beside it"
    assert "[1] Yes, I am" in said(console) and "[2] No, I'm OK" in said(console)


async def test_a_typed_no_lets_the_held_message_carry_on_into_the_coaching(
    console: Console, rasa: StandInRasa
) -> None:
    await console.say("rejected")
    await console.say(AMBIGUOUS)
    await console.say("no, i'm ok, just really tired of applying")

    assert rasa.received == ["rejected", AMBIGUOUS], "the answer itself is not coaching"
    assert safety.CARRY_ON in said(console)
    assert store.get_user(console.coach.db, USER)["crisis_at"] is None


async def test_the_no_button_lets_the_held_message_carry_on(
    console: Console, rasa: StandInRasa
) -> None:
    await console.say(AMBIGUOUS)
    await console.say("No, I'm OK")  # the button's title presses it
    assert rasa.received == [AMBIGUOUS]


@pytest.mark.parametrize("answer", ["yes", "Yes, I am", "maybe", "i don't know"])
async def test_yes_or_unsure_gets_the_crisis_resources_and_the_flag(
    console: Console, rasa: StandInRasa, answer: str
) -> None:
    await console.say("rejected")
    await console.say(AMBIGUOUS)
    await console.say(answer)

    assert safety.CRISIS_TEXT in said(console)
    assert rasa.received == ["rejected", "/crisis"], "Rasa only closes the open form"
    db = console.coach.db
    assert store.get_user(db, USER)["crisis_at"]
    assert AMBIGUOUS in store.recent_entries(db, USER)[0]["text"], "what they wrote is kept"


async def test_an_unclear_answer_is_asked_again_and_both_messages_are_kept(
    console: Console, rasa: StandInRasa
) -> None:
    await console.say(AMBIGUOUS)
    await console.say("it's the third one this month")
    assert safety.ASK_AGAIN in said(console)
    assert rasa.received == []

    await console.say("no")
    assert rasa.received == [AMBIGUOUS, "it's the third one this month"]


async def test_crisis_words_while_the_question_is_open_get_the_resources(
    console: Console, rasa: StandInRasa
) -> None:
    await console.say(AMBIGUOUS)
    await console.say("honestly i want to kill myself")
    assert safety.CRISIS_TEXT in said(console)
    assert rasa.received == ["/crisis"]


async def test_a_held_message_survives_a_restart(
    coach: Coach, rasa: StandInRasa, tmp_path: Path
) -> None:
    await Console(coach, USER, out=StringIO()).say(AMBIGUOUS)
    restarted = Coach(store.connect(tmp_path / "coach.db"), coach.rasa, tmp_path / "tracker.db")
    await Console(restarted, USER, out=StringIO()).say("nope")
    assert rasa.received == [AMBIGUOUS]


async def test_a_commands_own_words_get_the_crisis_check(
    console: Console, rasa: StandInRasa
) -> None:
    await console.say("/journal honestly i want to kill myself")
    assert safety.CRISIS_TEXT in said(console)
    assert rasa.received == ["/crisis"], "resources instead of a journal page"


async def test_clear_words_go_straight_to_the_coaching(console: Console, rasa: StandInRasa) -> None:
    await console.say("this job hunt is killing me")
    assert rasa.received == ["this job hunt is killing me"]
    assert "ending your life" not in said(console)


@pytest.mark.parametrize(
    ("typed", "rasa_gets"),
    [("/affirm", "affirm"), (' /inform{"number": 99}', 'inform{"number": 99}'), ("//x", "x")],
)
async def test_typed_text_never_reaches_rasa_as_an_intent(
    coach: Coach, rasa: StandInRasa, typed: str, rasa_gets: str
) -> None:
    async def deliver(user_id: int, replies: list) -> None:
        pass

    await coach.handle_text(USER, typed, deliver)
    assert rasa.received == [rasa_gets]


@given(st.text())
def test_as_text_never_starts_with_a_slash_once_rasa_strips_it(text: str) -> None:
    assert not as_text(text).strip().startswith("/")


async def test_a_command_cannot_smuggle_entities_in_its_intent(
    coach: Coach, rasa: StandInRasa
) -> None:
    async def deliver(user_id: int, replies: list) -> None:
        pass

    with pytest.raises(ValueError):
        await coach.send_intent(USER, 'skip{"company": "x"}', deliver)
    assert rasa.received == []

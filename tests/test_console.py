"""The terminal chat: buttons, numbers and every slash command, through the real Coach.

Rasa is stood in for by a small HTTP server on loopback that answers the webhook
with the kinds of keyboards our domain uses and records every message it gets.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import pytest
from aiohttp import web

from bot import safety, store
from bot.console import Console
from bot.conversation import Coach
from bot.rasa_client import RasaClient
from tests.loopback import stand_in_webhook

SCALE = [{"title": str(n), "payload": f'/inform{{"intensity": {n}}}'} for n in range(11)]
COUNT = [{"title": str(n), "payload": f'/inform{{"number": {n}}}'} for n in range(5)] + [
    {"title": "5 or more", "payload": '/inform{"number": 5}'}
]
MENU = [
    {"title": "I got a rejection", "payload": "/report_rejection"},
    {"title": "Write in my journal", "payload": "/start_journal"},
]
KEYBOARDS = {"how strong": SCALE, "how many": COUNT, "menu": MENU}


@dataclass
class StandInRasa:
    """Answers "how strong" with 0-10, "how many" with 0-4 and "5 or more", "menu" with
    words; "export please" with our export command; anything else with an echo."""

    url: str = ""
    received: list[str] = field(default_factory=list)

    async def webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        message, sender = body["message"], body["sender"]
        self.received.append(message)
        if message == "export please":
            return web.json_response([{"recipient_id": sender, "custom": {"command": "export"}}])
        buttons = KEYBOARDS.get(message, [])
        text = f"{message}?" if buttons else f"heard {message}"
        return web.json_response([{"recipient_id": sender, "text": text, "buttons": buttons}])


@pytest.fixture
async def rasa() -> AsyncIterator[StandInRasa]:
    standin = StandInRasa()
    async with stand_in_webhook(standin.webhook) as url:
        standin.url = url
        yield standin


@pytest.fixture
async def console(rasa: StandInRasa, tmp_path: Path) -> AsyncIterator[Console]:
    client = RasaClient(rasa.url, "secret")
    coach = Coach(store.connect(tmp_path / "coach.db"), client, tmp_path / "rasa-tracker.db")
    try:
        yield Console(coach, 7, out=StringIO())
    finally:
        await client.close()


def output(console: Console) -> str:
    return console.out.getvalue()


async def test_a_typed_number_on_a_number_scale_is_that_number(
    console: Console, rasa: StandInRasa
) -> None:
    await console.say("how strong")
    await console.say("7")
    assert rasa.received[-1] == '/inform{"intensity": 7}'

    await console.say("how strong")
    await console.say("0")
    assert rasa.received[-1] == '/inform{"intensity": 0}'


async def test_two_applications_means_two_and_a_number_without_a_button_is_text(
    console: Console, rasa: StandInRasa
) -> None:
    await console.say("how many")
    await console.say("2")
    assert rasa.received[-1] == '/inform{"number": 2}'

    await console.say("how many")
    await console.say("6")
    assert rasa.received[-1] == "6"


async def test_hash_presses_by_position_and_a_bare_number_only_among_words(
    console: Console, rasa: StandInRasa
) -> None:
    await console.say("how strong")
    await console.say("#1")
    assert rasa.received[-1] == '/inform{"intensity": 0}'

    await console.say("menu")
    assert "[2] Write in my journal" in output(console)
    await console.say("2")
    assert rasa.received[-1] == "/start_journal"

    await console.say("menu")
    await console.say("i GOT a rejection")
    assert rasa.received[-1] == "/report_rejection"


async def test_a_hash_beyond_the_buttons_is_answered_here_and_keeps_them(
    console: Console, rasa: StandInRasa
) -> None:
    await console.say("menu")
    sent = len(rasa.received)

    await console.say("#5")
    assert "no button #5" in output(console) and "1 to 2" in output(console)
    assert len(rasa.received) == sent, "nothing went to Rasa"
    await console.say("#1")
    assert rasa.received[-1] == "/report_rejection"


async def test_commands_rasa_answers_go_as_their_intents_and_nothing_else_passes(
    console: Console, rasa: StandInRasa
) -> None:
    for line in ["/help", "/journal", "/plan", "/followup", "/delete", '/skip{"stage": "x"}']:
        await console.say(line)
    await console.say("/frobnicate")

    assert rasa.received == [
        "/help",
        "/start_journal",
        "/plan_next",
        "/request_followup",
        "/delete_data",
        "/skip",
    ]
    assert "don't know that command" in output(console)


async def test_a_commands_own_words_get_the_crisis_check_first(
    console: Console, rasa: StandInRasa
) -> None:
    store.add_entry(console.coach.db, 7, "note", "I want to kill myself")

    await console.say("/search I want to kill myself")

    assert safety.CRISIS_TEXT in output(console) and "Found" not in output(console)
    assert "/crisis" in rasa.received, "Rasa is told, so that an open form closes"


async def test_journal_commands_answer_in_the_terminal(console: Console, rasa: StandInRasa) -> None:
    db = console.coach.db
    for number in range(7):
        store.add_entry(db, 7, "note", f"note {number} about the <panel> interview")
    store.add_entry(db, 8, "note", "someone else's interview")

    async def answer(line: str) -> str:
        start = len(output(console))
        await console.say(line)
        return output(console)[start:]

    entries = await answer("/entries 2")
    assert "page 2" in entries and "note 1 about" in entries and "note 6" not in entries
    found = await answer("/search interview")
    assert "Found 7" in found and "the <panel> interview" in found and "<b>" not in found
    assert "someone else" not in found
    assert "Time zone set to Europe/Berlin" in await answer("/timezone europe/berlin")
    checkin = await answer("/checkin 9:30pm")
    assert "21:30 (Europe/Berlin time)" in checkin and "only send the evening check-in" in checkin
    assert "only send" not in await answer("/checkin off")
    assert store.get_user(db, 7)["checkin_time"] is None
    assert rasa.received == [], "none of these needs Rasa"


async def test_files_are_written_under_the_data_dir_for_their_owner_only(
    console: Console, rasa: StandInRasa, tmp_path: Path
) -> None:
    store.add_entry(console.coach.db, 7, "checkin", "a long day", mood=4)

    await console.say("/export json")
    await console.say("/stats")
    await console.say("export please")  # Rasa's export reply

    saved = sorted((tmp_path / "exports").iterdir())
    assert [path.suffix for path in saved] == [".json", ".md", ".png"]
    assert all(f"saved to {path}" in output(console) for path in saved)
    assert json.loads(saved[0].read_text())["entries"][0]["text"] == "a long day"
    assert "a long day" in saved[1].read_text()
    assert saved[2].read_bytes().startswith(b"\x89PNG")
    assert "Journal entries: 1" in output(console)
    assert all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in saved)
    assert stat.S_IMODE((tmp_path / "exports").stat().st_mode) == 0o700


async def test_lines_come_from_a_pipe_and_from_a_file(
    console: Console, rasa: StandInRasa, tmp_path: Path
) -> None:
    read, write = os.pipe()
    os.write(write, "menu\n#2\nhé\n/entries\n".encode())
    os.close(write)
    with os.fdopen(read, encoding="utf-8") as pipe:
        await console.run(pipe)
    assert rasa.received == ["menu", "/start_journal", "hé"]
    assert "Your journal is empty so far" in output(console)

    typed = tmp_path / "typed.txt"
    typed.write_text("how many\n3\n")
    with typed.open() as lines:
        await console.run(lines)
    assert rasa.received[-2:] == ["how many", '/inform{"number": 3}']

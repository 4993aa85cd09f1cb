"""The whole pipe: fake Telegram -> python-telegram-bot -> Rasa -> action server -> SQLite."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from bot import commands, store
from bot.telegram_app import TYPING_AFTER, TYPING_REPEAT, TelegramFrontEnd
from tests.chat import Chat
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.e2e


async def test_start_says_what_the_bot_is_and_sets_the_command_menu(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    turn = await Chat(fake, user_id).command("/start")

    assert "not a person" in turn.text and "therapist" in turn.text
    assert "/delete" in turn.text and "/export" in turn.text
    assert ("I got a rejection", "/report_rejection") in turn.buttons
    menu = fake.sent("setMyCommands")[-1].params["commands"]
    assert [entry["command"] for entry in menu] == [name for name, _ in commands.MENU]
    assert fake.spec_violations == []


async def test_a_greeting_goes_through_rasa_and_comes_back_with_buttons(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    turn = await Chat(fake, user_id).say("hello there")

    assert turn.texts, "the bot answered nothing"
    assert any(payload == "/report_rejection" for _, payload in turn.buttons)


async def test_typing_is_shown_only_while_an_answer_is_slow(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    await front._typing_while(user_id, asyncio.sleep(0))
    assert not fake.sent("sendChatAction", user_id), "a quick answer needs no typing"

    await front._typing_while(user_id, asyncio.sleep(TYPING_AFTER + TYPING_REPEAT + 2))

    actions = fake.sent("sendChatAction", user_id)
    assert [call.params["action"] for call in actions] == ["typing", "typing"]


async def test_a_button_press_sends_its_payload_to_rasa(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    chat = Chat(fake, user_id)
    await chat.say("hi")
    turn = await chat.press("Write in my journal")

    assert "done" in turn.text.lower()  # the journal prompt says how to finish
    assert fake.sent("answerCallbackQuery")
    [edit] = fake.sent("editMessageText", user_id)
    assert edit.params["text"].endswith("› Write in my journal"), "the choice is shown"
    assert "reply_markup" not in edit.params, "old buttons were not retired"


async def test_a_journal_note_over_several_messages_is_saved_verbatim(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    chat = Chat(fake, user_id)
    await chat.command("/journal")
    await chat.say("Today the recruiter from Acme wrote back. 😔")
    await chat.say("I keep replaying the second interview in my head.")
    turn = await chat.say("done")

    assert "/entries" in turn.text  # every wording of the confirmation points to /entries
    rows = store.recent_entries(front.db, user_id)
    assert [(row["kind"], row["text"]) for row in rows] == [
        (
            "note",
            "Today the recruiter from Acme wrote back. 😔\n"
            "I keep replaying the second interview in my head.",
        )
    ]


async def test_non_text_messages_get_a_polite_answer(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    chat = Chat(fake, user_id)
    for push in (fake.push_sticker, fake.push_photo, fake.push_voice, fake.push_document):
        turn = await chat.push(lambda push=push: push(user_id))
        assert "only read text" in turn.text


async def test_the_conversation_continues_after_rasa_restarts(
    front: TelegramFrontEnd, fake: FakeTelegram, stack, user_id: int
) -> None:
    chat = Chat(fake, user_id)
    await chat.command("/journal")
    await chat.say("first line, before the restart")

    await stack.restart(stack.rasa)
    turn = await chat.say("second line, after the restart")
    await chat.say("done")

    assert "keep going" in turn.text.lower()  # still inside the journal form
    rows = store.recent_entries(front.db, user_id)
    assert rows[0]["text"] == "first line, before the restart\nsecond line, after the restart"


async def test_rasa_refuses_messages_without_the_secret(stack) -> None:
    base = stack.settings.rasa_base_url
    async with httpx.AsyncClient(base_url=base) as http:
        webhook = await http.post(
            "/webhooks/token_rest/webhook", json={"sender": "1", "message": "hi"}
        )
        wrong = await http.post(
            "/webhooks/token_rest/webhook",
            json={"sender": "1", "message": "hi"},
            headers={"Authorization": "Bearer wrong"},
        )
        api = await http.get("/conversations/1/tracker")
        stock_rest = await http.post(
            "/webhooks/rest/webhook", json={"sender": "1", "message": "hi"}
        )
        with_token = await http.get(
            "/conversations/1/tracker", params={"token": stack.settings.rasa_token}
        )

    assert with_token.status_code == 200  # the token reached Rasa through the environment
    assert webhook.status_code == 401
    assert wrong.status_code == 401
    assert api.status_code == 401
    assert stock_rest.status_code == 404  # the unauthenticated stock channel is not enabled
    command_line = Path(f"/proc/{stack.rasa.process.pid}/cmdline").read_bytes()
    assert stack.settings.rasa_token.encode() not in command_line  # not readable in ps


async def test_terminal_chat_reads_piped_lines_and_exits_cleanly(stack) -> None:
    import asyncio
    import os
    import sys

    env = {
        **os.environ,
        "DATA_DIR": str(stack.settings.data_dir),
        "RASA_URL": stack.settings.rasa_base_url,
        "RASA_TOKEN": stack.settings.rasa_token,
        "RASA_TELEMETRY_ENABLED": "false",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "chat",
        "--user-id",
        "7",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    stdout, _ = await asyncio.wait_for(process.communicate(b"hello\n1\n"), timeout=120)
    output = stdout.decode()

    assert process.returncode == 0
    assert output.startswith("coach> ")
    assert "[1] I got a rejection" in output
    assert output.count("coach> ") >= 2, "typing 1 pressed the first button"


@pytest.mark.parametrize("text", ["yes", "0", "no"])
async def test_an_answer_out_of_context_gets_one_clarifying_reply_not_a_loop(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int, text: str
) -> None:
    turn = await Chat(fake, user_id).say(text)
    assert 1 <= len(turn.texts) <= 2
    assert turn.buttons, "a short menu to steer by"

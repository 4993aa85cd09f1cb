"""Access and erasure of everything held, through the fake Telegram server and real Rasa."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from sqlite_utils import Database

from bot import store
from bot.config import load_settings
from bot.telegram_app import TelegramFrontEnd
from tests.chat import Chat
from tests.fake_telegram import DEFAULT_TOKEN, FakeTelegram

pytestmark = pytest.mark.e2e


def tracker_events(front: TelegramFrontEnd, stack, user_id: int) -> int:
    tracker = Database(stack.settings.tracker_db_path)
    return tracker["events"].count_where("sender_id = ?", [str(user_id)])


async def test_the_first_start_says_what_is_kept_and_how_to_export_or_delete_it(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    text = (await Chat(fake, user_id).command("/start")).text
    assert "our conversation" in text and "/export" in text and "/delete" in text


async def test_export_holds_settings_waiting_messages_and_the_conversation_of_this_user_only(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    other = Chat(fake, user_id + 200_000)
    await other.say("my name is Plumtreeharbour")
    chat = Chat(fake, user_id)
    await chat.say("hello there, I'm Zanzibarquokka")
    await chat.command("/checkin 21:30")
    store.queue_message(front.db, user_id, "a message still waiting")

    [document] = (await chat.command("/export json")).of("sendDocument")
    held = json.loads(document.files["document"][1])

    assert held["profile"]["checkin_time"] == "21:30"
    assert [m["text"] for m in held["waiting_messages"]] == ["a message still waiting"]
    said = [(line["who"], line["text"]) for line in held["conversation"]]
    assert ("you", "hello there, I'm Zanzibarquokka") in said
    assert any(who == "bot" for who, _ in said)
    assert "Plumtreeharbour" not in json.dumps(held)


async def test_delete_erases_the_conversation_and_says_what_stays_elsewhere(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int, stack
) -> None:
    chat = Chat(fake, user_id)
    await chat.say("hello there")
    await chat.command("/checkin 21:30")
    assert tracker_events(front, stack, user_id) > 0

    await chat.command("/delete")
    turn = await chat.press("Yes, delete everything")

    assert "deleted too" in turn.text
    assert "this chat itself" in turn.text and "backups" in turn.text
    assert store.get_user(front.db, user_id) is None
    assert tracker_events(front, stack, user_id) == 0


@pytest.fixture
async def remote_front(stack) -> AsyncIterator[tuple[TelegramFrontEnd, FakeTelegram]]:
    """A second front end whose RASA_URL names the running Rasa: a Rasa it doesn't run."""
    async with FakeTelegram() as fake:
        settings = load_settings(
            {
                "DATA_DIR": str(stack.settings.data_dir),
                "RASA_URL": f"http://127.0.0.1:{stack.settings.rasa_port}",
                "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
                "TELEGRAM_BASE_URL": f"http://{fake.host}:{fake.port}",
            }
        )
        from bot.__main__ import make_coach

        coach = make_coach(settings)
        frontend = TelegramFrontEnd(settings, coach)
        app = frontend.application
        async with app:
            await app.start()
            await app.updater.start_polling(poll_interval=0.0, timeout=1)
            try:
                yield frontend, fake
            finally:
                await app.updater.stop()
                await app.stop()
                await coach.rasa.close()


async def test_with_rasa_url_the_transcript_comes_over_http_and_a_kept_copy_is_owned_up_to(
    remote_front, user_id: int, stack
) -> None:
    front, fake = remote_front
    chat = Chat(fake, user_id)
    await chat.say("hello there")
    await chat.command("/checkin 21:30")

    [document] = (await chat.command("/export json")).of("sendDocument")
    said = json.loads(document.files["document"][1])["conversation"]
    assert ("you", "hello there") in [(line["who"], line["text"]) for line in said]

    await chat.command("/delete")
    turn = await chat.press("Yes, delete everything")

    # Rasa's SQL tracker store keeps every event through the API: the reply says so.
    assert "couldn't delete the copy of our conversation" in turn.text
    assert "deleted too" not in turn.text
    assert tracker_events(front, stack, user_id) > 0

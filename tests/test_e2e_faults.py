"""Faults caused for real: Rasa or the action server down, Telegram errors, bad input,
the front end killed with a message in flight."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from asyncio.subprocess import Process
from pathlib import Path

import pytest

from bot import store
from bot.config import PROJECT_ROOT
from bot.conversation import UNAVAILABLE
from bot.rasa_client import RasaClient
from bot.telegram_app import TelegramFrontEnd
from tests.chat import Chat
from tests.fake_telegram import DEFAULT_TOKEN, FakeTelegram
from tests.holding_proxy import HoldingProxy

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("which", ["rasa", "actions"])
async def test_a_message_sent_while_rasa_is_down_is_kept_and_answered_later(
    front: TelegramFrontEnd, fake: FakeTelegram, stack, user_id: int, which: str
) -> None:
    child = stack.rasa if which == "rasa" else stack.actions
    chat = Chat(fake, user_id)
    await chat.command("/journal")
    await stack._terminate(child)
    try:
        turn = await chat.say("written while the coach was away")
        assert turn.texts == [UNAVAILABLE.text]
        assert [row["text"] for row in store.pending_messages(front.db, user_id)] == [
            "written while the coach was away"
        ]
        turn = await chat.say("and a second thought")
        assert turn.texts == [UNAVAILABLE.text]
    finally:
        await stack.restart(child)

    mark = fake.mark()
    await front.coach.drain(front.deliver)
    await fake.wait_idle(quiet=0.5)

    assert store.pending_messages(front.db, user_id) == []
    replies = [c for c in fake.sent("sendMessage", user_id, since=mark)]
    assert len(replies) == 2, "each waiting message answered exactly once"
    await chat.say("done")
    note = store.recent_entries(front.db, user_id)[0]
    assert note["text"] == "written while the coach was away\nand a second thought"


async def test_telegram_rate_limits_and_server_errors_are_retried(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    fake.fail_next("sendMessage", "retry_after", retry_after=1)
    fake.fail_next("sendMessage", "server_error")
    turn = await Chat(fake, user_id).command("/checkin")
    assert "check-ins are off" in turn.text.lower()


async def test_a_reply_telegram_cannot_format_is_resent_as_plain_text(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    store.add_entry(front.db, user_id, "note", "the interview <went> badly & I know it")
    fake.fail_next("sendMessage", "bad_markup")
    turn = await Chat(fake, user_id).command("/search interview")

    formatted = [c for c in turn.of("sendMessage") if c.params.get("parse_mode")]
    plain = [c for c in turn.of("sendMessage") if not c.params.get("parse_mode")]
    assert formatted and not formatted[-1].ok
    assert "interview <went> badly & I know it" in plain[-1].params["text"]


async def test_group_chats_are_told_the_bot_is_private_and_nothing_is_stored(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    mark = fake.mark()
    fake.push_group_text(user_id, -100123, "/start")
    await fake.wait_for("sendMessage", chat_id=-100123, since=mark, timeout=20)
    assert "private" in fake.sent("sendMessage", -100123, since=mark)[0].params["text"]
    assert store.get_user(front.db, user_id) is None
    assert store.pending_messages(front.db, user_id) == []


async def test_commands_with_bad_arguments_get_a_kind_answer(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    chat = Chat(fake, user_id)
    assert "couldn't read that as a time" in (await chat.command("/checkin 25:99")).text
    assert "Mars/Olympus" in (await chat.command("/timezone Mars/Olympus")).text
    assert "md (the default), csv or json" in (await chat.command("/export pdf")).text
    assert "/entries 2" in (await chat.command("/entries -3")).text
    assert "don't know that command" in (await chat.command("/frobnicate")).text
    assert store.get_user(front.db, user_id)["checkin_time"] is None


async def test_edited_and_forwarded_messages(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    chat = Chat(fake, user_id)
    await chat.say("hello")
    edited = await chat.push(lambda: fake.push_edited_text(user_id, "hello again"))
    assert "edited" in edited.text
    forwarded = await chat.push(lambda: fake.push_forwarded_text(user_id, "hi"))
    assert forwarded.texts, "a forwarded message is read like any other"


async def test_logs_hold_neither_the_token_nor_what_people_wrote(
    front: TelegramFrontEnd, fake: FakeTelegram, stack, user_id: int, caplog
) -> None:
    secret_words = "my very private sentence about Globex"
    with caplog.at_level(logging.INFO):  # the default level
        chat = Chat(fake, user_id)
        await chat.say(secret_words)
        await chat.say("I want to end my life")

    logged = caplog.text
    child_logs = "".join(
        path.read_text(errors="replace") for path in (stack.settings.data_dir / "logs").glob("*")
    )
    for text in (logged, child_logs):
        assert DEFAULT_TOKEN not in text
        assert DEFAULT_TOKEN.split(":")[1] not in text
        assert "Globex" not in text
        assert "end my life" not in text


async def start_front_end(env: dict[str, str], fake: FakeTelegram, output: Path) -> Process:
    """``python -m bot run`` in a process of its own, polling the fake server."""
    mark = fake.mark()
    with output.open("ab") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=PROJECT_ROOT, env=env, stdout=log, stderr=log
        )
    await fake.wait_for("getUpdates", since=mark, timeout=120)
    return process


async def confirmed(fake: FakeTelegram) -> None:
    """Until the front end has told Telegram it has every update, which then sends none again."""
    while fake.updates:
        await asyncio.sleep(0.05)


async def test_a_message_waiting_for_rasa_when_the_front_end_is_killed_is_answered_once(
    stack, user_id: int, tmp_path: Path
) -> None:
    db = store.connect(tmp_path / "coach.db")
    rasa = RasaClient(stack.settings.rasa_base_url, stack.settings.rasa_token)
    async with FakeTelegram() as fake, HoldingProxy(stack.settings.rasa_base_url) as proxy:
        env = {
            **os.environ,
            "DATA_DIR": str(tmp_path),
            "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
            "TELEGRAM_BASE_URL": f"http://{fake.host}:{fake.port}",
            "RASA_URL": proxy.url,
            "RASA_TOKEN": stack.settings.rasa_token,
            "RASA_TELEMETRY_ENABLED": "false",
        }
        output = tmp_path / "front-end.out"
        proxy.holding = True
        front = await start_front_end(env, fake, output)
        try:
            fake.push_text(user_id, "hello")
            await asyncio.wait_for(proxy.held.wait(), 60)
            await asyncio.wait_for(confirmed(fake), 30)
            assert [row["text"] for row in store.pending_messages(db, user_id)] == ["hello"]
        finally:
            front.kill()
            await front.wait()

        proxy.holding = False
        front = await start_front_end(env, fake, output)
        try:
            await fake.wait_for("sendMessage", chat_id=user_id, timeout=120)
            await fake.wait_idle(quiet=1.0, timeout=60)
        finally:
            front.terminate()
            await front.wait()

    expected = await rasa.send(f"{user_id}-reference", "hello")  # a fresh conversation's answer
    events = await rasa.tracker_events(user_id)
    await rasa.close()
    texts = [call.params["text"] for call in fake.sent("sendMessage", user_id)]
    assert len(texts) == len(expected), f"answered exactly once: {texts}"
    assert UNAVAILABLE.text not in texts
    assert store.pending_messages(db, user_id) == []
    assert [e.get("text") for e in events if e["event"] == "user"] == ["hello"], "Rasa saw it once"

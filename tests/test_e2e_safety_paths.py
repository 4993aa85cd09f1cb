"""The crisis check on every way text reaches the bot, and button payloads from our
buttons only: the real front end, Rasa stack and fake Telegram."""

from __future__ import annotations

import pytest

from bot import safety, store
from bot.telegram_app import EDITED, NON_TEXT, STALE_BUTTON, TelegramFrontEnd
from tests.chat import Chat
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.e2e

CRISIS_WORDS = "i've been stockpiling my pills, i'm going to take them all tonight"


def flagged(front: TelegramFrontEnd, user_id: int) -> bool:
    return bool((store.get_user(front.db, user_id) or {}).get("crisis_at"))


async def test_an_edited_message_gets_the_crisis_check(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    chat = Chat(fake, user_id)
    await chat.say("I got rejected again today")
    turn = await chat.push(lambda: fake.push_edited_text(user_id, CRISIS_WORDS))
    assert turn.texts == [safety.CRISIS_TEXT]
    assert flagged(front, user_id)


async def test_an_ordinary_edit_is_still_only_acknowledged(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    chat = Chat(fake, user_id)
    await chat.say("I got rejected again today")
    turn = await chat.push(lambda: fake.push_edited_text(user_id, "I got rejected by Acme"))
    assert turn.texts == [EDITED]


@pytest.mark.parametrize("kind", ["photo", "document"])
async def test_a_caption_gets_the_crisis_check(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int, kind: str
) -> None:
    push = fake.push_photo if kind == "photo" else fake.push_document
    turn = await Chat(fake, user_id).push(lambda: push(user_id, caption=CRISIS_WORDS))
    assert turn.texts == [safety.CRISIS_TEXT]
    assert flagged(front, user_id)


async def test_an_ordinary_caption_gets_the_usual_answer(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    turn = await Chat(fake, user_id).push(lambda: fake.push_photo(user_id, caption="my cv"))
    assert turn.texts == [NON_TEXT]


async def test_a_commands_own_words_get_the_crisis_check(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    turn = await Chat(fake, user_id).command(f"/journal {CRISIS_WORDS}")
    assert turn.texts == [safety.CRISIS_TEXT], "resources instead of a journal page"
    assert flagged(front, user_id)


async def test_an_ambiguous_caption_is_asked_about(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    chat = Chat(fake, user_id)
    turn = await chat.push(lambda: fake.push_photo(user_id, caption="i can't do this anymore"))
    assert turn.texts == [safety.ASK_TEXT]
    turn = await chat.press("No, I'm OK")
    assert turn.texts == [safety.CARRY_ON]
    assert not flagged(front, user_id)


async def test_no_to_the_question_mid_form_carries_the_message_into_the_form(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    chat = Chat(fake, user_id)
    await chat.say("I got rejected again today")
    turn = await chat.say("honestly i can't do this anymore")
    assert turn.texts == [safety.ASK_TEXT]
    assert [title for title, _ in turn.buttons] == [safety.ASK_YES[0], safety.ASK_NO[0]]

    turn = await chat.say("no, just tired")
    assert turn.texts[0] == safety.CARRY_ON
    assert len(turn.texts) > 1, "the held message got its coaching answer"
    assert safety.CRISIS_TEXT not in turn.texts
    assert not flagged(front, user_id)


async def test_yes_to_the_question_gets_the_resources(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    chat = Chat(fake, user_id)
    await chat.say("i can't take it anymore")
    turn = await chat.press("Yes, I am")
    assert turn.texts == [safety.CRISIS_TEXT]
    assert flagged(front, user_id)


async def test_a_payload_that_is_not_on_the_pressed_message_goes_nowhere(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    chat = Chat(fake, user_id)
    await chat.command("/start")
    mark = fake.mark()
    fake.push_callback(user_id, "/delete_data")  # not one of the /start menu's buttons
    answered = await fake.wait_for("answerCallbackQuery", since=mark)
    await fake.wait_idle(quiet=0.8)

    assert answered[0].params.get("text") == STALE_BUTTON
    assert not [call for call in fake.sent(chat_id=user_id, since=mark)]


async def test_a_retired_keyboard_cannot_be_pressed_twice(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    chat = Chat(fake, user_id)
    await chat.command("/start")
    menu = chat._message_with("/start_journal")
    await chat.press("Write in my journal")
    mark = fake.mark()
    fake.push_callback(user_id, "/start_journal", menu)
    answered = await fake.wait_for("answerCallbackQuery", since=mark)
    await fake.wait_idle(quiet=0.8)
    assert answered[0].params.get("text") == STALE_BUTTON

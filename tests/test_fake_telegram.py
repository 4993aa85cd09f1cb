"""The fake Bot API server, driven by the real python-telegram-bot client."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
import pytest_asyncio
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes
from telegram.warnings import PTBUserWarning

from bot.aiohttp_request import AiohttpRequest
from tests.fake_telegram import FakeTelegram, FakeTelegramThread

USER = 42
KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="yes")]])

pytestmark = pytest.mark.asyncio(loop_scope="module")  # shares the module-scoped server


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def server() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as running:
        yield running


@pytest_asyncio.fixture(scope="module", loop_scope="module", params=["httpx", "aiohttp"])
async def bot(server: FakeTelegram, request: pytest.FixtureRequest) -> AsyncIterator[Bot]:
    """PTB's own network layer, and ours (bot.aiohttp_request), held to the same tests."""
    layers = {}
    if request.param == "aiohttp":
        layers = {
            "request": AiohttpRequest(),
            "get_updates_request": AiohttpRequest(connection_pool_size=1),
        }
    async with Bot(
        server.token, base_url=server.base_url, base_file_url=server.base_file_url, **layers
    ) as client:
        yield client


@pytest.fixture
def fake(server: FakeTelegram, bot: Bot) -> FakeTelegram:
    server.reset()
    return server


async def test_get_me(fake: FakeTelegram, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username) == (123456789, True, "fake_test_bot")
    assert fake.sent("getMe")[0].ok
    assert fake.spec_violations == []


async def test_send_message_returns_a_parsed_message(fake: FakeTelegram, bot: Bot) -> None:
    message = await bot.send_message(USER, "Hello", reply_markup=KEYBOARD)
    assert message.text == "Hello"
    assert message.chat.id == USER and message.from_user.id == bot.id
    assert message.reply_markup == KEYBOARD
    [call] = fake.sent("sendMessage", chat_id=USER)
    assert call.params["reply_markup"] == KEYBOARD.to_dict()
    assert fake.messages_to(USER) == ["Hello"]
    second = await bot.send_message(USER, "Again", reply_to_message_id=message.message_id)
    assert second.message_id == message.message_id + 1
    assert second.reply_to_message.text == "Hello"
    assert fake.spec_violations == []


async def test_uploads_are_kept_and_downloadable(fake: FakeTelegram, bot: Bot) -> None:
    sent = await bot.send_document(USER, b"journal", filename="journal.txt", caption="Yours")
    assert sent.document.file_name == "journal.txt" and sent.caption == "Yours"
    assert fake.sent("sendDocument")[0].files == {"document": ("journal.txt", b"journal")}
    photo = await bot.send_photo(USER, b"\xff\xd8jpeg", filename="p.jpg")
    assert fake.sent("sendPhoto")[0].files["photo"] == ("p.jpg", b"\xff\xd8jpeg")
    file = await bot.get_file(photo.photo[-1].file_id)
    assert await file.download_as_bytearray() == b"\xff\xd8jpeg"
    resent = await bot.send_document(USER, sent.document.file_id)
    assert resent.document.file_id == sent.document.file_id
    assert fake.spec_violations == []


async def test_spec_violations_are_flagged(fake: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="(?i)unknown parameter bogus"):
        await bot.send_message(USER, "Hi", api_kwargs={"bogus": 1})
    with (
        pytest.warns(PTBUserWarning),
        pytest.raises(BadRequest, match="(?i)parameter text is required"),
    ):
        await bot.do_api_request("sendMessage", api_kwargs={"chat_id": USER})
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": USER})
    assert fake.spec_violations == [
        "sendMessage: unknown parameter bogus",
        "sendMessage: missing required parameter text",
        "sendTelepathy: unknown method",
    ]
    assert fake.sent("sendTelepathy")[0].response["error_code"] == 404


async def test_wrong_token_is_unauthorized(fake: FakeTelegram) -> None:
    with pytest.raises(InvalidToken, match="rejected"):
        async with Bot("987:wrong", base_url=fake.base_url):
            pass
    assert fake.calls == []


@pytest.mark.parametrize(
    ("kind", "options", "error", "description"),
    [
        ("retry_after", {"retry_after": 2}, RetryAfter, "Too Many Requests: retry after 2"),
        ("server_error", {}, NetworkError, "Internal Server Error"),
        ("server_error", {"status": 502}, NetworkError, "Bad Gateway"),
        ("forbidden", {}, Forbidden, "Forbidden: bot was blocked by the user"),
        (
            "bad_request",
            {"description": "chat not found"},
            BadRequest,
            "Bad Request: chat not found",
        ),
    ],
)
async def test_faults_surface_as_ptb_errors(
    fake: FakeTelegram, bot: Bot, kind: str, options: dict, error: type, description: str
) -> None:
    fake.fail_next("sendMessage", kind, **options)
    with pytest.raises(error):
        await bot.send_message(USER, "Hi")
    assert fake.sent("sendMessage")[0].response["description"] == description
    assert (await bot.send_message(USER, "Hi")).text == "Hi"
    assert fake.messages_to(USER) == ["Hi"]


async def test_retry_after_response_shape(fake: FakeTelegram, bot: Bot) -> None:
    fake.fail_next("sendMessage", "retry_after")
    with pytest.raises(RetryAfter):
        await bot.send_message(USER, "Hi")
    assert fake.calls[-1].response == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }


async def test_bad_markup_only_hits_calls_with_parse_mode(fake: FakeTelegram, bot: Bot) -> None:
    fake.fail_next("sendMessage", "bad_markup")
    await bot.send_message(USER, "plain")
    with pytest.raises(BadRequest, match="(?i)can't parse entities"):
        await bot.send_message(USER, "<b>bold", parse_mode="HTML")
    await bot.send_message(USER, "<b>bold</b>", parse_mode="HTML")
    assert fake.messages_to(USER) == ["plain", "<b>bold</b>"]


async def test_faults_are_consumed_in_order(fake: FakeTelegram, bot: Bot) -> None:
    fake.fail_next("sendMessage", "forbidden")
    fake.fail_next("sendMessage", "server_error", times=2)
    for error in (Forbidden, NetworkError, NetworkError):
        with pytest.raises(error):
            await bot.send_message(USER, "Hi")
    await bot.send_message(USER, "Hi")
    with pytest.raises(ValueError):
        fake.fail_next("sendMessage", "gremlins")


async def test_timeout_fault_times_out_but_still_delivers(fake: FakeTelegram, bot: Bot) -> None:
    fake.fail_next("sendMessage", "timeout", delay=0.4)
    with pytest.raises(TimedOut):
        await bot.send_message(USER, "Slow", read_timeout=0.1)
    await fake.wait_for("sendMessage", predicate=lambda call: call.ok, timeout=2)
    assert fake.messages_to(USER) == ["Slow"]


async def test_long_polling_returns_a_pushed_update_promptly(fake: FakeTelegram, bot: Bot) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    pushed = fake.push_text(USER, "hello")
    [update] = await poll
    assert time.monotonic() - started < 1
    assert update.update_id == pushed["update_id"] and update.message.text == "hello"
    assert await bot.get_updates(timeout=0) == (update,)  # not yet confirmed
    assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()
    assert fake.updates == []


async def test_get_updates_honours_limit_and_allowed_updates(fake: FakeTelegram, bot: Bot) -> None:
    fake.push_text(USER, "one")
    fake.push_text(USER, "two")
    assert [u.message.text for u in await bot.get_updates(limit=1)] == ["one"]
    await bot.send_message(USER, "Pick", reply_markup=KEYBOARD)
    fake.push_callback(USER, "yes")
    updates = await bot.get_updates(allowed_updates=["callback_query"])
    assert [u.callback_query.data for u in updates] == ["yes"]


async def test_a_second_poller_terminates_the_first(fake: FakeTelegram, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=3))
    await asyncio.sleep(0.1)
    async with Bot(fake.token, base_url=fake.base_url) as second_instance:
        await second_instance.get_updates(timeout=0)
    with pytest.raises(Conflict):
        await first


async def test_every_push_helper_makes_an_update_ptb_parses(fake: FakeTelegram, bot: Bot) -> None:
    await bot.send_message(USER, "Pick", reply_markup=KEYBOARD)
    hi = fake.push_text(USER, "hi", first_name="Ann")
    fake.push_command(USER, "/start ref")
    fake.push_callback(USER, "yes")
    fake.push_sticker(USER)
    fake.push_photo(USER, caption="me")
    fake.push_voice(USER)
    fake.push_document(USER)
    fake.push_edited_text(USER, "hi there", message_id=hi["message"]["message_id"])
    fake.push_forwarded_text(USER, "look")
    fake.push_group_text(USER, -100, "hello all")
    updates = await bot.get_updates()
    text, command, callback, sticker, photo, voice, document, edited, forwarded, group = updates
    assert text.message.text == "hi" and text.effective_user.first_name == "Ann"
    assert command.message.entities[0].type == "bot_command"
    assert command.message.parse_entity(command.message.entities[0]) == "/start"
    assert callback.callback_query.data == "yes"
    assert callback.callback_query.message.text == "Pick"
    assert sticker.message.sticker.emoji == "👍"
    assert photo.message.photo[-1].width == 800 and photo.message.caption == "me"
    assert voice.message.voice.mime_type == "audio/ogg"
    assert document.message.document.file_name == "notes.txt"
    assert edited.edited_message.text == "hi there" and edited.edited_message.edit_date
    assert edited.edited_message.message_id == text.message.message_id
    assert forwarded.message.forward_origin.sender_user.first_name == "Alice"
    assert group.message.chat.type == "group" and group.message.chat.id == -100
    assert all(isinstance(u, Update) for u in updates)
    assert len({u.update_id for u in updates}) == len(updates)
    file = await bot.get_file(document.message.document.file_id)
    assert await file.download_as_bytearray() == b"hello from a test\n"


async def test_editing_and_answering_callbacks(fake: FakeTelegram, bot: Bot) -> None:
    sent = await bot.send_message(USER, "Pick", reply_markup=KEYBOARD)
    query_id = fake.push_callback(USER, "yes")["callback_query"]["id"]
    assert await bot.answer_callback_query(query_id, text="Noted")
    with pytest.raises(BadRequest, match="(?i)query ID is invalid"):
        await bot.answer_callback_query("123")
    edited = await bot.edit_message_text("Picked", USER, sent.message_id)
    assert edited.text == "Picked" and edited.reply_markup is None and edited.edit_date
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await bot.edit_message_text("Picked", USER, sent.message_id)
    marked = await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=KEYBOARD)
    assert marked.reply_markup == KEYBOARD
    with pytest.raises(BadRequest, match="(?i)message to edit not found"):
        await bot.edit_message_text("x", USER, 999)
    assert await bot.send_chat_action(USER, "typing")
    assert fake.spec_violations == []


async def test_bot_commands_round_trip(fake: FakeTelegram, bot: Bot) -> None:
    commands = [BotCommand("start", "Begin"), BotCommand("journal", "Show my journal")]
    assert await bot.set_my_commands(commands)
    assert await bot.get_my_commands() == tuple(commands)
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    with pytest.raises(BadRequest, match="(?i)bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Start", "Begin")])
    assert await bot.close() and await bot.log_out()
    assert fake.spec_violations == []


async def test_application_replies_to_pushed_updates(fake: FakeTelegram) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_text(f"Welcome {' '.join(context.args)}", reply_markup=KEYBOARD)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        await update.callback_query.edit_message_text(f"You said {update.callback_query.data}")

    app = (
        ApplicationBuilder()
        .token(fake.token)
        .base_url(fake.base_url)
        .base_file_url(fake.base_file_url)
        .build()
    )
    app.add_handlers([CommandHandler("start", start), CallbackQueryHandler(pressed)])
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)
        mark = fake.mark()
        fake.push_command(USER, "/start from-test")
        [reply] = await fake.wait_for("sendMessage", chat_id=USER, since=mark, timeout=3)
        assert reply.params["text"] == "Welcome from-test"
        mark = fake.mark()
        fake.push_callback(USER, "yes")
        [edit] = await fake.wait_for("editMessageText", since=mark, timeout=3)
        assert edit.params["text"] == "You said yes"
        await fake.wait_idle(quiet=0.1, timeout=3)
        await app.updater.stop()
        await app.stop()
    assert [c.method for c in fake.sent(since=mark) if c.method != "getUpdates"] == [
        "answerCallbackQuery",
        "editMessageText",
    ]
    assert fake.spec_violations == []


async def test_wait_for_reports_what_it_saw(fake: FakeTelegram, bot: Bot) -> None:
    await bot.send_message(USER, "early")
    mark = fake.mark()
    with pytest.raises(TimeoutError, match="found 0"):
        await fake.wait_for("sendMessage", since=mark, timeout=0.1)


async def test_thread_server_and_remote_control() -> None:
    with FakeTelegramThread() as server:
        async with Bot(server.fake.token, base_url=server.base_url) as client:
            server.push("text", USER, "from another loop")
            [update] = await client.get_updates()
            assert update.message.text == "from another loop"
            server.fail_next("sendMessage", "forbidden")
            with pytest.raises(Forbidden):
                await client.send_message(USER, "Hi")
            assert [c.method for c in server.sent("sendMessage")] == ["sendMessage"]
            await client.send_message(USER, "Hi")
            assert await asyncio.to_thread(server.wait_for, "sendMessage", count=2, timeout=1)
        control = server.base_url.removesuffix("/bot") + "/fake"
        async with aiohttp.ClientSession() as http:
            async with http.post(f"{control}/push_text", json={"user_id": 7, "text": "hi"}) as r:
                assert (await r.json())["result"]["message"]["text"] == "hi"
            async with http.get(f"{control}/calls", params={"since": 0}) as r:
                assert "getUpdates" in [c["method"] for c in (await r.json())["result"]]
        assert server.fake.updates[-1]["message"]["chat"]["id"] == 7


async def test_without_spec_everything_known_to_telegram_is_accepted() -> None:
    async with FakeTelegram(spec_path=None) as fake:
        async with Bot(fake.token, base_url=fake.base_url) as client:
            await client.send_message(USER, "123", api_kwargs={"extra": 1})
            assert await client.do_api_request("sendTelepathy", api_kwargs={"chat_id": 1})
        assert fake.sent("sendMessage")[0].params == {"chat_id": USER, "text": "123", "extra": 1}
        assert fake.spec_violations == []


@pytest.mark.parametrize(
    ("name", "content"),
    [("absent.json", None), ("garbled.json", "{not json"), ("other.json", '{"types": {}}')],
)
async def test_a_missing_or_unreadable_spec_is_an_error(
    tmp_path, name: str, content: str | None
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    with pytest.raises(RuntimeError, match="regenerate it with `python -m tests.bot_api_extract`"):
        FakeTelegram(spec_path=path)

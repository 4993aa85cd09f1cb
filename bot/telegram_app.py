"""The Telegram front end: python-telegram-bot handlers around the shared ``Coach``."""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from telegram import (
    BotCommand,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Update,
)
from telegram.constants import ChatAction, MessageLimit, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import checkins, commands, store
from bot.aiohttp_request import AiohttpRequest
from bot.config import Settings
from bot.conversation import Coach
from bot.rasa_client import RasaUnavailable, Reply

logger = logging.getLogger(__name__)

T = TypeVar("T")

TYPING_AFTER = 0.4  # seconds before "typing…" is shown for an answer still on its way
TYPING_REPEAT = 4.5  # Telegram shows a chat action for about 5 s

WELCOME = (
    "Hi, I'm Rejection Coach. I'm here for the evening a job rejection lands: we can sit "
    "with the feeling, put it in proportion, draft a note asking what was missing, and "
    "plan your next applications. Any step can be skipped.\n\n"
    "I'm a bot, not a person and not a therapist, and I can't treat anything. If you're "
    "ever in danger, please contact emergency services or a crisis line.\n\n"
    "I keep what you tell me on this bot's server, only for you: your journal, rejections, "
    "applications, check-in settings and our conversation. /export sends you a copy of all "
    "of it, and /delete erases it.\n\n"
    "What happened today?"
)
MENU = [
    ("I got a rejection", "/report_rejection"),
    ("Write in my journal", "/start_journal"),
    ("Plan my applications", "/plan_next"),
]
NON_TEXT = (
    "Thank you for sending that. I can only read text for now, so if you'd like to tell "
    "me about it, a few words in a message are perfect."
)
GROUP = (
    "I'm a private coach, so I only talk one to one. Open a private chat with me; "
    "nothing from this group is stored."
)
NOT_ALLOWED = "Sorry, this coach is private and only open to invited people right now."
STALE_BUTTON = "That button isn't active any more. Tell me in a message what you'd like to do."
COMMAND_NAME = re.compile(r"^/\S*")
EDITED = (
    "I see you edited a message. I keep what you first sent; if you'd like to add or "
    "change something, just send it as a new message."
)


def pressed_button(query: CallbackQuery) -> InlineKeyboardButton | None:
    """The button on the pressed message whose callback_data the press carries, if any."""
    markup = getattr(query.message, "reply_markup", None)  # None on an inaccessible message
    rows = markup.inline_keyboard if markup else ()
    return next(
        (b for row in rows for b in row if query.data and b.callback_data == query.data), None
    )


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Cut a long reply into Telegram-sized pieces, at a paragraph, line or word if possible."""
    pieces = []
    while len(text) > limit:
        cut = next(
            (at for sep in ("\n\n", "\n", " ") if (at := text.rfind(sep, 0, limit)) > limit // 2),
            limit,
        )
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip("\n ") if cut < limit else text[cut:]
    if text:
        pieces.append(text)
    return [piece for piece in pieces if piece]


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    rows: list[list[InlineKeyboardButton]] = []
    numbers = all(button.title.isdigit() for button in reply.buttons)
    width = 6 if numbers else 1
    for button in reply.buttons:
        # callback_data is limited to 64 bytes; a longer payload falls back to the title,
        # which Rasa then reads as text.
        data = button.payload if len(button.payload.encode()) <= 64 else button.title[:64]
        if not rows or len(rows[-1]) >= width:
            rows.append([])
        rows[-1].append(InlineKeyboardButton(button.title, callback_data=data))
    return InlineKeyboardMarkup(rows)


async def with_retries(call: Callable[[], Awaitable[T]], attempts: int = 4) -> T:
    """Retry Telegram's transient failures with back-off; 429s are handled by the limiter."""
    for attempt in range(attempts):
        try:
            return await call()
        except RetryAfter as error:
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(
                error.retry_after
                if isinstance(error.retry_after, (int, float))
                else error.retry_after.total_seconds()
            )
        except (TimedOut, NetworkError) as error:
            if isinstance(error, BadRequest) or attempt == attempts - 1:
                raise
            await asyncio.sleep(0.5 * 2**attempt)
    raise AssertionError("unreachable")


async def send_text(
    application: Application,
    chat_id: int,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    parse_mode: str | None = None,
) -> None:
    pieces = split_text(text)
    for index, piece in enumerate(pieces):
        markup = reply_markup if index == len(pieces) - 1 else None

        async def send(piece: str = piece, markup: Any = markup, mode: str | None = parse_mode):
            return await application.bot.send_message(
                chat_id, piece, reply_markup=markup, parse_mode=mode
            )

        try:
            await with_retries(send)
        except BadRequest as error:
            if parse_mode is None or "parse" not in str(error).lower():
                raise
            # Telegram refused the formatting: send the same words as plain text.
            plain = html.unescape(piece.replace("<b>", "").replace("</b>", ""))
            await with_retries(
                lambda plain=plain, markup=markup: application.bot.send_message(
                    chat_id, plain, reply_markup=markup
                )
            )


class TelegramFrontEnd:
    """Owns the Application; turns Rasa replies into Telegram messages."""

    def __init__(self, settings: Settings, coach: Coach) -> None:
        self.settings = settings
        self.coach = coach
        self.db = coach.db
        builder = (
            ApplicationBuilder()
            .token(settings.telegram_token or "")
            .request(AiohttpRequest())
            .get_updates_request(AiohttpRequest(connection_pool_size=1))
            .rate_limiter(AIORateLimiter(max_retries=3))
            .concurrent_updates(True)
        )
        if settings.telegram_base_url:
            builder = builder.base_url(f"{settings.telegram_base_url}/bot").base_file_url(
                f"{settings.telegram_base_url}/file/bot"
            )
        self.application = builder.build()
        self._add_handlers()

    def _add_handlers(self) -> None:
        app = self.application
        app.add_handler(MessageHandler(~filters.ChatType.PRIVATE, self.group_message), group=-2)
        app.add_handler(MessageHandler(filters.UpdateType.EDITED, self.edited_message), group=-1)
        app.add_handler(MessageHandler(filters.COMMAND, self.command_words), group=-1)
        app.add_handler(CommandHandler("start", self.start))
        app.add_handler(CommandHandler("skip", self.intent_command))
        # Every other command, known or not: bot.commands, shared with the terminal.
        app.add_handler(MessageHandler(filters.COMMAND, self.command))
        app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, self.text))
        app.add_handler(CallbackQueryHandler(self.button))
        app.add_handler(MessageHandler(~filters.TEXT & ~filters.UpdateType.EDITED, self.non_text))
        app.add_error_handler(self.error)

    # Delivery

    async def deliver(self, user_id: int, replies: list[Reply]) -> None:
        """Send Rasa's replies to a private chat (chat id == user id)."""
        for reply in replies:
            if reply.text or reply.buttons:
                await send_text(
                    self.application, user_id, reply.text or "…", reply_markup=keyboard(reply)
                )
            if reply.command == "export":
                await self.send_export(user_id, "md")
            if reply.image:
                await with_retries(
                    lambda r=reply: self.application.bot.send_photo(user_id, r.image)
                )

    async def _typing_while(self, chat_id: int, work: Awaitable[None]) -> None:
        """Show "typing…" while a slow answer is on its way (Telegram clears it after ~5 s).

        A quick answer, which most are, goes without: every chat action is a Bot API
        call under the same ~30/s limit as the replies themselves.
        """
        task = asyncio.ensure_future(work)
        delay = TYPING_AFTER
        try:
            while not (await asyncio.wait({task}, timeout=delay))[0]:
                with contextlib.suppress(NetworkError):
                    await self.application.bot.send_chat_action(chat_id, ChatAction.TYPING)
                delay = TYPING_REPEAT
            task.result()
        finally:
            task.cancel()  # only has an effect if we ourselves were cancelled

    # Guards

    async def _allowed(self, update: Update) -> bool:
        user = update.effective_user
        if user and self.settings.is_allowed(user.id):
            return True
        if update.effective_message:
            await update.effective_message.reply_text(NOT_ALLOWED)
        elif update.callback_query:
            await update.callback_query.answer(NOT_ALLOWED, show_alert=True)
        return False

    # Handlers

    async def group_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Outside private chats: say so when addressed, store nothing, handle nothing else."""
        message = update.effective_message
        text = (message.text or "") if message else ""
        addressed = text.startswith("/") or f"@{context.bot.username}".lower() in text.lower()
        if message and addressed:
            await message.reply_text(GROUP)
        raise ApplicationHandlerStop

    async def edited_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An edit is not a new message, but the crisis check reads it; otherwise say we
        keep the original, and stop there."""
        message = update.effective_message
        if message and await self._allowed(update):
            words = message.text or message.caption or ""
            if not await self.coach.screen(update.effective_user.id, words, self.deliver):
                await message.reply_text(EDITED)
        raise ApplicationHandlerStop

    async def command_words(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The crisis check on a command's own words ("/journal i can't go on"), which no
        command hands to Rasa; the command itself runs only if the check lets it."""
        message = update.effective_message
        words = COMMAND_NAME.sub("", message.text or "", count=1) if message else ""
        user = update.effective_user
        if not words.strip() or not user or not self.settings.is_allowed(user.id):
            return
        if await self.coach.screen(user.id, words, self.deliver):
            raise ApplicationHandlerStop

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not await self._allowed(update):
            return
        store.ensure_user(self.db, update.effective_user.id)
        # Unblocking a bot in Telegram offers "Restart", which sends /start.
        store.clear_blocked(self.db, update.effective_user.id)
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton(title, callback_data=payload)] for title, payload in MENU]
        )
        await send_text(self.application, update.effective_chat.id, WELCOME, reply_markup=markup)

    async def command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A slash command: bot.commands carries it out, here it is only sent."""
        if not await self._allowed(update):
            return
        name, args = commands.parse(update.effective_message.text or "") or ("", [])
        user_id = update.effective_user.id

        async def work() -> None:
            answers = await commands.run(self.coach, user_id, name, args, self.deliver)
            await self.send_answers(user_id, answers)

        await self._typing_while(update.effective_chat.id, work())

    intent_command = command  # the name /skip is registered under

    async def text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not await self._allowed(update):
            return
        text = update.effective_message.text or ""
        if not text.strip():
            await update.effective_message.reply_text(
                "That one came through empty. What's on your mind?"
            )
            return
        await self._typing_while(
            update.effective_chat.id,
            self.coach.handle_text(update.effective_user.id, text, self.deliver),
        )

    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button press. Only a payload on the pressed message's own keyboard is used: a
        modified client can send any callback_data, and Rasa would take it as an intent."""
        query = update.callback_query
        if not await self._allowed(update):
            return
        chosen = pressed_button(query)
        if chosen is None:
            await query.answer(STALE_BUTTON)
            return
        await query.answer()
        # Keep the question, show the choice under it, and retire the buttons.
        question = getattr(query.message, "text", None) or ""
        with contextlib.suppress(BadRequest):
            if question and len(question) + len(chosen.text) < MessageLimit.MAX_TEXT_LENGTH - 4:
                await query.edit_message_text(f"{question}\n\n› {chosen.text}")
            else:
                await query.edit_message_reply_markup(reply_markup=None)
        await self._typing_while(
            update.effective_chat.id,
            self.coach.press(update.effective_user.id, str(chosen.callback_data), self.deliver),
        )

    async def non_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A photo, file, sticker…: the crisis check reads a caption, then we say we read text."""
        message = update.effective_message
        if not message or not await self._allowed(update):
            return
        user_id = update.effective_user.id
        if message.caption and await self.coach.screen(user_id, message.caption, self.deliver):
            return
        await message.reply_text(NON_TEXT)

    async def send_export(self, user_id: int, fmt: str) -> None:
        await self.send_answers(user_id, await commands.journal_file(self.coach, user_id, fmt))

    async def send_answers(self, chat_id: int, answers: list[commands.Answer]) -> None:
        for answer in answers:
            if isinstance(answer, commands.Text):
                mode = ParseMode.HTML if answer.html else None
                await send_text(self.application, chat_id, answer.text, parse_mode=mode)
                continue
            send = (
                self.application.bot.send_photo
                if answer.picture
                else self.application.bot.send_document
            )
            await with_retries(
                lambda answer=answer, send=send: send(
                    chat_id,
                    InputFile(answer.content, filename=answer.name),
                    caption=answer.caption[: MessageLimit.CAPTION_LENGTH],
                )
            )

    async def error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # Log the kind of failure only: never the update, which holds what they wrote.
        logger.error(
            "handler failed: %s",
            type(context.error).__name__,
            exc_info=(type(context.error), context.error, None),
        )
        if isinstance(update, Update) and update.effective_chat:
            with contextlib.suppress(Exception):
                await self.application.bot.send_message(
                    update.effective_chat.id,
                    "Something went wrong on my side. What you wrote is safe; please try "
                    "again in a moment.",
                )

    # Check-ins

    async def send_checkin(self, due: checkins.DueCheckin) -> checkins.Outcome:
        try:
            await self.coach.trigger(due.user_id, "EXTERNAL_checkin", self.deliver)
        except RasaUnavailable:
            return checkins.Outcome.RETRY
        except Forbidden:
            return checkins.Outcome.BLOCKED
        return checkins.Outcome.SENT

    def commands(self) -> list[BotCommand]:
        return [BotCommand(name, description) for name, description in commands.MENU]

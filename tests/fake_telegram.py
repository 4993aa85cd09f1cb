"""A fake Telegram Bot API server for end-to-end tests.

The real python-telegram-bot client talks to it over HTTP::

    async with FakeTelegram() as fake:
        app = (
            ApplicationBuilder().token(fake.token)
            .base_url(fake.base_url).base_file_url(fake.base_file_url).build()
        )
        ...
        mark = fake.mark()
        fake.push_command(42, "/start")
        [reply] = await fake.wait_for("sendMessage", chat_id=42, since=mark)
        assert fake.spec_violations == []

Every method and parameter is checked against the Bot API facts in
tests/data/bot_api_extract.json (``python -m tests.bot_api_extract`` regenerates it from
the official spec); a missing or unreadable extract is an error, never a skipped check.
``python -m tests.fake_telegram --port 8081`` runs it standalone;
other processes then drive it through ``POST /fake/<push_*|fail_next>`` (JSON keyword
arguments) and ``GET /fake/calls?since=N``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import itertools
import json
import logging
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import web

from tests.bot_api_extract import EXTRACT

JSON = dict[str, Any]
T = TypeVar("T")

DEFAULT_TOKEN = "123456789:AAFakeTokenForEndToEndTests-0123456"
DEFAULT_SPEC = EXTRACT
FAULT_KINDS = frozenset(
    {"retry_after", "server_error", "forbidden", "bad_markup", "timeout", "bad_request"}
)
POLLING_METHOD = "getUpdates"

# Update types the Bot API only delivers when listed in allowed_updates explicitly.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_PARSE_MODES = frozenset({"html", "markdown", "markdownv2"})
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
# Without the spec, these form values stay strings even when they look like JSON.
_TEXT_PARAMS = frozenset({"text", "caption", "callback_query_id", "data", "file_id"})
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup"
    " are exactly the same as a current content and reply markup of the message"
)
_log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error answer of the Bot API."""

    def __init__(self, status: int, description: str, parameters: JSON | None = None):
        super().__init__(description)
        self.status, self.description, self.parameters = status, description, parameters

    def body(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


@dataclass
class Call:
    """One Bot API request as the fake received it."""

    method: str
    params: JSON
    files: dict[str, tuple[str, bytes]]  # multipart part name -> (filename, content)
    at: float  # time.monotonic() on arrival
    response: JSON | None = None  # the JSON body answered; None while still pending

    @property
    def ok(self) -> bool:
        return bool(self.response and self.response["ok"])


@dataclass
class Fault:
    """An error the fake answers instead of the normal result (see ``fail_next``)."""

    kind: str
    retry_after: int = 1  # retry_after
    status: int = 500  # server_error
    description: str | None = None  # server_error, forbidden, bad_markup, bad_request
    delay: float = 6.0  # timeout: seconds before answering (PTB's default read timeout is 5)

    def error(self) -> ApiError:
        if self.kind == "retry_after":
            return ApiError(
                429,
                f"Too Many Requests: retry after {self.retry_after}",
                {"retry_after": self.retry_after},
            )
        if self.kind == "server_error":
            return ApiError(self.status, self.description or HTTPStatus(self.status).phrase)
        if self.kind == "forbidden":
            return ApiError(403, self.description or "Forbidden: bot was blocked by the user")
        if self.kind == "bad_markup":
            return ApiError(
                400,
                self.description
                or "Bad Request: can't parse entities: Can't find end of the entity starting"
                " at byte offset 0",
            )
        description = self.description or "Bad Request"
        if not description.startswith("Bad Request"):
            description = f"Bad Request: {description}"
        return ApiError(400, description)


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    filename: str
    content: bytes
    path: str

    def describe(self) -> JSON:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
        }


def load_spec(path: Path | str | None) -> dict[str, JSON] | None:
    """Bot API methods by name from the extract (or the full spec); None only for no path."""
    if path is None:
        return None
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))["methods"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise RuntimeError(
            f"Bot API spec {path} is missing or unreadable ({exc!r});"
            " regenerate it with `python -m tests.bot_api_extract`"
        ) from exc


def _decode(name: str, value: Any, types: list[str] | None) -> Any:
    """Turn a form value back into JSON the way the Bot API reads it."""
    if not isinstance(value, str):
        return value
    if types is not None and set(types) <= {"String", "InputFile"}:
        return value
    if types is None and name in _TEXT_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


async def _read_request(request: web.Request) -> tuple[JSON, dict[str, tuple[str, bytes]]]:
    """Query, JSON, urlencoded or multipart parameters plus uploaded files."""
    params: JSON = dict(request.query)
    files: dict[str, tuple[str, bytes]] = {}
    if request.content_type == "application/json":
        params.update(await request.json())
    elif request.body_exists:
        for name, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                files[name] = (value.filename, value.file.read())
            else:
                params[name] = value
    return params, files


def _inline_markup(markup: Any) -> JSON | None:
    """The reply_markup a Message shows: only inline keyboards are echoed back."""
    return markup if isinstance(markup, dict) and "inline_keyboard" in markup else None


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _text_content(text: str) -> JSON:
    """Message text with the bot_command entity Telegram adds for a leading /command."""
    content: JSON = {"text": text}
    if text.startswith("/") and len(text) > 1:
        command = text.split(maxsplit=1)[0]
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": _utf16_len(command)}]
    return content


class FakeTelegram:
    """Bot API server on ``host:port`` (port 0 picks a free one), run in the current loop."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        spec_path: Path | str | None = DEFAULT_SPEC,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_username: str = "fake_test_bot",
        bot_first_name: str = "Fake Bot",
    ):
        self.token, self.host, self.port = token, host, port
        self.bot_user: JSON = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.spec = load_spec(spec_path)
        self.reset()
        self._last_update_id = 100_000  # kept by reset(): a running poller's offset stays valid
        self._ids = itertools.count(1)
        self._poll_generation = 0
        self._waiters: set[asyncio.Future[None]] = set()
        self._closed = False
        self._runner: web.AppRunner | None = None
        self._handlers: dict[str, Callable[[JSON, Call], Any]] = {
            "getMe": self._get_me,
            "deleteWebhook": self._delete_webhook,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendMessage": self._send_message,
            "sendChatAction": self._send_chat_action,
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "getFile": self._get_file,
        }
        known = {*self._handlers, POLLING_METHOD, *(self.spec or ())}
        self._canonical = {name.lower(): name for name in known}  # method names ignore case

    def reset(self) -> None:
        """Forget calls, violations, updates, chats, messages, files, faults and commands.

        Earlier marks become meaningless; update ids keep counting up.
        """
        self.calls: list[Call] = []
        self.spec_violations: list[str] = []
        self.updates: list[JSON] = []  # pushed and not yet confirmed by a getUpdates offset
        self.commands: dict[tuple[str, str], list[JSON]] = {}  # (scope JSON, language) -> list
        self._messages: dict[tuple[int, int], JSON] = {}  # (chat id, message id) -> Message
        self._chats: dict[int, JSON] = {}
        self._files: dict[str, _StoredFile] = {}
        self._faults: dict[str, deque[Fault]] = {}
        self._callback_ids: set[str] = set()
        self._allowed_updates: frozenset[str] = frozenset()
        self._last_message_id: dict[int, int] = {}

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """Value for ``ApplicationBuilder().base_url``; PTB appends the token."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    async def start(self) -> FakeTelegram:
        app = web.Application(client_max_size=50 * 2**20)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_route("*", "/fake/{action}", self._handle_control)
        self._closed = False
        self._runner = web.AppRunner(app, shutdown_timeout=1.0, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        """Release pending long polls and delayed answers, then shut the server down."""
        self._closed = True
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # -- inspecting calls ------------------------------------------------------------------

    def mark(self) -> int:
        """A position in ``calls``; pass it as ``since`` to only look at later calls."""
        return len(self.calls)

    def sent(
        self, method: str | None = None, chat_id: int | str | None = None, *, since: int = 0
    ) -> list[Call]:
        """Calls (all, or of ``method``/to ``chat_id``) received at or after ``since``."""
        return [
            call
            for call in self.calls[since:]
            if (method is None or call.method == method)
            and (chat_id is None or call.params.get("chat_id") == chat_id)
        ]

    def messages_to(self, chat_id: int | str) -> list[str]:
        """Texts of the sendMessage calls to ``chat_id`` that were answered ok."""
        return [call.params["text"] for call in self.sent("sendMessage", chat_id) if call.ok]

    async def wait_for(
        self,
        method: str,
        *,
        chat_id: int | str | None = None,
        predicate: Callable[[Call], bool] | None = None,
        count: int = 1,
        timeout: float = 10.0,
        since: int = 0,
    ) -> list[Call]:
        """Wait for ``count`` matching calls at or after ``since``; returns the first ``count``."""
        deadline = time.monotonic() + timeout
        while True:
            found = [
                c for c in self.sent(method, chat_id, since=since) if not predicate or predicate(c)
            ]
            if len(found) >= count:
                return found[:count]
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                seen = [(c.method, c.params.get("chat_id")) for c in self.calls[since:]]
                raise TimeoutError(
                    f"waited {timeout}s for {count} {method} call(s) (chat_id={chat_id}),"
                    f" found {len(found)}; calls since mark: {seen}"
                )
            await self._wait_change(remaining)

    async def wait_idle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Wait until all pushed updates are fetched, no answer is pending and no call
        (getUpdates aside) arrived for ``quiet`` seconds."""
        start = time.monotonic()
        deadline = start + timeout
        while True:
            now = time.monotonic()
            others = [c for c in self.calls if c.method != POLLING_METHOD]
            last = max(start, others[-1].at) if others else start
            busy = bool(self.updates) or any(c.response is None for c in others)
            if not busy and now - last >= quiet:
                return
            if now >= deadline:
                raise TimeoutError(f"no quiet period of {quiet}s within {timeout}s")
            await self._wait_change((deadline if busy else min(deadline, last + quiet)) - now)

    # -- fault injection -------------------------------------------------------------------

    def fail_next(self, method: str, kind: str, times: int = 1, **options: Any) -> None:
        """Answer the next ``times`` calls of ``method`` with a fault instead.

        Kinds: retry_after (429; ``retry_after=1``), server_error (``status=500``),
        forbidden (403), bad_markup (400 only for calls with parse_mode; calls without it
        pass and leave the fault queued), timeout (answer normally after ``delay=6.0`` s),
        bad_request (400; ``description``). Faults queue per method, in order.
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {sorted(FAULT_KINDS)}")
        if method.lower() not in self._canonical:
            raise ValueError(f"unknown Bot API method {method!r}")
        method = self._canonical[method.lower()]
        fault = Fault(kind, **options)
        self._faults.setdefault(method, deque()).extend(fault for _ in range(times))

    # -- pushing updates -------------------------------------------------------------------

    def push_update(self, update: JSON) -> JSON:
        """Queue an update (without update_id) for getUpdates; returns it with its id."""
        self._last_update_id += 1
        update = {"update_id": self._last_update_id, **copy.deepcopy(update)}
        self.updates.append(update)
        self._notify()
        return copy.deepcopy(update)

    def push_text(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str = "Test",
        chat_type: str = "private",
        chat_id: int | None = None,
    ) -> JSON:
        """A text message from a user; a leading /command gets its bot_command entity."""
        message = self._user_message(user_id, first_name, chat_type, chat_id, _text_content(text))
        return self.push_update({"message": message})

    def push_command(self, user_id: int, command: str, *, first_name: str = "Test") -> JSON:
        """A command like ``"/start payload"`` from a user in their private chat."""
        if not command.startswith("/"):
            raise ValueError(f"a command starts with '/': {command!r}")
        return self.push_text(user_id, command, first_name=first_name)

    def push_callback(
        self, user_id: int, data: str, message_id: int | None = None, *, first_name: str = "Test"
    ) -> JSON:
        """The user presses a button on a bot message (default: its latest one to the user)."""
        bot_messages = [
            m
            for (chat, _), m in self._messages.items()
            if chat == user_id
            and m["from"]["id"] == self.bot_user["id"]
            and message_id in (None, m["message_id"])
        ]
        if not bot_messages:
            raise ValueError(f"no bot message {message_id or ''} in chat {user_id} to press")
        query_id = str(4_000_000_000 + next(self._ids))
        self._callback_ids.add(query_id)
        query = {
            "id": query_id,
            "from": self._user(user_id, first_name),
            "chat_instance": f"-{user_id}00",
            "message": bot_messages[-1],
            "data": data,
        }
        return self.push_update({"callback_query": query})

    def push_sticker(self, user_id: int, emoji: str = "👍") -> JSON:
        """A sticker from a user in their private chat."""
        sticker = {
            **self._store_file("sticker.webp", b"RIFF\0\0\0\0WEBP", "stickers").describe(),
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._push_content(user_id, {"sticker": sticker})

    def push_photo(
        self,
        user_id: int,
        content: bytes = b"\xff\xd8\xff\xe0fake-jpeg",
        caption: str | None = None,
    ) -> JSON:
        """A photo (one 800x600 size, downloadable via getFile) from a user."""
        photo = {
            **self._store_file("photo.jpg", content, "photos").describe(),
            "width": 800,
            "height": 600,
        }
        return self._push_content(user_id, {"photo": [photo]}, caption)

    def push_voice(
        self, user_id: int, content: bytes = b"OggS\0fake-opus", duration: int = 3
    ) -> JSON:
        """A voice note (downloadable via getFile) from a user."""
        voice = {
            **self._store_file("voice.oga", content, "voice").describe(),
            "duration": duration,
            "mime_type": "audio/ogg",
        }
        return self._push_content(user_id, {"voice": voice})

    def push_document(
        self,
        user_id: int,
        content: bytes = b"hello from a test\n",
        file_name: str = "notes.txt",
        mime_type: str = "text/plain",
        caption: str | None = None,
    ) -> JSON:
        """A document (downloadable via getFile) from a user."""
        document = {
            **self._store_file(file_name, content, "documents").describe(),
            "file_name": file_name,
            "mime_type": mime_type,
        }
        return self._push_content(user_id, {"document": document}, caption)

    def push_edited_text(self, user_id: int, text: str, *, message_id: int | None = None) -> JSON:
        """The user edits a message (default: their latest text message; made up if none)."""
        own = [
            m
            for (chat, _), m in self._messages.items()
            if chat == user_id
            and m["from"]["id"] == user_id
            and (m["message_id"] == message_id if message_id else "text" in m)
        ]
        message = own[-1] if own else self._user_message(user_id, "Test", "private", None, {})
        message.pop("caption", None)
        message.pop("entities", None)
        message.update(_text_content(text), edit_date=int(time.time()))
        return self.push_update({"edited_message": message})

    def push_forwarded_text(
        self, user_id: int, text: str, *, origin_user_id: int = 4242, origin_name: str = "Alice"
    ) -> JSON:
        """The user forwards someone else's text message to the bot."""
        origin = {
            "type": "user",
            "date": int(time.time()) - 3600,
            "sender_user": self._user(origin_user_id, origin_name),
        }
        content = {**_text_content(text), "forward_origin": origin}
        return self._push_content(user_id, content)

    def push_group_text(
        self,
        user_id: int,
        group_chat_id: int,
        text: str,
        *,
        first_name: str = "Test",
        chat_type: str = "group",
    ) -> JSON:
        """A text message from a user in a group (ids of groups are negative)."""
        return self.push_text(
            user_id, text, first_name=first_name, chat_type=chat_type, chat_id=group_chat_id
        )

    # -- internals: state ------------------------------------------------------------------

    def _notify(self) -> None:
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    async def _wait_change(self, timeout: float) -> None:
        """Sleep until something happens (a call, an answer, a push) or ``timeout``."""
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.add(waiter)
        try:
            await asyncio.wait_for(waiter, max(timeout, 0))
        except asyncio.TimeoutError:
            pass
        finally:
            self._waiters.discard(waiter)

    async def _sleep(self, delay: float) -> None:
        """Sleep ``delay`` seconds, but not past ``stop()``."""
        deadline = time.monotonic() + delay
        while not self._closed and time.monotonic() < deadline:
            await self._wait_change(deadline - time.monotonic())

    def _user(self, user_id: int, first_name: str) -> JSON:
        return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "en"}

    def _chat(self, chat_id: Any) -> JSON:
        """A known chat; unknown positive ids are private chats of users (like real users
        who started the bot), anything else is not found."""
        if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
            chat_id = int(chat_id)
        if chat_id not in self._chats:
            if not isinstance(chat_id, int) or chat_id <= 0:
                raise ApiError(400, "Bad Request: chat not found")
            self._chats[chat_id] = {"id": chat_id, "type": "private", "first_name": "Test"}
        return self._chats[chat_id]

    def _new_message(self, chat: JSON, sender: JSON, content: JSON) -> JSON:
        """Store a new message in ``chat`` and return the stored (mutable) dict."""
        message_id = self._last_message_id.get(chat["id"], 0) + 1
        self._last_message_id[chat["id"]] = message_id
        message = {
            "message_id": message_id,
            "from": sender,
            "chat": chat,
            "date": int(time.time()),
            **{k: v for k, v in content.items() if v is not None},
        }
        self._messages[chat["id"], message_id] = message
        return message

    def _user_message(
        self, user_id: int, first_name: str, chat_type: str, chat_id: int | None, content: JSON
    ) -> JSON:
        if chat_type == "private":
            chat = {"id": user_id, "type": "private", "first_name": first_name}
        elif chat_id is None:
            raise ValueError(f"a {chat_type} chat needs a chat_id")
        else:
            chat = {"id": chat_id, "type": chat_type, "title": f"Test {chat_type} {chat_id}"}
        self._chats[chat["id"]] = chat
        return self._new_message(chat, self._user(user_id, first_name), content)

    def _push_content(self, user_id: int, content: JSON, caption: str | None = None) -> JSON:
        message = self._user_message(
            user_id, "Test", "private", None, {**content, "caption": caption}
        )
        return self.push_update({"message": message})

    def _store_file(self, filename: str, content: bytes, folder: str) -> _StoredFile:
        n = next(self._ids)
        suffix = Path(filename).suffix
        stored = _StoredFile(
            f"fake-file-{n:06d}", f"fu{n:06d}", filename, content, f"{folder}/file_{n}{suffix}"
        )
        self._files[stored.file_id] = stored
        return stored

    def _allowed(self, update: JSON) -> bool:
        kind = next(key for key in update if key != "update_id")
        if self._allowed_updates:
            return kind in self._allowed_updates
        return kind not in _OPT_IN_UPDATES

    # -- internals: HTTP -------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(ApiError(401, "Unauthorized").body(), status=401)
        name = request.match_info["method"]
        method = self._canonical.get(name.lower(), name)
        raw, files = await _read_request(request)
        fields = self._fields(method) or {}
        params = {
            k: _decode(k, v, fields[k]["types"] if k in fields else None) for k, v in raw.items()
        }
        call = Call(method, params, files, time.monotonic())
        self.calls.append(call)
        self._notify()
        try:
            call.response = {"ok": True, "result": await self._dispatch(call)}
        except ApiError as exc:
            call.response = exc.body()
        self._notify()
        return web.json_response(call.response, status=call.response.get("error_code", 200))

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(ApiError(401, "Unauthorized").body(), status=401)
        for stored in self._files.values():
            if stored.path == request.match_info["path"]:
                return web.Response(body=stored.content)
        return web.json_response(ApiError(404, "Not Found").body(), status=404)

    async def _handle_control(self, request: web.Request) -> web.Response:
        """Remote control for other processes: push_*, fail_next and calls."""
        action = request.match_info["action"]
        if action == "calls":
            since = int(request.query.get("since", 0))
            calls = [
                {
                    "method": c.method,
                    "params": c.params,
                    "files": {k: {"filename": f, "size": len(b)} for k, (f, b) in c.files.items()},
                    "at": c.at,
                    "response": c.response,
                }
                for c in self.calls[since:]
            ]
            return web.json_response({"ok": True, "result": calls})
        if not (action.startswith("push_") or action == "fail_next") or not hasattr(self, action):
            return web.json_response(ApiError(404, "Not Found").body(), status=404)
        kwargs = await request.json() if request.body_exists else {}
        try:
            result = getattr(self, action)(**kwargs)
        except (TypeError, ValueError) as exc:
            return web.json_response(ApiError(400, f"Bad Request: {exc}").body(), status=400)
        return web.json_response({"ok": True, "result": result})

    def _fields(self, method: str) -> dict[str, JSON] | None:
        if self.spec is None or method not in self.spec:
            return None
        return {f["name"]: f for f in self.spec[method].get("fields", [])}

    def _check_spec(self, call: Call) -> None:
        if self.spec is None:
            return
        fields = self._fields(call.method)
        if fields is None:
            self.spec_violations.append(f"{call.method}: unknown method")
            raise ApiError(404, "Not Found: method not found")
        params_json = json.dumps(call.params)
        attached = {name for name in call.files if f"attach://{name}" in params_json}
        given = set(call.params) | (set(call.files) - attached)
        unknown = sorted(given - set(fields))
        missing = [n for n, f in fields.items() if f["required"] and n not in given]
        self.spec_violations += [f"{call.method}: unknown parameter {n}" for n in unknown]
        self.spec_violations += [f"{call.method}: missing required parameter {n}" for n in missing]
        if unknown:
            raise ApiError(400, f"Bad Request: unknown parameter {unknown[0]}")
        if missing:
            raise ApiError(400, f"Bad Request: parameter {missing[0]} is required")

    def _take_fault(self, call: Call) -> Fault | None:
        queue = self._faults.get(call.method)
        if not queue or (queue[0].kind == "bad_markup" and not call.params.get("parse_mode")):
            return None
        return queue.popleft()

    async def _dispatch(self, call: Call) -> Any:
        self._check_spec(call)
        fault = self._take_fault(call)
        if fault and fault.kind == "timeout":
            await self._sleep(fault.delay)
        elif fault:
            raise fault.error()
        if call.method == POLLING_METHOD:
            return await self._get_updates(call.params)
        handler = self._handlers.get(call.method)
        if handler is not None:
            return handler(call.params, call)
        if self.spec and self.spec[call.method].get("returns") != ["Boolean"]:
            _log.warning("fake Telegram answers True to %s, which returns an object", call.method)
        return True

    # -- internals: Bot API methods --------------------------------------------------------

    async def _get_updates(self, p: JSON) -> list[JSON]:
        offset, timeout = int(p.get("offset", 0)), float(p.get("timeout", 0))
        limit = min(max(int(p.get("limit", 100)), 1), 100)
        if "allowed_updates" in p:
            self._allowed_updates = frozenset(p["allowed_updates"])
        if offset > 0:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        elif offset < 0:
            self.updates = self.updates[offset:]
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()  # an older long poll still waiting ends with 409, as on Telegram
        deadline = time.monotonic() + timeout
        while True:
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request;"
                    " make sure that only one bot instance is running",
                )
            self.updates = [u for u in self.updates if self._allowed(u)]
            remaining = deadline - time.monotonic()
            if self.updates or self._closed or remaining <= 0:
                return copy.deepcopy(self.updates[:limit])
            await self._wait_change(remaining)

    def _get_me(self, p: JSON, call: Call) -> JSON:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _delete_webhook(self, p: JSON, call: Call) -> bool:
        if p.get("drop_pending_updates"):
            self.updates.clear()
        return True

    @staticmethod
    def _scope_key(p: JSON) -> tuple[str, str]:
        scope = p.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), p.get("language_code", "")

    def _set_my_commands(self, p: JSON, call: Call) -> bool:
        for command in p["commands"]:
            if not _COMMAND_RE.fullmatch(command.get("command", "")):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._scope_key(p)] = copy.deepcopy(p["commands"])
        return True

    def _get_my_commands(self, p: JSON, call: Call) -> list[JSON]:
        return copy.deepcopy(self.commands.get(self._scope_key(p), []))

    def _delete_my_commands(self, p: JSON, call: Call) -> bool:
        self.commands.pop(self._scope_key(p), None)
        return True

    @staticmethod
    def _check_text(p: JSON, key: str, limit: int) -> None:
        """Length and parse_mode checks for message text or a caption."""
        if len(p.get(key) or "") > limit:
            what = "message caption" if key == "caption" else "message"
            raise ApiError(400, f"Bad Request: {what} is too long")
        if p.get("parse_mode") and str(p["parse_mode"]).lower() not in _PARSE_MODES:
            raise ApiError(400, "Bad Request: unsupported parse_mode")

    def _send(self, p: JSON, content: JSON) -> JSON:
        """Store and return a Message the bot sends with ``content``."""
        chat = self._chat(p.get("chat_id"))
        content["reply_markup"] = _inline_markup(p.get("reply_markup"))
        reply_to = (p.get("reply_parameters") or {}).get("message_id")
        if (chat["id"], reply_to) in self._messages:
            content["reply_to_message"] = copy.deepcopy(self._messages[chat["id"], reply_to])
            content["reply_to_message"].pop("reply_to_message", None)
        return copy.deepcopy(self._new_message(chat, self.bot_user, content))

    def _send_message(self, p: JSON, call: Call) -> JSON:
        text = p.get("text") or ""
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        self._check_text(p, "text", 4096)
        return self._send(p, {"text": text, "entities": p.get("entities")})

    def _send_chat_action(self, p: JSON, call: Call) -> bool:
        self._chat(p.get("chat_id"))
        if p.get("action") not in _CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    def _file_param(self, call: Call, name: str, folder: str) -> _StoredFile:
        """The file of an upload parameter: a multipart part, attach://, file_id or URL."""
        value = call.params.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            value = call.files.get(value.removeprefix("attach://"))
        elif name in call.files:
            value = call.files[name]
        if isinstance(value, tuple):
            return self._store_file(value[0] or name, value[1], folder)
        if isinstance(value, str) and value in self._files:
            return self._files[value]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return self._store_file(value.rsplit("/", 1)[-1] or name, b"", folder)
        if value:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        raise ApiError(400, f"Bad Request: there is no {name} in the request")

    def _send_document(self, p: JSON, call: Call) -> JSON:
        self._check_text(p, "caption", 1024)
        stored = self._file_param(call, "document", "documents")
        document = {**stored.describe(), "file_name": stored.filename}
        return self._send(p, {"document": document, "caption": p.get("caption")})

    def _send_photo(self, p: JSON, call: Call) -> JSON:
        self._check_text(p, "caption", 1024)
        photo = {
            **self._file_param(call, "photo", "photos").describe(),
            "width": 800,
            "height": 600,
        }
        return self._send(p, {"photo": [photo], "caption": p.get("caption")})

    def _editable(self, p: JSON) -> JSON | None:
        """The stored bot message an edit targets; None for inline messages."""
        if p.get("inline_message_id"):
            return None
        message = self._messages.get((self._chat(p.get("chat_id"))["id"], p.get("message_id")))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if message["from"]["id"] != self.bot_user["id"]:
            raise ApiError(400, "Bad Request: message can't be edited")
        return message

    def _edit(self, message: JSON, changes: JSON) -> JSON:
        """Apply ``changes`` (None removes a field) like Telegram edits a message."""
        if all(message.get(k) == v for k, v in changes.items()):
            raise ApiError(400, _NOT_MODIFIED)
        for key, value in changes.items():
            if value is None:
                message.pop(key, None)
            else:
                message[key] = copy.deepcopy(value)
        message["edit_date"] = int(time.time())
        return copy.deepcopy(message)

    def _edit_message_text(self, p: JSON, call: Call) -> JSON | bool:
        if not (p.get("text") or "").strip():
            raise ApiError(400, "Bad Request: message text is empty")
        self._check_text(p, "text", 4096)
        message = self._editable(p)
        if message is None:
            return True
        changes = {
            "text": p["text"],
            "entities": p.get("entities"),
            "reply_markup": _inline_markup(p.get("reply_markup")),
        }
        return self._edit(message, changes)

    def _edit_message_reply_markup(self, p: JSON, call: Call) -> JSON | bool:
        message = self._editable(p)
        if message is None:
            return True
        return self._edit(message, {"reply_markup": _inline_markup(p.get("reply_markup"))})

    def _answer_callback_query(self, p: JSON, call: Call) -> bool:
        if p.get("callback_query_id") not in self._callback_ids:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        return True

    def _get_file(self, p: JSON, call: Call) -> JSON:
        stored = self._files.get(p.get("file_id", ""))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {**stored.describe(), "file_path": stored.path}


class FakeTelegramThread:
    """A ``FakeTelegram`` serving from a background thread with its own event loop.

    Use it from code that runs in another loop (or none): ``call`` runs a function in the
    server's loop, and the wait helpers block the calling thread.
    """

    def __init__(self, **kwargs: Any):
        self.fake = FakeTelegram(**kwargs)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="fake-telegram", daemon=True
        )

    @property
    def base_url(self) -> str:
        return self.fake.base_url

    @property
    def base_file_url(self) -> str:
        return self.fake.base_file_url

    def start(self) -> FakeTelegramThread:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.fake.start(), self._loop).result()
        return self

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.fake.stop(), self._loop).result()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()

    def __enter__(self) -> FakeTelegramThread:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn(*args, **kwargs)`` in the server's loop and return its result."""

        async def run() -> T:
            return fn(*args, **kwargs)

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result()

    def push(self, kind: str, *args: Any, **kwargs: Any) -> JSON:
        """``push("text", 42, "hi")`` calls ``fake.push_text(42, "hi")`` thread-safely."""
        return self.call(getattr(self.fake, f"push_{kind}"), *args, **kwargs)

    def fail_next(self, method: str, kind: str, times: int = 1, **options: Any) -> None:
        self.call(self.fake.fail_next, method, kind, times, **options)

    def mark(self) -> int:
        return self.call(self.fake.mark)

    def sent(
        self, method: str | None = None, chat_id: int | str | None = None, *, since: int = 0
    ) -> list[Call]:
        return self.call(self.fake.sent, method, chat_id, since=since)

    def wait_for(self, method: str, **kwargs: Any) -> list[Call]:
        """Blocking ``FakeTelegram.wait_for``."""
        return asyncio.run_coroutine_threadsafe(
            self.fake.wait_for(method, **kwargs), self._loop
        ).result()

    def wait_idle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Blocking ``FakeTelegram.wait_idle``."""
        asyncio.run_coroutine_threadsafe(self.fake.wait_idle(quiet, timeout), self._loop).result()


async def _serve(args: argparse.Namespace) -> None:
    async with FakeTelegram(
        args.token, spec_path=args.spec, host=args.host, port=args.port
    ) as fake:
        print(f"fake Telegram: base_url={fake.base_url} token={fake.token}", flush=True)
        await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(parser.parse_args()))


if __name__ == "__main__":
    main()

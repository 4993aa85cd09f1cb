"""A small driver for end-to-end tests: talk as one Telegram user, read what the bot sent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.fake_telegram import Call, FakeTelegram

REPLY_METHODS = ("sendMessage", "sendDocument", "sendPhoto")


@dataclass
class Turn:
    """What the bot sent to one user in answer to one update."""

    calls: list[Call] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        return [call.params["text"] for call in self.calls if call.method == "sendMessage"]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(title, callback_data) of the last inline keyboard sent in this turn."""
        for call in reversed(self.calls):
            markup = call.params.get("reply_markup")
            if isinstance(markup, dict) and markup.get("inline_keyboard"):
                return [
                    (b["text"], b.get("callback_data", ""))
                    for row in markup["inline_keyboard"]
                    for b in row
                ]
        return []

    def of(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]


class Chat:
    def __init__(self, fake: FakeTelegram, user_id: int, *, timeout: float = 120.0) -> None:
        self.fake = fake
        self.user_id = user_id
        self.timeout = timeout
        self.last = Turn()

    async def _turn(self, push: Callable[[], object], *, expect_reply: bool = True) -> Turn:
        mark = self.fake.mark()
        push()
        if expect_reply:
            await self.fake.wait_for(
                None,
                chat_id=self.user_id,
                since=mark,
                timeout=self.timeout,
                predicate=lambda call: call.method in REPLY_METHODS,
            )
        await self.fake.wait_idle(quiet=0.8, timeout=self.timeout)
        self.last = Turn(
            [
                call
                for call in self.fake.sent(chat_id=self.user_id, since=mark)
                if call.method in REPLY_METHODS
            ]
        )
        return self.last

    async def say(self, text: str) -> Turn:
        return await self._turn(lambda: self.fake.push_text(self.user_id, text))

    async def command(self, text: str) -> Turn:
        return await self._turn(lambda: self.fake.push_command(self.user_id, text))

    async def press(self, title: str) -> Turn:
        """Press the button titled ``title`` (case-insensitive prefix) of the last turn."""
        for button_title, data in self.last.buttons:
            if button_title.lower().startswith(title.lower()):
                message_id = self._message_with(data)
                return await self._turn(
                    lambda data=data, message_id=message_id: self.fake.push_callback(
                        self.user_id, data, message_id
                    )
                )
        raise AssertionError(f"no button {title!r} in {self.last.buttons}")

    async def push(self, push: Callable[[], object]) -> Turn:
        return await self._turn(push)

    def _message_with(self, data: str) -> int | None:
        for call in reversed(self.last.calls):
            markup = call.params.get("reply_markup")
            if isinstance(markup, dict) and any(
                b.get("callback_data") == data
                for row in markup.get("inline_keyboard", [])
                for b in row
            ):
                return (call.response or {}).get("result", {}).get("message_id")
        return None

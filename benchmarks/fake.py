"""The tests' fake Telegram server, with a cheap per-chat clock on every reply."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import defaultdict
from typing import Any

from tests.fake_telegram import Call, FakeTelegram


class TimedFake(FakeTelegram):
    """Records when each ``sendMessage`` to a chat arrived, and wakes whoever waits for it.

    ``wait_for`` of the plain fake rescans every call on every change; with
    thousands of calls and dozens of waiting users that would load the very CPU
    being measured.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.reply_times: defaultdict[int, list[float]] = defaultdict(list)
        self._reply_events: dict[int, asyncio.Event] = {}

    def _send_message(self, p: dict, call: Call) -> dict:
        message = super()._send_message(p, call)
        chat_id = message["chat"]["id"]
        self.reply_times[chat_id].append(call.at)
        event = self._reply_events.get(chat_id)
        if event is not None:
            event.set()
        return message

    async def wait_replies(self, chat_id: int, count: int, timeout: float) -> list[float]:
        """Arrival times (time.monotonic) of the first ``count`` replies to ``chat_id``."""
        deadline = time.monotonic() + timeout
        times = self.reply_times[chat_id]
        while len(times) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"chat {chat_id}: {len(times)} of {count} replies")
            event = self._reply_events.setdefault(chat_id, asyncio.Event())
            event.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)
        return times[:count]

    def count(self, method: str, *, since: int = 0) -> int:
        return sum(1 for call in self.calls[since:] if call.method == method)

"""The same conversation in a terminal: the same Coach, Rasa and database as Telegram.

Interactive at a terminal; with piped input it reads one message per line,
prints every reply and exits at the end of input. Buttons are listed with
numbers: typing the number or the title presses that button.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from bot import export
from bot.conversation import Coach
from bot.rasa_client import Button, Reply

PROMPT = "you> "


class Console:
    def __init__(self, coach: Coach, user_id: int, out: TextIO = sys.stdout) -> None:
        self.coach = coach
        self.user_id = user_id
        self.out = out
        self.buttons: list[Button] = []

    async def deliver(self, user_id: int, replies: list[Reply]) -> None:
        for reply in replies:
            if reply.text:
                self.out.write(f"coach> {reply.text}\n")
            if reply.buttons:
                self.buttons = list(reply.buttons)
                for number, button in enumerate(reply.buttons, 1):
                    self.out.write(f"   [{number}] {button.title}\n")
            if reply.command == "export":
                self.out.write(export.export_user(self.coach.db, user_id, "md").decode())
        self.out.flush()

    def _button_for(self, line: str) -> Button | None:
        if line.isdigit() and 1 <= int(line) <= len(self.buttons):
            return self.buttons[int(line) - 1]
        return next((b for b in self.buttons if b.title.lower() == line.lower()), None)

    async def say(self, line: str) -> None:
        line = line.strip()
        if not line:
            return
        button = self._button_for(line)
        self.buttons = []
        if button:
            await self.coach.press(self.user_id, button.payload, self.deliver)
        else:
            await self.coach.handle_text(self.user_id, line, self.deliver)

    async def run(self, stream: TextIO = sys.stdin) -> None:
        interactive = stream.isatty()
        if interactive:
            self.out.write("Rejection Coach in your terminal. Say hello; Ctrl-D to leave.\n")
        while True:
            if interactive:
                self.out.write(PROMPT)
                self.out.flush()
            line = await asyncio.to_thread(stream.readline)
            if not line:
                break
            await self.say(line)

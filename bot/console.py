"""The same conversation in a terminal: the same Coach, Rasa, database and commands as Telegram.

Interactive at a terminal; with piped input it reads one message per line,
prints every reply and exits at the end of input. Buttons are listed with
numbers. A line that is a button's title presses it; ``#2`` presses the
second; a bare number presses by position only when no button is itself a
number (at "how strong, 0 to 10?", ``7`` means seven). Files (an export, the
/stats chart) are written under DATA_DIR/exports and their path printed.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TextIO

from bot import commands, store
from bot.conversation import Coach
from bot.rasa_client import Button, Reply

PROMPT = "you> "
BY_NUMBER = re.compile(r"#(\d+)")
LINE_LIMIT = 1 << 20  # bytes; a pasted email is a few kilobytes
CHECKINS_NEED_TELEGRAM = (
    "One thing about the terminal: I can only send the evening check-in through Telegram, "
    "so it won't arrive here on its own."
)


def journal_dir(coach: Coach) -> Path:
    """DATA_DIR: the folder of the journal database."""
    _, _, path = coach.db.conn.execute("pragma database_list").fetchone()
    return Path(path).parent


async def read_lines(stream: TextIO) -> AsyncIterator[str]:
    """The lines of ``stream``, read when the event loop sees them arrive.

    No thread sits blocked in read(): such a thread keeps the process alive at
    exit until the input closes, so SIGTERM could not end a waiting chat. A
    file or a string, which the loop cannot watch, never makes a read wait.
    """
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=LINE_LIMIT)
    try:
        fd = stream.fileno()
        loop.add_reader(fd, _feed, loop, fd, reader)
    except (OSError, ValueError):  # io.UnsupportedOperation is a ValueError and an OSError
        for line in stream:
            yield line
        return
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        while line := await reader.readline():
            yield line.decode(encoding, errors="replace")
    finally:
        loop.remove_reader(fd)


def _feed(loop: asyncio.AbstractEventLoop, fd: int, reader: asyncio.StreamReader) -> None:
    try:
        chunk = os.read(fd, 65536)
    except OSError:  # e.g. the terminal hung up
        chunk = b""
    if chunk:
        reader.feed_data(chunk)
    else:
        loop.remove_reader(fd)
        reader.feed_eof()


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()


class Console:
    def __init__(
        self,
        coach: Coach,
        user_id: int,
        out: TextIO = sys.stdout,
        *,
        files: Path | None = None,
    ) -> None:
        self.coach = coach
        self.user_id = user_id
        self.out = out
        self.files = files or journal_dir(coach) / "exports"
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
                self.show(user_id, await commands.journal_file(self.coach, user_id))
        self.out.flush()

    def show(self, user_id: int, answers: list[commands.Answer]) -> None:
        for answer in answers:
            if isinstance(answer, commands.Text):
                self.out.write(f"coach> {answer.plain}\n")
                continue
            self.out.write(f"coach> {answer.caption}\n   saved to {self._save(user_id, answer)}\n")
        self.out.flush()

    def _save(self, user_id: int, file: commands.File) -> Path:
        self.files.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = self.files / f"{user_id}-{file.name}"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(file.content)
        return path

    def _button_for(self, line: str) -> Button | None:
        if match := BY_NUMBER.fullmatch(line):
            number = int(match[1])
            return self.buttons[number - 1] if 1 <= number <= len(self.buttons) else None
        titled = next((b for b in self.buttons if b.title.casefold() == line.casefold()), None)
        if titled or not _is_number(line) or any(_is_number(b.title) for b in self.buttons):
            return titled
        number = int(line)
        return self.buttons[number - 1] if 1 <= number <= len(self.buttons) else None

    async def say(self, line: str) -> None:
        """One typed line: a button, a slash command, or a message for the coach."""
        line = line.strip()
        if not line:
            return
        button = self._button_for(line)
        if button is None and BY_NUMBER.fullmatch(line):
            self._no_such_button(line)
            return
        self.buttons = []
        if button:
            await self.coach.press(self.user_id, button.payload, self.deliver)
        elif command := commands.parse(line):
            # A command's own words get the crisis check, as on Telegram.
            if not await self.coach.screen(self.user_id, " ".join(command[1]), self.deliver):
                await self._command(*command)
        else:
            await self.coach.handle_text(self.user_id, line, self.deliver)

    async def _command(self, name: str, args: list[str]) -> None:
        answers = await commands.run(self.coach, self.user_id, name, args, self.deliver)
        user = store.get_user(self.coach.db, self.user_id)
        if name == "checkin" and user and user["checkin_time"]:
            answers.append(commands.Text(CHECKINS_NEED_TELEGRAM))
        self.show(self.user_id, answers)

    def _no_such_button(self, line: str) -> None:
        if self.buttons:
            text = (
                f"There's no button {line} here; the ones above go from 1 to {len(self.buttons)}."
            )
        else:
            text = "There are no buttons to press just now, so write whatever you like."
        self.show(self.user_id, [commands.Text(text)])

    async def run(self, stream: TextIO = sys.stdin) -> None:
        interactive = stream.isatty()
        if interactive:
            self.out.write("Rejection Coach in your terminal. Say hello; Ctrl-D to leave.\n")
            self.out.write(PROMPT)
            self.out.flush()
        async with contextlib.aclosing(read_lines(stream)) as lines:
            async for line in lines:
                await self.say(line)
                if interactive:
                    self.out.write(PROMPT)
                    self.out.flush()

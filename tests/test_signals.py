"""SIGTERM and SIGINT end every front end: exit status 0, no Rasa process left behind.

Each test starts ``python -m bot`` as a real process, signals it, and waits
for it with a generous bound that only guards against a hang.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.launcher import MODEL_DIR
from tests.conftest import free_port

HANG_GUARD = 120.0  # seconds
STARTED = re.compile(r"started the .+? \(pid (\d+)\)")
UP = "Rasa and the action server are up"


def group_members(pgid: int) -> list[int]:
    """Live processes (zombies aside) in process group ``pgid``."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, _ppid, pgrp, *_ = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(pgrp) == pgid and state != "Z":
            members.append(int(stat.parent.name))
    return members


def environment(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "TELEGRAM_BOT_TOKEN"}
    env.update(
        DATA_DIR=str(data_dir),
        RASA_PORT=str(free_port()),
        ACTION_PORT=str(free_port()),
        RASA_URL="",
        RASA_TELEMETRY_ENABLED="false",
        LOG_LEVEL="INFO",
    )
    return {**env, **extra}


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator:
    """Start ``python -m bot ARGS``; stdin stays open, stderr goes to a file."""
    processes: list[asyncio.subprocess.Process] = []

    async def start(*args: str, **env: str) -> asyncio.subprocess.Process:
        with (tmp_path / "stderr.log").open("ab") as stderr:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                *args,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=stderr,
                env=environment(tmp_path, **env),
            )
        processes.append(process)
        return process

    try:
        yield start
    finally:
        for process in processes:
            if process.returncode is None:
                process.kill()
                await process.wait()


async def log_line(path: Path, pattern: str) -> str:
    """Wait until the log at ``path`` holds ``pattern``; return the log.

    A start-up that failed ends the wait at once, with the log to read.
    """
    while not re.search(pattern, text := path.read_text(errors="replace")):
        if " ERROR " in text:
            pytest.fail(f"the start-up failed:\n{text}")
        await asyncio.sleep(0.2)
    return text


async def test_a_chat_waiting_for_its_next_line_ends_on_sigterm(bot) -> None:
    process = await bot("chat", RASA_URL=f"http://127.0.0.1:{free_port()}")  # nobody there
    process.stdin.write(b"hello\n")
    await process.stdin.drain()
    answer = await asyncio.wait_for(process.stdout.readline(), HANG_GUARD)
    assert answer.startswith(b"coach> "), "answered (Rasa is away), now reading again"

    process.send_signal(signal.SIGTERM)

    assert await asyncio.wait_for(process.wait(), HANG_GUARD) == 0


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
@pytest.mark.parametrize("mode", ["chat", "telegram"])
async def test_a_signal_while_rasa_starts_stops_the_start_and_its_processes(
    bot, tmp_path: Path, mode: str, signum: signal.Signals
) -> None:
    if mode == "chat":
        process = await bot("chat")
    else:  # Telegram is never reached: the signal comes first
        process = await bot(
            "run",
            TELEGRAM_BOT_TOKEN="123:fake",
            TELEGRAM_BASE_URL=f"http://127.0.0.1:{free_port()}",
        )
    log = await asyncio.wait_for(
        log_line(tmp_path / "stderr.log", r"started the Rasa server"), HANG_GUARD
    )
    children = [int(pid) for pid in STARTED.findall(log)]

    process.send_signal(signum)

    assert await asyncio.wait_for(process.wait(), HANG_GUARD) == 0
    assert UP not in (tmp_path / "stderr.log").read_text(), "the start-up was cut short"
    assert len(children) == 2 and all(group_members(pid) == [] for pid in children)


@pytest.mark.e2e
async def test_a_running_chat_with_its_rasa_ends_on_sigterm(bot, tmp_path: Path) -> None:
    if not any(MODEL_DIR.glob("*.tar.gz")):
        pytest.fail("no trained Rasa model: run `make test` (it trains first)")
    process = await bot("chat")
    log = await asyncio.wait_for(log_line(tmp_path / "stderr.log", UP), 300)
    children = [int(pid) for pid in STARTED.findall(log)]
    process.stdin.write(b"hello\n")
    await process.stdin.drain()
    answer = await asyncio.wait_for(process.stdout.readline(), HANG_GUARD)
    assert answer.startswith(b"coach> ")

    process.send_signal(signal.SIGTERM)

    assert await asyncio.wait_for(process.wait(), HANG_GUARD) == 0
    assert len(children) == 2 and all(group_members(pid) == [] for pid in children)

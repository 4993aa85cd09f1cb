"""Launcher supervision, with child processes that really crash."""

from __future__ import annotations

import asyncio
import sys

import pytest

from bot import launcher
from bot.launcher import Child, Stack, StackFailed, child_env
from tests.conftest import make_settings


def crasher(tmp_path, name: str = "crasher") -> Child:
    return Child(
        name,
        [sys.executable, "-c", "import sys; sys.exit(3)"],
        "http://127.0.0.1:9/never",
        tmp_path / f"{name}.log",
    )


async def test_a_child_that_keeps_crashing_ends_in_a_clear_failure(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(launcher, "BACKOFF_SECONDS", 0.01)
    monkeypatch.setattr(launcher, "RESTART_WINDOW", 60.0)
    stack = Stack(make_settings(tmp_path))
    child = crasher(tmp_path)
    stack.children = (child,)
    monkeypatch.setattr(stack, "_wait_ready", _no_wait)
    await stack._spawn(child)

    with pytest.raises(StackFailed, match="died 6 times"):
        await asyncio.wait_for(stack.supervise(), timeout=60)
    assert len(child.restarts) == launcher.MAX_RESTARTS


async def test_a_child_that_dies_once_is_restarted(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(launcher, "BACKOFF_SECONDS", 0.01)
    stack = Stack(make_settings(tmp_path))
    child = Child(
        "sleeper",
        [sys.executable, "-c", "import time; time.sleep(60)"],
        "http://127.0.0.1:9/never",
        tmp_path / "sleeper.log",
    )
    stack.children = (child,)
    monkeypatch.setattr(stack, "_wait_ready", _no_wait)
    await stack._spawn(child)
    first_pid = child.process.pid

    supervisor = asyncio.create_task(stack.supervise())
    child.process.kill()
    for _ in range(100):
        await asyncio.sleep(0.05)
        if child.process.pid != first_pid:
            break
    supervisor.cancel()
    await stack.stop()

    assert child.process.pid != first_pid
    assert child.restarts and child.process.returncode is not None


def test_children_get_loopback_telemetry_off_and_no_bot_token(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:secret")
    env = child_env(make_settings(tmp_path))
    assert env["RASA_TELEMETRY_ENABLED"] == "false"
    assert env["SANIC_HOST"] == "127.0.0.1"
    assert "TELEGRAM_BOT_TOKEN" not in env
    rasa_args = Stack(make_settings(tmp_path)).rasa.args
    assert rasa_args[rasa_args.index("--interface") + 1] == "127.0.0.1"


async def _no_wait(child: Child, timeout: float) -> None:
    return None

"""Launcher supervision, with child processes that really crash."""

from __future__ import annotations

import asyncio
import logging
import stat
import sys
import threading

import pytest

from bot import launcher, log_privacy
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


def test_children_get_the_secret_and_their_own_log_level_through_the_environment(
    tmp_path,
) -> None:
    settings = make_settings(tmp_path, LOG_LEVEL="DEBUG")
    env = child_env(settings)
    assert env["RASA_TOKEN"] == settings.rasa_token
    assert env["LOG_LEVEL"] == "WARNING"  # the front end's DEBUG is not passed on
    assert child_env(make_settings(tmp_path, RASA_LOG_LEVEL="debug"))["LOG_LEVEL"] == "DEBUG"
    for child in Stack(settings).children:
        assert not any(settings.rasa_token in arg for arg in child.args)


@pytest.fixture
def front_end_logging(monkeypatch):
    """The record factory, hooks and warning capture the front end installs, undone after."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    factory = logging.getLogRecordFactory()
    log_privacy.install([])
    yield
    logging.setLogRecordFactory(factory)
    logging.captureWarnings(False)


async def test_child_output_goes_to_owner_only_rotated_files_without_the_secret(
    tmp_path, monkeypatch, front_end_logging
) -> None:
    monkeypatch.setattr(log_privacy, "LOG_FILE_BYTES", 10_000)
    settings = make_settings(tmp_path)
    stack = Stack(settings)
    child = Child(
        "talker",
        [
            sys.executable,
            "-c",
            # about 70 kB once the secret is redacted
            "import os\nfor i in range(5000): print(os.environ['RASA_TOKEN'], i)",
        ],
        "http://127.0.0.1:9/never",
        tmp_path / "logs" / "talker.log",
    )
    stack.children = (child,)
    await stack._spawn(child)
    await child.process.wait()
    await stack.stop()

    files = sorted((tmp_path / "logs").glob("talker.log*"))
    assert [path.name for path in files] == [f"talker.log{end}" for end in ("", ".1", ".2", ".3")]
    assert (tmp_path / "logs" / "talker.log").read_text().endswith("[secret] 4999\n")
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert settings.rasa_token not in path.read_text()


async def _no_wait(child: Child, timeout: float) -> None:
    return None

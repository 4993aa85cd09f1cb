"""Shared fixtures: a real Rasa stack, a fake Telegram server and the real front end.

The Rasa server and action server are started once per test session (they
take ~20 s to load); every test talks as its own Telegram user, so tests do
not see each other's conversations or journal rows.
"""

from __future__ import annotations

import itertools
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import store
from bot.config import Settings, load_settings
from bot.launcher import MODEL_DIR, Stack
from bot.telegram_app import TelegramFrontEnd
from tests.fake_telegram import DEFAULT_TOKEN, FakeTelegram

_user_ids = itertools.count(10_001)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_settings(data_dir: Path, **env: str) -> Settings:
    return load_settings(
        {
            "DATA_DIR": str(data_dir),
            "RASA_PORT": str(free_port()),
            "ACTION_PORT": str(free_port()),
            "LOG_LEVEL": "INFO",
            **env,
        }
    )


@pytest.fixture
def user_id() -> int:
    """A Telegram user id no other test uses."""
    return next(_user_ids)


@pytest.fixture
def db(tmp_path: Path):
    return store.connect(tmp_path / "coach.db")


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="session")
async def stack(data_dir: Path) -> AsyncIterator[Stack]:
    if not any(MODEL_DIR.glob("*.tar.gz")):
        pytest.fail("no trained Rasa model: run `make test` (it trains first)")
    settings = make_settings(data_dir, TELEGRAM_BASE_URL="", RASA_URL="")
    running = Stack(settings)
    try:
        await running.start()
        yield running
    finally:
        await running.stop()


@pytest.fixture(scope="session")
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest.fixture(scope="session")
async def front(stack: Stack, fake: FakeTelegram) -> AsyncIterator[TelegramFrontEnd]:
    """The real python-telegram-bot Application, long-polling the fake server."""
    from bot.__main__ import make_coach, setup_logging

    settings = load_settings(
        {
            "DATA_DIR": str(stack.settings.data_dir),
            "RASA_PORT": str(stack.settings.rasa_port),
            "ACTION_PORT": str(stack.settings.action_port),
            "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
            "TELEGRAM_BASE_URL": f"http://{fake.host}:{fake.port}",
        }
    )
    setup_logging(settings)
    coach = make_coach(settings, stack)
    frontend = TelegramFrontEnd(settings, coach)
    app = frontend.application
    async with app:
        await app.bot.set_my_commands(frontend.commands())
        await app.start()
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            yield frontend
        finally:
            await app.updater.stop()
            await app.stop()
            await coach.rasa.close()

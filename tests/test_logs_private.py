"""No secret and nothing a person wrote reaches a log file or the front end's output:
with a forced action error, unknown and malformed ``/intent{...}`` messages, a revoked
bot token, and every process at DEBUG."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT, Settings
from bot.launcher import Stack
from bot.log_privacy import Redactor, remember
from bot.rasa_client import RasaClient
from tests.conftest import make_settings
from tests.fake_telegram import DEFAULT_TOKEN, FakeTelegram
from tests.test_action_server_auth import assert_private

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rasa_project"))

from action_server import SORRY  # noqa: E402

# Words "people" write below; none may appear in any log or captured output.
WORDS = ("quillfeather", "zebrawood", "grapefruitly", "lanternfish", "xylophonist", "oolong")
TELEGRAM_USER = 31_337


def front_end_env(settings: Settings, fake: FakeTelegram, token: str, rasa_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "RASA_"))}
    return env | {
        "DATA_DIR": str(settings.data_dir),
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_BASE_URL": f"http://{fake.host}:{fake.port}",
        "RASA_URL": rasa_url,
        "RASA_TOKEN": settings.rasa_token,
        "ACTION_PORT": str(settings.action_port),
        "LOG_LEVEL": "DEBUG",
        "RASA_TELEMETRY_ENABLED": "false",
    }


async def start_front_end(env: dict) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        cwd=PROJECT_ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


async def test_a_revoked_token_at_start_up_is_not_printed(tmp_path, fake: FakeTelegram) -> None:
    revoked = "987654321:AARevokedTokenRevokedTokenRevoked-0"
    settings = make_settings(tmp_path)
    front = await start_front_end(front_end_env(settings, fake, revoked, "http://127.0.0.1:9"))
    output = (await front.communicate())[0].decode()

    assert front.returncode != 0
    assert "InvalidToken" in output  # it stopped because Telegram refused the token
    assert revoked not in output and "AARevoked" not in output


@pytest.fixture
async def own_fake() -> AsyncIterator[FakeTelegram]:
    """A Bot API server polled by this test's front end alone: the session's fake is
    polled by the in-process front end too, which would answer first."""
    async with FakeTelegram() as server:
        yield server


@pytest.mark.e2e
async def test_nothing_written_reaches_a_log_at_debug(tmp_path, own_fake: FakeTelegram) -> None:
    fake = own_fake
    settings = make_settings(tmp_path, RASA_LOG_LEVEL="DEBUG", TELEGRAM_BASE_URL="", RASA_URL="")
    stack = Stack(settings)
    rasa = RasaClient(settings.rasa_base_url, settings.rasa_token, actions_up=stack.actions_up)
    front_output = ""
    try:
        await stack.start()
        await rasa.send(7001, "Quillfeather turned me down for the zebrawood analyst role")
        await rasa.send(7001, '/no_such_intent{"company": "Grapefruitly"}')
        await rasa.send(7001, '/greet{"company": lanternfish')  # not JSON
        # A sender id that is not a number makes the check-in actions raise, with a
        # message that quotes it; Rasa has the whole conversation in hand.
        await rasa.send("xylophonist", "oolong tea with Quillfeather")
        replies = await rasa.send("xylophonist", '/set_checkin{"time": "21:30"}')
        replies += await rasa.send("xylophonist", "21:30")  # if the form still asks
        assert SORRY in [reply.text for reply in replies]

        env = front_end_env(settings, fake, DEFAULT_TOKEN, settings.rasa_base_url)
        front = await start_front_end(env)
        try:
            mark = fake.mark()
            fake.push_text(TELEGRAM_USER, "oolong and zebrawood, Quillfeather said no")
            await fake.wait_for("sendMessage", chat_id=TELEGRAM_USER, since=mark, timeout=120)
        finally:
            front.send_signal(signal.SIGTERM)
            front_output = (await front.communicate())[0].decode()
    finally:
        await rasa.close()
        await stack.stop()

    logs = settings.data_dir / "logs"
    assert "failed with ValueError" in (logs / "actions.log").read_text()
    assert " DEBUG " in (logs / "rasa.log").read_text()
    assert " DEBUG " in front_output
    assert_private(logs, (*WORDS, settings.rasa_token.casefold()))
    for secret in (*WORDS, settings.rasa_token.casefold(), DEFAULT_TOKEN.casefold()):
        assert secret not in front_output.casefold(), secret
    assert DEFAULT_TOKEN.split(":")[1] not in front_output


def record(name: str, level: int, msg: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, msg, args, None)


def test_a_record_keeps_its_shape_but_not_the_secrets_or_words_in_it() -> None:
    redactor = Redactor(["s3cret-value"])
    remember("nectarine")
    try:
        raise ValueError("quoted nectarine and s3cret-value")
    except ValueError:
        error = record("rasa.core.processor", logging.ERROR, "failed: %s", "nectarine")
        error.exc_info = sys.exc_info()
    third_party_debug = record("telegram.ext.ExtBot", logging.DEBUG, "params `%s`", {"t": 1})
    preformatted_debug = record("rasa.core.processor", logging.DEBUG, "Received 'nectarine'")
    url = record("bot", logging.INFO, "GET /bot123456789:%s/getMe?token=s3cret-value", "A" * 35)

    for each in (error, third_party_debug, preformatted_debug, url):
        redactor.filter(each)
    formatted = logging.Formatter().format(error)

    assert formatted.startswith("failed: …\nTraceback") and "ValueError" in formatted
    assert "nectarine" not in formatted and "s3cret" not in formatted
    assert third_party_debug.getMessage() == "params `…`"
    assert preformatted_debug.getMessage().startswith("[withheld: ")
    assert url.getMessage() == "GET /bot[secret]/getMe?token=[secret]"

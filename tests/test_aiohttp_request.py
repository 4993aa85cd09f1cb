"""Our aiohttp network layer for python-telegram-bot, where it differs from httpx's.

Everything the two share (calls, uploads, long polling, faults) runs against the
fake Bot API server in test_fake_telegram.py with both layers."""

from __future__ import annotations

import socket

import pytest
from telegram import Bot
from telegram.error import NetworkError

from bot.aiohttp_request import AiohttpRequest

TOKEN = "123456:SECRET-token-that-must-not-leak"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(
    ("base_url", "error"),
    [
        (lambda: f"http://127.0.0.1:{closed_port()}/bot", "ClientConnectorError"),
        (lambda: "http:///bot", "InvalidURL"),  # aiohttp's own text is the whole URL
    ],
)
async def test_a_failed_call_is_a_network_error_that_does_not_quote_the_token(
    base_url, error
) -> None:
    bot = Bot(
        TOKEN,
        base_url=base_url(),
        request=AiohttpRequest(),
        get_updates_request=AiohttpRequest(connection_pool_size=1),
    )
    await bot.request.initialize()
    try:
        with pytest.raises(NetworkError) as raised:
            await bot.send_message(42, "hello")
    finally:
        await bot.request.shutdown()
    assert error in str(raised.value)
    assert "SECRET" not in str(raised.value)


async def test_requests_need_initialize_first() -> None:
    with pytest.raises(RuntimeError, match="not initialized"):
        await AiohttpRequest().do_request("http://127.0.0.1:1/bot/getMe", "POST")

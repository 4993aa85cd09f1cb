"""Whether the action server is up comes from the launcher, with no request per message."""

from __future__ import annotations

import sys

import pytest
from aiohttp import web

from bot.launcher import Child, Stack
from bot.rasa_client import RasaClient, RasaUnavailable
from tests.conftest import make_settings
from tests.loopback import stand_in_webhook


async def test_an_action_server_that_exits_is_down_at_once(tmp_path) -> None:
    stack = Stack(make_settings(tmp_path))
    stack.actions = Child(
        "action server",
        [sys.executable, "-c", "import time; time.sleep(60)"],
        "http://127.0.0.1:9/never",
        tmp_path / "actions.log",
    )
    assert not stack.actions_up(), "not up before it was started"
    await stack._spawn(stack.actions)
    assert not stack.actions_up(), "not up before it answered"
    stack.actions.ready = True  # what _wait_ready notes when /health answers
    assert stack.actions_up()

    stack.actions.process.kill()
    await stack.actions.process.wait()
    assert not stack.actions_up(), "down as soon as its process has exited"
    await stack.stop()


async def test_a_message_is_kept_from_rasa_while_the_actions_are_down() -> None:
    received: list[str] = []

    async def webhook(request: web.Request) -> web.Response:
        received.append((await request.json())["message"])
        return web.json_response([{"recipient_id": "7", "text": "hi"}])

    up = True
    async with stand_in_webhook(webhook) as url:
        client = RasaClient(url, "secret", actions_up=lambda: up)
        try:
            assert (await client.send(7, "hello"))[0].text == "hi"
            up = False
            with pytest.raises(RasaUnavailable):
                await client.send(7, "kept for later")
        finally:
            await client.close()
    assert received == ["hello"], "the second message never reached Rasa"

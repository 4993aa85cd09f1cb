"""The Rasa client under load: waiting for a pooled connection is not a failure."""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.rasa_client import RasaClient
from tests.loopback import stand_in_webhook

POOL = 100  # RasaClient's connection limit


async def test_turns_beyond_the_connection_pool_wait_for_a_connection() -> None:
    async def slow_webhook(request: web.Request) -> web.Response:
        await asyncio.sleep(3.5)  # longer than the 3 s allowed for connecting
        return web.json_response([{"recipient_id": "1", "text": "hi"}])

    async with stand_in_webhook(slow_webhook) as url:
        client = RasaClient(url, "secret")
        try:
            answers = await asyncio.gather(
                *(client.send(user, "hello") for user in range(POOL + 5)),
                return_exceptions=True,
            )
        finally:
            await client.close()
    failed = [answer for answer in answers if isinstance(answer, BaseException)]
    assert failed == [], f"{len(failed)} turns failed while waiting for a connection"

"""A loopback HTTP proxy in front of Rasa that can stop answering, as a stuck Rasa would.

While ``holding`` is set, each request is counted and kept open without an answer
(it is never passed on); otherwise requests go through to the upstream server.
"""

from __future__ import annotations

import asyncio

import aiohttp
from aiohttp import web

PASSED_HEADERS = ("Authorization", "Content-Type")


class HoldingProxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.holding = False
        self.held = asyncio.Event()  # set once a request is being held
        self._never = asyncio.Event()
        self._session: aiohttp.ClientSession | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def __aenter__(self) -> HoldingProxy:
        self._session = aiohttp.ClientSession()
        app = web.Application(client_max_size=2**20)
        app.router.add_route("*", "/{path:.*}", self._handle)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if self.holding:
            self.held.set()
            await self._never.wait()  # ends only when the proxy shuts down
        assert self._session is not None
        headers = {
            name: request.headers[name] for name in PASSED_HEADERS if name in request.headers
        }
        async with self._session.request(
            request.method,
            f"{self.upstream}{request.path_qs}",
            headers=headers,
            data=await request.read(),
        ) as answer:
            return web.Response(
                status=answer.status, body=await answer.read(), content_type=answer.content_type
            )

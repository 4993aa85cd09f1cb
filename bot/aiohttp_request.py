"""python-telegram-bot's network layer on aiohttp instead of httpx.

``BaseRequest`` is PTB's documented place for another HTTP library. Why: every
turn of a conversation makes three or four Bot API calls (getUpdates,
sendMessage per reply, sometimes sendChatAction), and on a small machine an
httpx request costs the front end about 3 ms more CPU than an aiohttp one; that
CPU was most of what the front end added to Rasa's own time per message.
"""

from __future__ import annotations

import asyncio

import aiohttp
from telegram._utils.defaultvalue import DefaultValue  # as PTB's HTTPXRequest imports it
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


class AiohttpRequest(BaseRequest):
    """One pooled aiohttp session; timeouts as in PTB's ``HTTPXRequest``.

    aiohttp has no separate write or pool timeout: a request waits for a free
    connection, and a slow upload is bounded by the read timeout of its answer.
    """

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size)
            )

    async def shutdown(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: float | None | DefaultValue = BaseRequest.DEFAULT_NONE,
        write_timeout: float | None | DefaultValue = BaseRequest.DEFAULT_NONE,
        connect_timeout: float | None | DefaultValue = BaseRequest.DEFAULT_NONE,
        pool_timeout: float | None | DefaultValue = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        if isinstance(read_timeout, DefaultValue):
            read_timeout = self._read_timeout
        if isinstance(connect_timeout, DefaultValue):
            connect_timeout = self._connect_timeout
        timeout = aiohttp.ClientTimeout(sock_read=read_timeout, sock_connect=connect_timeout)
        try:
            async with self._session.request(
                method,
                url,
                data=body(request_data),
                headers={"User-Agent": self.USER_AGENT},
                timeout=timeout,
            ) as response:
                return response.status, await response.read()
        except asyncio.TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            # Only the class: aiohttp's texts can quote the URL, which holds the token.
            raise NetworkError(f"aiohttp.{type(error).__name__}") from error


def body(request_data: RequestData | None) -> aiohttp.FormData | dict[str, str] | None:
    """Form fields, as multipart when the request uploads a file (a chart, an export)."""
    if request_data is None:
        return None
    files = request_data.multipart_data
    if not files:
        return request_data.json_parameters
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form

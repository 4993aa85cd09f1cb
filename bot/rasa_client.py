"""Talking to the Rasa server over loopback HTTP, with the shared secret."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

WEBHOOK = "/webhooks/token_rest/webhook"


class RasaUnavailable(Exception):
    """Rasa (or the action server behind it) cannot take a message right now."""


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Reply:
    text: str | None = None
    buttons: tuple[Button, ...] = ()
    image: str | None = None
    custom: dict[str, Any] = field(default_factory=dict)

    @property
    def command(self) -> str | None:
        """A front-end command carried in a custom payload ({"command": "export"})."""
        return self.custom.get("command") if self.custom else None


def parse_replies(messages: list[dict[str, Any]]) -> list[Reply]:
    replies = []
    for message in messages:
        custom = message.get("custom")
        replies.append(
            Reply(
                text=message.get("text"),
                buttons=tuple(
                    Button(str(button.get("title", "")), str(button.get("payload", "")))
                    for button in message.get("buttons") or ()
                ),
                image=message.get("image"),
                custom=custom if isinstance(custom, dict) else {},
            )
        )
    return replies


def intent_payload(intent: str, entities: dict[str, Any] | None = None) -> str:
    """Rasa's payload syntax: '/set_checkin{"time": "21:30"}' skips NLU."""
    return f"/{intent}{json.dumps(entities)}" if entities else f"/{intent}"


class RasaClient:
    """One pooled HTTP client for every conversation (connection reuse matters).

    aiohttp rather than httpx: on this path the client's own CPU is the front end's
    overhead, and an aiohttp request costs about a quarter of an httpx one here."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        actions_up: Callable[[], bool] | None = None,
        timeout: float = 60.0,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._token = token
        self._actions_up = actions_up
        # sock_connect, not connect: aiohttp's connect timeout also counts the wait for
        # a free pooled connection, so a busy minute (100 turns in flight) failed turns
        # that Rasa would have answered: "I'll answer later", then the answer.
        self._timeout = aiohttp.ClientTimeout(total=timeout, sock_connect=3.0)
        self._session: aiohttp.ClientSession | None = None

    @property
    def _http(self) -> aiohttp.ClientSession:
        # Created on first use, inside the event loop that will use it.
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=self._timeout, connector=aiohttp.TCPConnector(limit=100)
            )
        return self._session

    async def send(self, sender_id: int | str, text: str) -> list[Reply]:
        """Pass one message through NLU, dialogue and actions; return the bot's replies."""
        self._require_actions()
        messages = await self._post(
            WEBHOOK,
            json={"sender": str(sender_id), "message": text},
            headers={"Authorization": f"Bearer {self._token}"},
        )
        return parse_replies(messages)

    async def trigger_intent(
        self, sender_id: int | str, intent: str, entities: dict[str, Any] | None = None
    ) -> list[Reply]:
        """Start a bot-initiated turn (the nightly check-in) through Rasa's HTTP API."""
        self._require_actions()
        answer = await self._post(
            f"/conversations/{sender_id}/trigger_intent",
            params={"token": self._token, "include_events": "NONE"},
            json={"name": intent, "entities": entities or {}},
        )
        return parse_replies(answer.get("messages", []))

    async def tracker_events(self, sender_id: int | str) -> list[dict[str, Any]]:
        """Every event Rasa holds for this conversation (for an export or a deletion)."""
        tracker = await self._request(
            "GET",
            f"/conversations/{sender_id}/tracker",
            params={"token": self._token, "include_events": "ALL"},
        )
        return tracker.get("events") or []

    async def replace_events(self, sender_id: int | str, events: list[dict[str, Any]]) -> None:
        await self._request(
            "PUT",
            f"/conversations/{sender_id}/tracker/events",
            params={"token": self._token, "include_events": "NONE"},
            json=events,
        )

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    def _require_actions(self) -> None:
        # Rasa carries on without its action server, silently dropping what the
        # actions would have saved; a message must wait instead. ``actions_up`` asks
        # the launcher, which watches that process: a health request before every
        # message was a round trip per message, and under load its 3 s timeout
        # turned slow answers into "I'll answer later" and a second reply.
        if self._actions_up is not None and not self._actions_up():
            raise RasaUnavailable("the action server is not running")

    async def _post(self, path: str, **kwargs: Any) -> Any:
        """POST to Rasa and return the decoded JSON answer."""
        return await self._request("POST", path, **kwargs)

    async def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            async with self._http.request(method, f"{self._base_url}{path}", **kwargs) as response:
                if response.status != 200:
                    raise RasaUnavailable(f"Rasa answered HTTP {response.status}")
                return await response.json()
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            raise RasaUnavailable(type(error).__name__) from error

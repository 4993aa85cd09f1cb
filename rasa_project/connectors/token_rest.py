"""A REST input channel that demands the shared secret on every request.

Rasa 3.6's ``RestInput`` ignores ``--auth-token``, so anyone who can reach
the port could talk as any user. This channel is the only way the front end
sends messages into Rasa, so it also tells ``bot.log_privacy`` which words to keep
out of this process's logs.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request

from bot import log_privacy


class TokenRestInput(RestInput):
    """``POST /webhooks/token_rest/webhook`` with ``Authorization: Bearer <token>``."""

    @classmethod
    def name(cls) -> str:
        return "token_rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TokenRestInput:
        token = (credentials or {}).get("token")
        if not token:
            raise ValueError("connectors.token_rest.TokenRestInput needs a 'token' credential")
        return cls(token)

    def __init__(self, token: str) -> None:
        self._expected = f"Bearer {token}".encode()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)

        @webhook.middleware("request")
        async def require_token(request: Request) -> response.HTTPResponse | None:
            supplied = request.headers.get("authorization", "").encode()
            if not hmac.compare_digest(supplied, self._expected):
                return response.json({"error": "unauthorized"}, status=401)
            body = request.json
            if isinstance(body, dict) and isinstance(body.get("message"), str):
                log_privacy.remember(body["message"])
            return None

        return webhook

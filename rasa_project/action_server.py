"""``python -m action_server --port N``: rasa_sdk's action server, closed to strangers.

- Every call but ``GET /health`` must carry ``Authorization: Bearer <RASA_TOKEN>``
  (endpoints.yml makes Rasa send it); any call whose ``Host`` is not loopback is
  refused, so a web page cannot reach it by rebinding a name to 127.0.0.1.
- An action that raises fails closed: Rasa gets one kind message instead of
  rasa_sdk's error reply, which quotes the whole tracker (every message) and which
  Rasa then logs; the log gets the action's name and the exception's type only.
- Logs go to the process's output (the launcher writes it to DATA_DIR/logs) at
  ``LOG_LEVEL``, cleaned by ``bot.log_privacy``.
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os
from typing import Any
from unittest import mock
from urllib.parse import urlsplit

from rasa_sdk import endpoint
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher
from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException
from rasa_sdk.plugin import plugin_manager
from sanic import Sanic, response
from sanic.request import Request

from bot import log_privacy

logger = logging.getLogger("action_server")

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
UNAUTHENTICATED = frozenset({"/health"})  # says "ok" and nothing else
SORRY = (
    "Sorry, something went wrong on my side just now, so that step didn't go through. "
    "What you wrote is still here in our chat; please try again in a moment."
)


class FailClosedExecutor(ActionExecutor):
    async def run(self, action_call: dict[str, Any]) -> dict[str, Any] | None:
        for event in (action_call.get("tracker") or {}).get("events") or ():
            if event.get("event") == "user" and event.get("text"):
                log_privacy.remember(event["text"])
        try:
            return await super().run(action_call)
        except (ActionExecutionRejection, ActionNotFoundException):
            raise  # rasa_sdk answers these itself, without the request
        except Exception as error:
            logger.error(
                "action %s failed with %s", action_call.get("next_action"), type(error).__name__
            )
            dispatcher = CollectingDispatcher()
            dispatcher.utter_message(text=SORRY)
            return {"events": [], "responses": dispatcher.messages}


def is_loopback(host: str) -> bool:
    return urlsplit(f"//{host}").hostname in LOOPBACK


def create_app(token: str) -> Sanic:
    with mock.patch.object(endpoint, "ActionExecutor", FailClosedExecutor):
        app = endpoint.create_app("actions", cors_origins=None)
    expected = f"Bearer {token}".encode()

    @app.middleware("request")
    async def require_secret(request: Request) -> response.HTTPResponse | None:
        if not is_loopback(request.headers.get("host", "")):
            return response.json({"error": "forbidden"}, status=403)
        supplied = request.headers.get("authorization", "").encode()
        if request.path not in UNAUTHENTICATED and not hmac.compare_digest(supplied, expected):
            return response.json({"error": "unauthorized"}, status=401)
        return None

    @app.exception(Exception)
    async def unexpected(request: Request, error: Exception) -> response.HTTPResponse:
        # rasa_sdk's own handler answers with the request body.
        logger.error("request to %s failed with %s", request.path, type(error).__name__)
        return response.json({"error": type(error).__name__}, status=500)

    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_args().port
    token = os.environ["RASA_TOKEN"]
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "WARNING").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    log_privacy.install([token])
    create_app(token).run("127.0.0.1", port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()

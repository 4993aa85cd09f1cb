"""Regenerate tests/data/bot_api_extract.json, the Bot API facts the fake server checks.

The fake (tests/fake_telegram.py) checks every call against this committed extract, so
the checks run in any clone. It holds only names, types, required flags and return types
of the methods in ``METHODS``, none of the spec's prose. Regenerate it after changing
``METHODS`` or the spec (tests/test_bot_api_extract.py fails while it is stale)::

    .venv/bin/python -m tests.bot_api_extract [--source ../shared/telegram-bot-api/api-10.0.json]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

# api-10.0.json matches python-telegram-bot's telegram.constants.BOT_API_VERSION.
SOURCE = Path(__file__).resolve().parents[2] / "shared/telegram-bot-api/api-10.0.json"
EXTRACT = Path(__file__).resolve().parent / "data/bot_api_extract.json"
METHODS = frozenset(
    {
        # What the bot calls: bot/telegram_app.py, bot/__main__.py and PTB's Application.
        "answerCallbackQuery",
        "deleteWebhook",
        "editMessageReplyMarkup",
        "editMessageText",
        "getMe",
        "getUpdates",
        "sendChatAction",
        "sendDocument",
        "sendMessage",
        "sendPhoto",
        "setMyCommands",
        # What the fake also serves to its own tests.
        "close",
        "deleteMyCommands",
        "getFile",
        "getMyCommands",
        "logOut",
    }
)


def extract(spec: dict[str, Any]) -> dict[str, Any]:
    """The facts the fake's checks read, for ``METHODS``, in the full spec's shape."""
    methods = {}
    for name in sorted(METHODS):
        method = spec["methods"][name]
        fields = [
            {"name": f["name"], "types": f["types"], "required": f["required"]}
            for f in method.get("fields", [])
        ]
        methods[name] = {"name": name, "returns": method["returns"], "fields": fields}
    return {"version": spec["version"], "methods": methods}


def render(spec: dict[str, Any]) -> str:
    return json.dumps(extract(spec), indent=1) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE, help="the full spec JSON")
    parser.add_argument("--out", type=Path, default=EXTRACT)
    args = parser.parse_args(argv)
    spec = json.loads(args.source.read_text(encoding="utf-8"))
    args.out.write_text(render(spec), encoding="utf-8")


if __name__ == "__main__":
    main()

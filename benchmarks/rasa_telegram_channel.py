"""Rasa's own Telegram connector, pointed at another Bot API server (the bench's fake).

Loaded by the Rasa process the bench starts for comparison (credentials key
``benchmarks.rasa_telegram_channel.ElsewhereTelegramInput``). Only where the Bot API
lives changes; and the webhook is not registered at start-up (the fake delivers no
updates: the bench posts them to Rasa's webhook itself, as Telegram would).
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.bot.api import TelegramAPIServer
from rasa.core.channels.telegram import TelegramInput, TelegramOutput


class ElsewhereTelegramOutput(TelegramOutput):
    def __init__(self, access_token: str, server: str) -> None:
        Bot.__init__(self, access_token, server=TelegramAPIServer.from_base(server))


class ElsewhereTelegramInput(TelegramInput):
    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> ElsewhereTelegramInput:
        channel = super().from_credentials(credentials)
        channel.server = (credentials or {})["server"]
        return channel

    def get_output_channel(self) -> TelegramOutput:
        return ElsewhereTelegramOutput(self.access_token, self.server)

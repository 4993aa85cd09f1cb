"""How fast python-telegram-bot's AIORateLimiter lets a burst of messages out."""

from __future__ import annotations

import asyncio
import time

from telegram.ext import AIORateLimiter, ExtBot

from benchmarks.fake import TimedFake
from benchmarks.stats import max_in_window, rate


async def _burst(fake: TimedFake, chat_ids: list[int], *, concurrent: bool) -> dict:
    bot = ExtBot(
        fake.token,
        base_url=fake.base_url,
        base_file_url=fake.base_file_url,
        rate_limiter=AIORateLimiter(max_retries=3),  # as the front end builds it
    )
    async with bot:
        start = time.monotonic()
        sends = [bot.send_message(chat_id, "How did today go?") for chat_id in chat_ids]
        if concurrent:
            await asyncio.gather(*sends)
        else:
            for send in sends:
                await send
        elapsed = time.monotonic() - start
    times = sorted(fake.reply_times[chat_id][0] for chat_id in chat_ids)
    steady = times[35:]  # past the limiter's initial allowance
    return {
        "messages": len(chat_ids),
        "seconds": round(elapsed, 2),
        "observed_per_s": rate(times),
        "steady_per_s": rate(steady),
        "max_in_any_1s": max_in_window(times, 1.0),
    }


async def rate_limited_sends(
    fake: TimedFake, count: int = 200, first_chat: int = 5_000_000
) -> dict:
    """``count`` messages to distinct private chats, all at once and one after another."""
    together = await _burst(fake, list(range(first_chat, first_chat + count)), concurrent=True)
    in_turn = await _burst(
        fake, list(range(first_chat + count, first_chat + 2 * count)), concurrent=False
    )
    return {
        "concurrent": together,
        "sequential": in_turn,
        "method": f"a real python-telegram-bot ExtBot with AIORateLimiter(max_retries=3), as "
        f"in bot/telegram_app.py, sending {count} messages to distinct private chats at the "
        "fake server: all awaited together (as checkins.run_due now does, 8 at a time), then "
        "one after another; rates from the arrival times at the fake; 'steady' leaves out "
        "the first 35",
    }

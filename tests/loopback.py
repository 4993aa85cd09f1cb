"""Small loopback helpers shared by tests and the tools that run their own stack."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from aiohttp import web

from bot.rasa_client import WEBHOOK


@asynccontextmanager
async def stand_in_webhook(
    handler: Callable[[web.Request], Awaitable[web.Response]],
) -> AsyncIterator[str]:
    """Serve ``handler`` as Rasa's token webhook on a free loopback port; yield its URL."""
    app = web.Application()
    app.router.add_post(WEBHOOK, handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
    finally:
        await runner.cleanup()


def print_log_tails(error: Exception, data_dir: Path, lines: int) -> None:
    """A stack that could not start: its logs sit in a temporary DATA_DIR, so show their ends."""
    print(error, file=sys.stderr)
    for log in sorted((data_dir / "logs").glob("*.log")):
        tail = log.read_text(errors="replace").splitlines()[-lines:]
        print(f"--- end of {log.name}", *tail, sep="\n", file=sys.stderr)

"""Command line: ``python -m bot run|chat|export|backup``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

from bot import export, log_privacy, store
from bot.config import Settings, load_settings
from bot.launcher import Stack, StackFailed
from bot.rasa_client import RasaClient

if TYPE_CHECKING:
    from bot.conversation import Coach

logger = logging.getLogger("bot")
DRAIN_INTERVAL = 5.0


def setup_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs every request URL at INFO; Bot API URLs hold the bot token and
    # Rasa API URLs the Rasa secret (redacted below, but the lines say nothing else).
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # python-telegram-bot logs request parameters (people's words) at DEBUG, and the
    # token in an error (a revoked token at start-up).
    log_privacy.install((settings.telegram_token, settings.rasa_token))


@contextlib.asynccontextmanager
async def rasa_stack(settings: Settings, *, start: bool) -> AsyncIterator[Stack | None]:
    """Start (and finally stop) the Rasa processes, unless RASA_URL names running ones."""
    if not start:
        yield None
        return
    stack = Stack(settings)
    logger.info("starting Rasa; loading the language model takes a little while")
    try:
        await stack.start()
        yield stack
    finally:
        await stack.stop()


def load_front_end(mode: str) -> None:
    """The front end's slow imports and the crisis check's net, so they load while Rasa
    does (importing them first held Rasa's start back by 2-4 s)."""
    from bot import checkins, conversation, safety_model  # noqa: F401

    if mode == "telegram":
        import bot.telegram_app  # noqa: F401
    safety_model.loader.start()


def make_coach(settings: Settings, stack: Stack | None = None) -> Coach:
    from bot.conversation import Coach

    actions_up = stack.actions_up if stack else None
    rasa = RasaClient(settings.rasa_base_url, settings.rasa_token, actions_up=actions_up)
    tracker = None if settings.rasa_url else settings.tracker_db_path
    return Coach(store.connect(settings.db_path), rasa, tracker)


async def periodic(interval: float, work) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            await work()
        except Exception:
            logger.exception("background work failed")


async def run_telegram(settings: Settings, stack: Stack | None) -> None:
    """Serve Telegram until cancelled (a signal) or the Rasa processes keep failing."""
    from bot import checkins, retention
    from bot.telegram_app import TelegramFrontEnd

    coach = make_coach(settings, stack)
    front = TelegramFrontEnd(settings, coach)
    app = front.application
    async with app:
        await app.bot.set_my_commands(front.commands())
        await app.start()
        await app.updater.start_polling(drop_pending_updates=False)
        logger.info("Telegram bot @%s is running (long polling)", app.bot.username)
        tasks = [
            asyncio.create_task(periodic(DRAIN_INTERVAL, lambda: coach.drain(front.deliver))),
            asyncio.create_task(checkins.run_forever(coach.db, front.send_checkin)),
            asyncio.create_task(retention.run_daily(coach, settings.retention_days)),
        ]
        if stack:
            tasks.append(asyncio.create_task(stack.supervise()))
        try:
            await coach.drain(front.deliver)
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                task.result()  # re-raise StackFailed
        finally:
            for task in tasks:
                task.cancel()
            await app.updater.stop()
            await app.stop()
            await coach.rasa.close()


async def run_console(settings: Settings, user_id: int, stack: Stack | None) -> None:
    from bot.console import Console

    coach = make_coach(settings, stack)
    try:
        await Console(coach, user_id, files=settings.data_dir / "exports").run()
    finally:
        await coach.rasa.close()


async def run_front_end(settings: Settings, *, mode: str, user_id: int) -> None:
    loading = asyncio.create_task(asyncio.to_thread(load_front_end, mode))
    async with rasa_stack(settings, start=settings.rasa_url is None) as stack:
        await loading
        if mode == "telegram":
            await run_telegram(settings, stack)
        else:
            await run_console(settings, user_id, stack)


async def serve(settings: Settings, *, mode: str, user_id: int) -> int:
    """Run a front end until it ends or SIGINT/SIGTERM arrives (0); 1 if Rasa kept failing.

    A signal cancels the work wherever it is, Rasa's start-up included; the
    Rasa processes are stopped on the way out. Further signals change nothing.
    """
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    work = asyncio.create_task(run_front_end(settings, mode=mode, user_id=user_id))
    stopped = asyncio.create_task(stop.wait())
    await asyncio.wait({work, stopped}, return_when=asyncio.FIRST_COMPLETED)
    stopped.cancel()
    work.cancel()
    try:
        await work
    except asyncio.CancelledError:
        logger.info("stopped")
    except StackFailed as error:
        logger.error("%s", error)
        return 1
    return 0


async def export_for_operator(settings: Settings, user_id: int, fmt: str) -> bytes:
    coach = make_coach(settings)
    try:
        return await export.export_for(coach, user_id, fmt)
    finally:
        await coach.rasa.close()


def backup(settings: Settings, target: Path) -> None:
    """Copy the journal with SQLite's online backup API (safe while the bot runs)."""
    source = sqlite3.connect(settings.db_path)
    destination = sqlite3.connect(target)
    try:
        with destination:
            source.backup(destination)
    finally:
        destination.close()
        source.close()
    target.chmod(0o600)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="start everything: Telegram with a token, else the terminal")
    chat = commands.add_parser("chat", help="talk to the coach in this terminal")
    chat.add_argument("--user-id", type=int, default=1)
    export_cmd = commands.add_parser("export", help="write one user's journal")
    export_cmd.add_argument("--user-id", type=int, required=True)
    export_cmd.add_argument("--format", choices=export.FORMATS, default="md")
    export_cmd.add_argument("--out", type=Path)
    backup_cmd = commands.add_parser("backup", help="copy the journal database safely")
    backup_cmd.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    os.umask(0o077)  # journal, tracker, logs, exports: readable by their owner only

    settings = load_settings()
    setup_logging(settings)
    if args.command == "export":
        content = asyncio.run(export_for_operator(settings, args.user_id, args.format))
        if args.out:
            args.out.write_bytes(content)
        else:
            sys.stdout.buffer.write(content)
        return 0
    if args.command == "backup":
        backup(settings, args.file)
        return 0
    if args.command == "run" and settings.telegram_token:
        return asyncio.run(serve(settings, mode="telegram", user_id=0))
    if args.command == "run":
        print(
            "No TELEGRAM_BOT_TOKEN set: opening the same conversation here in the terminal.",
            file=sys.stderr,
        )
    return asyncio.run(serve(settings, mode="console", user_id=getattr(args, "user_id", 1)))


if __name__ == "__main__":
    sys.exit(main())

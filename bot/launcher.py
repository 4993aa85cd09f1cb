"""Starts and supervises Rasa's action server and Rasa server as child processes.

Both bind to 127.0.0.1 only. Their output passes through this process into
size-rotated, owner-only files in DATA_DIR/logs, with secrets redacted. A child
that dies is logged and restarted with back-off; one that keeps dying ends the
whole program with a non-zero exit (``StackFailed``), rather than looping for ever.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlite_utils import Database

from bot.config import RASA_PROJECT, Settings
from bot.log_privacy import PrivateRotatingFileHandler
from bot.privacy import forget_conversation
from bot.rasa_client import WEBHOOK

logger = logging.getLogger(__name__)

MODEL_DIR = RASA_PROJECT / "models"
MAX_RESTARTS = 5  # within RESTART_WINDOW seconds
RESTART_WINDOW = 600.0
BACKOFF_SECONDS = 1.0  # doubled after each restart inside the window
WARM_UP_SENDER = 0  # no Telegram user has id 0
OUTPUT_LINE_LIMIT = 4 * 1024 * 1024  # a child's longest line (a traceback, a JSON log)
READY_POLL_SECONDS = 0.1  # a refused connection costs next to nothing while a child loads


class StackFailed(RuntimeError):
    """A child process could not be started or kept running."""


def child_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("TELEGRAM_BOT_TOKEN", None)  # the children never need it
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        DATA_DIR=str(settings.data_dir),
        RASA_TOKEN=settings.rasa_token,  # the action server checks it on every call
        LOG_LEVEL=settings.rasa_log_level,  # the front end's LOG_LEVEL is not theirs
        ACTION_ENDPOINT=f"http://127.0.0.1:{settings.action_port}/webhook",
        TRACKER_DB=str(settings.tracker_db_path),
        SANIC_HOST="127.0.0.1",  # rasa_sdk binds 0.0.0.0 otherwise
        ACTION_SERVER_SANIC_WORKERS="1",
        SANIC_WORKERS="1",
        TF_CPP_MIN_LOG_LEVEL="2",
        PYTHONUNBUFFERED="1",
    )
    return env


@dataclass
class Child:
    name: str
    args: list[str]
    ready_url: str
    log_path: Path
    process: asyncio.subprocess.Process | None = None
    log: logging.Handler | None = None
    copier: asyncio.Task[None] | None = None
    restarts: list[float] = field(default_factory=list)
    ready: bool = False  # answered since it was last started

    def up(self) -> bool:
        """Ready, and its process has not exited since (asyncio notes the exit)."""
        return self.ready and self.process is not None and self.process.returncode is None


class Stack:
    """The action server and the Rasa server, started in that order."""

    def __init__(self, settings: Settings, *, model: Path = MODEL_DIR) -> None:
        self.settings = settings
        log_dir = settings.data_dir / "logs"
        log_dir.mkdir(mode=0o700, exist_ok=True)
        python = sys.executable
        self.actions = Child(
            "action server",
            [python, "-m", "action_server", "--port", str(settings.action_port)],
            f"http://127.0.0.1:{settings.action_port}/health",
            log_dir / "actions.log",
        )
        self.rasa = Child(
            "Rasa server",
            [
                python,
                "-m",
                "rasa_server",  # rasa, taking the token from RASA_TOKEN
                "run",
                "--enable-api",
                "--interface",
                "127.0.0.1",
                "--port",
                str(settings.rasa_port),
                "--model",
                str(model),
                "--endpoints",
                "endpoints.yml",
                "--credentials",
                "credentials.yml",
            ],
            f"http://127.0.0.1:{settings.rasa_port}/status?token={settings.rasa_token}",
            log_dir / "rasa.log",
        )
        self.children = (self.actions, self.rasa)

    def actions_up(self) -> bool:
        """Whether a message may go to Rasa: its actions would run (no request made)."""
        return self.actions.up()

    async def start(self, timeout: float = 240.0) -> None:
        # Rasa creates its tracker database with the default umask: make it
        # owner-only first (SQLite keeps the mode of an existing file).
        tracker = self.settings.tracker_db_path
        if not tracker.exists():
            os.close(os.open(tracker, os.O_WRONLY | os.O_CREAT, 0o600))
        # Write-ahead log: a commit of Rasa's (every turn) costs one sync instead of
        # a rollback journal's several, and erasing a conversation never blocks it.
        with contextlib.closing(Database(tracker)) as db:
            db.enable_wal()
        for child in self.children:
            await self._spawn(child)
        await asyncio.gather(*(self._wait_ready(child, timeout) for child in self.children))
        await self._warm_up(timeout)
        logger.info("Rasa and the action server are up (logs in %s)", self.actions.log_path.parent)

    async def _warm_up(self, timeout: float) -> None:
        """Answer one throwaway message, so the first person does not wait while
        TensorFlow builds its graphs; then forget that conversation."""
        base = f"http://127.0.0.1:{self.settings.rasa_port}"
        async with httpx.AsyncClient(timeout=timeout) as http:
            # NLU through the model's parse endpoint (stores nothing), dialogue
            # through a payload that skips NLU and runs no custom action.
            await http.post(
                f"{base}/model/parse",
                params={"token": self.settings.rasa_token},
                json={"text": "hello"},
            )
            await http.post(
                f"{base}{WEBHOOK}",
                json={"sender": str(WARM_UP_SENDER), "message": "/greet"},
                headers={"Authorization": f"Bearer {self.settings.rasa_token}"},
            )
        forget_conversation(self.settings.tracker_db_path, WARM_UP_SENDER)

    async def _spawn(self, child: Child) -> None:
        if child.log is None:
            secrets = (self.settings.rasa_token, self.settings.telegram_token)
            child.log = PrivateRotatingFileHandler(child.log_path, secrets)
        child.process = await asyncio.create_subprocess_exec(
            *child.args,
            cwd=RASA_PROJECT,
            env=child_env(self.settings),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            limit=OUTPUT_LINE_LIMIT,
            start_new_session=True,  # so we can stop its whole process group
        )
        child.copier = asyncio.create_task(copy_output(child.process, child.log))
        logger.info("started the %s (pid %s)", child.name, child.process.pid)

    async def _wait_ready(self, child: Child, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(timeout=2.0) as http:
            while time.monotonic() < deadline:
                if child.process and child.process.returncode is not None:
                    raise StackFailed(
                        f"the {child.name} exited with code {child.process.returncode} "
                        f"while starting; see {child.log_path}"
                    )
                with contextlib.suppress(httpx.HTTPError):
                    response = await http.get(child.ready_url)
                    if response.status_code == 200 and (
                        child is not self.rasa or response.json().get("model_file")
                    ):
                        child.ready = True
                        return
                await asyncio.sleep(READY_POLL_SECONDS)
        raise StackFailed(
            f"the {child.name} did not answer within {timeout:.0f}s; see {child.log_path}"
        )

    async def supervise(self) -> None:
        """Restart a child that dies, with back-off; raise StackFailed if it keeps dying."""
        while True:
            await asyncio.sleep(1.0)
            for child in self.children:
                if child.process is None or child.process.returncode is None:
                    continue
                now = time.monotonic()
                child.restarts = [t for t in child.restarts if now - t < RESTART_WINDOW]
                if len(child.restarts) >= MAX_RESTARTS:
                    raise StackFailed(
                        f"the {child.name} died {MAX_RESTARTS + 1} times in "
                        f"{RESTART_WINDOW / 60:.0f} minutes; giving up (see {child.log_path})"
                    )
                delay = BACKOFF_SECONDS * 2 ** len(child.restarts)
                logger.error(
                    "the %s exited with code %s; restarting in %ss",
                    child.name,
                    child.process.returncode,
                    delay,
                )
                child.restarts.append(now)
                await asyncio.sleep(delay)
                await self.restart(child)
                logger.info("the %s is back", child.name)

    async def restart(self, child: Child) -> None:
        """Stop and start one child (used by tests and after retraining)."""
        await self._terminate(child)
        await self._spawn(child)
        await self._wait_ready(child, 240.0)
        if child is self.rasa:
            await self._warm_up(240.0)

    async def stop(self) -> None:
        await asyncio.gather(*(self._terminate(child) for child in reversed(self.children)))
        for child in self.children:
            if child.copier is not None:
                await child.copier
            if child.log is not None:
                child.log.close()

    async def _terminate(self, child: Child, grace: float = 10.0) -> None:
        child.ready = False
        process = child.process
        if process is None or process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), grace)
        except asyncio.TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            await process.wait()
        logger.info("stopped the %s", child.name)


async def copy_output(process: asyncio.subprocess.Process, log: logging.Handler) -> None:
    """Write each line a child prints to its log file (the handler redacts secrets)."""
    assert process.stdout is not None
    while True:
        try:
            line = await process.stdout.readline()
        except ValueError:  # longer than OUTPUT_LINE_LIMIT: asyncio has skipped it
            line = b"[a line too long to log]\n"
        if not line:
            return
        text = line.decode(errors="replace").rstrip("\n")
        log.handle(logging.LogRecord(__name__, logging.INFO, __file__, 0, text, None, None))

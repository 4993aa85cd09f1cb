"""The alternative a Rasa user would pick: Rasa's built-in Telegram connector.

A second Rasa server with the same model, endpoints and action server, whose only
channel is Rasa's ``telegram`` connector pointed at a fake Bot API server of its own
(benchmarks/rasa_telegram_channel.py). Each turn is the update Telegram would POST to
its webhook; the webhook answers once Rasa has sent every reply.
"""

from __future__ import annotations

import asyncio
import itertools
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx

from benchmarks import procs, startup
from benchmarks.fake import TimedFake
from benchmarks.load import SCRIPT
from benchmarks.stats import summarize
from bot.config import RASA_PROJECT
from bot.launcher import MODEL_DIR

CHANNEL = "benchmarks.rasa_telegram_channel.ElsewhereTelegramInput"
WEBHOOK = "/webhooks/telegram/webhook"


def update(update_id: int, user_id: int, text: str) -> dict:
    """A private text message as the Bot API delivers it to a webhook."""
    person = {"id": user_id, "is_bot": False, "first_name": "Test"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Test"},
            "from": person,
            "text": text,
        },
    }


def credentials(fake: TimedFake, port: int) -> str:
    return (
        f"{CHANNEL}:\n"
        f"  access_token: {fake.token}\n"
        f"  verify: {fake.bot_user['username']}\n"
        f"  webhook_url: http://127.0.0.1:{port}{WEBHOOK}\n"
        f"  server: http://127.0.0.1:{fake.port}\n"
    )


async def _ready(url: str, launcher: procs.Launcher, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=2.0) as http:
        while time.monotonic() < deadline:
            if launcher.process.poll() is not None:
                raise RuntimeError(
                    f"Rasa with its Telegram connector exited; see {launcher.log_path}"
                )
            try:
                if (await http.get(url)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.5)
    raise RuntimeError(f"Rasa with its Telegram connector did not start; see {launcher.log_path}")


async def measure(
    work: Path,
    token: str,
    action_port: int,
    ids: Iterator[int],
    rounds: int,
    launchers: list,
    actions_cpu: Callable[[], float],
) -> dict:
    """One person at a time runs the script ``rounds`` times; latency and CPU per turn."""
    folder = work / "rasa-telegram-connector"
    folder.mkdir()
    async with TimedFake() as fake:
        port = startup.free_port()
        path = folder / "credentials.yml"
        path.write_text(credentials(fake, port))
        env = startup.quiet_env(
            RASA_TOKEN=token,
            ACTION_ENDPOINT=f"http://127.0.0.1:{action_port}/webhook",
            TRACKER_DB=str(folder / "rasa-tracker.db"),
            DATA_DIR=str(folder),
            PYTHONPATH=str(RASA_PROJECT.parent),
            LOG_LEVEL="WARNING",
        )
        args = [sys.executable, "-m", "rasa_server", "run", "--interface", "127.0.0.1"]
        args += ["--port", str(port), "--model", str(MODEL_DIR), "--endpoints", "endpoints.yml"]
        launcher = procs.Launcher(
            [*args, "--credentials", str(path)], env, folder / "rasa.log", RASA_PROJECT
        )
        launchers.append(launcher)
        started = time.monotonic()
        launcher.start()
        try:
            base = f"http://127.0.0.1:{port}"
            await _ready(f"{base}/webhooks/telegram/", launcher)
            ready_s = time.monotonic() - started
            cpu: Callable[[], float] = lambda: procs.cpu_seconds(launcher.process.pid)  # noqa: E731
            update_ids = itertools.count(1)
            async with httpx.AsyncClient(base_url=base, timeout=60.0) as http:

                async def turn(user_id: int, text: str) -> float:
                    start = time.monotonic()
                    answer = await http.post(WEBHOOK, json=update(next(update_ids), user_id, text))
                    answer.raise_for_status()
                    return time.monotonic() - start

                warm = next(ids)
                for text in SCRIPT:  # TensorFlow builds its graphs on the first turns
                    await turn(warm, text)
                times, mark = [], fake.mark()
                cpu_before, actions_before = cpu(), actions_cpu()
                for _ in range(rounds):
                    user_id = next(ids)
                    for text in SCRIPT:
                        times.append(await turn(user_id, text))
                cpu_ms = 1000 * (cpu() - cpu_before) / len(times)
                actions_ms = 1000 * (actions_cpu() - actions_before) / len(times)
                sent = fake.count("sendMessage", since=mark)
                lookups = fake.count("getMe", since=mark)
        finally:
            await asyncio.to_thread(launcher.stop)
    return {
        "latency": summarize(times),
        "cpu_ms_per_turn": {
            "Rasa server": round(cpu_ms, 1),
            "action server": round(actions_ms, 1),
            "total": round(cpu_ms + actions_ms, 1),
        },
        "messages_per_turn": round(sent / len(times), 2),
        "getme_calls_per_turn": round(lookups / len(times), 2),
        "seconds_to_ready": round(ready_s, 1),
        "spec_violations": len(fake.spec_violations),
        "method": f"a second Rasa server (same model, endpoints and action server; its own "
        "tracker database) whose only channel is rasa.core.channels.telegram with aiogram "
        "pointed at a fake Bot API server (the webhook is not registered: the fake has no "
        f"setWebhook); one person at a time, {rounds} rounds of the script after one warm-up "
        "round, each turn an update POSTed to /webhooks/telegram/webhook, timed until its "
        "answer (Rasa answers after sending every reply); CPU = utime+stime of that Rasa "
        "process and of the action server over the timed turns",
    }

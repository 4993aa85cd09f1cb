"""Set-up costs: full training, the no-change ``make train``, and start-up to a first reply."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks.fake import TimedFake
from benchmarks.procs import Launcher
from bot.config import PROJECT_ROOT, RASA_PROJECT

RASA_PATHS = ["--domain", "domain", "--data", "data", "--config", "config.yml"]
# Variables of ours that would change what the bot under test does.
FOREIGN_ENV = ("RASA_URL", "RASA_TOKEN", "ALLOWED_USER_IDS", "TELEGRAM_BOT_TOKEN", "DATA_DIR")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def quiet_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in FOREIGN_ENV}
    env.update(RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2", **extra)
    return env


def bot_env(fake_port: int, token: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """``python -m bot run``'s environment against a fake Bot API server, on free ports."""
    data_dir.mkdir()
    return quiet_env(
        TELEGRAM_BOT_TOKEN=token,
        TELEGRAM_BASE_URL=f"http://127.0.0.1:{fake_port}",
        DATA_DIR=str(data_dir),
        RASA_PORT=str(free_port()),
        ACTION_PORT=str(free_port()),
        **extra,
    )


def timed(
    args: list[str],
    cwd: Path,
    log: Path,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
) -> dict:
    """Run a command to completion, its output to ``log``; its wall time and exit code.

    One still running after ``timeout`` seconds is killed: no seconds, only ``over_s``."""
    start = time.monotonic()
    with log.open("wb") as out:
        try:
            code = subprocess.run(
                args,
                cwd=cwd,
                env=env or quiet_env(),
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=timeout,
            ).returncode
        except subprocess.TimeoutExpired:
            return {"seconds": None, "over_s": round(time.monotonic() - start, 1)}
    return {"seconds": round(time.monotonic() - start, 2), "exit_code": code}


def training(work: Path, timeout: float) -> dict:
    """``rasa_server train --force`` into a temporary folder, with its own training cache;
    stopped after ``timeout`` seconds (then only a lower bound is known)."""
    with tempfile.TemporaryDirectory(prefix="bench-train-") as out:
        result = timed(
            [sys.executable, "-m", "rasa_server", "train", *RASA_PATHS, "--out", out, "--force"],
            RASA_PROJECT,
            work / "train.log",
            quiet_env(RASA_CACHE_DIRECTORY=str(Path(out) / "cache")),
            timeout,
        )
        models = list(Path(out).glob("*.tar.gz"))
        result["model_mib"] = round(models[0].stat().st_size / 2**20, 1) if models else None
    result["method"] = (
        "wall time of `python -m rasa_server train --domain domain --data data --config "
        "config.yml --out <tmp> --force` in rasa_project/ (Rasa's command line as `make train` "
        "runs it) with an empty training cache; the model is thrown away"
    )
    return result


def setup(work: Path) -> dict:
    """What `make run` costs before it starts anything: after a training file was
    touched (the stamp's hash check runs) and when nothing changed at all."""
    stale_install = subprocess.run(
        ["make", "-q", ".venv/.installed"], cwd=PROJECT_ROOT, capture_output=True
    ).returncode
    args = ["make", "train"] if stale_install == 0 else ["make", "-o", ".venv/.installed", "train"]
    (RASA_PROJECT / "config.yml").touch()
    touched = timed(args, PROJECT_ROOT, work / "make-train-touched.log")
    checked = "Rasa model is up to date." in (work / "make-train-touched.log").read_text()
    again = timed(args, PROJECT_ROOT, work / "make-train-again.log")
    result: dict = {
        "after_touch": {
            **touched,
            "hash_check_only": checked,
            "method": "wall time of `make train` after touching rasa_project/config.yml: "
            "make sees a newer training file and compares the training files' hash with "
            "the stamp's (hash_check_only false means it retrained)",
        },
        "make_train": {
            **again,
            "command": " ".join(args),
            "method": "wall time of `make train` (the set-up part of `make run`) right after "
            "another one: nothing changed",
        },
    }
    if stale_install:
        result["make_train"]["note"] = (
            "pyproject.toml is newer than .venv/.installed, so `make run` would reinstall "
            "first; timed with the install step left out (-o .venv/.installed)"
        )
    return result


async def _wait_http(url: str, check, timeout: float) -> float | None:
    """Seconds (monotonic) when ``url`` first answered and passed ``check``."""
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=2.0) as http:
        while time.monotonic() < deadline:
            try:
                response = await http.get(url)
                if response.status_code == 200 and check(response):
                    return time.monotonic()
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)
    return None


async def start_bot(
    fake: TimedFake,
    launcher: Launcher,
    data_dir: Path,
    rasa_port: int,
    action_port: int,
    user_id: int,
    timeout: float = 300.0,
) -> tuple[str, dict]:
    """Launch ``python -m bot run`` with "hello" already waiting; time its first reply.

    Returns the Rasa secret the launcher generated and the timings."""
    start = time.monotonic()
    launcher.start()
    fake.push_text(user_id, "hello")
    token_path = data_dir / "rasa-token"
    while not token_path.exists():
        if launcher.process.poll() is not None or time.monotonic() - start > timeout:
            raise RuntimeError(f"the bot did not start; see {launcher.log_path}")
        await asyncio.sleep(0.05)
    token = token_path.read_text().strip()
    actions = asyncio.create_task(
        _wait_http(f"http://127.0.0.1:{action_port}/health", lambda r: True, timeout)
    )
    rasa = asyncio.create_task(
        _wait_http(
            f"http://127.0.0.1:{rasa_port}/status?token={token}",
            lambda r: bool(r.json().get("model_file")),
            timeout,
        )
    )
    reply = asyncio.create_task(fake.wait_replies(user_id, 1, timeout))
    while not reply.done():
        if launcher.process.poll() is not None:
            reply.cancel()
            raise RuntimeError(
                f"the bot exited with code {launcher.process.returncode}; see {launcher.log_path}"
            )
        await asyncio.wait({reply}, timeout=0.5)
    [first] = reply.result()
    launcher.remember_children()
    polls = [call.at for call in fake.sent("getUpdates")]

    def since(moment: float | None) -> float | None:
        return None if moment is None else round(moment - start, 2)

    return token, {
        "seconds_to_first_reply": since(first),
        "action_server_ready_s": since(await actions),
        "rasa_ready_s": since(await rasa),
        "first_getupdates_s": since(min(polls) if polls else None),
        "method": "from launching `python -m bot run` (model already trained) with a "
        '"hello" update already waiting at the fake Telegram server, until the bot\'s '
        "sendMessage answering it arrived there; readiness polled every 0.2 s",
    }

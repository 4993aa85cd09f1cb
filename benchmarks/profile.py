"""``python -m benchmarks.profile``: where the CPU of a turn goes, sampled with py-spy.

Starts ``python -m bot run`` against the fake Bot API server (as ``make bench`` does),
keeps it busy with the script through Telegram, and samples the Rasa server, the
front end and the action server with ``py-spy record`` (a dev tool: ``pip install
py-spy``). Each sample is put in the first category its stack names, from the
innermost frame out; writes ``data/profile-report.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from benchmarks import load, procs, startup
from benchmarks.fake import TimedFake
from bot.config import PROJECT_ROOT

REPORT = PROJECT_ROOT / "data" / "profile-report.json"
# A sample's part: the innermost frame whose file starts with one of a component's
# prefixes (what Rasa or we were doing), else of a library's (whose code ran);
# its library: the library of the innermost frame, the code that was running.
COMPONENTS = (
    ("TED policy", ("rasa/core/policies/ted_policy.py",)),
    ("rule policy", ("rasa/core/policies/rule_policy.py",)),
    ("memoization policy", ("rasa/core/policies/memoization.py",)),
    ("policy ensemble", ("rasa/core/policies/ensemble.py",)),
    ("tracker featurizers", ("rasa/core/featurizers/",)),
    ("NLU featurizers", ("rasa/nlu/featurizers/",)),
    ("NLU tokenizer", ("rasa/nlu/tokenizers/",)),
    ("NLU intent classifier", ("presence_classifier.py", "rasa/nlu/classifiers/")),
    ("NLU entity extractors", ("saved_crf.py", "rasa/nlu/extractors/")),
    ("tracker store", ("rasa/core/tracker_store.py", "indexed_tracker_store.py")),
    ("tracker replay and events", ("rasa/shared/core/trackers.py", "rasa/shared/core/events.py")),
    ("domain and slots", ("rasa/shared/core/domain.py", "rasa/shared/core/slots.py")),
    ("action calls", ("rasa/core/actions/",)),
    ("action reply schema (ours)", ("rasa_server.py",)),
    ("lock store", ("rasa/core/lock_store.py",)),
    ("graph engine", ("rasa/engine/",)),
    ("message processor", ("rasa/core/processor.py", "rasa/core/agent.py")),
    ("Rasa channels", ("rasa/core/channels/", "connectors/")),
    ("our actions", ("actions/",)),
    ("rasa_sdk", ("rasa_sdk/",)),
    ("our code in bot/", ("bot/",)),
)
LIBRARIES = (
    ("JSON", ("json/", "ujson", "orjson", "jsonschema/")),
    ("SQL", ("sqlalchemy/", "sqlite3/", "sqlite_utils/")),
    ("TensorFlow", ("tensorflow/", "keras/")),
    ("numpy, scipy, sklearn", ("numpy/", "scipy/", "sklearn/", "sklearn_crfsuite/")),
    ("python-telegram-bot", ("telegram/",)),
    ("HTTP: Sanic, aiohttp, httpx", ("sanic/", "aiohttp/", "httpx/", "httpcore/", "h11/")),
    ("logging", ("logging/",)),
    ("asyncio", ("asyncio/", "uvloop")),
)
OURS = (
    "bot/",
    "actions/",
    "connectors/",
    "presence_classifier.py",
    "saved_crf.py",
    "indexed_tracker_store.py",
    "rasa_server.py",
    "action_server.py",
)
# Blocked in a system call that py-spy takes for running: asyncio's child watcher
# threads (the launcher's, one per child process) waiting for their child to exit.
BLOCKED = ("_do_waitpid ",)
# Sanic runs uvloop, whose loop is C: a sample with no Python frame below Sanic's
# run_forever call is uvloop's own work or a wait py-spy could not tell from it.
IN_UVLOOP = ("serve (sanic/server/runners.py",)
ENTRY_POINTS = ("<module>", "main", "_run_code", "_run_module_as_main")


def frame_file(frame: str) -> str:
    """``"func (path/file.py:12)"`` -> ``"path/file.py"``."""
    return frame[frame.rfind("(") + 1 : frame.rfind(":")]


def innermost(stack: list[str], kinds: tuple) -> str | None:
    for frame in reversed(stack):
        if frame.split(" (")[0] in ENTRY_POINTS:
            continue
        path = frame_file(frame)
        for name, prefixes in kinds:
            if path.startswith(prefixes):
                return name
    return None


def summarize_raw(text: str, turns: int) -> dict:
    """py-spy's raw output (``frame;frame;... count`` per line): shares of the samples by
    component and by library, and the share under each of our own functions."""
    parts: Counter[str] = Counter()
    libraries: Counter[str] = Counter()
    ours: Counter[str] = Counter()
    for line in text.splitlines():
        stack_text, _, count = line.rpartition(" ")
        if not stack_text:
            continue
        stack = stack_text.split(";")
        if stack[-1].startswith(BLOCKED):
            continue
        if stack[-1].startswith(IN_UVLOOP):
            part = "uvloop (its C code, or waiting)"
        else:
            part = innermost(stack, COMPONENTS) or innermost(stack, LIBRARIES) or "other"
        parts[part] += int(count)
        libraries[innermost(stack[-1:], LIBRARIES) or "other Python"] += int(count)
        own = [
            f
            for f in stack
            if frame_file(f).startswith(OURS) and f.split(" (")[0] not in ENTRY_POINTS
        ]
        if own:
            ours[frame_file(own[-1])] += int(count)
    total = sum(parts.values())

    def shares(counter: Counter[str]) -> dict[str, float]:
        return {name: round(100 * n / total, 1) for name, n in counter.most_common()}

    return {
        "samples": total,
        "samples_per_turn": round(total / turns, 2) if turns else None,
        "by_part_pct": shares(parts),
        "by_library_pct": shares(libraries),
        "under_our_code_pct": dict(list(shares(ours).items())[:10]),
    }


async def run(work: Path, seconds: float, users: int, rate: int) -> dict:
    async with TimedFake() as fake:
        data_dir = work / "data"
        env = startup.bot_env(fake.port, fake.token, data_dir)
        ports = int(env["RASA_PORT"]), int(env["ACTION_PORT"])
        launcher = procs.Launcher(
            [sys.executable, "-m", "bot", "run"], env, work / "bot.log", PROJECT_ROOT
        )
        try:
            token, _ = await startup.start_bot(fake, launcher, data_dir, *ports, 999_999)
            ids = itertools.count(1_000_001)
            direct = load.Direct(f"http://127.0.0.1:{ports[0]}", token)
            telegram = load.ViaTelegram(fake, await direct.calibrate(next(ids)))
            await direct.close()
            await load.drive([telegram.turn], users, ids, rounds=1)  # warm
            roles = procs.process_roles(launcher.process.pid)
            pids = {role: [p for p, r in roles.items() if r == role][0] for role in procs.ROLES}
            recorders = {
                role: await asyncio.create_subprocess_exec(
                    *("py-spy", "record", "--pid", str(pid), "--format", "raw"),
                    *("--rate", str(rate), "--duration", str(int(seconds))),
                    *("--output", str(work / f"{role}.txt")),
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                for role, pid in pids.items()
            }
            cpu_before = procs.cpu_by_role(launcher.process.pid)
            [turns], _ = await load.drive([telegram.turn], users, ids, duration=seconds)
            cpu = load.cpu_per_turn(
                cpu_before, procs.cpu_by_role(launcher.process.pid), len(turns.done)
            )
            for recorder in recorders.values():
                await recorder.wait()
        finally:
            await asyncio.to_thread(launcher.stop)
    return {
        "turns": len(turns.done),
        "cpu_ms_per_turn": cpu,
        "by_process": {
            role: summarize_raw((work / f"{role}.txt").read_text(), len(turns.done))
            for role in pids
        },
        "method": f"python -m bot run against the fake Bot API server; {users} people run the "
        f"script through Telegram in a closed loop for {seconds:g} s while `py-spy record "
        f"--rate {rate} --format raw` samples each process (CPU only, idle threads left out); "
        "a sample goes to the part (Rasa component, our code) of its innermost frame that "
        "names one, else to its innermost library; by_library = the library of the "
        "innermost frame; under_our_code = the file of our innermost frame in the sample",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__)
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--users", type=int, default=3)
    parser.add_argument("--rate", type=int, default=100, help="samples per second")
    parser.add_argument("--out", type=Path, default=REPORT)
    parser.add_argument("--keep", action="store_true", help="keep py-spy's raw files")
    args = parser.parse_args(argv)
    if shutil.which("py-spy") is None:
        print("error: py-spy is not installed: .venv/bin/pip install py-spy", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="profile-"))
    try:
        result = asyncio.run(run(work, args.seconds, args.users, args.rate))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

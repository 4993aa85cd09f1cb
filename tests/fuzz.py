"""``python -m tests.fuzz``: generated messages through Rasa and its actions, then
through the whole pipe (the real python-telegram-bot front end against the fake
Telegram server), on a stack of its own in a temporary DATA_DIR.

It passes when no request failed, every message got an answer, no log holds a
traceback or an error line, both SQLite files pass ``PRAGMA integrity_check``,
nothing is left waiting for Rasa, and the rows of a few bystanders (set up
before the fuzz, never fuzzed) are unchanged. ``data/fuzz-report.json`` gets
the counts and the duration; the last line printed sums them up.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import re
import socket
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bot import log_privacy, store
from bot.config import PROJECT_ROOT, RASA_PROJECT, Settings, load_settings
from bot.conversation import as_text
from bot.launcher import Stack, StackFailed
from bot.rasa_client import RasaClient, RasaUnavailable
from tests.chat import REPLY_METHODS
from tests.fake_telegram import DEFAULT_TOKEN, POLLING_METHOD, Call, FakeTelegram
from tests.fuzz_inputs import Sample, conversations
from tests.loopback import print_log_tails

sys.path.insert(0, str(RASA_PROJECT))
from action_server import SORRY  # noqa: E402  (what a failed action answers)

REPORT = PROJECT_ROOT / "data" / "fuzz-report.json"
BYSTANDERS = frozenset(range(8_100_001, 8_100_006))
BYSTANDER_TURNS = ("hi", "I got rejected from Globex for the analyst role", "I feel sad", "6")
TURN_TIMEOUT = 120.0  # seconds one message may take to be answered through the pipe
QUIET = 0.5  # seconds without a call to a chat after which its turn counts as over
LOG_TAIL = 40
MAX_FAILED_SHOWN = 30
# Messages per conversation, on average. Rasa sends the action server the whole
# conversation at every step, so longer ones cost more per message.
CONVERSATION_LENGTH = 10
TIMESTAMP = re.compile(r"^[\d\-: ,.T]+")


@dataclass
class Tally:
    """What happened to the messages of one phase."""

    sent: int = 0
    answered: int = 0
    unanswered: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    seconds: Counter[str] = field(default_factory=Counter)  # waiting for answers, per kind
    failed: list[str] = field(default_factory=list)  # generated inputs, so safe to report

    def as_dict(self) -> dict[str, Any]:
        return {
            "sent": self.sent,
            "answered": self.answered,
            "unanswered": self.unanswered,
            "errors": dict(self.errors),
            "kinds": dict(sorted(self.kinds.items())),
            "mean_seconds": {
                k: round(self.seconds[k] / n, 3) for k, n in sorted(self.kinds.items())
            },
            "failed_or_unanswered_inputs": self.failed[:MAX_FAILED_SHOWN],
        }

    def count(
        self, sender: int, sample: Sample, seconds: float, answered: bool, error: str | None
    ) -> None:
        self.sent += 1
        self.kinds[sample.kind] += 1
        self.seconds[sample.kind] += seconds
        self.answered += answered
        self.unanswered += not answered and error is None
        if error is not None:
            self.errors[error] += 1
        if error is not None or not answered:
            self.failed.append(f"user {sender}, {sample.kind}: {sample.text[:200]!r}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def in_parallel(plan: Sequence[Any], workers: int, work: Any) -> None:
    """Run ``work(item)`` for every item, ``workers`` at a time."""
    queue: asyncio.Queue[Any] = asyncio.Queue()
    for item in plan:
        queue.put_nowait(item)

    async def worker() -> None:
        while not queue.empty():
            await work(queue.get_nowait())

    await asyncio.gather(*(worker() for _ in range(workers)))


def rasa_text(sample: Sample) -> str:
    """What the front end hands Rasa: a payload as a button sends it, typed text without
    leading spaces and slashes (text left empty is answered without Rasa)."""
    return sample.text if sample.kind == "payload" else as_text(sample.text)


def process_cpu_seconds(pid: int | None) -> float:
    """User and system CPU time of one process so far, from /proc."""
    if pid is None:
        return 0.0
    with contextlib.suppress(OSError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return 0.0


async def through_rasa(
    client: RasaClient, plan: list[tuple[int, list[Sample]]], workers: int
) -> Tally:
    """Each conversation's messages in order, straight to Rasa's webhook."""
    tally = Tally()

    async def converse(item: tuple[int, list[Sample]]) -> None:
        sender, samples = item
        for sample in samples:
            started = time.monotonic()
            try:
                replies, error = await client.send(sender, rasa_text(sample)), None
            except RasaUnavailable as unavailable:
                replies, error = [], str(unavailable)
            if any(reply.text == SORRY for reply in replies):
                error = "an action failed"  # the action server's log names it
            tally.count(sender, sample, time.monotonic() - started, bool(replies), error)

    await in_parallel(plan, workers, converse)
    return tally


def telegram_text(text: str) -> str:
    """What Telegram delivers for a typed text: trimmed, and never empty."""
    return text.strip() or "\u200b"


async def pipe_turn(fake: FakeTelegram, user_id: int, text: str) -> list[Call]:
    """Push one message; once its answer is in and the chat has gone quiet, the
    replies (none if none came within TURN_TIMEOUT)."""
    mark = fake.mark()
    fake.push_text(user_id, text)
    deadline = time.monotonic() + TURN_TIMEOUT
    while time.monotonic() < deadline:
        await asyncio.sleep(0.05)
        calls = [c for c in fake.calls[mark:] if c.params.get("chat_id") == user_id]
        replies = [c for c in calls if c.method in REPLY_METHODS]
        settled = all(c.response is not None for c in calls)
        if replies and settled and time.monotonic() - calls[-1].at >= QUIET:
            return replies
    return []


async def through_pipe(
    fake: FakeTelegram, plan: list[tuple[int, list[Sample]]], workers: int
) -> Tally:
    """Each conversation's messages in order, as Telegram updates, one turn at a time."""
    tally = Tally()
    mark = fake.mark()

    async def converse(item: tuple[int, list[Sample]]) -> None:
        user_id, samples = item
        for sample in samples:
            started = time.monotonic()
            replies = await pipe_turn(fake, user_id, telegram_text(sample.text))
            seconds = time.monotonic() - started - QUIET
            failed = any(call.params.get("text") == SORRY for call in replies)
            error = "an action failed" if failed else None
            tally.count(user_id, sample, seconds, bool(replies), error)

    await in_parallel(plan, workers, converse)
    for call in fake.calls[mark:]:
        if call.method != POLLING_METHOD and not call.ok:
            tally.errors[f"Telegram {call.method} refused"] += 1
    for violation in fake.spec_violations:
        tally.errors[f"Bot API spec: {violation}"] += 1
    return tally


@contextlib.asynccontextmanager
async def front_end(settings: Settings, fake: FakeTelegram) -> AsyncIterator[None]:
    """The real Telegram front end, in this process, long-polling the fake server."""
    from bot.__main__ import make_coach
    from bot.telegram_app import TelegramFrontEnd

    front_settings = load_settings(
        {
            "DATA_DIR": str(settings.data_dir),
            "RASA_PORT": str(settings.rasa_port),
            "ACTION_PORT": str(settings.action_port),
            "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
            "TELEGRAM_BASE_URL": f"http://{fake.host}:{fake.port}",
        }
    )
    coach = make_coach(front_settings)
    front = TelegramFrontEnd(front_settings, coach)
    app = front.application
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            yield
        finally:
            await app.updater.stop()
            await app.stop()
            await coach.rasa.close()


async def set_up_bystanders(client: RasaClient, db: Any) -> None:
    """People who used the bot before the fuzz: a conversation, a journal, settings."""
    for user_id in sorted(BYSTANDERS):
        for text in BYSTANDER_TURNS:
            await client.send(user_id, text)
        store.add_entry(db, user_id, "note", f"bystander {user_id}'s own words")
        store.add_application(db, user_id, company="Initech", role="analyst")
        store.update_user(db, user_id, checkin_time="21:30", timezone="Europe/Berlin")


def bystander_rows(settings: Settings) -> dict[str, list[list[Any]]]:
    """Every row of the bystanders in the journal and in Rasa's tracker store."""
    ids = sorted(BYSTANDERS)
    marks = ",".join("?" * len(ids))
    rows: dict[str, list[list[Any]]] = {}
    with contextlib.closing(sqlite3.connect(settings.db_path)) as db:
        for table in store.USER_TABLES:
            column = "id" if table == "users" else "user_id"
            query = f"select * from {table} where {column} in ({marks}) order by rowid"
            rows[table] = [list(row) for row in db.execute(query, ids)]
    with contextlib.closing(sqlite3.connect(settings.tracker_db_path)) as db:
        query = f"select * from events where sender_id in ({marks}) order by id"
        rows["tracker events"] = [list(row) for row in db.execute(query, [str(i) for i in ids])]
    return rows


def integrity(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute("pragma integrity_check").fetchone()[0]


def read_logs(log_dir: Path) -> dict[str, Any]:
    """Tracebacks and error lines in every log file (they hold no message text)."""
    tracebacks = 0
    errors: Counter[str] = Counter()
    for path in sorted(log_dir.glob("*.log*")):
        for line in path.read_text(errors="replace").splitlines():
            tracebacks += "Traceback" in line
            if " ERROR " in line or " CRITICAL " in line:
                errors[TIMESTAMP.sub("", line)[:200]] += 1
    return {
        "files": sorted(p.name for p in log_dir.glob("*.log*")),
        "tracebacks": tracebacks,
        "error_lines": sum(errors.values()),
        "errors": dict(errors.most_common(20)),
    }


@contextlib.contextmanager
def logged_to(path: Path) -> Iterator[None]:
    """This process's own records (the front end's) into DATA_DIR/logs as well."""
    handler = logging.FileHandler(path)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        handler.close()


async def run_phases(
    stack: Stack, client: RasaClient, *, nlu: int, pipe: int, seed: int, workers: int
) -> dict[str, Any]:
    """Bystanders first, then both phases, on a running stack."""
    settings = stack.settings
    with contextlib.closing(store.connect(settings.db_path)) as db:
        await set_up_bystanders(client, db)
    before = bystander_rows(settings)

    started = time.monotonic()
    plan = conversations(
        seed, nlu, max(1, nlu // 25), BYSTANDERS, accept=lambda s: bool(rasa_text(s))
    )
    pids = {child.name: child.process.pid for child in stack.children if child.process}
    cpu = {name: process_cpu_seconds(pid) for name, pid in pids.items()}
    print(f"{nlu} messages straight to Rasa and its actions …", flush=True)
    rasa = await through_rasa(client, plan, workers)
    cpu = {name: round(process_cpu_seconds(pid) - cpu[name], 1) for name, pid in pids.items()}
    rasa_seconds = time.monotonic() - started

    started = time.monotonic()
    plan = conversations(
        seed + 1, pipe, max(1, pipe // CONVERSATION_LENGTH), BYSTANDERS | {0}
    )  # 0: no one's id
    print(f"{pipe} messages through the Telegram front end …", flush=True)
    async with FakeTelegram() as fake, front_end(settings, fake):
        telegram = await through_pipe(fake, plan, workers * 2)  # turns mostly wait for quiet
    return {
        "rasa": {**rasa.as_dict(), "seconds": round(rasa_seconds, 1), "cpu_seconds": cpu},
        "pipe": {**telegram.as_dict(), "seconds": round(time.monotonic() - started, 1)},
        "bystanders_unchanged": before == bystander_rows(settings),
        "bystander_rows": sum(len(rows) for rows in before.values()),
    }


async def fuzz(
    settings: Settings, *, nlu: int, pipe: int, seed: int, workers: int
) -> dict[str, Any]:
    """Start a stack in ``settings.data_dir``, run both phases, stop it, then check."""
    started = time.monotonic()
    stack = Stack(settings)  # creates DATA_DIR/logs
    client = RasaClient(settings.rasa_base_url, settings.rasa_token, actions_up=stack.actions_up)
    with logged_to(settings.data_dir / "logs" / "front-end.log"):
        try:
            print("starting Rasa and the action server …", flush=True)
            await stack.start()
            result = await run_phases(stack, client, nlu=nlu, pipe=pipe, seed=seed, workers=workers)
        finally:
            await client.close()
            await stack.stop()
    with contextlib.closing(store.connect(settings.db_path)) as db:
        waiting = len(store.pending_messages(db))
    report = {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "seed": seed,
        "workers": workers,
        "rasa": result["rasa"],
        "pipe": result["pipe"],
        "checks": {
            "journal_integrity": integrity(settings.db_path),
            "tracker_integrity": integrity(settings.tracker_db_path),
            "bystanders_unchanged": result["bystanders_unchanged"],
            "bystander_rows": result["bystander_rows"],
            "messages_left_waiting": waiting,
        },
        "logs": read_logs(settings.data_dir / "logs"),
        "duration_seconds": round(time.monotonic() - started, 1),
    }
    report["passed"] = passed(report)
    return report


def passed(report: dict[str, Any]) -> bool:
    checks, logs = report["checks"], report["logs"]
    return (
        not report["rasa"]["errors"]
        and not report["pipe"]["errors"]
        and not report["pipe"]["unanswered"]  # Rasa rightly says nothing to some payloads
        and logs["tracebacks"] == 0
        and logs["error_lines"] == 0
        and checks["journal_integrity"] == "ok"
        and checks["tracker_integrity"] == "ok"
        and checks["bystanders_unchanged"]
        and checks["messages_left_waiting"] == 0
    )


def summary(report: dict[str, Any]) -> str:
    rasa, pipe, logs, checks = report["rasa"], report["pipe"], report["logs"], report["checks"]
    return (
        f"fuzz {'passed' if report['passed'] else 'FAILED'}: "
        f"Rasa+actions {rasa['answered']}/{rasa['sent']} answered, "
        f"{sum(rasa['errors'].values())} errors; "
        f"whole pipe {pipe['answered']}/{pipe['sent']} answered, "
        f"{sum(pipe['errors'].values())} errors; "
        f"{logs['tracebacks']} tracebacks, {logs['error_lines']} error lines in logs; "
        f"integrity {checks['journal_integrity']}/{checks['tracker_integrity']}; "
        f"bystanders {'unchanged' if checks['bystanders_unchanged'] else 'CHANGED'}; "
        f"{report['duration_seconds']} s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__)
    parser.add_argument("--nlu", type=int, default=10_000, help="messages straight to Rasa")
    parser.add_argument("--pipe", type=int, default=500, help="messages through Telegram")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--workers", type=int, default=4, help="conversations at a time")
    parser.add_argument("--report", type=Path, default=REPORT)
    args = parser.parse_args(argv)
    log_privacy.install([DEFAULT_TOKEN])  # the front end's records cleaned, as in `bot run`
    with tempfile.TemporaryDirectory(prefix="fuzz-") as data_dir:
        settings = load_settings(
            {
                "DATA_DIR": data_dir,
                "RASA_PORT": str(free_port()),
                "ACTION_PORT": str(free_port()),
            }
        )
        try:
            report = asyncio.run(
                fuzz(settings, nlu=args.nlu, pipe=args.pipe, seed=args.seed, workers=args.workers)
            )
        except StackFailed as error:  # its logs go with the temporary directory: show them
            print_log_tails(error, Path(data_dir), LOG_TAIL)
            return 1
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(summary(report))
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())

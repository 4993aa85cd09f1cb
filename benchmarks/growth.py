"""How the journal commands and the check-ins cost as one person's journal and the
number of people grow. The databases are built once and kept under data/bench-fixtures/."""

from __future__ import annotations

import contextlib
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlite_utils import Database
from telegram.ext import AIORateLimiter, ExtBot

from benchmarks.fake import TimedFake
from benchmarks.stats import loglog_slope, max_in_window, rate
from benchmarks.store_bench import CHECKIN_ZONES, _entry_rows, journal_texts
from bot import checkins, commands, export, store
from bot.config import PROJECT_ROOT
from bot.conversation import Coach
from bot.rasa_client import RasaClient

CACHE = PROJECT_ROOT / "data" / "bench-fixtures"
JOURNAL_SIZES = (100, 1_000, 10_000, 100_000)
PEOPLE_SIZES = (1_000, 10_000, 100_000)
DUE_EVERY = 10  # one person in ten is due in the measured minute: 10,000 of 100,000
USER = 1
NOW = datetime(2025, 6, 2, 19, 30, tzinfo=timezone.utc)
NOW_FEW = NOW - timedelta(hours=4)  # past NOW's catch-up window: never due together
FEW_DUE = 100  # due at NOW_FEW, whatever the number of people
MIN_SECONDS = 0.3
MAX_REPEATS = 101


def cached(path: Path, build: Callable[[Database], None]) -> Database:
    """The database at ``path``, built by ``build`` first if it is not there yet."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        with contextlib.closing(store.connect(partial)) as db:
            build(db)
        partial.rename(path)
    return store.connect(path)


def _journal(size: int) -> Callable[[Database], None]:
    def build(db: Database) -> None:
        store.ensure_user(db, USER)
        rows = _entry_rows(
            USER, journal_texts(size, seed=5), datetime(2020, 1, 1, tzinfo=timezone.utc)
        )
        db["entries"].insert_all(rows, batch_size=2000)
        store.merge_search_index(db)  # as the daily retention run leaves it

    return build


async def _median_ms(work: Callable[[], Awaitable[object]], repeats: int) -> float:
    """Median of at least ``repeats`` runs, more (up to MAX_REPEATS) until MIN_SECONDS
    have passed: a command that takes a fraction of a millisecond is run often enough
    that one slow moment on a busy machine does not set its slope."""
    times: list[float] = []
    while len(times) < repeats or (sum(times) < MIN_SECONDS and len(times) < MAX_REPEATS):
        start = time.perf_counter()
        await work()
        times.append(time.perf_counter() - start)
    return round(1000 * statistics.median(times), 2)


async def _export(db: Database) -> bytes:
    """As /export makes it, less the Rasa transcript (in the loop's thread, as there)."""
    return export.export_user(db, USER, "md")


async def journal(sizes: tuple[int, ...] = JOURNAL_SIZES, repeats: int = 3) -> dict:
    """/entries, /search, /stats and /export as the front end runs them, per journal size."""
    table: dict[str, dict[int, float]] = {"entries": {}, "search": {}, "stats": {}, "export": {}}
    for size in sizes:
        db = cached(CACHE / f"journal-{size}-merged.db", _journal(size))
        coach = Coach(db, RasaClient("http://127.0.0.1:9", "unused"), None)
        work = {
            "entries": partial(commands.entries, coach, USER, []),
            "search": partial(commands.search, coach, USER, ["interview"]),
            "stats": partial(commands.stats, coach, USER, []),
            "export": partial(_export, db),
        }
        for name, call in work.items():
            table[name][size] = await _median_ms(call, repeats)
        db.close()
    return {
        "median_ms": table,
        "slopes": {
            name: loglog_slope(sizes, [row[s] for s in sizes]) for name, row in table.items()
        },
        "method": f"one person with each number of journal entries (synthetic, a mood on every "
        "third; built once with insert_all, FTS triggers firing, its search index merged as "
        "retention does daily, and cached under "
        f"data/bench-fixtures/): bot.commands.entries (page 1), search ('interview'), stats "
        f"(mood chart PNG and summary) and bot.export.export_user as md, median of {repeats} "
        f"or more runs (until {MIN_SECONDS:g} s, at most {MAX_REPEATS}); "
        "slope = least-squares log(ms) against log(entries)",
    }


def _due_time(user_id: int) -> datetime:
    """One person in DUE_EVERY due at NOW, FEW_DUE of them instead at NOW_FEW, the rest later."""
    if user_id % DUE_EVERY == 1 and user_id <= FEW_DUE * DUE_EVERY:
        return NOW_FEW
    if user_id % DUE_EVERY == 0:
        return NOW
    return NOW + timedelta(minutes=5 + user_id % 600)


def _people(users: int) -> Callable[[Database], None]:
    """``users`` people with a check-in time in five time zones, each with their next
    check-in worked out as a running bot's ticks leave it (just before NOW_FEW)."""

    def build(db: Database) -> None:
        rows = []
        for user_id in range(1, users + 1):
            zone = CHECKIN_ZONES[user_id % len(CHECKIN_ZONES)]
            rows.append(
                {
                    "id": user_id,
                    "timezone": zone,
                    "checkin_time": _due_time(user_id).astimezone(ZoneInfo(zone)).strftime("%H:%M"),
                    "created_at": "2025-01-01T00:00:00+00:00",
                }
            )
        db["users"].insert_all(rows, pk="id", batch_size=5000)
        store.migrate(db)  # as at a restart: every check-in time is to be worked out
        checkins.due_checkins(db, NOW_FEW - timedelta(minutes=1))

    return build


def people_db(users: int, copy: Path) -> Database:
    """A copy of the cached database of ``users`` people: a tick moves people's next
    check-ins on, which must not change the cache."""
    source = CACHE / f"people-{users}-scheduled.db"
    cached(source, _people(users)).close()
    copy.write_bytes(source.read_bytes())
    return store.connect(copy)


def _selection(db: Database, now: datetime, repeats: int) -> dict:
    times, due = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        due = checkins.due_checkins(db, now)
        times.append(time.perf_counter() - start)
    return {"due": len(due), "median_ms": round(1000 * statistics.median(times), 1)}


def checkin_selection(work: Path, sizes: tuple[int, ...] = PEOPLE_SIZES, repeats: int = 3) -> dict:
    """bot.checkins.due_checkins per number of people: a minute when FEW_DUE are due (what
    grows is only the people), then one when one in DUE_EVERY is (what is due grows too)."""
    few, crowd = {}, {}
    for users in sizes:
        db = people_db(users, work / f"people-{users}.db")
        few[users] = _selection(db, NOW_FEW, repeats)
        crowd[users] = _selection(db, NOW, repeats)
        db.close()
    return {
        "by_people": few,
        "slope": loglog_slope(sizes, [few[s]["median_ms"] for s in sizes]),
        "one_in_ten_due": {
            "by_people": crowd,
            "slope": loglog_slope(sizes, [crowd[s]["median_ms"] for s in sizes]),
        },
        "method": f"bot.checkins.due_checkins over people with a check-in time (local times in "
        f"{len(CHECKIN_ZONES)} zones; each one's next check-in worked out by a tick just "
        f"before, as a running bot keeps it): at {NOW_FEW:%H:%M} UTC, when {FEW_DUE} of them "
        f"are due at every size (the slope), then at {NOW:%H:%M} UTC, when one in {DUE_EVERY} "
        f"is (one_in_ten_due: the answer itself grows); median of {repeats}, on a copy of "
        "the cached database",
    }


async def send_due(users: int, work: Path) -> dict:
    """Every check-in due in one minute among ``users`` people, claimed and sent by
    bot.checkins.run_due through python-telegram-bot's rate limiter to a fake server."""
    db = people_db(users, work / "checkins-send.db")
    async with TimedFake() as fake:
        bot = ExtBot(
            fake.token,
            base_url=fake.base_url,
            base_file_url=fake.base_file_url,
            rate_limiter=AIORateLimiter(max_retries=3),  # as bot/telegram_app.py builds it
        )

        async def send(due: checkins.DueCheckin) -> checkins.Outcome:
            await bot.send_message(due.user_id, "How did today go?")
            return checkins.Outcome.SENT

        async with bot:
            start = time.monotonic()
            sent = await checkins.run_due(db, NOW, send)
            seconds = time.monotonic() - start
        times = sorted(t for chat in fake.reply_times.values() for t in chat)
    left = len(checkins.due_checkins(db, NOW))
    db.close()
    return {
        "people": users,
        "due": len(sent),
        "sent": len(times),
        "due_after": left,
        "seconds_to_send_all": round(seconds, 1),
        "sent_per_s": rate(times),
        "max_in_any_1s": max_in_window(times, 1.0),
        "method": "a copy of the cached people database; bot.checkins.run_due (claim, send, "
        "mark sent; 8 at a time) with each send a sendMessage through a real ExtBot with "
        "AIORateLimiter(max_retries=3) to a fake Bot API server of its own; Rasa left out "
        "(the check-in's Rasa turn is costed by the stack's CPU per turn)",
    }

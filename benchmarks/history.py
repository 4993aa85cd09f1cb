"""Per-turn cost against how much history Rasa's tracker store holds for a person.

A real conversation's events are copied into the running Rasa's tracker database,
as many past sessions of one sender, then journal turns go straight to Rasa's webhook.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.load import Direct
from benchmarks.stats import loglog_slope, summarize
from bot.config import RASA_PROJECT

SIZES = (0, 1_000, 10_000, 100_000)
JOURNAL_TURNS = ("/start_journal", *(f"a thought for the journal, number {i}" for i in range(20)))
SESSION_GAP_S = 600.0  # one past session every ten minutes
QUIET_S = 13 * 3600.0  # the last past session ended longer ago than a session lasts (720 min)
COLUMNS = "type_name, timestamp, intent_name, action_name, data"


def template(tracker_db: Path, sender: str) -> list[tuple]:
    """One real conversation's event rows, in order (one session of the script)."""
    with contextlib.closing(sqlite3.connect(tracker_db)) as db:
        return db.execute(
            f"select {COLUMNS} from events where sender_id = ? order by id", [sender]
        ).fetchall()


def past_sessions(rows: list[tuple], count: int, end: float) -> list[tuple]:
    """``count`` events made of copies of ``rows``, one session per copy, the last
    ending at ``end`` (epoch seconds); each copy's timestamps shifted as a whole."""
    if not rows or not count:
        return []
    copies = -(-count // len(rows))
    first = rows[0][1]
    events = []
    for copy in range(copies):
        shift = end - (copies - copy) * SESSION_GAP_S - first
        for type_name, stamp, intent, action, data in rows:
            moved = json.loads(data)
            moved["timestamp"] = stamp + shift
            events.append((type_name, stamp + shift, intent, action, json.dumps(moved)))
    return events[-count:]


def add_history(tracker_db: Path, sender: str, events: list[tuple]) -> None:
    with contextlib.closing(sqlite3.connect(tracker_db, timeout=30)) as db, db:
        db.executemany(
            f"insert into events (sender_id, {COLUMNS}) values (?, ?, ?, ?, ?, ?)",
            [(sender, *event) for event in events],
        )


async def per_size(
    direct: Direct,
    tracker_db: Path,
    template_sender: str,
    first_id: int,
    rasa_cpu: Callable[[], float] | None = None,
) -> dict:
    """Journal turns for a sender at each history size, the sizes taking turns (so a
    busy moment of the machine falls on all of them); p50 and Rasa's CPU per size."""
    rows = template(tracker_db, template_sender)
    end = time.time() - QUIET_S
    senders = {size: first_id + offset for offset, size in enumerate(SIZES)}
    for size, sender in senders.items():
        add_history(tracker_db, str(sender), past_sessions(rows, size, end))
    times: dict[int, list[float]] = {size: [] for size in SIZES}
    cpu: dict[int, float] = dict.fromkeys(SIZES, 0.0)
    for text in JOURNAL_TURNS:
        for size, sender in senders.items():
            cpu_before = rasa_cpu() if rasa_cpu else 0.0
            start = time.monotonic()
            await direct.send(sender, text)
            times[size].append(time.monotonic() - start)
            cpu[size] += (rasa_cpu() if rasa_cpu else 0.0) - cpu_before
    turns = len(JOURNAL_TURNS)
    by_size = {
        size: {
            "events": size,
            **summarize(times[size][1:]),
            "rasa_cpu_ms_per_turn": round(1000 * cpu[size] / turns, 1) if rasa_cpu else None,
        }
        for size in SIZES
    }
    return {
        "senders": senders,
        "sizes": by_size,
        "slope_p50": loglog_slope(SIZES, [by_size[s]["p50_ms"] for s in SIZES]),
        "slope_rasa_cpu": loglog_slope(SIZES, [by_size[s]["rasa_cpu_ms_per_turn"] for s in SIZES]),
        "method": f"a real conversation's {len(rows)} tracker events copied as past sessions "
        f"(one every {SESSION_GAP_S / 60:.0f} min, the last {QUIET_S / 3600:.0f} h ago) into "
        "the running Rasa's SQLite tracker store for one sender per size; then /start_journal "
        f"and {turns - 1} journal lines POSTed straight to Rasa's token_rest webhook, one at a "
        "time, the sizes taking turns; latency of the journal lines (the first turn starts "
        "the new session); Rasa's CPU (utime+stime of its processes) per turn of all "
        f"{turns}; slope = least-squares log(value) against log(events), size 0 left out",
    }


def store_reads(tracker_db: Path, senders: dict[int, int], repeats: int = 15) -> dict:
    """The two queries a turn makes of the tracker store, at each size: Rasa's SQL store
    on the database as Rasa creates it, then with our indexes, then our store (median ms)."""
    sys.path.insert(0, str(RASA_PROJECT))
    from indexed_tracker_store import INDEXES, IndexedSQLTrackerStore
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    plain = tracker_db.with_name("tracker-without-indexes.db")
    with (
        contextlib.closing(sqlite3.connect(tracker_db)) as source,
        contextlib.closing(sqlite3.connect(plain)) as copy,
    ):
        source.backup(copy)
        for index in INDEXES:
            copy.execute(f"drop index if exists {index.name}")
    stores = {
        "rasa_as_shipped": SQLTrackerStore(domain=Domain.empty(), db=str(plain)),
        "rasa_with_our_indexes": SQLTrackerStore(domain=Domain.empty(), db=str(tracker_db)),
        "ours": IndexedSQLTrackerStore(domain=Domain.empty(), db=str(tracker_db)),
    }
    table: dict[str, dict[int, float]] = {name: {} for name in stores}
    for name, store in stores.items():
        for size, sender in senders.items():
            times = []
            for _ in range(repeats):
                with store.session_scope() as session:
                    start = time.perf_counter()
                    store._event_query(session, str(sender), False).all()  # retrieve()
                    store._event_query(session, str(sender), False).count()  # save()
                    times.append(time.perf_counter() - start)
            table[name][size] = round(1000 * statistics.median(times), 2)
    plain.unlink()
    return {
        "median_ms": table,
        "slopes": {
            name: loglog_slope(SIZES, [row[s] for s in SIZES]) for name, row in table.items()
        },
        "method": "after the stack stopped, on its tracker database: for each sender of the "
        "history table, the query retrieve() loads the current session with plus the count "
        f"save() starts with (no replay), median of {repeats}, for Rasa's SQLTrackerStore "
        "on a copy without our two indexes (as Rasa 3.6 creates it), Rasa's store with them, "
        "and "
        "indexed_tracker_store.IndexedSQLTrackerStore",
    }

"""Per-turn cost against how much history Rasa's tracker store holds for a person.

A real conversation's events are copied into the running Rasa's tracker database,
as many past sessions of one sender, then journal turns go straight to Rasa's webhook.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from pathlib import Path

from benchmarks.load import Direct
from benchmarks.stats import loglog_slope, summarize

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


async def per_size(direct: Direct, tracker_db: Path, template_sender: str, first_id: int) -> dict:
    """Journal turns for a sender at each history size; p50 per size and the log-log slope."""
    rows = template(tracker_db, template_sender)
    rows_at = {}
    end = time.time() - QUIET_S
    for offset, size in enumerate(SIZES):
        sender = str(first_id + offset)
        add_history(tracker_db, sender, past_sessions(rows, size, end))
        times = []
        for text in JOURNAL_TURNS:
            start = time.monotonic()
            await direct.send(int(sender), text)
            times.append(time.monotonic() - start)
        rows_at[size] = {"events": size, **summarize(times[1:])}
    return {
        "sizes": rows_at,
        "slope_p50": loglog_slope(SIZES, [rows_at[s]["p50_ms"] for s in SIZES]),
        "method": f"a real conversation's {len(rows)} tracker events copied as past sessions "
        f"(one every {SESSION_GAP_S / 60:.0f} min, the last {QUIET_S / 3600:.0f} h ago) into "
        "the running Rasa's SQLite tracker store for one sender per size; then /start_journal "
        f"and {len(JOURNAL_TURNS) - 1} journal lines POSTed one after another straight to "
        "Rasa's token_rest webhook; latency of the journal lines (the first starts the new "
        "session); slope = least-squares log(p50) against log(events), size 0 left out",
    }

"""The journal database at scale: inserts, exports, full-text search and check-in selection."""

from __future__ import annotations

import random
import statistics
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from benchmarks.stats import percentile
from bot import checkins, export, store

_TOPIC = """
today interview recruiter rejection email team role feel felt sad tired again company call
hiring manager feedback application week offer final round skills experience portfolio salary
project data analyst engineer design product remote meeting waiting hope anxious angry relieved
proud friend family walk sleep coffee resume cover letter linkedin network referral deadline
onsite screening panel question answer nervous confident prepare practice mistake learned
better next tomorrow morning evening plan apply five three applications status ghosted
disappointed frustrated hopeful grateful calm overwhelmed motivated stuck progress
"""
_FILLER = "i the a and to of it was my that me but so just"
_COMPANIES = "acme globex initech umbrella hooli stark wayne wonka cyberdyne soylent"
WORDS, FILLER, COMPANIES = (tuple(words.split()) for words in (_TOPIC, _FILLER, _COMPANIES))
# Searches a person might type, from very common words to ones that rarely match.
QUERIES = (
    "interview",
    "recruiter",
    "feedback",
    "final round",
    "salary",
    "portfolio",
    "ghosted",
    "acme",
    "umbrella onsite",
    "kubernetes",
)
CHECKIN_ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney")


def _word_weights() -> list[float]:
    return [1 / (rank + 1) for rank in range(len(WORDS))]


def journal_texts(count: int, seed: int = 7) -> list[str]:
    """Deterministic journal-like texts: filler words plus Zipf-distributed topic words."""
    rng = random.Random(seed)
    weights = _word_weights()
    texts = []
    for _ in range(count):
        words = rng.choices(WORDS, weights=weights, k=rng.randint(8, 30))
        words += rng.choices(FILLER, k=rng.randint(4, 20))
        if rng.random() < 0.05:
            words.append(rng.choice(COMPANIES))
        rng.shuffle(words)
        texts.append(" ".join(words))
    return texts


def _entry_rows(user_id: int, texts: list[str], start: datetime) -> list[dict]:
    return [
        {
            "user_id": user_id,
            "created_at": (start + timedelta(minutes=index)).isoformat(timespec="seconds"),
            "kind": "note" if index % 3 else "feeling",
            "text": text,
            "mood": index % 11 if index % 3 == 0 else None,
            "emotion": "sad" if index % 3 == 0 else None,
            "rejection_id": None,
        }
        for index, text in enumerate(texts)
    ]


def _timed(fn, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def inserts_and_exports(folder: Path, entries: int) -> dict:
    """``entries`` journal entries for one user, one ``add_entry`` at a time and in one
    batch; then each export format of the looped database (median of three)."""
    texts = journal_texts(entries)
    looped = store.connect(folder / "looped.db")
    user_id = 1
    for index in range(20):
        store.add_rejection(
            looped, user_id, company=COMPANIES[index % 10], role="analyst", stage="final"
        )
    start = time.perf_counter()
    for index, text in enumerate(texts):
        store.add_entry(looped, user_id, "note", text, rejection_id=index % 25 or None)
    loop_s = time.perf_counter() - start

    batched = store.connect(folder / "batched.db")
    store.ensure_user(batched, user_id)
    rows = _entry_rows(user_id, texts, datetime(2025, 1, 1, tzinfo=timezone.utc))
    batch_s, _ = _timed(lambda: batched["entries"].insert_all(rows, batch_size=1000))

    exports = {}
    for fmt in export.FORMATS:
        runs = [_timed(export.export_user, looped, user_id, fmt) for _ in range(3)]
        exports[fmt] = {
            "median_s": round(statistics.median(seconds for seconds, _ in runs), 3),
            "bytes": len(runs[0][1]),
        }
    return {
        "entries": entries,
        "add_entry_loop_s": round(loop_s, 2),
        "add_entry_per_s": round(entries / loop_s),
        "batch_insert_s": round(batch_s, 2),
        "batch_insert_per_s": round(entries / batch_s),
        "export": exports,
        "method": "store.add_entry in a loop (each call its own transaction, as the action "
        "server does) vs. one sqlite-utils insert_all of the same rows (FTS triggers fire in "
        f"both); bot.export.export_user of the looped database (20 rejections, {entries:,} "
        "entries of one user), median of 3 per format; files on the project's disk",
    }


def full_text_search(folder: Path, users: int, per_user: int, queries: int = 50) -> dict:
    """``store.search_entries`` over ``users * per_user`` entries; ``queries`` timed searches."""
    db = store.connect(folder / "fts.db")
    texts = journal_texts(users * per_user, seed=11)
    start = time.perf_counter()
    for user in range(users):
        store.ensure_user(db, user + 1)
        rows = _entry_rows(
            user + 1,
            texts[user * per_user : (user + 1) * per_user],
            datetime(2025, 1, 1, tzinfo=timezone.utc),
        )
        db["entries"].insert_all(rows, batch_size=2000)
    build_s = time.perf_counter() - start
    db.execute("PRAGMA optimize")

    timings: dict[str, list[float]] = {query: [] for query in QUERIES}
    found: dict[str, int] = {}
    for index in range(queries):
        query = QUERIES[index % len(QUERIES)]
        user_id = 1 + index % users
        seconds, rows = _timed(store.search_entries, db, user_id, query)
        timings[query].append(seconds)
        found[query] = len(rows)
    matches = {
        query: db.execute(
            "select count(*) from entries_fts where entries_fts match ?", [db.quote_fts(query)]
        ).fetchone()[0]
        for query in QUERIES
    }
    every = [seconds for values in timings.values() for seconds in values]
    return {
        "entries": users * per_user,
        "users": users,
        "build_s": round(build_s, 1),
        "queries": len(every),
        "median_ms": round(statistics.median(every) * 1000, 2),
        "p95_ms": round(percentile(every, 95) * 1000, 2),
        "max_ms": round(max(every) * 1000, 2),
        "by_query": {
            query: {
                "median_ms": round(statistics.median(values) * 1000, 2),
                "matches_all_users": matches[query],
                "results_returned": found[query],
            }
            for query, values in timings.items()
            if values
        },
        "method": f"{users} users x {per_user} synthetic entries (Zipf-distributed topic "
        f"words); {queries} calls of store.search_entries (limit 10) cycling through "
        f"{len(QUERIES)} queries from very common to absent, each for one user",
    }


def due_checkin_selection(folder: Path, users: int, claims: int = 1000) -> dict:
    """``users`` people whose check-ins all fall in the same minute, in five time zones."""
    db = store.connect(folder / "checkins.db")
    now = datetime(2025, 6, 2, 19, 30, tzinfo=timezone.utc)
    rows = []
    for user_id in range(1, users + 1):
        zone = CHECKIN_ZONES[user_id % len(CHECKIN_ZONES)]
        local = now.astimezone(ZoneInfo(zone))
        rows.append(
            {
                "id": user_id,
                "timezone": zone,
                "checkin_time": local.strftime("%H:%M"),
                "created_at": "2025-01-01T00:00:00+00:00",
            }
        )
    db["users"].insert_all(rows, pk="id", batch_size=2000)
    store.migrate(db)  # as at a restart: every check-in time is to be worked out
    decide_s, due = _timed(checkins.due_checkins, db, now)
    sample = due[:claims]
    start = time.perf_counter()
    for checkin in sample:
        if checkins.claim(db, checkin):
            checkins.mark_sent(db, checkin, now)
    per_claim_s = (time.perf_counter() - start) / max(1, len(sample))
    again_s, again = _timed(checkins.due_checkins, db, now)
    return {
        "users": users,
        "due": len(due),
        "decide_s": round(decide_s, 3),
        "claim_and_mark_ms_each": round(per_claim_s * 1000, 2),
        "claim_and_mark_all_estimated_s": round(per_claim_s * len(due), 1),
        "claims_timed": len(sample),
        "due_after_claims": len(again),
        "decide_after_claims_s": round(again_s, 3),
        "method": "bot.checkins.due_checkins for users all due at 19:30 UTC (local times in "
        "5 zones); then checkins.claim + checkins.mark_sent (what run_due does around each "
        f"send, without any network) timed for the first {len(sample)} and scaled to all",
    }


def pending_round_trip(folder: Path, count: int = 200) -> dict:
    """The SQLite work the front end does around every message it passes to Rasa."""
    db = store.connect(folder / "pending.db")
    times = []
    for index in range(count):
        start = time.perf_counter()
        store.queue_message(db, 42, f"message {index}")
        for item in store.pending_messages(db, 42):
            store.drop_pending(db, item["id"])
        times.append(time.perf_counter() - start)
    return {
        "messages": count,
        "median_ms": round(statistics.median(times) * 1000, 2),
        "p95_ms": round(percentile(times, 95) * 1000, 2),
        "method": "store.queue_message, store.pending_messages and store.drop_pending for one "
        "message, as bot.conversation.Coach does before and after each Rasa call",
    }


def run(folder: Path, *, scale: float = 1.0) -> dict:
    """Every store benchmark; ``scale`` < 1 shrinks the counts for a quick trial."""
    entries = max(100, int(10_000 * scale))
    return {
        "insert_export": inserts_and_exports(folder, entries),
        "pending_round_trip": pending_round_trip(folder),
        "search": full_text_search(folder, users=10, per_user=entries),
        "checkins": due_checkin_selection(
            folder, users=entries, claims=max(100, int(1000 * scale))
        ),
    }

"""The daily retention run: waiting messages, old conversation events, people who blocked us."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot import checkins, retention, store
from bot.checkins import Outcome
from bot.conversation import Coach
from bot.rasa_client import RasaClient
from tests.conftest import free_port
from tests.test_privacy import event, rasa_tracker

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)


def days_before(days: float) -> str:
    return (NOW - timedelta(days=days)).isoformat(timespec="seconds")


@pytest.fixture
async def coach(tmp_path: Path):
    rasa = RasaClient(f"http://127.0.0.1:{free_port()}", "secret")  # never needed here
    yield Coach(store.connect(tmp_path / "coach.db"), rasa, tmp_path / "tracker.db")
    await rasa.close()


def file_bytes(folder: Path) -> bytes:
    return b"".join(path.read_bytes() for path in folder.iterdir() if path.is_file()).lower()


async def test_messages_waiting_over_a_week_are_dropped_and_the_log_has_no_text(
    coach: Coach, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    for days, text in ((8, "Zanzibarquokka is gone"), (6.9, "still waiting, kept")):
        pending_id = store.queue_message(coach.db, 1, text)
        coach.db["pending"].update(pending_id, {"created_at": days_before(days)})

    with caplog.at_level(logging.INFO, logger="bot.retention"):
        pruned = await retention.prune(coach, 180, NOW)

    assert pruned.waiting == 1
    assert [row["text"] for row in store.pending_messages(coach.db)] == ["still waiting, kept"]
    assert b"zanzibarquokka" not in file_bytes(tmp_path)
    assert "1 message(s) waiting" in caplog.text
    assert "Zanzibarquokka" not in caplog.text and "kept" not in caplog.text


async def test_conversation_events_older_than_the_setting_are_pruned(
    coach: Coach, tmp_path: Path
) -> None:
    old, recent = (NOW - timedelta(days=31)).timestamp(), (NOW - timedelta(days=29)).timestamp()
    tracker = rasa_tracker(
        tmp_path / "tracker.db",
        {"1": [event("user", old, "an old evening"), event("user", recent, "last month")]},
    )

    pruned = await retention.prune(coach, 30, NOW)

    assert pruned.events == 1
    assert [json.loads(row["data"])["text"] for row in tracker["events"].rows] == ["last month"]


async def test_people_who_blocked_the_bot_are_kept_no_longer_than_the_setting(
    coach: Coach, tmp_path: Path
) -> None:
    # The bot's own words after a block (a check-in that never arrived) are no sign of return.
    tracker = rasa_tracker(
        tmp_path / "tracker.db",
        {
            str(user): [event("bot", NOW.timestamp() - 60, f"check-in for {user}")]
            for user in (1, 2, 3)
        },
    )
    for user, blocked_days in ((1, 181), (2, 179), (3, None)):
        store.add_entry(coach.db, user, "note", f"journal of {user}")
        if blocked_days is not None:
            store.update_user(coach.db, user, blocked_at=days_before(blocked_days))

    pruned = await retention.prune(coach, 180, NOW)

    assert pruned.people == 1
    assert store.get_user(coach.db, 1) is None and store.count_entries(coach.db, 1) == 0
    assert store.count_entries(coach.db, 2) == 1 and store.count_entries(coach.db, 3) == 1
    assert sorted(row["sender_id"] for row in tracker["events"].rows) == ["2", "3"]


async def test_a_person_who_comes_back_is_no_longer_counted_as_blocked(coach: Coach) -> None:
    store.update_user(coach.db, 1, blocked_at=days_before(200))
    store.clear_blocked(coach.db, 1)

    assert (await retention.prune(coach, 180, NOW)).people == 0
    assert store.get_user(coach.db, 1) is not None


async def test_a_person_who_wrote_again_after_blocking_is_kept_and_unmarked(
    coach: Coach, tmp_path: Path
) -> None:
    rasa_tracker(
        tmp_path / "tracker.db",
        {
            "1": [event("user", (NOW - timedelta(days=10)).timestamp(), "I'm back")],
            "2": [event("user", (NOW - timedelta(days=200)).timestamp(), "before blocking")],
        },
    )
    for user in (1, 2):
        store.update_user(coach.db, user, blocked_at=days_before(190))

    assert (await retention.prune(coach, 180, NOW)).people == 1

    assert store.get_user(coach.db, 1)["blocked_at"] is None
    assert store.get_user(coach.db, 2) is None


async def test_a_blocked_checkin_records_when_they_blocked_us(coach: Coach) -> None:
    checkins.enable(coach.db, 5, "02:30")

    async def blocked(_: checkins.DueCheckin) -> Outcome:
        return Outcome.BLOCKED

    await checkins.run_due(coach.db, NOW, blocked)

    assert store.get_user(coach.db, 5)["checkin_time"] is None
    assert store.blocked_before(coach.db, NOW + timedelta(days=1)) == [(5, NOW)]
    assert store.blocked_before(coach.db, NOW - timedelta(days=1)) == []


async def test_the_daily_run_prunes_at_once_then_waits_a_day(coach: Coach) -> None:
    pending_id = store.queue_message(coach.db, 1, "old")
    coach.db["pending"].update(pending_id, {"created_at": days_before(30)})
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await retention.run_daily(coach, 180, clock=lambda: NOW, sleep=sleep)

    assert waits == [24 * 60 * 60] and store.pending_messages(coach.db) == []


def test_retention_days_come_from_the_environment(tmp_path: Path) -> None:
    from bot.config import load_settings

    assert load_settings({"DATA_DIR": str(tmp_path)}).retention_days == 180
    assert load_settings({"DATA_DIR": str(tmp_path), "RETENTION_DAYS": "30"}).retention_days == 30

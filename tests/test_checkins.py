"""The check-in schedule: who is due, never twice, catch-up, time zones and DST."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from bot import checkins, store
from bot.checkins import DueCheckin, Outcome


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21:30", "21:30"),
        ("9pm", "21:00"),
        ("9 pm", "21:00"),
        ("9.30pm", "21:30"),
        ("at 8:15 p.m. please", "20:15"),
        ("12am", "00:00"),
        ("12pm", "12:00"),
        ("7", "07:00"),
        ("21h", "21:00"),
        ("noon", "12:00"),
        ("half past eight", "08:30"),
        ("quarter to ten pm", "21:45"),
        ("nine thirty pm", "21:30"),
        ("9:30ish", "09:30"),
        ("25:99", None),
        ("13pm", None),
        ("", None),
        ("whenever", None),
        ("call me in 3 days", None),
    ],
)
def test_parse_checkin_time(text: str, expected: str | None) -> None:
    assert checkins.parse_checkin_time(text) == expected


def test_timezones_resolve_case_insensitively_and_suggest_close_names() -> None:
    assert checkins.resolve_timezone("europe/berlin") == ZoneInfo("Europe/Berlin")
    assert checkins.resolve_timezone("Mars/Olympus") is None
    assert "Europe/Berlin" in checkins.closest_timezones("Europe/Berln")
    assert "America/New_York" in checkins.closest_timezones("new york")


def test_due_only_from_the_local_time_until_three_hours_later(db) -> None:
    checkins.enable(db, 1, "21:30")
    store.update_user(db, 1, timezone="Europe/Berlin")  # UTC+1 in November

    assert checkins.due_checkins(db, utc("2026-11-25T20:29:00")) == []
    due = checkins.due_checkins(db, utc("2026-11-25T20:30:00"))
    assert due == [DueCheckin(1, datetime(2026, 11, 25).date(), utc("2026-11-25T20:30:00"))]
    assert checkins.due_checkins(db, utc("2026-11-25T23:29:00")) != []
    assert checkins.due_checkins(db, utc("2026-11-25T23:30:00")) == []  # missed by 3 h: skipped


def test_a_late_evening_checkin_missed_before_midnight_is_caught_up_after(db) -> None:
    checkins.enable(db, 2, "23:30")
    due = checkins.due_checkins(db, utc("2026-11-26T00:40:00"))
    assert [(d.user_id, d.local_date.isoformat()) for d in due] == [(2, "2026-11-25")]


def test_daylight_saving_change_keeps_the_local_time(db) -> None:
    checkins.enable(db, 3, "21:00")
    store.update_user(db, 3, timezone="Europe/Berlin")
    # Summer time (UTC+2) ends on 2026-10-25: 21:00 local is 19:00 UTC before, 20:00 after.
    assert [d.due_at for d in checkins.due_checkins(db, utc("2026-10-24T19:00:00"))] == [
        utc("2026-10-24T19:00:00")
    ]
    assert checkins.due_checkins(db, utc("2026-10-25T19:30:00")) == []
    assert [d.due_at for d in checkins.due_checkins(db, utc("2026-10-25T20:00:00"))] == [
        utc("2026-10-25T20:00:00")
    ]


async def test_a_checkin_is_sent_once_even_when_two_ticks_race(db) -> None:
    checkins.enable(db, 4, "21:00")
    sent: list[int] = []

    async def send(due: DueCheckin) -> Outcome:
        sent.append(due.user_id)
        return Outcome.SENT

    now = utc("2026-11-25T21:05:00")
    await checkins.run_due(db, now, send)
    await checkins.run_due(db, now, send)
    reopened = store.connect(db.conn.execute("pragma database_list").fetchone()[2])
    await checkins.run_due(reopened, utc("2026-11-25T22:00:00"), send)  # "after a restart"

    assert sent == [4]
    row = next(db["checkins"].rows_where("user_id = 4"))
    assert row["local_date"] == "2026-11-25" and row["sent_at"] == now.isoformat()


async def test_a_crowd_due_at_once_is_sent_a_few_at_a_time_each_exactly_once(db) -> None:
    for user_id in range(100, 130):
        checkins.enable(db, user_id, "21:00")
    sent: list[int] = []
    in_flight = peak = 0

    async def send(due: DueCheckin) -> Outcome:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)  # waiting for Rasa
        in_flight -= 1
        sent.append(due.user_id)
        return Outcome.SENT

    now = utc("2026-11-25T21:00:00")
    await asyncio.gather(
        checkins.run_due(db, now, send, concurrency=4), checkins.run_due(db, now, send)
    )

    assert sorted(sent) == list(range(100, 130))
    assert 1 < peak <= 4 + checkins.SEND_CONCURRENCY


async def test_a_failed_send_is_retried_on_the_next_tick(db) -> None:
    checkins.enable(db, 5, "21:00")
    outcomes = iter([Outcome.RETRY, Outcome.SENT])

    async def send(due: DueCheckin) -> Outcome:
        return next(outcomes)

    first = await checkins.run_due(db, utc("2026-11-25T21:00:00"), send)
    second = await checkins.run_due(db, utc("2026-11-25T21:00:30"), send)

    assert [o for _, o in first] == [Outcome.RETRY]
    assert [o for _, o in second] == [Outcome.SENT]


async def test_a_user_who_blocked_the_bot_gets_checkins_turned_off(db) -> None:
    checkins.enable(db, 6, "21:00")

    async def send(due: DueCheckin) -> Outcome:
        return Outcome.BLOCKED

    await checkins.run_due(db, utc("2026-11-25T21:00:00"), send)

    assert store.get_user(db, 6)["checkin_time"] is None
    assert checkins.due_checkins(db, utc("2026-11-25T21:01:00")) == []


async def test_run_forever_uses_the_injected_clock(db) -> None:
    checkins.enable(db, 7, "21:00")
    times = iter([utc("2026-11-25T20:59:00"), utc("2026-11-25T21:00:00")])
    sent: list[datetime] = []
    ticks = 0

    async def send(due: DueCheckin) -> Outcome:
        sent.append(due.due_at)
        return Outcome.SENT

    async def sleep(seconds: float) -> None:
        nonlocal ticks
        ticks += 1
        if ticks == 2:
            raise KeyboardInterrupt  # stop the loop after two ticks

    with pytest.raises(KeyboardInterrupt):
        await checkins.run_forever(db, send, clock=lambda: next(times), sleep=sleep)

    assert sent == [utc("2026-11-25T21:00:00")]


def next_checkin(db, user_id: int) -> str | None:
    return store.get_user(db, user_id)["next_checkin_at"]


async def test_each_persons_next_checkin_is_kept_moved_on_once_sent_and_reworked_on_a_change(
    db,
) -> None:
    checkins.enable(db, 8, "21:00")
    store.update_user(db, 8, timezone="Europe/Berlin")  # UTC+1 in November

    async def send(due: DueCheckin) -> Outcome:
        return Outcome.SENT

    assert checkins.due_checkins(db, utc("2026-11-25T12:00:00")) == []
    assert next_checkin(db, 8) == "2026-11-25T20:00:00+00:00"
    await checkins.run_due(db, utc("2026-11-25T20:00:00"), send)
    assert checkins.due_checkins(db, utc("2026-11-25T20:01:00")) == []  # sent: moved on
    assert next_checkin(db, 8) == "2026-11-26T20:00:00+00:00"

    checkins.enable(db, 8, "22:00")  # today's was sent: none again today
    assert checkins.due_checkins(db, utc("2026-11-25T21:00:00")) == []
    assert next_checkin(db, 8) == "2026-11-26T21:00:00+00:00"
    store.update_user(db, 8, timezone="America/New_York")  # 22:00 there is 03:00 UTC
    assert checkins.due_checkins(db, utc("2026-11-26T03:00:00")) == []  # still the 25th there
    assert [d.due_at for d in checkins.due_checkins(db, utc("2026-11-27T03:00:00"))] == [
        utc("2026-11-27T03:00:00")
    ]
    checkins.disable(db, 8)
    assert next_checkin(db, 8) is None


def test_checkin_times_set_before_the_schedule_was_kept_are_still_due(db) -> None:
    db["users"].insert({"id": 9, "timezone": "UTC", "checkin_time": "21:00"})  # as before

    store.migrate(db)

    assert [d.user_id for d in checkins.due_checkins(db, utc("2026-11-25T21:00:00"))] == [9]

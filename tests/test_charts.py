from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import pytest
from PIL import Image

from bot import store
from bot.charts import MAX_POINTS, mood_chart, mood_series, stats_summary

NOW = datetime(2026, 11, 25, 21, 0, tzinfo=timezone.utc)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def db(tmp_path):
    return store.connect(tmp_path / "coach.db")


def add(db, user_id: int, kind: str, mood: int | None, when: datetime, **extra) -> int:
    entry_id = store.add_entry(db, user_id, kind, f"{kind} text", mood=mood, **extra)
    db["entries"].update(entry_id, {"created_at": when.isoformat(timespec="seconds")})
    return entry_id


def rejection(db, user_id: int, company: str | None, when: datetime) -> int:
    rejection_id = store.add_rejection(db, user_id, company=company, role=None, stage="final")
    db["rejections"].update(rejection_id, {"created_at": when.isoformat(timespec="seconds")})
    return rejection_id


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def test_mood_series_holds_only_this_users_moods(db):
    rejection(db, 1, "Acme", days_ago(10))
    rejection(db, 1, None, days_ago(3))
    add(db, 1, "checkin", 3, days_ago(9))
    add(db, 1, "feeling", 8, days_ago(10), emotion="sad")
    add(db, 1, "checkin", 6, days_ago(2))
    add(db, 1, "checkin", None, days_ago(1))  # answered without a number
    add(db, 1, "note", 5, days_ago(1))  # not a mood, even with a number
    rejection(db, 2, "Other Co", days_ago(5))
    add(db, 2, "checkin", 10, days_ago(4))
    add(db, 2, "feeling", 1, days_ago(4))

    series = mood_series(db, 1)

    assert series.checkins == [(days_ago(9), 3), (days_ago(2), 6)]
    assert series.feelings == [(days_ago(10), 8)]
    assert series.rejections == [(days_ago(10), "Acme"), (days_ago(3), None)]
    assert mood_series(db, 2).checkins == [(days_ago(4), 10)]


def test_a_long_mood_line_is_drawn_from_means_of_its_stretches(db):
    moods = [4 + 2 * (hour % 2) for hour in range(1000)]  # 4, 6, 4, 6, … hourly
    for hour, mood in enumerate(moods):
        add(db, 1, "checkin", mood, NOW - timedelta(hours=1000 - hour))

    points = mood_series(db, 1).checkins

    assert 1 < len(points) <= MAX_POINTS + 1
    assert points[0][0] == NOW - timedelta(hours=1000), "a stretch is shown at its start"
    assert all(4 <= mood <= 6 for _, mood in points)
    assert any(4 < mood < 6 for _, mood in points), "each point is the mean of several"


def test_the_chart_and_summary_read_an_index_not_the_journal_rows(db):
    """/stats stays as quick at 100,000 entries as at 100 (issue 15's growth table)."""
    for day in range(30):
        add(db, 1, "checkin" if day % 2 else "feeling", day % 11, days_ago(day))
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    mood_series(db, 1)
    stats_summary(db, 1, now=NOW)
    db.conn.set_trace_callback(None)

    mood_reads = [sql for sql in statements if "mood" in sql and "from entries" in sql]
    assert mood_reads
    for sql in mood_reads:
        plan = " ".join(row[3] for row in db.conn.execute(f"explain query plan {sql}"))
        assert "USING COVERING INDEX" in plan, plan


@pytest.mark.parametrize("points", [0, 1, 40])
def test_mood_chart_is_a_900_by_500_png(db, points):
    rejection(db, 1, "Bad $\\frac{$ Math & Co", days_ago(30))  # no mathtext parsing
    for day in range(points):
        add(db, 1, "checkin" if day % 4 else "feeling", day % 11, days_ago(day))

    png = mood_chart(db, 1, now=NOW)

    assert png.startswith(PNG_SIGNATURE)
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        assert image.size == (900, 500)


def test_mood_chart_differs_only_with_the_users_own_data(db):
    add(db, 1, "checkin", 5, days_ago(2))
    before = mood_chart(db, 1, now=NOW)
    add(db, 2, "checkin", 9, days_ago(1))
    rejection(db, 2, "Elsewhere", days_ago(1))
    assert mood_chart(db, 1, now=NOW) == before
    add(db, 1, "checkin", 9, days_ago(1))
    assert mood_chart(db, 1, now=NOW) != before


def test_stats_summary(db):
    for mood, age in [(6, 1), (8, 6.9), (4, 7), (5, 13), (10, 15)]:
        add(db, 1, "checkin", mood, days_ago(age))
    add(db, 1, "checkin", 0, NOW + timedelta(hours=1))  # after "now": not counted
    add(db, 1, "feeling", 9, days_ago(1))
    add(db, 1, "note", None, days_ago(1))
    rejection(db, 1, "Acme", days_ago(8))
    rejection(db, 1, None, days_ago(2))
    store.add_application(db, 1, company="Globex", role=None)
    store.add_application(db, 1, company="Initech", role=None, status="interviewing")
    store.add_application(db, 1, company="Hooli", role=None, status="rejected")
    add(db, 2, "checkin", 0, days_ago(1))
    rejection(db, 2, "Other", days_ago(1))
    store.add_application(db, 2, company="Other", role=None)

    assert stats_summary(db, 1, now=NOW) == (
        "Journal entries: 8\n"
        "Check-in mood this week (0 awful – 10 great): 7.0, up 2.5 from 4.5 the week before\n"
        "Rejections logged: 2\n"
        "Active applications: 2 of your goal of 5"
    )


@pytest.mark.parametrize(
    ("checkins", "expected"),
    [
        ([], "no check-ins yet"),
        ([(7, 1), (5, 3)], "6.0 (no check-ins the week before)"),
        ([(5, 10)], "no check-ins yet (the week before: 5.0)"),
        ([(3, 1), (6, 8)], "3.0, down 3.0 from 6.0 the week before"),
        ([(6, 1), (6, 8)], "6.0, no change from 6.0 the week before"),
        ([(9, 20)], "no check-ins in the last two weeks"),
    ],
)
def test_stats_summary_mood_line(db, checkins, expected):
    for mood, age in checkins:
        add(db, 1, "checkin", mood, days_ago(age))
    store.set_reported_active(db, 1, 3)

    lines = stats_summary(db, 1, now=NOW).splitlines()

    assert lines[1] == f"Check-in mood this week (0 awful – 10 great): {expected}"
    assert lines[3] == "Active applications: 3 of your goal of 5"

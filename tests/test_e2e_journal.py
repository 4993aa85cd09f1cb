"""Journal, search, export, stats and nightly check-ins, through the fake Telegram server."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone

import pytest

from bot import checkins, store
from bot.checkins import Outcome
from bot.telegram_app import TelegramFrontEnd
from tests.chat import Chat
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.e2e


def local_due(db, user_id: int, checkin_time: str) -> datetime:
    """A moment a few minutes after today's check-in time (UTC zone)."""
    checkins.enable(db, user_id, checkin_time)
    hour, minute = map(int, checkin_time.split(":"))
    now = datetime.now(timezone.utc)
    return now.replace(hour=hour, minute=minute, second=0, microsecond=0) + timedelta(minutes=5)


async def test_search_finds_the_users_own_words_highlighted(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    store.add_entry(front.db, user_id, "note", "The panel interview at Initech was rough")
    store.add_entry(front.db, user_id + 100_000, "note", "another person's interview")

    turn = await Chat(fake, user_id).command("/search interview")

    assert "<b>interview</b>" in turn.text and "Initech" in turn.text
    assert "another person" not in turn.text
    assert turn.of("sendMessage")[-1].params["parse_mode"] == "HTML"


async def test_entries_are_paged_newest_first(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    for number in range(7):
        store.add_entry(front.db, user_id, "note", f"note number {number}")
        front.db["entries"].update(
            store.recent_entries(front.db, user_id, limit=1)[0]["id"],
            {"created_at": f"2026-11-2{number}T10:00:00+00:00"},
        )
    chat = Chat(fake, user_id)

    first = await chat.command("/entries")
    second = await chat.command("/entries 2")

    assert first.text.index("note number 6") < first.text.index("note number 2")
    assert "note number 1" not in first.text and "/entries 2" in first.text
    assert "note number 1" in second.text and "note number 0" in second.text


@pytest.mark.parametrize("fmt", ["md", "csv", "json"])
async def test_export_sends_the_users_journal_and_nobody_elses(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int, fmt: str
) -> None:
    rejection = store.add_rejection(
        front.db, user_id, company="Umbrella", role="Chemist", stage="interview"
    )
    store.add_entry(front.db, user_id, "feeling", "gutted", mood=8, rejection_id=rejection)
    store.add_entry(front.db, user_id + 100_000, "note", "someone else's secret")

    turn = await Chat(fake, user_id).command(f"/export {fmt}" if fmt != "md" else "/export")

    [document] = turn.of("sendDocument")
    filename, content = document.files["document"]
    text = content.decode()
    assert filename.endswith(f".{fmt}") and filename.startswith("journal-")
    assert "gutted" in text and "Umbrella" in text
    assert "someone else's secret" not in text
    if fmt == "json":
        assert [e["text"] for e in json.loads(text)["entries"]] == ["gutted"]
    if fmt == "csv":
        assert {row["record_type"] for row in csv.DictReader(io.StringIO(text))} == {
            "profile",
            "rejection",
            "entry",
        }


async def test_export_with_nothing_to_export_says_so(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    turn = await Chat(fake, user_id).command("/export json")
    assert not turn.of("sendDocument") and "nothing" in turn.text.lower()


async def test_stats_sends_a_png_chart_with_a_summary(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    store.add_entry(front.db, user_id, "checkin", "ok day", mood=6)
    turn = await Chat(fake, user_id).command("/stats")

    [photo] = turn.of("sendPhoto")
    _, content = photo.files["photo"]
    assert content.startswith(b"\x89PNG\r\n\x1a\n")
    assert "Journal entries: 1" in photo.params["caption"]


async def test_the_nightly_checkin_asks_mood_then_a_note_and_saves_both(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    now = local_due(front.db, user_id, "21:30")
    store.set_reported_active(front.db, user_id, 3)
    chat = Chat(fake, user_id)

    mark = fake.mark()
    results = await checkins.run_due(front.db, now, front.send_checkin)
    await fake.wait_idle(quiet=0.8, timeout=60)
    chat.last.calls = fake.sent(chat_id=user_id, since=mark)

    # Other tests' users (the conversation corpus sets check-in times) may be due too.
    mine = [(due.user_id, outcome) for due, outcome in results if due.user_id == user_id]
    assert mine == [(user_id, Outcome.SENT)]
    assert "3 in motion" in chat.last.text
    assert "10" in [title for title, _ in chat.last.buttons]
    await chat.press("6")
    turn = await chat.say("Sent two applications and went for a walk")

    assert turn.texts
    [entry] = [row for row in store.recent_entries(front.db, user_id) if row["kind"] == "checkin"]
    assert (entry["mood"], entry["text"]) == (6, "Sent two applications and went for a walk")
    # Same local day, another tick, a "restart" with a fresh connection: nothing more.
    again = await checkins.run_due(store.connect(front.settings.db_path), now, front.send_checkin)
    assert [due.user_id for due, _ in again] == []


async def test_a_checkin_after_a_crisis_asks_gently_first(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    now = local_due(front.db, user_id, "20:00")
    store.record_crisis(front.db, user_id)

    mark = fake.mark()
    await checkins.run_due(front.db, now, front.send_checkin)
    await fake.wait_idle(quiet=0.8, timeout=60)
    texts = [c.params["text"] for c in fake.sent("sendMessage", user_id, since=mark)]

    assert "How are you" in texts[0] and "988" in texts[0]


async def test_a_user_who_blocked_the_bot_has_checkins_turned_off(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    now = local_due(front.db, user_id, "19:00")
    fake.fail_next("sendMessage", "forbidden", times=5)

    results = await checkins.run_due(front.db, now, front.send_checkin)

    assert [outcome for _, outcome in results] == [Outcome.BLOCKED]
    assert store.get_user(front.db, user_id)["checkin_time"] is None


async def test_checkin_command_turns_on_shows_and_turns_off(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    chat = Chat(fake, user_id)
    assert "21:30 (UTC time)" in (await chat.command("/checkin 9:30pm")).text
    assert "Europe/Berlin" in (await chat.command("/timezone europe/berlin")).text
    assert "21:30 (Europe/Berlin)" in (await chat.command("/checkin")).text
    assert "off" in (await chat.command("/checkin off")).text
    assert store.get_user(front.db, user_id)["checkin_time"] is None


async def test_setting_a_checkin_in_words_goes_through_rasa(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    turn = await Chat(fake, user_id).say("remind me every evening at 9pm")
    assert "21:00" in turn.text
    assert store.get_user(front.db, user_id)["checkin_time"] == "21:00"

from __future__ import annotations

import csv
import io
import json
import os
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot import store
from bot.export import CSV_COLUMNS, FORMATS, export_filename, export_user, has_data

NOW = datetime(2026, 11, 25, 21, 30, tzinfo=timezone.utc)


@pytest.fixture
def db(tmp_path):
    return store.connect(tmp_path / "coach.db")


def at(db, table: str, row_id: int, when: datetime) -> None:
    db[table].update(row_id, {"created_at": when.isoformat(timespec="seconds")})


def day(n: int, hour: int = 20) -> datetime:
    return datetime(2026, 11, n, hour, tzinfo=timezone.utc)


def parse_csv(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


@pytest.fixture
def journal(db):
    """User 1's journal (two rejections, notes, an application) next to user 2's."""
    acme = store.add_rejection(
        db, 1, company="Acme", role="Data Analyst", stage="interview", contact_name="Jane"
    )
    at(db, "rejections", acme, day(20, 17))
    anonymous = store.add_rejection(db, 1, company=None, role=None, stage="unknown")
    at(db, "rejections", anonymous, day(21, 9))
    for when, kind, text, extra in [
        (day(20, 18), "rejection", "They went with someone else.", {"rejection_id": acme}),
        (
            day(20, 19),
            "feeling",
            "gutted",
            {"rejection_id": acme, "mood": 8, "emotion": "disappointed"},
        ),
        (day(19, 8), "note", "# not a heading\n\nsecond paragraph\r\n## nor this", {}),
        (day(21, 10), "thought", "Nobody replies", {"rejection_id": anonymous}),
        (day(22), "checkin", None, {"mood": 6}),
    ]:
        at(db, "entries", store.add_entry(db, 1, kind, text, **extra), when)
    application = store.add_application(
        db, 1, company="Globex", role="Analyst", planned_for="2026-12-01"
    )
    at(db, "applications", application, day(23, 12))

    other = store.add_rejection(db, 2, company="SECRET Corp", role="Spy", stage="final")
    at(db, "entries", store.add_entry(db, 2, "note", "SECRET note", rejection_id=other), day(20))
    # An entry pointing at someone else's rejection must not pull that rejection in.
    stray = store.add_entry(db, 1, "note", "stray link", rejection_id=other)
    at(db, "entries", stray, day(24))
    store.add_application(db, 2, company="SECRET Inc", role=None)
    return db


def test_export_filename():
    assert export_filename("md", date(2026, 11, 25)) == "journal-2026-11-25.md"
    assert [export_filename(fmt, date(2026, 1, 2)) for fmt in FORMATS] == [
        "journal-2026-01-02.md",
        "journal-2026-01-02.csv",
        "journal-2026-01-02.json",
    ]


@pytest.mark.parametrize(
    "call",
    [
        lambda db: export_user(db, 1, "pdf"),
        lambda db: export_filename("pdf", date(2026, 11, 25)),
    ],
)
def test_unknown_format_is_rejected_clearly(db, call):
    with pytest.raises(ValueError, match=r"'pdf'.*md, csv, json"):
        call(db)


def test_has_data(db):
    assert not has_data(db, 1)
    store.add_application(db, 2, company="Acme", role=None)
    assert not has_data(db, 1)
    store.add_rejection(db, 1, company=None, role=None, stage="unknown")
    assert has_data(db, 1)


def test_user_without_data_gets_a_small_valid_document(db):
    markdown = export_user(db, 1, "md", conversation=[], now=NOW).decode("utf-8")
    assert markdown.startswith("# Rejection Coach journal — 25 November 2026\n")
    assert "Nothing here yet." in markdown
    assert (
        export_user(db, 1, "csv", conversation=[]).decode("utf-8") == ",".join(CSV_COLUMNS) + "\r\n"
    )
    assert json.loads(export_user(db, 1, "json", conversation=[], now=NOW)) == {
        "user_id": 1,
        "exported_at": "2026-11-25T21:30:00+00:00",
        "profile": None,
        "rejections": [],
        "entries": [],
        "applications": [],
        "checkins_sent": [],
        "waiting_messages": [],
        "conversation": [],
    }


def test_markdown_sections_hold_their_entries_in_time_order(journal):
    markdown = export_user(journal, 1, "md", conversation=[], now=NOW).decode("utf-8")

    assert [line for line in markdown.splitlines() if line.startswith("#")] == [
        "# Rejection Coach journal — 25 November 2026",
        "## Your settings",
        "## Rejection: Data Analyst at Acme — interview, 20 Nov 2026",
        "## Rejection — stage unknown, 21 Nov 2026",
        "## Journal",
        "## Applications",
    ]
    _, acme, anonymous, loose, applications = markdown.split("\n## ")[1:]
    assert "Contact: Jane" in acme
    assert acme.index("They went with someone else.") < acme.index("> gutted")
    assert "**Fri 20 Nov 2026, 19:00 UTC** · feeling · intensity 8/10 · disappointed" in acme
    assert "> Nobody replies" in anonymous
    assert loose.index("not a heading") < loose.index("checkin · mood 6/10")
    assert loose.index("checkin") < loose.index("stray link")
    assert applications.strip() == (
        "Applications\n\n- Globex — Analyst (planned, planned for 2026-12-01, added 23 Nov 2026)"
    )
    assert "SECRET" not in markdown


def test_markdown_quotes_user_text_line_for_line(db):
    text = "# heading?\nline two\n\n---\n  ### deep\r\n> quoted\rlast"
    store.add_entry(db, 1, "note", text)
    markdown = export_user(db, 1, "md", conversation=[]).decode("utf-8")

    quote = markdown[markdown.index("> \\# heading?") :].rstrip("\n").split("\n")
    assert quote == [
        "> \\# heading?  ",
        "> line two  ",
        ">",
        "> \\---  ",
        ">   \\### deep  ",
        "> > quoted  ",
        "> last",
    ]
    assert "\r" not in markdown


def test_csv_is_one_timeline_of_this_users_records(journal):
    rows = parse_csv(export_user(journal, 1, "csv", conversation=[]))

    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [(row["record_type"], row["kind"] or row["company"]) for row in rows] == [
        ("entry", "note"),
        ("rejection", "Acme"),
        ("entry", "rejection"),
        ("entry", "feeling"),
        ("rejection", ""),
        ("entry", "thought"),
        ("entry", "checkin"),
        ("application", "Globex"),
        ("entry", "note"),
        ("profile", ""),
    ]
    assert [row["created_at"] for row in rows] == sorted(row["created_at"] for row in rows)
    feeling = rows[3]
    assert (feeling["mood"], feeling["emotion"], feeling["rejection_id"]) == (
        "8",
        "disappointed",
        rows[1]["id"],
    )
    assert rows[7]["status"] == "planned"
    assert rows[7]["planned_for"] == "2026-12-01"


def test_json_has_every_record_of_this_user_only(journal):
    data = export_user(journal, 1, "json", conversation=[], now=NOW)
    document = json.loads(data)

    assert document["user_id"] == 1
    assert document["exported_at"] == "2026-11-25T21:30:00+00:00"
    assert [r["company"] for r in document["rejections"]] == ["Acme", None]
    assert [e["kind"] for e in document["entries"]] == [
        "note",
        "rejection",
        "feeling",
        "thought",
        "checkin",
        "note",
    ]
    assert [a["company"] for a in document["applications"]] == ["Globex"]
    assert document["entries"][0]["created_at"] == "2026-11-19T08:00:00+00:00"
    assert b"SECRET" not in data


def test_ten_thousand_entries_are_all_exported_in_order(db):
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    store.ensure_user(db, 1)
    db["entries"].insert_all(
        {
            "user_id": 1,
            "created_at": (start + timedelta(minutes=i)).isoformat(timespec="seconds"),
            "kind": "note",
            "text": f"note {i:05d}",
        }
        for i in range(10_000)
    )
    store.add_entry(db, 2, "note", "note 99999")
    expected = [f"note {i:05d}" for i in range(10_000)]

    markdown = export_user(db, 1, "md", conversation=[]).decode("utf-8")
    assert [line[2:] for line in markdown.splitlines() if line.startswith("> ")] == expected
    rows = parse_csv(export_user(db, 1, "csv", conversation=[]))
    assert [row["text"] for row in rows if row["record_type"] == "entry"] == expected
    entries = json.loads(export_user(db, 1, "json", conversation=[]))["entries"]
    assert [entry["text"] for entry in entries] == expected


@settings(
    max_examples=75, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(), company=st.text())
@example(text="😢 rejected again 🙃\n👩🏽‍💻", company="שלום عالم")
@example(text="a\x00b\x01\x1b[31m\x7f\r\n\u2028\u202e\ufeff", company="=SUM(A1)")
@example(text="", company='"quoted", comma')
def test_unicode_survives_csv_and_json(db, text, company):
    store.delete_user_data(db, 1)
    rejection = store.add_rejection(db, 1, company=company, role=None, stage="final")
    store.add_entry(db, 1, "note", text, rejection_id=rejection)

    document = json.loads(export_user(db, 1, "json", conversation=[]).decode("utf-8"))
    assert document["entries"][0]["text"] == text
    assert document["rejections"][0]["company"] == company

    # Python 3.10's csv module cannot carry NUL, so the CSV export swaps it for U+FFFD.
    rows = {
        row["record_type"]: row for row in parse_csv(export_user(db, 1, "csv", conversation=[]))
    }
    assert rows["entry"]["text"] == text.replace("\0", "\ufffd")
    assert rows["rejection"]["company"] == company.replace("\0", "\ufffd")


def conversation_of(user_id: int) -> list[dict]:
    return [
        {"time": "2026-11-25T20:00:00+00:00", "who": "you", "text": f"hello from {user_id}"},
        {"time": "2026-11-25T20:00:01+00:00", "who": "bot", "text": "Hi. What happened today?"},
    ]


@pytest.fixture
def held(db):
    """Every kind of record we hold, for user 1 and for user 2."""
    for user in (1, 2):
        secret = "" if user == 1 else "SECRET "
        store.update_user(db, user, timezone="Europe/Berlin", checkin_time=f"2{user}:30")
        store.record_crisis(db, user)
        rejection = store.add_rejection(db, user, company=f"{secret}Acme", role=None, stage="final")
        store.add_entry(db, user, "feeling", f"{secret}gutted", mood=7, rejection_id=rejection)
        store.add_application(db, user, company=f"{secret}Globex", role=None)
        db["checkins"].insert(
            {
                "user_id": user,
                "local_date": f"2026-11-2{user}",
                "due_at": f"2026-11-2{user}T20:30:00+00:00",
                "sent_at": f"2026-11-2{user}T20:30:02+00:00",
            }
        )
        store.queue_message(db, user, f"{secret}still waiting")
    return db


def test_every_kind_we_hold_is_exported_in_every_format_for_this_user_only(held):
    conversation = conversation_of(1)
    markdown = export_user(held, 1, "md", conversation=conversation, now=NOW).decode()
    rows = parse_csv(export_user(held, 1, "csv", conversation=conversation))
    document = json.loads(export_user(held, 1, "json", conversation=conversation, now=NOW))

    assert [line for line in markdown.splitlines() if line.startswith("## ")] == [
        "## Your settings",
        "## Rejection: Acme — final, " + datetime.now(timezone.utc).strftime("%d %b %Y"),
        "## Applications",
        "## Check-ins sent",
        "## Messages waiting for an answer",
        "## Our conversation",
    ]
    for words in ("Time zone: Europe/Berlin", "Nightly check-in: 21:30", "Crisis resources"):
        assert words in markdown
    assert "2026-11-21: sent Sat 21 Nov 2026, 20:30 UTC" in markdown
    assert "> still waiting" in markdown
    assert "**Wed 25 Nov 2026, 20:00 UTC** · you\n\n> hello from 1" in markdown

    assert {row["record_type"] for row in rows} == {
        "profile",
        "rejection",
        "entry",
        "application",
        "checkin",
        "waiting",
        "message",
    }
    [profile] = [row for row in rows if row["record_type"] == "profile"]
    assert (profile["timezone"], profile["checkin_time"]) == ("Europe/Berlin", "21:30")
    assert [row["who"] for row in rows if row["record_type"] == "message"] == ["you", "bot"]

    assert document["profile"]["checkin_time"] == "21:30" and document["profile"]["crisis_at"]
    assert [c["local_date"] for c in document["checkins_sent"]] == ["2026-11-21"]
    assert [m["text"] for m in document["waiting_messages"]] == ["still waiting"]
    assert document["conversation"] == conversation

    for content in (markdown, json.dumps(rows), json.dumps(document)):
        assert "SECRET" not in content and "22:30" not in content and "2026-11-22" not in content


def test_a_conversation_that_could_not_be_read_is_said_in_every_format(held):
    for fmt in FORMATS:
        content = export_user(held, 1, fmt, conversation=None).decode()
        assert "could not be read" in content, fmt
    assert json.loads(export_user(held, 1, "json", conversation=None))["conversation"] is None


def test_settings_columns_added_later_are_exported_too(db):
    db["users"].add_column("remembered_thing", str)
    store.update_user(db, 1, remembered_thing="Zanzibarquokka")
    for fmt in FORMATS:
        assert "Zanzibarquokka" in export_user(db, 1, fmt, conversation=[]).decode(), fmt


def test_messages_held_for_the_safety_question_are_exported(db):
    store.update_user(db, 1, held=json.dumps(["first held", "# second held"]))
    markdown = export_user(db, 1, "md", conversation=[]).decode()
    assert (
        "## Messages held until you answer my question\n\n> first held\n\n> \\# second" in markdown
    )
    [profile] = parse_csv(export_user(db, 1, "csv", conversation=[]))
    assert json.loads(profile["held"]) == ["first held", "# second held"]


def test_has_data_counts_settings_and_waiting_messages(db):
    store.update_user(db, 1, checkin_time="21:00")
    store.queue_message(db, 2, "hello?")
    assert has_data(db, 1) and has_data(db, 2) and not has_data(db, 3)


def test_the_operator_export_holds_the_conversation_from_the_tracker_file(tmp_path, monkeypatch):
    from bot.__main__ import main
    from tests.test_privacy import event, rasa_tracker

    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("RASA_URL", raising=False)
    store.add_entry(store.connect(tmp_path / "coach.db"), 7, "note", "mine")
    rasa_tracker(
        tmp_path / "rasa-tracker.db",
        {"7": [event("user", 1.7e9, "hello from 7")], "8": [event("user", 1.7e9, "not 7")]},
    )
    umask = os.umask(0o022)  # main() tightens the process umask; put it back afterwards
    try:
        out = tmp_path / "out.json"
        assert main(["export", "--user-id", "7", "--format", "json", "--out", str(out)]) == 0
    finally:
        os.umask(umask)

    document = json.loads(out.read_text())
    assert [entry["text"] for entry in document["entries"]] == ["mine"]
    assert [line["text"] for line in document["conversation"]] == ["hello from 7"]

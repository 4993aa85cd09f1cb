"""The journal database: schema contract, ownership, search, deletion, file mode."""

from __future__ import annotations

import os
import stat

import pytest

from bot import privacy, store


def test_the_contract_tables_and_columns_exist(db) -> None:
    expected = {
        "users": {"id", "timezone", "checkin_time", "created_at", "blocked_at"},
        "rejections": {"id", "user_id", "company", "role", "stage", "created_at"},
        "entries": {
            "id",
            "user_id",
            "created_at",
            "kind",
            "text",
            "mood",
            "emotion",
            "rejection_id",
        },
        "applications": {"id", "user_id", "company", "role", "status", "created_at"},
    }
    for table, columns in expected.items():
        assert columns <= set(db[table].columns_dict), table
    assert db.journal_mode == "wal"


def test_the_database_file_is_private_to_its_owner(tmp_path) -> None:
    store.connect(tmp_path / "coach.db")
    assert stat.S_IMODE(os.stat(tmp_path / "coach.db").st_mode) == 0o600


def test_migrate_is_idempotent_and_keeps_data(tmp_path) -> None:
    db = store.connect(tmp_path / "coach.db")
    store.add_entry(db, 1, "note", "kept")
    again = store.connect(tmp_path / "coach.db")
    assert [row["text"] for row in store.recent_entries(again, 1)] == ["kept"]


def test_search_finds_only_the_users_own_entries_and_marks_matches(db) -> None:
    store.add_entry(db, 1, "note", "The interview at Acme went badly")
    store.add_entry(db, 2, "note", "My interview at Globex was fine")

    results = store.search_entries(db, 1, "interview")

    assert [row["snippet"] for row in results] == ["The «interview» at Acme went badly"]
    assert store.search_entries(db, 1, "Globex") == []


def test_search_lists_the_newest_matches_first_and_no_more_than_asked(db) -> None:
    store.add_entry(db, 1, "note", "interview interview interview, all day long")
    for number in range(3):
        store.add_entry(db, 1, "note", f"a long note about the week, then an interview ({number})")

    found = store.search_entries(db, 1, "interview", limit=3)

    assert [row["snippet"][-3:] for row in found] == ["(2)", "(1)", "(0)"]


def search_segments(db) -> int:
    return db.execute("select count(distinct segid) from entries_fts_idx").fetchone()[0]


def test_merging_the_search_index_leaves_one_segment_and_the_same_hits(db) -> None:
    for number in range(12):
        store.add_entry(db, 1, "note", f"an interview, number {number}")
    before = store.search_entries(db, 1, "interview")
    assert search_segments(db) > 1

    store.merge_search_index(db)

    assert search_segments(db) == 1
    assert store.search_entries(db, 1, "interview") == before


def test_searching_for_a_user_id_finds_text_never_someone_elses_entries(db) -> None:
    store.add_entry(db, 2, "note", "a private note")
    store.add_entry(db, 1, "note", "applied to 2 jobs")

    assert [row["snippet"] for row in store.search_entries(db, 1, "2")] == ["applied to «2» jobs"]
    assert store.search_entries(db, 1, "user_id") == []


def test_a_search_index_from_before_user_ids_were_indexed_is_rebuilt(tmp_path) -> None:
    db = store.connect(tmp_path / "coach.db")
    store.add_entry(db, 1, "note", "old interview notes")
    db["entries"].enable_fts(["text"], create_triggers=True, tokenize="porter", replace=True)

    upgraded = store.connect(tmp_path / "coach.db")

    assert set(upgraded["entries_fts"].columns_dict) == {"text", "user_id"}
    assert [row["snippet"] for row in store.search_entries(upgraded, 1, "interview")] == [
        "old «interview» notes"
    ]


@pytest.mark.parametrize("query", ['"unbalanced', "AND OR NOT", "*", "near(", "émoji 🙂", ""])
def test_search_treats_any_query_as_plain_words(db, query: str) -> None:
    store.add_entry(db, 1, "note", "something")
    assert isinstance(store.search_entries(db, 1, query), list)


def test_a_stage_outside_the_contract_is_refused(db) -> None:
    with pytest.raises(ValueError):
        store.add_rejection(db, 1, company="Acme", role=None, stage="phone")


def test_active_applications_count_what_was_reported_plus_what_was_added(db) -> None:
    store.set_reported_active(db, 1, 2)
    store.add_application(db, 1, company="Acme", role="Analyst")
    store.add_application(db, 2, company="Other user", role=None)
    assert store.active_application_count(db, 1) == 3


def test_appending_to_someone_elses_entry_is_refused(db) -> None:
    entry = store.add_entry(db, 1, "note", "mine")
    with pytest.raises(LookupError):
        store.append_to_entry(db, 2, entry, "not yours")
    assert store.recent_entries(db, 1)[0]["text"] == "mine"


def test_delete_removes_every_row_of_one_user_and_nobody_elses(db) -> None:
    for user in (1, 2):
        rejection = store.add_rejection(db, user, company="Acme", role="PM", stage="final")
        store.add_entry(db, user, "feeling", "sad", mood=6, rejection_id=rejection)
        store.add_application(db, user, company="Next", role=None)
        store.queue_message(db, user, "waiting")
        db["checkins"].insert({"user_id": user, "local_date": "2026-11-25"})

    deleted = store.delete_user_data(db, 1)

    assert deleted["entries"] == 1 and deleted["users"] == 1
    for table in store.USER_TABLES:
        column = "id" if table == "users" else "user_id"
        assert db[table].count_where(f"{column} = 1") == 0, table
        assert db[table].count_where(f"{column} = 2") == 1, table
    assert store.search_entries(db, 1, "sad") == []
    assert len(store.search_entries(db, 2, "sad")) == 1


def file_bytes(folder) -> bytes:
    """Everything SQLite keeps on disk for the databases in ``folder``, lowercased."""
    return b"".join(path.read_bytes() for path in folder.iterdir() if path.is_file()).lower()


def test_deleted_journal_text_is_gone_from_the_files_not_just_the_tables(tmp_path) -> None:
    db = store.connect(tmp_path / "journal.db")
    for number in range(40):
        store.add_entry(db, 2, "note", f"an ordinary evening number {number}, sent five more")
    store.add_entry(db, 1, "feeling", "I feel Zanzibarquokka after the Quixotery interview")
    store.queue_message(db, 1, "a message still waiting: Plumtreeharbour")
    assert b"zanzibarquokka" in file_bytes(tmp_path)

    store.delete_user_data(db, 1)

    stored = file_bytes(tmp_path)
    for word in (b"zanzibarquokka", b"quixotery", b"plumtreeharbour"):
        assert word not in stored
    assert store.search_entries(db, 2, "ordinary evening")


def test_the_crisis_flag_is_taken_once(db) -> None:
    store.record_crisis(db, 1)
    assert store.take_crisis_flag(db, 1) is True
    assert store.take_crisis_flag(db, 1) is False


def test_forget_conversation_deletes_only_that_senders_events(tmp_path) -> None:
    from sqlite_utils import Database

    tracker = Database(tmp_path / "tracker.db")
    tracker["events"].insert_all(
        [
            {"id": i, "sender_id": sender, "type_name": "user"}
            for i, sender in enumerate(["1", "1", "2"])
        ],
        pk="id",
    )

    assert privacy.forget_conversation(tmp_path / "tracker.db", 1) == 2
    assert [row["sender_id"] for row in tracker["events"].rows] == ["2"]


def test_a_forgotten_conversation_leaves_no_text_in_the_tracker_file(tmp_path) -> None:
    from sqlite_utils import Database

    tracker = Database(tmp_path / "tracker.db")
    tracker.enable_wal()  # as the launcher leaves it
    tracker["events"].insert_all(
        [
            {"id": i, "sender_id": sender, "type_name": "user", "data": text}
            for i, (sender, text) in enumerate(
                [("1", "rejected by Quixotery"), ("2", "hello there"), ("1", "Zanzibarquokka")]
            )
        ],
        pk="id",
    )

    privacy.forget_conversation(tmp_path / "tracker.db", 1)

    stored = file_bytes(tmp_path)
    assert b"quixotery" not in stored and b"zanzibarquokka" not in stored
    assert b"hello there" in stored

"""SQLite under concurrent use: busy writers wait, backups are consistent while in use."""

from __future__ import annotations

import sqlite3
import threading

from bot import store
from bot.__main__ import backup
from tests.conftest import make_settings


def test_a_second_writer_waits_for_the_first_instead_of_failing(tmp_path) -> None:
    path = tmp_path / "coach.db"
    second = store.connect(path)
    first = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    first.execute("begin immediate")
    first.execute("insert into entries (user_id, kind, text) values (1, 'note', 'a')")
    release = threading.Timer(0.5, lambda: first.execute("commit"))
    release.start()

    store.add_entry(second, 2, "note", "b")  # blocks until the first commits, then succeeds

    release.join()
    assert second["entries"].count == 2


def test_backup_copies_a_consistent_journal_while_it_is_being_written(tmp_path) -> None:
    settings = make_settings(tmp_path)
    db = store.connect(settings.db_path)
    for number in range(200):
        store.add_entry(db, 1, "note", f"entry {number}")
    db.conn.execute("begin immediate")
    db.conn.execute("insert into entries (user_id, kind, text) values (1, 'note', 'uncommitted')")

    target = tmp_path / "backup.db"
    backup(settings, target)
    db.conn.rollback()

    copy = sqlite3.connect(target)
    assert copy.execute("select count(*) from entries").fetchone()[0] == 200
    assert copy.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert target.stat().st_mode & 0o777 == 0o600

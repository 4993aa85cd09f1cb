"""Removing a person's conversation from Rasa's tracker store."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database


def forget_conversation(tracker_db_path: Path, user_id: int) -> int:
    """Delete every stored Rasa event of this conversation; returns how many.

    Called only after Rasa has saved the turn that asked for it, otherwise
    Rasa would write the conversation straight back.
    """
    if not tracker_db_path.exists():
        return 0
    db = Database(tracker_db_path)
    try:
        db.execute("PRAGMA busy_timeout = 10000")
        db.execute("PRAGMA secure_delete = ON")  # overwrite the events, not just unlink them
        if not db["events"].exists():
            return 0
        with db.conn:
            count = db["events"].count_where("sender_id = ?", [str(user_id)])
            db["events"].delete_where("sender_id = ?", [str(user_id)])
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return count
    finally:
        db.close()

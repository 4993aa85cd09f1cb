"""Rasa's stored copy of each conversation: read for an export, removed on /delete,
pruned when old.

``tracker_db_path`` is the tracker file of the Rasa we run ourselves; it is None
when RASA_URL names a Rasa server we don't run, whose copy we can reach only
through its HTTP API.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

from sqlite_utils import Database

from bot.rasa_client import RasaClient, RasaUnavailable

SPOKEN = ("user", "bot")
# What Rasa writes into an empty conversation on its own: no words, no slot values.
BOOKKEEPING = ("action", "session_started")


def after_erasure(*, erased: bool) -> str:
    """What we say once the conversation copy is gone, or honestly isn't."""
    conversation = (
        "Our conversation is deleted too."
        if erased
        else "I couldn't delete the copy of our conversation that the Rasa server keeps. "
        "Please ask the person who runs this bot to remove it."
    )
    return (
        f"{conversation} Two things are out of my reach: the messages in this chat itself "
        "(you can clear the chat in Telegram), and backups the person running this bot "
        "made before today. If you come back, we start fresh."
    )


def transcript(events: Iterable[dict]) -> list[dict]:
    """What was said, in order: time (UTC), who ("you" or "bot") and the text."""
    return [
        {
            "time": datetime.fromtimestamp(event.get("timestamp") or 0, timezone.utc).isoformat(
                timespec="seconds"
            ),
            "who": "you" if event["event"] == "user" else "bot",
            "text": event["text"],
        }
        for event in events
        if event.get("event") in SPOKEN and event.get("text")
    ]


def _open(tracker_db_path: Path) -> Database | None:
    if not tracker_db_path.exists():
        return None
    db = Database(tracker_db_path)
    db.execute("PRAGMA busy_timeout = 10000")
    db.execute("PRAGMA secure_delete = ON")  # overwrite deleted events, not just unlink them
    if not db["events"].exists():
        db.close()
        return None
    return db


def stored_events(tracker_db_path: Path, user_id: int) -> list[dict]:
    """Every event Rasa's SQL tracker store holds for this conversation, oldest first."""
    db = _open(tracker_db_path)
    if db is None:
        return []
    try:
        rows = db["events"].rows_where(
            "sender_id = ?", [str(user_id)], select="data", order_by="id"
        )
        return [json.loads(row["data"]) for row in rows if row["data"]]
    finally:
        db.close()


def forget_conversation(tracker_db_path: Path, user_id: int) -> int:
    """Delete every stored Rasa event of this conversation; returns how many.

    Called only after Rasa has saved the turn that asked for it, otherwise
    Rasa would write the conversation straight back.
    """
    return _delete_events(tracker_db_path, "sender_id = ?", [str(user_id)])


def prune_conversations(tracker_db_path: Path, before: datetime) -> int:
    """Delete every stored Rasa event older than ``before``; returns how many."""
    return _delete_events(tracker_db_path, "timestamp < ?", [before.timestamp()])


def _delete_events(tracker_db_path: Path, where: str, params: list) -> int:
    db = _open(tracker_db_path)
    if db is None:
        return 0
    try:
        with db.conn:
            count = db["events"].count_where(where, params)
            db["events"].delete_where(where, params)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return count
    finally:
        db.close()


async def read_conversation(
    tracker_db_path: Path | None, rasa: RasaClient, user_id: int
) -> list[dict] | None:
    """The transcript of our conversation; None when the Rasa server could not be asked."""
    if tracker_db_path is not None:
        return transcript(stored_events(tracker_db_path, user_id))
    try:
        return transcript(await rasa.tracker_events(user_id))
    except RasaUnavailable:
        return None


async def last_heard(
    tracker_db_path: Path | None, rasa: RasaClient, user_id: int
) -> datetime | None:
    """When this person last wrote to us, as Rasa stored it; raises RasaUnavailable."""
    events = (
        stored_events(tracker_db_path, user_id)
        if tracker_db_path is not None
        else await rasa.tracker_events(user_id)
    )
    times = [event.get("timestamp") or 0 for event in events if event.get("event") == "user"]
    return datetime.fromtimestamp(max(times), timezone.utc) if times else None


async def erase_conversation(tracker_db_path: Path | None, rasa: RasaClient, user_id: int) -> bool:
    """Remove Rasa's copy of our conversation; False when it could not be removed.

    Rasa 3.6's API has no delete: replacing the events with none empties an
    in-memory tracker store, but a SQL one keeps every event it has, so the
    result is checked rather than assumed.
    """
    if tracker_db_path is not None:
        forget_conversation(tracker_db_path, user_id)
        return True
    try:
        if _holds_anything(await rasa.tracker_events(user_id)):
            await rasa.replace_events(user_id, [])
            return not _holds_anything(await rasa.tracker_events(user_id))
        return True
    except RasaUnavailable:
        return False


def _holds_anything(events: Iterable[dict]) -> bool:
    return any(event.get("event") not in BOOKKEEPING for event in events)

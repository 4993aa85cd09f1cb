"""The tracker store endpoints.yml names: Rasa's SQL store, finding the session by index."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_tracker_store
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config

from bot.config import RASA_PROJECT

sys.path.insert(0, str(RASA_PROJECT))
from indexed_tracker_store import IndexedSQLTrackerStore  # noqa: E402


def session(start: float, words: list[str]) -> list[Event]:
    events: list[Event] = [
        ActionExecuted("action_session_start", timestamp=start),
        SessionStarted(timestamp=start + 0.1),
        ActionExecuted("action_listen", timestamp=start + 0.2),
    ]
    for offset, word in enumerate(words, start=1):
        events.append(UserUttered(word, timestamp=start + offset))
    return events


@pytest.fixture
def stores(tmp_path: Path) -> tuple[IndexedSQLTrackerStore, SQLTrackerStore]:
    path = str(tmp_path / "tracker.db")
    ours = IndexedSQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=path)
    theirs = SQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=path)
    return ours, theirs


def test_endpoints_yml_loads_this_store(monkeypatch, tmp_path: Path) -> None:
    for name, value in {
        "TRACKER_DB": str(tmp_path / "tracker.db"),
        "ACTION_ENDPOINT": "http://127.0.0.1:9/webhook",
        "RASA_TOKEN": "x",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.syspath_prepend(str(RASA_PROJECT))
    config = read_endpoint_config(str(RASA_PROJECT / "endpoints.yml"), "tracker_store")
    store = create_tracker_store(config, Domain.empty())
    # Rasa falls back to an in-memory store, with only a warning, for a type it cannot load.
    assert isinstance(getattr(store, "_tracker_store", store), IndexedSQLTrackerStore)


@pytest.mark.parametrize("sessions", [0, 1, 3])
async def test_same_events_as_rasas_own_query(stores, sessions: int) -> None:
    ours, theirs = stores
    events: list[Event] = [UserUttered("before any session", timestamp=1.0)]
    for index in range(sessions):
        events += session(100.0 * (index + 1), [f"word {index} {n}" for n in range(3)])
    await ours.save(DialogueStateTracker.from_events("7", events))
    await ours.save(DialogueStateTracker.from_events("8", session(50.0, ["someone else"])))

    for sender in ("7", "8", "nobody"):
        mine, rasas = await ours.retrieve(sender), await theirs.retrieve(sender)
        assert (mine and mine.events) == (rasas and rasas.events)
    full = await ours.retrieve_full_tracker("7")
    assert len(full.events) == len(events)


async def test_the_current_session_is_found_through_an_index(stores) -> None:
    ours, _ = stores
    await ours.save(DialogueStateTracker.from_events("7", session(100.0, ["a", "b"])))
    with ours.session_scope() as db_session:
        query = ours._event_query(db_session, "7", fetch_events_from_all_sessions=False)
        sql = str(query.statement.compile(compile_kwargs={"literal_binds": True}))
    with sqlite3.connect(ours.engine.url.database) as db:
        plan = " ".join(row[3] for row in db.execute(f"explain query plan {sql}"))
    assert "timestamp>" in plan.replace(" ", ""), plan


async def test_the_sqlite_connection_is_kept_between_turns(stores) -> None:
    ours, _ = stores
    opened = []
    sa.event.listen(ours.engine, "connect", lambda *_: opened.append(1))
    for turn in range(3):
        tracker = await ours.retrieve("7") or DialogueStateTracker.from_events("7", [])
        tracker.update(UserUttered(f"turn {turn}", timestamp=10.0 + turn))
        await ours.save(tracker)
    assert opened == [], "the connection opened at start-up serves every load and save"

"""Rasa's copy of a conversation: read for an export, erased on /delete, pruned when old,
from our own tracker file or through another Rasa server's HTTP API."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from aiohttp import web
from sqlite_utils import Database

from bot import privacy
from bot.rasa_client import RasaClient
from tests.conftest import free_port

TOKEN = "test-secret"


def event(kind: str, when: float, text: str | None = None, **extra) -> dict:
    return {"event": kind, "timestamp": when, **({"text": text} if text else {}), **extra}


def rasa_tracker(path: Path, conversations: dict[str, list[dict]]) -> Database:
    """A tracker file laid out as Rasa's SQL tracker store writes it."""
    db = Database(path)
    db.enable_wal()
    db["events"].insert_all(
        (
            {
                "sender_id": sender,
                "type_name": item["event"],
                "timestamp": item["timestamp"],
                "intent_name": None,
                "action_name": item.get("name"),
                "data": json.dumps(item),
            }
            for sender, items in conversations.items()
            for item in items
        ),
        pk="id",
    )
    return db


CONVERSATION = [
    event("action", 1_764_000_000.0, name="action_session_start"),
    event("user", 1_764_000_001.5, "I got rejected by Quixotery"),
    event("slot", 1_764_000_002.0, name="company", value="Quixotery"),
    event("bot", 1_764_000_003.0, "I'm sorry. That stings."),
    event("bot", 1_764_000_004.0),  # buttons only
]


def test_the_transcript_is_what_was_said_by_whom_and_when() -> None:
    assert privacy.transcript(CONVERSATION) == [
        {"time": "2025-11-24T16:00:01+00:00", "who": "you", "text": "I got rejected by Quixotery"},
        {"time": "2025-11-24T16:00:03+00:00", "who": "bot", "text": "I'm sorry. That stings."},
    ]


async def test_our_tracker_file_gives_this_persons_conversation_only(tmp_path: Path) -> None:
    rasa_tracker(
        tmp_path / "tracker.db",
        {"1": CONVERSATION, "2": [event("user", 1_764_000_001.0, "someone else's words")]},
    )
    client = RasaClient("http://127.0.0.1:9", TOKEN)  # never asked: the file is ours

    lines = await privacy.read_conversation(tmp_path / "tracker.db", client, 1)

    assert [line["text"] for line in lines] == [
        "I got rejected by Quixotery",
        "I'm sorry. That stings.",
    ]
    assert await privacy.read_conversation(tmp_path / "missing.db", client, 1) == []


def test_pruning_deletes_old_events_of_everyone_and_erases_them_from_the_file(
    tmp_path: Path,
) -> None:
    old, new = 1_700_000_000.0, 1_764_000_000.0
    tracker = rasa_tracker(
        tmp_path / "tracker.db",
        {
            "1": [event("user", old, "Zanzibarquokka"), event("user", new, "recent words")],
            "2": [event("user", old, "Plumtreeharbour")],
        },
    )

    pruned = privacy.prune_conversations(
        tmp_path / "tracker.db", datetime.fromtimestamp(new - 1, timezone.utc)
    )

    assert pruned == 2
    assert [json.loads(row["data"])["text"] for row in tracker["events"].rows] == ["recent words"]
    stored = b"".join(path.read_bytes() for path in tmp_path.iterdir()).lower()
    assert b"zanzibarquokka" not in stored and b"plumtreeharbour" not in stored


class FakeRasa:
    """Rasa's conversation API; ``keeps_events`` behaves like a SQL tracker store,
    whose PUT adds nothing and deletes nothing."""

    def __init__(self, *, keeps_events: bool) -> None:
        self.keeps_events = keeps_events
        self.events: dict[str, list[dict]] = {}
        self.puts = 0

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/conversations/{sender}/tracker", self.get)
        app.router.add_put("/conversations/{sender}/tracker/events", self.put)
        return app

    async def get(self, request: web.Request) -> web.Response:
        if request.query.get("token") != TOKEN:
            return web.json_response({}, status=401)
        sender = request.match_info["sender"]
        assert request.query.get("include_events") == "ALL"
        return web.json_response({"sender_id": sender, "events": self.events.get(sender, [])})

    async def put(self, request: web.Request) -> web.Response:
        if request.query.get("token") != TOKEN:
            return web.json_response({}, status=401)
        self.puts += 1
        if not self.keeps_events:
            self.events[request.match_info["sender"]] = await request.json()
        return web.json_response({})


@pytest.fixture(params=[False, True], ids=["in-memory store", "sql store"])
async def remote(request) -> AsyncIterator[tuple[FakeRasa, RasaClient]]:
    fake = FakeRasa(keeps_events=request.param)
    runner = web.AppRunner(fake.app())
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    client = RasaClient(f"http://127.0.0.1:{port}", TOKEN)
    try:
        yield fake, client
    finally:
        await client.close()
        await runner.cleanup()


async def test_another_rasa_is_asked_for_the_conversation_over_http(remote) -> None:
    fake, client = remote
    fake.events = {"1": CONVERSATION, "2": [event("user", 1.0, "not yours")]}

    lines = await privacy.read_conversation(None, client, 1)

    assert [line["who"] for line in lines] == ["you", "bot"]


async def test_erasing_through_the_api_is_checked_not_assumed(remote) -> None:
    fake, client = remote
    fake.events = {"1": list(CONVERSATION)}

    erased = await privacy.erase_conversation(None, client, 1)

    assert fake.puts == 1
    assert erased is (not fake.keeps_events)
    assert bool(fake.events["1"]) is fake.keeps_events


async def test_an_unreachable_rasa_means_not_read_and_not_erased() -> None:
    client = RasaClient(f"http://127.0.0.1:{free_port()}", TOKEN)
    try:
        assert await privacy.read_conversation(None, client, 1) is None
        assert await privacy.erase_conversation(None, client, 1) is False
    finally:
        await client.close()


def test_after_erasure_says_honestly_what_happened_and_what_stays() -> None:
    done, kept = privacy.after_erasure(erased=True), privacy.after_erasure(erased=False)
    assert "deleted too" in done and "couldn't delete" not in done
    assert "couldn't delete" in kept and "deleted too" not in kept
    for text in (done, kept):
        assert "this chat itself" in text and "backups" in text

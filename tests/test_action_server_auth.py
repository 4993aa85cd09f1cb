"""The action server, started by the launcher, answers only the Rasa server; an action
that raises fails closed; nothing the call carried reaches its log, even at DEBUG."""

from __future__ import annotations

import asyncio
import stat
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot import store
from bot.launcher import Stack
from tests.conftest import make_settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rasa_project"))

from action_server import SORRY  # noqa: E402

USER = 4242
WORDS = ("marmalade", "quokka")  # in what the "person" wrote; must never reach a log


@pytest.fixture(scope="module")
async def actions(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    settings = make_settings(tmp_path_factory.mktemp("actions"), RASA_LOG_LEVEL="DEBUG")
    stack = Stack(settings)
    stack.children = (stack.actions,)
    try:
        await stack._spawn(stack.actions)
        await stack._wait_ready(stack.actions, 120.0)
        yield stack
    finally:
        await stack.stop()


def action_call(action: str, sender: str, text: str) -> dict[str, Any]:
    user_event = {"event": "user", "text": text, "parse_data": {"text": text}}
    tracker = {
        "sender_id": sender,
        "slots": {},
        "latest_message": {"text": text, "intent": {}, "entities": []},
        "events": [user_event],
    }
    return {"next_action": action, "sender_id": sender, "tracker": tracker, "domain": {}}


async def call(stack: Stack, body: dict[str, Any], **headers: str) -> httpx.Response:
    async with httpx.AsyncClient(timeout=30.0) as http:
        return await http.post(
            f"http://127.0.0.1:{stack.settings.action_port}/webhook", json=body, headers=headers
        )


def entries(stack: Stack) -> int:
    return store.count_entries(store.connect(stack.settings.db_path), USER)


def bearer(stack: Stack) -> str:
    return f"Bearer {stack.settings.rasa_token}"


async def test_a_call_without_the_secret_is_refused_and_changes_nothing(actions: Stack) -> None:
    store.add_entry(store.connect(actions.settings.db_path), USER, "journal", "a private line")
    delete = action_call("action_delete_data", str(USER), "yes, delete everything")

    assert (await call(actions, delete)).status_code == 401
    assert (await call(actions, delete, authorization="Bearer not-the-secret")).status_code == 401
    assert entries(actions) == 1

    answer = await call(actions, delete, authorization=bearer(actions))  # the real caller
    assert answer.status_code == 200 and entries(actions) == 0


async def test_a_call_naming_another_host_is_refused(actions: Stack) -> None:
    delete = action_call("action_delete_data", str(USER), "yes")
    rebound = {"host": f"rebound.example:{actions.settings.action_port}"}
    refused = await call(actions, delete, authorization=bearer(actions), **rebound)
    assert refused.status_code == 403
    async with httpx.AsyncClient() as http:
        health = f"http://127.0.0.1:{actions.settings.action_port}/health"
        assert (await http.get(health, headers=rebound)).status_code == 403
        assert (await http.get(health)).json() == {"status": "ok"}  # and nothing more


async def test_an_action_that_raises_answers_kindly_and_logs_only_its_name(
    actions: Stack,
) -> None:
    # A sender id that is not a number makes every action that reads the user fail,
    # with an exception message that quotes it.
    body = action_call("action_delete_data", "quokka", "my marmalade thoughts, please keep them")
    answer = await call(actions, body, authorization=bearer(actions))

    assert answer.status_code == 200
    assert answer.json()["events"] == []
    assert [reply["text"] for reply in answer.json()["responses"]] == [SORRY]
    log = await logged(actions, "action action_delete_data failed with ValueError")
    assert "marmalade" not in log
    assert_private(actions.settings.data_dir / "logs", WORDS)


async def logged(stack: Stack, line: str) -> str:
    """The action server's log once it holds ``line`` (its output arrives through a pipe)."""
    for _ in range(200):
        text = stack.actions.log_path.read_text() if stack.actions.log_path.exists() else ""
        if line in text:
            return text
        await asyncio.sleep(0.05)
    pytest.fail(f"the log never said {line!r}")


def assert_private(log_dir: Path, words: tuple[str, ...]) -> None:
    files = [path for path in log_dir.rglob("*") if path.is_file()]
    assert files
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        text = path.read_text(errors="replace").casefold()
        for word in words:
            assert word not in text, f"{word!r} is in {path}"

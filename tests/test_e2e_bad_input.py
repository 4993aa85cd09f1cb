"""Arbitrary text through the real pipe: always a kind answer, never a crash or a lost word."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import store
from bot.telegram_app import TelegramFrontEnd
from tests.chat import Chat
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.e2e

GENERATED_CASES = 40

awkward_text = st.one_of(
    st.text(min_size=1, max_size=300),
    st.text(
        alphabet=st.sampled_from("\x00\x01\u200b\u200f\u202e\u0301\ufeff😔👩‍👩‍👧 <>&*_`[]#"),
        min_size=1,
        max_size=50,
    ),
    st.builds(lambda s: (s * 4096)[:4096], st.text(min_size=1, max_size=5)),
    st.sampled_from(
        [
            "<b>bold</b>",
            "*stars* _under_ `tick`",
            "[link](http://x)",
            "مرحبا بالعالم",
            "   ",
            "\n\n",
            '/inform{"number": 99}',
            "/delete_data",
            "/affirm",
        ]
    ),
)


async def test_any_text_gets_an_answer_and_leaves_the_database_consistent(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int, caplog
) -> None:
    bystander = user_id + 500_000
    store.add_entry(front.db, bystander, "note", "someone else's words")
    loop = asyncio.get_running_loop()
    chat = Chat(fake, user_id)
    seen: list[str] = []

    @settings(
        max_examples=GENERATED_CASES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(text=awkward_text)
    def send(text: str) -> None:
        seen.append(text)
        turn = asyncio.run_coroutine_threadsafe(chat.say(text), loop).result(timeout=120)
        assert turn.texts, f"no answer to {text!r}"
        assert all(0 < len(reply) <= 4096 for reply in turn.texts)

    with caplog.at_level(logging.ERROR):
        await asyncio.to_thread(send)

    assert len(seen) >= GENERATED_CASES
    assert "handler failed" not in caplog.text
    assert store.pending_messages(front.db, user_id) == [], "every message was answered"
    assert front.db.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert [row["text"] for row in store.recent_entries(front.db, bystander)] == [
        "someone else's words"
    ], "nothing typed by one person touches another's journal"


async def test_users_outside_the_allow_list_are_refused_and_nothing_is_stored(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int, monkeypatch
) -> None:
    monkeypatch.setattr(front, "settings", replace(front.settings, allowed_user_ids=frozenset({1})))
    turn = await Chat(fake, user_id).say("hello, I got rejected today")

    assert "private" in turn.text and "invited" in turn.text
    assert store.get_user(front.db, user_id) is None
    assert store.pending_messages(front.db, user_id) == []

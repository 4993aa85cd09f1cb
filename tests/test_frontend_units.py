"""Small pieces of the front end, without any server."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.config import load_settings
from bot.rasa_client import Button, Reply, intent_payload, parse_replies
from bot.telegram_app import keyboard, split_text


@given(st.text(min_size=0, max_size=20_000))
def test_split_text_keeps_every_character_in_pieces_telegram_accepts(text: str) -> None:
    pieces = split_text(text)
    assert all(0 < len(piece) <= 4096 for piece in pieces)
    assert "".join(pieces).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(
        " ", ""
    )


def test_split_text_prefers_paragraph_boundaries() -> None:
    text = ("a" * 3000) + "\n\n" + ("b" * 3000)
    assert split_text(text) == ["a" * 3000, "b" * 3000]


def test_a_short_reply_is_not_split() -> None:
    assert split_text("hello") == ["hello"]


def test_number_buttons_are_laid_out_in_rows_and_long_payloads_fall_back_to_titles() -> None:
    numbers = Reply(text="How strong?", buttons=tuple(Button(str(n), f"/n{n}") for n in range(11)))
    long = Reply(text="?", buttons=(Button("Yes", "/inform" + "x" * 80),))

    assert [len(row) for row in keyboard(numbers).inline_keyboard] == [6, 5]
    assert keyboard(long).inline_keyboard[0][0].callback_data == "Yes"
    assert keyboard(Reply(text="no buttons")) is None


def test_rasa_messages_become_replies_with_commands() -> None:
    replies = parse_replies(
        [
            {"recipient_id": "1", "text": "hi", "buttons": [{"title": "Go", "payload": "/go"}]},
            {"recipient_id": "1", "custom": {"command": "export"}},
        ]
    )
    assert replies[0] == Reply(text="hi", buttons=(Button("Go", "/go"),))
    assert replies[1].command == "export"


def test_intent_payloads_use_rasas_syntax() -> None:
    assert intent_payload("crisis") == "/crisis"
    assert intent_payload("set_checkin", {"time": "21:30"}) == '/set_checkin{"time": "21:30"}'


def test_settings_read_the_environment_and_keep_one_secret(tmp_path) -> None:
    env = {"DATA_DIR": str(tmp_path), "ALLOWED_USER_IDS": "1, 2 3"}
    first, second = load_settings(env), load_settings(env)

    assert first.rasa_token == second.rasa_token and len(first.rasa_token) > 30
    assert (tmp_path / "rasa-token").stat().st_mode & 0o777 == 0o600
    assert first.allowed_user_ids == {1, 2, 3}
    assert first.is_allowed(2) and not first.is_allowed(4)
    assert "rasa_token" not in repr(first) and "telegram_token" not in repr(first)

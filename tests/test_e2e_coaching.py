"""The coaching conversation end to end, through the fake Telegram server."""

from __future__ import annotations

import pytest

from bot import safety, store
from bot.telegram_app import TelegramFrontEnd
from tests.chat import Chat, Turn
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.e2e


def titles(turn: Turn) -> list[str]:
    return [title for title, _ in turn.buttons]


async def answer_rejection_questions(chat: Chat, turn: Turn) -> Turn:
    """Answer whatever the rejection form still asks until the feeling question comes."""
    for _ in range(4):
        if "Disappointed" in titles(turn):
            return turn
        if "After the final round" in titles(turn):
            turn = await chat.press("After the final round")
        elif "role" in turn.texts[-1].lower():
            turn = await chat.say("data analyst")
        else:
            turn = await chat.say("Stripe")
    raise AssertionError(f"never reached the feeling question: {turn.texts}")


def kinds(front: TelegramFrontEnd, user_id: int) -> list[str]:
    return [row["kind"] for row in store.recent_entries(front.db, user_id, limit=50)][::-1]


async def test_a_full_evening_through_all_four_stages(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    chat = Chat(fake, user_id)
    turn = await chat.say(
        "I didn't get the data analyst job at Stripe, they said no after the final round"
    )
    turn = await answer_rejection_questions(chat, turn)

    turn = await chat.press("Disappointed")
    assert "10" in titles(turn), "intensity buttons 0-10 expected"
    turn = await chat.press("7")
    turn = await chat.say("I'm just not good enough for companies like this")
    assert "Not really" in titles(turn)
    turn = await chat.press("Not really")
    turn = await chat.say("It was a close call between finalists, one team's choice on one day")
    assert "Yes, draft it" in titles(turn)
    turn = await chat.press("Yes, draft it")
    turn = await chat.say("Sarah")
    draft = next(text for text in turn.texts if text.startswith("Hi Sarah"))
    assert "Stripe" in draft and "data analyst" in draft
    assert "background or skills" in draft
    turn = await chat.press("Let's plan")
    turn = await chat.press("2")
    assert "2 in motion" in turn.text and "3 more" in turn.text
    turn = await chat.press("Yes, add one")
    turn = await chat.say("Shopify")
    turn = await chat.say("backend developer")
    turn = await chat.press("This week")
    assert "Shopify" in turn.text
    turn = await chat.press("That's enough for now")
    assert "Your plan" in turn.text and "Shopify" in turn.text

    rejection = store.latest_rejection(front.db, user_id)
    assert (rejection["company"], rejection["role"], rejection["stage"]) == (
        "Stripe",
        "data analyst",
        "final",
    )
    assert kinds(front, user_id) == [
        "rejection",
        "feeling",
        "thought",
        "thought_check",
        "reframe",
        "followup",
    ]
    feeling = next(
        r for r in store.recent_entries(front.db, user_id, limit=50) if r["kind"] == "feeling"
    )
    assert (feeling["emotion"], feeling["mood"], feeling["rejection_id"]) == (
        "disappointed",
        7,
        rejection["id"],
    )
    assert store.active_application_count(front.db, user_id) == 3


async def test_a_pasted_email_is_read_for_company_role_and_stage(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    email = (
        "Dear Sam,\n\nThank you for your interest in the Backend Engineer position at "
        "Acme Corp and for taking the time to interview with our team. Unfortunately, we "
        "have decided to move forward with another candidate whose experience more closely "
        "matches our needs.\n\nWe wish you every success.\n\nKind regards,\nAcme Corp Talent Team"
    )
    turn = await Chat(fake, user_id).say(email)

    assert "Backend Engineer" in turn.text and "Acme Corp" in turn.text
    assert "Disappointed" in titles(turn), "with nothing missing it goes straight to feelings"
    rejection = store.latest_rejection(front.db, user_id)
    assert (rejection["company"], rejection["role"], rejection["stage"]) == (
        "Acme Corp",
        "Backend Engineer",
        "interview",
    )
    assert store.recent_entries(front.db, user_id)[0]["text"] == email


async def test_crisis_language_mid_form_gets_resources_and_stops_the_form(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    chat = Chat(fake, user_id)
    await chat.say("I got rejected again today")
    turn = await chat.say("honestly everyone would be better off without me")

    assert turn.texts == [safety.CRISIS_TEXT], "crisis resources only, no coaching"
    assert "988" in turn.text and "116 123" in turn.text and "not a person" in turn.text
    assert store.get_user(front.db, user_id)["crisis_at"]
    turn = await chat.press("I'm safe right now")
    assert "company" not in turn.text.lower(), "the form must not pick up mid-question"


async def test_an_idiom_is_not_treated_as_a_crisis(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int
) -> None:
    turn = await Chat(fake, user_id).say("this job hunt is killing me")
    assert safety.CRISIS_TEXT not in turn.texts
    assert (store.get_user(front.db, user_id) or {}).get("crisis_at") is None


async def test_delete_asks_first_and_removes_the_conversation_too(
    front: TelegramFrontEnd, fake: FakeTelegram, user_id: int, stack
) -> None:
    from sqlite_utils import Database

    chat = Chat(fake, user_id)
    await chat.command("/journal")
    await chat.say("something private")
    await chat.say("done")
    turn = await chat.command("/delete")
    turn = await chat.press("No, keep it")
    assert store.count_entries(front.db, user_id) == 1

    await chat.command("/delete")
    turn = await chat.press("Yes, delete everything")

    assert "deleted" in turn.text.lower()
    assert store.count_entries(front.db, user_id) == 0
    tracker = Database(stack.settings.tracker_db_path)
    assert tracker["events"].count_where("sender_id = ?", [str(user_id)]) == 0
    turn = await chat.command("/export")
    assert "nothing" in turn.text.lower() and not turn.of("sendDocument")

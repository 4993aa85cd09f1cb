"""The shared slash commands, on a real journal database, without any front end."""

from __future__ import annotations

import pytest

from bot import commands, store
from bot.commands import File, Text
from bot.conversation import Coach
from bot.rasa_client import RasaClient


@pytest.fixture
def coach(db, tmp_path) -> Coach:
    """A Coach on a real journal; no tracker file yet, and the Rasa server is never asked."""
    return Coach(db, RasaClient("http://127.0.0.1:9", "secret"), tmp_path / "tracker.db")


@pytest.mark.parametrize(
    ("line", "parsed"),
    [
        ("/search the panel interview", ("search", ["the", "panel", "interview"])),
        ("/Help@RejectionCoachBot", ("help", [])),
        ('/skip{"stage": "final"}', ("skip", ['"final"}'])),
        ("/export  csv ", ("export", ["csv"])),
        ("hello /help", None),
        ("/ help", None),
        ("#2", None),
    ],
)
def test_a_line_is_read_as_telegram_reads_a_command(line: str, parsed) -> None:
    assert commands.parse(line) == parsed


def test_search_hits_are_bold_and_what_people_wrote_is_escaped() -> None:
    answer = Text("a &lt;b&gt; and <b>interview</b>", html=True)
    assert answer.plain == "a <b> and interview"
    assert Text("<b>as written</b>").plain == "<b>as written</b>"


async def test_search_shows_only_the_persons_own_entries_with_markup_escaped(
    db, coach: Coach
) -> None:
    store.add_entry(db, 1, "note", "the <panel> interview was rough")
    store.add_entry(db, 2, "note", "another person's interview")

    [answer] = await commands.search(coach, 1, ["interview"])

    assert answer.html and "&lt;panel&gt; <b>interview</b>" in answer.text
    assert "another person" not in answer.text


async def test_entries_offer_an_older_page_only_when_there_is_one(db, coach: Coach) -> None:
    for number in range(10):
        store.add_entry(db, 1, "note", f"note {number}")

    [first] = await commands.entries(coach, 1, [])
    [second] = await commands.entries(coach, 1, ["2"])
    [beyond] = await commands.entries(coach, 1, ["3"])

    assert "note 9" in first.text and "Older: /entries 2" in first.text
    assert "note 0" in second.text and "Older" not in second.text
    assert beyond.text == "No older entries than that."


async def test_export_is_a_file_of_the_persons_journal_or_says_there_is_nothing(
    db, coach: Coach
) -> None:
    store.add_entry(db, 1, "note", "mine")
    store.add_entry(db, 2, "note", "someone else's")

    [journal] = await commands.export_journal(coach, 1, ["CSV"])
    [nothing] = await commands.export_journal(coach, 3, [])
    [unknown] = await commands.export_journal(coach, 1, ["pdf"])

    assert isinstance(journal, File) and journal.name.endswith(".csv") and not journal.picture
    assert b"mine" in journal.content and b"someone else" not in journal.content
    assert isinstance(nothing, Text) and "nothing to export" in nothing.text
    assert isinstance(unknown, Text) and "csv or json" in unknown.text


async def test_stats_is_a_picture_with_a_summary(db, coach: Coach) -> None:
    store.add_entry(db, 1, "checkin", "ok", mood=6)

    [chart] = await commands.stats(coach, 1, [])

    assert chart.picture and chart.content.startswith(b"\x89PNG")
    assert "Journal entries: 1" in chart.caption

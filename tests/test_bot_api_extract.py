"""The committed Bot API extract: current, complete for the fake, and free of prose."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from telegram.constants import BOT_API_VERSION

from tests.bot_api_extract import EXTRACT, SOURCE, main
from tests.fake_telegram import POLLING_METHOD, FakeTelegram


def committed() -> dict:
    return json.loads(EXTRACT.read_text(encoding="utf-8"))


@pytest.mark.skipif(
    not SOURCE.is_file(), reason=f"the full Bot API spec {SOURCE} is not beside this clone"
)
def test_the_extract_is_what_the_generator_makes_from_the_full_spec(tmp_path: Path) -> None:
    fresh = tmp_path / "extract.json"
    main(["--source", str(SOURCE), "--out", str(fresh)])
    assert json.loads(fresh.read_text(encoding="utf-8")) == committed(), (
        "stale: run `.venv/bin/python -m tests.bot_api_extract`"
    )
    assert fresh.read_text(encoding="utf-8") == EXTRACT.read_text(encoding="utf-8")


def test_the_extract_is_of_the_bot_api_version_the_client_speaks() -> None:
    assert committed()["version"] == f"Bot API {BOT_API_VERSION}"


def test_every_method_the_fake_serves_is_in_the_extract() -> None:
    fake = FakeTelegram()
    assert {*fake._handlers, POLLING_METHOD} <= set(fake.spec)


def test_the_extract_holds_names_types_and_flags_only() -> None:
    methods = committed()["methods"]
    assert {key for m in methods.values() for key in m} == {"name", "returns", "fields"}
    fields = [field for m in methods.values() for field in m["fields"]]
    assert {key for f in fields for key in f} == {"name", "types", "required"}

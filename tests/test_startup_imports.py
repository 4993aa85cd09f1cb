"""Rasa starts before the front end loads its slow parts: ``python -m bot`` must not
import the crisis check (its net, sklearn, onnxruntime) or dateparser before it has
spawned Rasa and the action server; they load beside Rasa, in a thread."""

from __future__ import annotations

import subprocess
import sys

from bot.config import PROJECT_ROOT

SLOW = ("bot.safety_model", "bot.conversation", "bot.checkins", "sklearn", "dateparser")


def test_the_command_line_imports_nothing_slow_before_starting_rasa() -> None:
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sys, bot.__main__; print([m for m in {SLOW!r} if m in sys.modules])",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert loaded == "[]"

"""The fuzz harness of ``make fuzz``, on a small scale, so the test suite runs it too."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import make_settings
from tests.fuzz import fuzz, summary

pytestmark = pytest.mark.e2e


async def test_generated_messages_through_rasa_and_the_whole_pipe(tmp_path: Path) -> None:
    report = await fuzz(make_settings(tmp_path), nlu=150, pipe=50, seed=7, workers=4)

    assert (report["rasa"]["sent"], report["pipe"]["sent"]) == (150, 50)
    assert report["checks"]["bystander_rows"] > 0
    assert report["passed"], summary(report)

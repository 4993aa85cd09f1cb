"""Pasted rejection emails: company, role and stage, and telling an email from a chat line.

rejection_emails.yml is the set the parser was tuned on, so every field must
match. rejection_emails_holdout.yml was written before tuning and never tuned
on: stage is checked per email (known misses are strict xfails, so a fix shows
up), company and role by overall accuracy.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rasa_project"))

from actions.email_parser import (  # noqa: E402
    looks_like_email,
    parse_rejection_email,
)

DATA = Path(__file__).parent / "data"
TUNING = yaml.safe_load((DATA / "rejection_emails.yml").read_text())
HOLDOUT = yaml.safe_load((DATA / "rejection_emails_holdout.yml").read_text())
# Holdout emails the parser gets wrong, found after tuning was frozen.
HOLDOUT_STAGE_MISSES = ("did not meet the threshold required to progress",)
HOLDOUT_ACCURACY = 0.9  # achieved: company 15/15, role 14/15

CHAT_LINES = (
    "i didn't get the job at stripe",
    "they went with another candidate, i'm gutted",
    "hi, i got rejected again today",
    "Hi! They said unfortunately they went with another candidate.",
    "got the email: unfortunately we have decided to move forward with other candidates",
    "I got rejected from Google after the final round. They picked someone else.",
    "hey coach, rejected by acme after two interviews, we'll see what happens",
    "Unfortunately I didn't get it. Best of luck to me next time lol",
    "my application to Acme got rejected, thank you for listening",
)
SHORT_EMAILS = (
    "Hi, thanks for your time, but we've gone with another candidate. Best of luck.",
    "Thank you for applying. Unfortunately we will not be moving forward.",
    "Dear Sam, we regret to inform you that your application was unsuccessful.",
)


def _label(case: dict) -> str:
    return case["company"] or case["text"].split()[0]


@pytest.mark.parametrize("case", TUNING, ids=_label)
def test_tuning_email_is_read_exactly(case: dict) -> None:
    parsed = parse_rejection_email(case["text"])
    assert (parsed.company, parsed.role, parsed.stage) == (
        case["company"],
        case["role"],
        case["stage"],
    )
    assert looks_like_email(case["text"])


SIGNED = """Hi Alex,

Thank you for meeting the team across all three interviews for the Senior Product Designer
role. We have decided to offer the position to another candidate.

Warm regards,

Megan Price
Senior Talent Partner | Design & Research
Zopa Bank Limited

This email and any attachments are confidential and intended solely for the addressee. Zopa
Bank Limited is authorised by the Prudential Regulation Authority.
"""


def test_the_signer_is_the_contact_and_a_legal_footer_names_no_company() -> None:
    parsed = parse_rejection_email(SIGNED)
    assert (parsed.company, parsed.contact) == ("Zopa Bank Limited", "Megan Price")


def test_a_team_signing_off_is_no_contact() -> None:
    text = "Hi Sam,\n\nWe won't be moving forward.\n\nKind regards,\nThe Acme Corp Recruiting Team"
    assert parse_rejection_email(text).contact is None


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            case,
            marks=pytest.mark.xfail(strict=True, reason="known holdout miss"),
        )
        if any(miss in case["text"] for miss in HOLDOUT_STAGE_MISSES)
        else case
        for case in HOLDOUT
    ],
    ids=_label,
)
def test_holdout_stage(case: dict) -> None:
    assert parse_rejection_email(case["text"]).stage == case["stage"]


@pytest.mark.parametrize("field", ["company", "role"])
def test_holdout_company_and_role_accuracy(field: str) -> None:
    right = sum(
        getattr(parse_rejection_email(case["text"]), field) == case[field] for case in HOLDOUT
    )
    assert right / len(HOLDOUT) >= HOLDOUT_ACCURACY


def test_every_holdout_email_looks_like_an_email() -> None:
    assert [case["company"] for case in HOLDOUT if not looks_like_email(case["text"])] == []


@pytest.mark.parametrize("line", CHAT_LINES)
def test_chat_line_is_not_an_email(line: str) -> None:
    assert not looks_like_email(line)


@pytest.mark.parametrize("text", SHORT_EMAILS)
def test_short_pasted_email_is_an_email(text: str) -> None:
    assert looks_like_email(text)


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("Thank you for applying. We won't be progressing you to interview.", "screening"),
        ("We will not be progressing your application to the next stage.", "screening"),
        ("After your final interview, we have decided not to proceed.", "final"),
        ("Thanks for your time. We won't be inviting you to the final round.", "unknown"),
        ("The position has been filled.", "unknown"),
    ],
)
def test_a_step_not_taken_is_not_the_stage_reached(text: str, stage: str) -> None:
    assert parse_rejection_email(text).stage == stage


@given(st.text(max_size=2000))
def test_any_text_parses_without_error(text: str) -> None:
    parsed = parse_rejection_email(text)
    assert parsed.stage in {"screening", "interview", "final", "unknown"}
    assert isinstance(looks_like_email(text), bool)

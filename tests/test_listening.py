"""A form's validation takes answers only: a correction or a request is not one, and a
hard thought that only the intent model took for crisis is still the answer it was."""

from __future__ import annotations

import sys
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot import store
from bot.config import RASA_PROJECT

sys.path.insert(0, str(RASA_PROJECT))

from actions.checkins import ValidateCheckinTimeForm  # noqa: E402
from actions.common import db  # noqa: E402
from actions.feelings import ValidateFeelingForm, ValidateReframeForm  # noqa: E402
from actions.journal import ValidateJournalForm  # noqa: E402
from actions.listening import asked_to_skip_to  # noqa: E402
from actions.plan import ValidateApplicationForm, ValidatePlanForm  # noqa: E402
from actions.rejection import ValidateRejectionForm  # noqa: E402


@cache
def domain() -> dict[str, Any]:
    return Domain.load(str(RASA_PROJECT / "domain")).as_dict()


def tracker(
    text: str,
    intent: str,
    asked: str | None,
    *,
    after: str = "action_listen",  # the message was just heard
    form: str = "feeling_form",
    confidence: float = 0.9,
    candidate: dict[str, Any] | None = None,
    slots: dict[str, Any] | None = None,
    entities: tuple[dict[str, Any], ...] = (),
) -> Tracker:
    """``form``, asking ``asked``, has just heard ``text`` read as ``intent``; ``slots``
    were set before the message, ``candidate`` by Rasa's slot mappings from it."""
    heard = {"name": intent, "confidence": confidence}
    message = {"text": text, "intent": heard, "intent_ranking": [heard], "entities": [*entities]}
    return Tracker.from_dict(
        {
            "sender_id": "4242",
            "slots": {
                "requested_slot": asked,
                "emotion": "sad",
                "intensity": 6.0,
                **(slots or {}),
                **(candidate or {}),
            },
            "latest_message": message,
            "events": [
                *({"event": "slot", "name": k, "value": v} for k, v in (slots or {}).items()),
                {"event": "user", "text": text, "parse_data": message},
                # Rasa's slot mappings set them once as the message comes in...
                {"event": "action", "name": "action_extract_slots"},
                *({"event": "slot", "name": k, "value": v} for k, v in (candidate or {}).items()),
                # ...and then whatever ran since (action_crisis, a digression's answer),
                # and the form itself, which asks its validation to run
                *([] if after == "action_listen" else [{"event": "action", "name": after}]),
                {"event": "action", "name": form},
                # slot candidates come last, as Rasa's form sends them to be validated
                *({"event": "slot", "name": k, "value": v} for k, v in (candidate or {}).items()),
            ],
            "active_loop": {"name": form},
            "latest_action_name": after,
        }
    )


async def validate(tracker: Tracker, form: FormValidationAction | None = None) -> dict[str, Any]:
    events = await (form or ValidateFeelingForm()).run(CollectingDispatcher(), tracker, domain())
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


@pytest.fixture(autouse=True)
def journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))


async def test_a_correction_at_the_feeling_question_is_not_a_feeling() -> None:
    said = "wait no it was monzo not revolut, i mix them up, ive applied to every bank"

    slots = await validate(tracker(said, "correct", "emotion"))

    assert "emotion" not in slots


async def test_a_hard_thought_the_model_alone_took_for_crisis_is_kept_as_the_thought() -> None:
    said = "I think they don't like foreigners"  # read as crisis at 0.74 in one run

    slots = await validate(tracker(said, "crisis", "thought", after="action_crisis"))

    assert slots["thought"] == said


async def test_crisis_words_are_never_taken_as_an_answer() -> None:
    said = "i want to kill myself"

    slots = await validate(tracker(said, "crisis", "thought", after="action_crisis"))

    assert "thought" not in slots


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("i have literally 1 out, can we plan", 1),
        ("can you help me plan the next few applications?", None),
        ("i want to send 3 more this week, help me plan", None),
    ],
)
def test_a_count_said_with_a_plan_request_is_how_many_are_out(text: str, count: int | None) -> None:
    facts = ValidatePlanForm().facts(tracker(text, "plan_next", None, form="plan_form"))

    assert facts.get("active_count") == count


def test_a_time_of_day_is_not_a_count_of_applications() -> None:
    said = "hold on, first set my check-in for 8pm"

    form = ValidatePlanForm()

    assert not form.plainly_answers(tracker(said, "set_checkin", "active_count", form="plan_form"))
    assert form.plainly_answers(tracker("3??", "inform", "active_count", form="plan_form"))


async def test_a_hedged_answer_to_would_a_friend_agree_is_the_answer() -> None:
    slots = await validate(tracker("idk maybe not", "skip", "thought_realistic"))

    assert slots["thought_realistic"] == "unsure"


async def test_a_reframe_the_model_took_unsurely_for_are_you_a_bot_is_the_reframe() -> None:
    said = "2 days is too fast for a human to read it so maybe its just a filter thing"
    heard = tracker(said, "bot_challenge", "reframe", form="reframe_form", confidence=0.66)

    slots = await validate(heard, ValidateReframeForm())

    assert slots["reframe"] == said


async def test_asking_if_i_am_a_bot_at_the_reframe_question_is_not_a_reframe() -> None:
    heard = tracker("are you a bot?", "bot_challenge", "reframe", form="reframe_form")

    slots = await validate(heard, ValidateReframeForm())

    assert "reframe" not in slots


async def test_a_stage_the_tagger_got_wrong_is_read_from_the_whole_message() -> None:
    said = "deloitte rejected me for the tech consulting analyst role after the assessment day"
    heard = tracker(
        said, "report_rejection", "stage", form="rejection_form", candidate={"stage": "tech"}
    )

    slots = await validate(heard, ValidateRejectionForm())

    assert slots["stage"] == "final"


async def test_a_feeling_is_stored_in_the_persons_word() -> None:
    heard = tracker(
        "embarrassed lol", "express_feeling", "emotion", candidate={"emotion": "ashamed"}
    )

    slots = await validate(heard)

    assert slots["emotion"] == "embarrassed"


async def test_a_journal_page_only_the_model_took_for_crisis_is_kept() -> None:
    said = "it's been five months of this. every week i tell myself this is the week"
    heard = tracker(said, "crisis", "journal_text", after="action_crisis", form="journal_form")

    slots = await validate(heard, ValidateJournalForm())

    assert "journal_entry_id" in slots


def feelings_stored() -> list[tuple[str, int | None]]:
    """The feeling rows, newest last (the journal is shared by this module's tests)."""
    rows = db()["entries"].rows_where("kind = 'feeling'", order_by="id")
    return [(row["emotion"], row["mood"]) for row in rows]


def events_of(events: list[dict[str, Any]]) -> tuple[dict[str, Any], list[str]]:
    slots = {event["name"]: event["value"] for event in events if event["event"] == "slot"}
    followups = [event["name"] for event in events if event["event"] == "followup"]
    return slots, followups


async def test_an_answer_and_a_request_in_one_message_keep_the_answer_then_go() -> None:
    said = "fine. annoyed. 3. now can we plan"
    heard = tracker(
        said,
        "express_feeling",
        "emotion",
        slots={"emotion": None, "intensity": None},
        candidate={"emotion": said},
    )

    before = feelings_stored()

    events = await ValidateFeelingForm().run(CollectingDispatcher(), heard, domain())

    slots, followups = events_of(events)
    assert followups == ["plan_form"]
    assert slots["requested_slot"] is None
    assert feelings_stored() == [*before, ("annoyed", 3)]


async def test_a_rejection_told_at_the_first_feeling_question_is_taken_in_first() -> None:
    heard = tracker(
        "the bbc said no",
        "report_rejection",
        "emotion",
        slots={"emotion": None},
        candidate={"emotion": "the bbc said no"},
    )

    before = feelings_stored()

    events = await ValidateFeelingForm().run(CollectingDispatcher(), heard, domain())

    assert events_of(events)[1] == ["action_start_rejection"]
    assert feelings_stored() == before


@pytest.mark.parametrize(
    ("said", "intent", "confidence", "asked", "name"),
    [
        (  # the model heard an application to add
            "marks and spencer, for the buying assistant grad role, after the assessment centre",
            "add_application",
            0.80,
            "company",
            "marks and spencer",
        ),
        (
            "product design. why do you ask? does the role change anything?",
            "request_followup",
            0.76,
            "role",
            "product design",
        ),
        (
            "oh sorry, it's the wellcome trust, the research grants officer job",
            "correct",
            0.97,
            "company",
            "wellcome trust",
        ),
    ],
)
async def test_a_plain_name_answer_outweighs_a_request_heard_in_it(
    said: str, intent: str, confidence: float, asked: str, name: str
) -> None:
    heard = tracker(
        said,
        intent,
        asked,
        form="rejection_form",
        confidence=confidence,
        slots={"company": None, "role": None, "stage": None},
    )

    slots = await validate(heard, ValidateRejectionForm())

    assert slots[asked] == name


@pytest.mark.parametrize(
    ("said", "intent", "confidence"),
    [
        ("the plan", "plan_next", 0.8),  # names the step it asks for
        ("plan please", "plan_next", 0.8),
        ("monzo", "plan_next", 0.97),  # the model is sure
        ("sorry the company was google not meta", "correct", 0.97),  # a real correction
    ],
)
async def test_a_request_is_not_taken_for_a_name(said: str, intent: str, confidence: float) -> None:
    heard = tracker(
        said,
        intent,
        "role",
        form="rejection_form",
        confidence=confidence,
        slots={"company": None, "role": None, "stage": None},
    )

    assert not ValidateRejectionForm().plainly_answers(heard)


async def test_a_name_given_earlier_stays_when_the_tagger_finds_another_later() -> None:
    said = "associate product manager"
    heard = tracker(
        said,
        "inform",
        "app_role",
        form="application_form",
        slots={"app_company": "figma", "app_role": None},
        candidate={"app_company": "associate", "app_role": "product manager"},
        entities=(
            {"entity": "company", "value": "associate"},
            {"entity": "role", "value": "product manager"},
        ),
    )

    slots = await validate(heard, ValidateApplicationForm())

    assert (slots["app_company"], slots["app_role"]) == ("figma", "associate product manager")


async def test_taking_back_a_saved_name_at_the_feeling_question_is_not_a_feeling() -> None:
    said = "wait monzo not revolut"
    heard = tracker(
        said,
        "correct",
        "emotion",
        slots={"emotion": None, "company": "revolut"},
    )

    slots = await validate(heard)

    assert slots.get("emotion") is None


async def test_a_feeling_given_as_an_emoji_is_kept_beside_its_word() -> None:
    heard = tracker(
        "😞", "express_feeling", "emotion", slots={"emotion": None}, candidate={"emotion": "😞"}
    )

    await validate(heard)

    assert db()["entries"].get(max(row["id"] for row in db()["entries"].rows))["text"] == "sad (😞)"


async def test_thanks_to_shall_i_make_it_ten_is_a_yes() -> None:
    heard = tracker(
        "thx 🙏",
        "thank",
        "checkin_time",
        form="checkin_time_form",
        slots={"checkin_time": None, "checkin_time_guess": "22:00"},
    )

    slots = await validate(heard, ValidateCheckinTimeForm())

    assert slots["checkin_time"] == "22:00"


@pytest.mark.parametrize(
    ("said", "goes_to"),
    [
        (
            "back again. another no, channel 4 this time, assistant producer, after the interview",
            ["action_start_rejection"],
        ),
        ("it was the bbc, researcher role", []),  # the same company: an answer
    ],
)
async def test_another_rejection_told_mid_form_starts_a_new_one(
    said: str, goes_to: list[str]
) -> None:
    heard = tracker(
        said,
        "report_rejection",
        "role",
        form="rejection_form",
        slots={"company": "bbc", "role": None, "stage": "screening"},
        candidate={"role": said},
    )

    events = await ValidateRejectionForm().run(CollectingDispatcher(), heard, domain())

    assert events_of(events)[1] == goes_to


async def test_a_company_the_model_took_unsurely_for_goodbye_is_the_company() -> None:
    heard = tracker(
        "figma",
        "goodbye",
        "app_company",
        form="application_form",
        confidence=0.62,
        slots={"app_company": None},
    )

    slots = await validate(heard, ValidateApplicationForm())

    assert slots["app_company"] == "figma"


async def test_a_company_corrected_as_it_is_given_is_the_corrected_one() -> None:
    said = "deliveroo no wait it was just eat sorry my brain is fried"
    heard = tracker(
        said,
        "correct",
        "company",
        form="rejection_form",
        slots={"company": None, "role": None, "stage": None},
    )

    slots = await validate(heard, ValidateRejectionForm())

    assert slots["company"] == "just eat"


async def test_after_a_correction_is_made_the_form_asks_again() -> None:
    said = "wait monzo not revolut"  # the correction has already changed the company
    heard = tracker(
        said,
        "correct",
        "emotion",
        after="action_correct",
        slots={"emotion": None, "company": "monzo"},
    )

    slots = await validate(heard)

    assert slots.get("emotion") is None


def test_an_application_named_in_the_answer_to_add_another() -> None:
    heard = tracker(
        "yes, one more: GoCardless, associate PM, friday", "affirm", None, form="application_form"
    )

    facts = ValidateApplicationForm().facts(heard)

    assert (facts["app_company"], facts["app_role"]) == ("GoCardless", "associate PM")


async def test_a_day_read_with_the_rest_of_the_message_is_kept_as_that_day() -> None:
    said = "sure. Databricks, solutions architect, sending it tonight"
    heard = tracker(said, "add_application", None, form="application_form")
    facts = ValidateApplicationForm().facts(heard)
    heard = tracker(said, "add_application", None, form="application_form", candidate=facts)

    slots = await validate(heard, ValidateApplicationForm())

    assert slots["app_when"] == facts["app_when"] == date.today().isoformat()
    assert slots.get("app_status", facts["app_status"]) == "planned"


async def test_how_far_it_got_said_at_the_feeling_question_is_the_stage_not_a_feeling() -> None:
    uid = 4242
    rejection_id = store.add_rejection(db(), uid, company="notion", role=None, stage="screening")
    heard = tracker(
        "take-home",
        "inform",
        "emotion",
        slots={"emotion": None, "rejection_id": rejection_id},
        candidate={"emotion": "take-home"},
    )

    slots = await validate(heard)

    assert (slots["emotion"], slots["stage"]) == (None, "interview")
    assert db()["rejections"].get(rejection_id)["stage"] == "interview"
    assert not db()["entries"].count_where("text = ?", ["take-home"])


async def test_a_bare_number_at_the_thought_question_is_the_rating_it_was_late_for() -> None:
    entry_id = store.add_entry(db(), 4242, "feeling", "sad", emotion="sad")
    heard = tracker(
        "7",
        "inform",
        "thought",
        slots={"thought": None, "intensity": -1.0, "feeling_entry_id": entry_id},
        candidate={"thought": "7"},
    )

    slots = await validate(heard)

    assert (slots["thought"], slots["intensity"]) == (None, 7.0)
    assert db()["entries"].get(entry_id)["mood"] == 7
    assert not db()["entries"].count_where("kind = 'thought' and text = '7'")


async def test_an_email_pasted_at_the_thought_question_is_another_rejection() -> None:
    said = (
        "oh great another one just came in\n\nDear Applicant,\n\nThank you for your "
        "application to the Aldi Area Manager Graduate Programme. Unfortunately we will not "
        "be taking your application forward.\n\nAldi Recruitment Team"
    )
    heard = tracker(said, "report_rejection", "thought", slots={"thought": None})

    events = await ValidateFeelingForm().run(CollectingDispatcher(), heard, domain())

    assert events_of(events)[1] == ["action_start_rejection"]
    assert not db()["entries"].count_where("text = ?", [said])


async def test_an_answer_the_form_reopens_with_is_not_stored_twice() -> None:
    # a new session carried "gutted" over; the feeling form starts again with it
    heard = tracker(
        "thank you!! still feels unreal",
        "express_feeling",
        None,
        slots={"emotion": "disappointed", "feeling_entry_id": 3, "thought": "never senior"},
        candidate={"emotion": "disappointed", "thought": "never senior"},
    )

    await validate(heard)

    stored = ("thank you!! still feels unreal", "never senior", "disappointed")
    assert not db()["entries"].count_where("text in (?, ?, ?)", stored)


@pytest.mark.parametrize(
    ("said", "goes_to"),
    [
        ("skip the feelings bit, im fine", "action_depersonalize"),
        ("skip the feelings, plan please", "plan_form"),
        ("plan time. skip the pep talk", "plan_form"),
    ],
)
def test_skipping_the_feelings_goes_to_the_next_stage_unless_a_step_is_named(
    said: str, goes_to: str
) -> None:
    assert asked_to_skip_to(said) == goes_to


@pytest.mark.parametrize(
    ("said", "asked", "answers"),
    [
        ("annoyed mostly. can you help me write back to priya", "emotion", True),
        ("can you help me write back to priya", "emotion", False),
        ("4. honestly can we move on to planning?", "intensity", True),
        ("can you check in with me tomorrow evening, half 8?", "intensity", False),
    ],
)
def test_an_answer_said_before_a_request_is_still_the_answer(
    said: str, asked: str, answers: bool
) -> None:
    heard = tracker(said, "request_followup", asked, slots={asked: None})

    assert ValidateFeelingForm().plainly_answers(heard) is answers


async def test_another_feeling_said_when_asked_how_strong_changes_the_feeling() -> None:
    entry_id = store.add_entry(db(), 4242, "feeling", "pissed off", emotion="angry")
    heard = tracker(
        "no actually just sad",
        "express_feeling",
        "intensity",
        slots={"emotion": "angry", "intensity": None, "feeling_entry_id": entry_id},
        candidate={"intensity": "no actually just sad"},
    )

    slots = await validate(heard)

    assert (slots["emotion"], slots["intensity"]) == ("sad", None)
    assert db()["entries"].get(entry_id)["emotion"] == "sad"


@pytest.mark.parametrize(
    ("said", "feedback"),
    [
        (
            "they wrote back!!\n\nHi Sam, thanks for asking. The panel felt your code was "
            "solid, but you didn't talk through your thinking much.\nAna",
            True,
        ),
        (
            "another one\n\nDear Applicant,\n\nThank you for your application to the Aldi "
            "Area Manager Graduate Programme. Due to the volume of applications we are unable "
            "to provide individual feedback.\n\nAldi Recruitment Team",
            False,
        ),
    ],
)
def test_a_reply_naming_no_company_is_feedback_but_another_rejection_email_is_not(
    said: str, feedback: bool
) -> None:
    from actions.rejection import is_feedback_on_a_known_rejection

    store.add_rejection(db(), 4242, company="Lidl GB", role=None, stage="screening")
    heard = tracker(said, "paste_rejection_email", None)

    assert is_feedback_on_a_known_rejection(heard, said) is feedback

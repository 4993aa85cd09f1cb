"""The corpus runner's parts that need no Rasa: loading, matching, the tracker, the report."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.rasa_client import Button
from tests import corpus
from tests.corpus import CorpusError, Result, State, check, find_button, matches, read_tracker
from tests.non_answers import non_answer_reason, stored_non_answers

EXAMPLES = Path(__file__).parent / "data" / "corpus_examples.yml"
GOOD = {
    "id": "terse-google",
    "split": "tune",
    "persona": "terse",
    "note": "one line",
    "turns": ["got rejected by google", {"press": "Yes"}, {"next_day": True}, {"checkin": True}],
    "expect": {"rejections": [{"company": "google"}], "slots": {"active_loop": None}},
}


def write(tmp_path: Path, *conversations: dict, name: str = "c.yml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump({"conversations": list(conversations)}))
    return path


def test_the_examples_load() -> None:
    loaded = corpus.load_corpus([EXAMPLES])
    assert [c.id for c in loaded][:2] == ["example-full-evening", "example-question-mid-form"]
    assert loaded[0].turns[2] == {"press": "7"}
    assert loaded[0].source == "corpus_examples.yml"


def test_a_good_conversation_loads(tmp_path: Path) -> None:
    (loaded,) = corpus.load_corpus([write(tmp_path, GOOD)])
    assert loaded.expect["rejections"] == [{"company": "google"}]


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"colour": "red"}, "colour"),
        ({"split": "train"}, "split"),
        ({"persona": "robot"}, "persona"),
        ({"id": "Not Kebab"}, "id"),
        ({"turns": []}, "turns"),
        ({"turns": ["hi", ""]}, "turns[1]"),
        ({"turns": ["hi", 7]}, "turns[1]"),
        ({"turns": [{"press": "Yes", "also": "No"}]}, "turns[0]"),
        ({"turns": [{"next_day": False}]}, "turns[0]"),
        ({"turns": [{"wait": True}]}, "turns[0]"),
        ({"expect": {"rejection": []}}, "rejection"),
        ({"expect": {"rejections": [{"company": "x", "salary": 1}]}}, "salary"),
        ({"expect": {"entry_counts": {"feeling": "some"}}}, "entry_counts"),
        ({"expect": {"entries": [{"kind": "note", "rejection": 0}]}}, "rejection"),
        ({"expect": {"user": {"checkin_time": [["20:30"]]}}}, "checkin_time"),
        ({"expect": {"user": {"checkin_time": {"starts": "20"}}}}, "checkin_time"),
        ({"expect": {"max_fallbacks": -1}}, "max_fallbacks"),
        ({"expect": {"slots": {"compnay": "x"}}}, "unknown slot 'compnay'"),
        ({"expect": {"slots": {"active_loop": "no_such_form"}}}, "not a form"),
        ({"expect": {"intents": ["report_rejections"]}}, "unknown intent"),
        (
            {"expect": {"rejections": [{"company": "x"}], "entries": [{"rejection": 2}]}},
            "rejection 2 of 1",
        ),
    ],
)
def test_a_malformed_conversation_is_an_error_naming_the_problem(
    tmp_path: Path, change: dict, complaint: str
) -> None:
    path = write(tmp_path, {**GOOD, **change})
    with pytest.raises(CorpusError, match="c.yml") as error:
        corpus.load_corpus([path])
    assert complaint in str(error.value)


def test_a_missing_field_is_an_error(tmp_path: Path) -> None:
    without_split = {k: v for k, v in GOOD.items() if k != "split"}
    with pytest.raises(CorpusError, match="split"):
        corpus.load_corpus([write(tmp_path, without_split)])


def test_duplicate_ids_are_an_error_even_across_files(tmp_path: Path) -> None:
    first = write(tmp_path, GOOD, name="a.yml")
    second = write(tmp_path, {**GOOD, "split": "holdout"}, name="b.yml")
    with pytest.raises(CorpusError, match="terse-google.*a.yml"):
        corpus.load_corpus([first, second])
    with pytest.raises(CorpusError, match="terse-google"):
        corpus.load_corpus([write(tmp_path, GOOD, GOOD, name="c.yml")])


def test_bad_yaml_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    path.write_text("conversations: [\n")
    with pytest.raises(CorpusError, match="bad.yml: not valid YAML"):
        corpus.load_corpus([path])


@pytest.mark.parametrize(
    ("expected", "actual"),
    [
        ("Google", "  google "),
        (["monzo", "revolut"], "Revolut"),
        ([6, 7], 7),
        ("*", "x"),
        (None, None),
        (None, ""),
        (None, "  "),
        ({"contains": "SQL"}, "they wanted more sql experience"),
        (7, 7),
        (7, 7.0),
        (7, "7"),
        ("20:30", "20:30"),
        (True, True),
    ],
)
def test_values_that_match(expected: object, actual: object) -> None:
    assert matches(expected, actual)


@pytest.mark.parametrize(
    ("expected", "actual"),
    [
        ("google", "googles"),
        ("google", None),
        (["monzo", "revolut"], "stripe"),
        ([6, 7], 8),
        ("*", None),
        ("*", " "),
        (None, "google"),
        ({"contains": "sql"}, None),
        ({"contains": "sql"}, "python"),
        (7, 6),
        (7, None),
        (7, "seven"),
        (0, None),
        (True, 1),
        (False, None),
    ],
)
def test_values_that_do_not_match(expected: object, actual: object) -> None:
    assert not matches(expected, actual)


def stored() -> State:
    return State(
        rejections=[
            {"id": 11, "company": "Google", "role": None, "stage": "screening"},
            {"id": 12, "company": "Monzo", "role": "analyst", "stage": "final"},
        ],
        applications=[{"company": "Stripe", "role": "", "status": "applied", "planned_for": None}],
        entries=[
            {"kind": "rejection", "text": "got rejected by google", "rejection_id": 11},
            {"kind": "feeling", "text": "gutted", "emotion": "disappointed", "mood": 7},
            {"kind": "feedback", "text": "More SQL please", "rejection_id": 12},
        ],
        user={"checkin_time": "20:30", "reported_active": 2},
        slots={"active_loop": None, "company": "Monzo"},
        intents=["report_rejection", "inform"],
        user_turns=5,
        fallbacks=["blorp"],
    )


def test_expectations_that_hold_give_no_failures() -> None:
    expect = {
        "rejections": [
            {"company": "google", "role": None, "stage": "screening"},
            {"company": ["revolut", "monzo"], "role": "*"},
        ],
        "applications": [{"company": "stripe", "role": None, "status": "applied"}],
        "entry_counts": {"feeling": 1, "feedback": "1+", "followup": 0},
        "entries": [
            {"kind": "feedback", "text": {"contains": "sql"}, "rejection": 2},
            {"kind": "feeling", "emotion": "disappointed", "mood": 7},
        ],
        "user": {"checkin_time": "20:30", "timezone": None},
        "slots": {"active_loop": None, "company": "monzo"},
        "intents": ["inform"],
        "max_fallbacks": 1,
    }
    assert check(expect, stored()) == []


@pytest.mark.parametrize(
    ("expect", "failure"),
    [
        ({"rejections": [{"company": "google"}]}, "rejections: expected 1 row(s), found 2"),
        ({"rejections": [{"company": "google"}, {"company": "revolut"}]}, "rejections[2].company"),
        ({"applications": []}, "applications: expected 0 row(s), found 1"),
        ({"applications": [{"status": "planned"}]}, "applications[1].status"),
        ({"entry_counts": {"feeling": 2}}, "kind 'feeling': expected 2, found 1"),
        ({"entry_counts": {"checkin": "1+"}}, "kind 'checkin'"),
        ({"entries": [{"kind": "feedback", "rejection": 1}]}, "no journal entry matches"),
        ({"entries": [{"kind": "feedback", "rejection": 3}]}, "no journal entry matches"),
        ({"user": {"checkin_time": "21:00"}}, "user.checkin_time"),
        ({"slots": {"active_loop": "feeling_form"}}, "slot active_loop"),
        ({"intents": ["plan_next"]}, "intent 'plan_next' never recognised"),
        ({"max_fallbacks": 0}, "1 fallback turn(s) ['blorp'], at most 0 allowed"),
    ],
)
def test_expectations_that_fail_are_reported(expect: dict, failure: str) -> None:
    expect = {"max_fallbacks": 1, **expect}
    failures = check(expect, stored())
    assert len(failures) == 1 and failure in failures[0], failures


def test_messages_left_waiting_for_rasa_fail_the_conversation() -> None:
    state = State(pending=2)
    assert check({}, state) == ["2 message(s) still waiting for Rasa"]


def user(text: str, intent: str, **extra: object) -> dict:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}, **extra}


def action(name: str) -> dict:
    return {"event": "action", "name": name}


def test_the_tracker_gives_slots_intents_and_fallback_turns() -> None:
    tracker = {
        "slots": {"company": "Acme", "requested_slot": "role"},
        "active_loop": {"name": "rejection_form"},
        "events": [
            action("action_session_start"),
            user("rejected by acme", "report_rejection"),
            action("rejection_form"),
            action("action_listen"),
            user("blorp", "nlu_fallback"),  # below the threshold
            action("utter_ask_rephrase"),
            action("action_listen"),
            user("hmm", "out_of_scope"),  # understood, but nothing fitted
            action("action_default_fallback"),
            action("action_listen"),
            user("sure, whatever", "nlu_fallback"),  # taken by the open form as its answer
            action("rejection_form"),
            action("action_listen"),
            user("/session_start", "session_start"),  # the runner's next_day
            action("action_session_start"),
            user("EXTERNAL: EXTERNAL_checkin", "EXTERNAL_checkin", metadata={"is_external": True}),
            action("action_checkin_prompt"),
            action("utter_default"),  # after the runner's turn: not the person's fallback
            user("analyst", "inform"),
            action("rejection_form"),
        ],
    }
    reading = read_tracker(tracker)
    assert reading.slots == {
        "company": "Acme",
        "requested_slot": "role",
        "active_loop": "rejection_form",
    }
    assert reading.intents == [
        "report_rejection",
        "nlu_fallback",
        "out_of_scope",
        "nlu_fallback",
        "inform",
    ]
    assert reading.user_turns == 5
    assert reading.fallbacks == ["blorp", "hmm"]
    assert reading.low_confidence == ["blorp", "sure, whatever"]


def test_no_open_form_reads_as_a_null_active_loop() -> None:
    reading = read_tracker({"slots": {}, "active_loop": {}, "events": []})
    assert reading == ({"active_loop": None}, [], 0, [], [])


def test_a_press_takes_the_exact_title_before_a_prefix() -> None:
    buttons = [Button(str(n), f"/inform{n}") for n in range(11)]
    assert find_button(buttons, "1").payload == "/inform1"
    assert find_button(buttons, "10").payload == "/inform10"
    plan = [Button("Let's plan", "/affirm"), Button("Not tonight", "/deny")]
    assert find_button(plan, "let's").payload == "/affirm"
    assert find_button(plan, "NOT TONIGHT").payload == "/deny"
    assert find_button(plan, "maybe") is None
    both = [Button("Yes, draft it", "/affirm"), Button("Yes", "/inform")]
    assert find_button(both, "yes").payload == "/inform"


def result(split: str, passed: bool, turns: int = 10, fallbacks: int = 0) -> Result:
    return Result(
        id=f"{split}-{passed}-{turns}",
        split=split,
        persona="terse",
        note="",
        failures=[] if passed else ["rejections: expected 1 row(s), found 0: []"],
        non_answers=[] if passed else ["rejections.company = 'bye': a filler word"],
        user_turns=turns,
        fallbacks=["blorp"] * fallbacks,
        low_confidence=["blorp"] * fallbacks,
        rasa_waits=0,
        seconds=1.0,
        transcript="you> hi\ncoach> Hello\n",
    )


def test_the_report_gives_each_split_and_the_failing_transcripts() -> None:
    results = [
        result("tune", True),
        result("tune", True, fallbacks=1),
        result("tune", False, turns=20),
        result("holdout", True),
    ]
    summary = corpus.report(results, 12.34, [Path("a_x.yml")])
    assert summary["splits"]["tune"] == {
        "conversations": 3,
        "passed": 2,
        "pass_rate": 0.6667,
        "user_turns": 40,
        "fallback_turns": 1,
        "fallback_rate": 0.025,
        "low_confidence_turns": 1,
        "non_answers": 1,
        "rasa_waits": 0,
    }
    assert summary["splits"]["holdout"]["pass_rate"] == 1.0
    assert summary["overall"]["fallback_rate"] == 0.02
    assert summary["met"] == {
        "tune_pass_rate": False,
        "holdout_pass_rate": True,
        "fallback_rate": True,
        "non_answers": False,
    }
    (failing,) = summary["failing"]
    assert failing["id"] == "tune-False-20" and failing["transcript"].startswith("you> hi")
    assert summary["non_answers"] == [
        {
            "id": "tune-False-20",
            "split": "tune",
            "value": "rejections.company = 'bye': a filler word",
        }
    ]
    assert summary["duration_seconds"] == 12.3 and summary["files"] == ["a_x.yml"]


def test_an_empty_split_does_not_meet_its_target() -> None:
    summary = corpus.report([result("tune", True)], 1.0, [])
    assert summary["splits"]["holdout"]["pass_rate"] is None
    assert summary["met"]["holdout_pass_rate"] is False


# The non-answer check


@pytest.mark.parametrize(
    ("table", "field", "value"),
    [
        ("rejections", "company", "bye"),
        ("rejections", "company", "👍"),
        ("rejections", "company", "g"),
        ("rejections", "company", "can we just do the plan"),
        ("rejections", "company", "let's plan"),
        ("rejections", "company", "/plan"),
        ("rejections", "company", "None"),
        ("rejections", "role", "idk"),
        ("rejections", "role", "Dunno."),
        ("rejections", "role", "unknown"),
        ("rejections", "contact_name", "no name"),
        ("rejections", "contact_name", "skip"),
        ("applications", "company", "..."),
        ("applications", "role", "ok"),
        ("applications", "planned_for", "bye"),
        ("applications", "planned_for", "next week"),
        ("entries", "text", "yes"),
        ("entries", "text", "No!"),
        ("entries", "text", "maybe"),
        ("entries", "text", "I don\u2019t know"),
        ("entries", "text", "thanks"),
        ("entries", "text", "😢😢"),
        ("entries", "text", "help me write the email"),
        ("users", "checkin_time", "bye"),
        ("users", "checkin_time", "9pm"),
        ("users", "checkin_time", "25:00"),
    ],
)
def test_non_answers_are_flagged(table: str, field: str, value: str) -> None:
    assert non_answer_reason(table, field, value)


@pytest.mark.parametrize(
    ("table", "field", "value"),
    [
        ("rejections", "company", "Acme"),
        ("rejections", "company", "BBC"),
        ("rejections", "company", "Monzo"),
        ("rejections", "company", "3M"),
        ("rejections", "company", None),
        ("rejections", "role", "junior data analyst"),
        ("rejections", "contact_name", "Sarah"),
        ("rejections", "stage", "unknown"),
        ("applications", "planned_for", "2026-12-04"),
        ("applications", "planned_for", None),
        ("applications", "status", "planned"),
        ("entries", "text", "a 7"),
        ("entries", "text", "i'm not good enough"),
        ("entries", "text", "nothing"),
        ("entries", "text", "they had hundreds of applicants"),
        ("entries", "text", "I want to give up on tech"),
        ("users", "checkin_time", "20:30"),
        ("users", "checkin_time", None),
    ],
)
def test_real_answers_are_not_flagged(table: str, field: str, value: str | None) -> None:
    assert non_answer_reason(table, field, value) is None


def test_stored_non_answers_names_each_field_and_only_answer_kinds() -> None:
    found = stored_non_answers(
        rejections=[{"company": "bye", "role": "analyst", "contact_name": None}],
        applications=[{"company": "Monzo", "role": "y", "planned_for": "2026-12-04"}],
        entries=[
            {"kind": "thought", "text": "yes"},
            {"kind": "thought_check", "text": "yes"},  # a yes is the answer there
            {"kind": "note", "text": "ok"},
        ],
        user={"checkin_time": "20:30"},
    )
    assert [line.split(" = ")[0] for line in found] == [
        "rejections.company",
        "applications.role",
        "entries.text (thought)",
    ]

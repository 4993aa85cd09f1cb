"""The benchmarks' pure helpers: statistics, report shaping and the NLU-eval counting."""

from __future__ import annotations

import itertools
import json
import statistics
from pathlib import Path

import pytest

from benchmarks import growth, history, nlu_eval, procs, profile, report, stats, store_bench
from benchmarks.fake import TimedFake
from benchmarks.load import SCRIPT, Run, Turn, cpu_per_turn, drive, settled, sustained


def test_percentile_interpolates_between_ranks() -> None:
    values = [4.0, 1.0, 3.0, 2.0]
    assert stats.percentile(values, 0) == 1.0
    assert stats.percentile(values, 50) == 2.5
    assert stats.percentile(values, 100) == 4.0
    assert stats.percentile([7.0], 99) == 7.0
    assert stats.percentile([], 50) is None
    with pytest.raises(ValueError):
        stats.percentile(values, 101)


def test_summarize_reports_milliseconds() -> None:
    summary = stats.summarize([0.010, 0.020, 0.030])
    assert summary == {
        "n": 3,
        "mean_ms": 20.0,
        "p50_ms": 20.0,
        "p95_ms": 29.0,
        "p99_ms": 29.8,
        "max_ms": 30.0,
    }
    assert stats.summarize([])["p50_ms"] is None


def test_ratios_of_two_summaries_and_missing_values() -> None:
    slow = {"p50_ms": 110.0, "p95_ms": 240.0, "p99_ms": None}
    fast = {"p50_ms": 100.0, "p95_ms": 200.0, "p99_ms": 300.0}
    assert stats.ratios(slow, fast) == {"p50": 1.1, "p95": 1.2, "p99": None}
    assert stats.ratio(1.0, 0.0) is None


def test_rates_and_the_busiest_second() -> None:
    times = [0.0, 0.1, 0.2, 0.95, 1.5, 3.0]
    assert stats.max_in_window(times, 1.0) == 4
    assert stats.max_in_window([], 1.0) == 0
    assert stats.rate([0.0, 1.0, 2.0]) == 1.0
    assert stats.rate([5.0]) is None


def test_targets_pass_fail_and_unknown() -> None:
    upper = stats.Target("start-up", 30, "s")
    lower = stats.Target("throughput", 30, "msg/s", at_least=True)
    assert upper.check(29.9)["pass"] is True
    assert upper.check(30.1)["pass"] is False
    assert lower.check(31)["pass"] is True
    assert lower.check(None)["pass"] is None
    assert lower.check(31)["target"] == ">= 30 msg/s"


def test_table_aligns_columns() -> None:
    text = stats.table([["a", 1.5], ["long name", None]], ["name", "value"])
    lines = text.splitlines()
    assert lines[0].startswith("name       value")
    assert set(lines[1]) <= {"-", " "}
    assert lines[3].endswith("-")


def test_dig_stops_at_the_first_missing_step() -> None:
    data = {"a": {"b": [1, {"c": 2}]}}
    assert report.dig(data, "a", "b", 1, "c") == 2
    assert report.dig(data, "a", "x", "c") is None
    assert report.dig(data, "a", "b", 5) is None


def test_targets_are_read_from_the_report_shape() -> None:
    shaped = {
        "open_loop": {
            "runs": {
                "ceiling": {
                    "sent_messages_per_s": 30.4,
                    "latency": {"p95_ms": 650.0},
                    "lost_replies": 0,
                    "extra_replies": 2,
                },
                "poisson_10": {"latency": {"p95_ms": 240.0}},
            }
        },
        "latency": {"levels": {"1": {"ratio_telegram_over_direct": {"p50": 1.08}}}},
        "history": {"slope_p50": 0.05},
        "journal_growth": {"slopes": {"search": 0.6}},
        "people": {"selection": {"slope": None}},
        "startup": {"seconds_to_first_reply": 11.0},
        "training": {"seconds": 95.0},
    }
    rows = {row["name"]: row for row in report.targets(shaped)}
    assert rows["sent messages/s at Telegram's ceiling"]["pass"] is True
    assert rows["p95 at Telegram's ceiling"]["pass"] is False
    assert rows["replies lost at the ceiling"]["pass"] is True
    assert rows["replies duplicated at the ceiling"]["pass"] is False
    assert rows["open loop 10 turns/s, p95"]["pass"] is True
    assert rows["front-end overhead, 1 user, p50 ratio"]["pass"] is False
    assert rows["slope: per-turn p50 against tracker events"]["pass"] is True
    assert rows["slope: /search against journal entries"]["pass"] is False
    assert rows["slope: check-in selection against people"]["pass"] is None
    assert rows["start-up to first reply"]["pass"] is True
    assert rows["full training"]["pass"] is False
    shaped["targets"] = report.targets(shaped)
    assert "start-up to first reply" in report.render(shaped)


def test_a_training_stopped_for_time_reports_a_lower_bound() -> None:
    assert report.training({"training": {"seconds": 85.0}})["pass"] is True
    stopped = report.training({"training": {"seconds": None, "over_s": 420.0}})
    assert stopped["value"] == "> 420.0" and stopped["pass"] is False
    assert report.training({"training": {"seconds": None, "over_s": 60.0}})["pass"] is None


def test_sustained_throughput_needs_every_reply_once_and_p95_within_a_second() -> None:
    def step(users: int, rate: float, p95: float, lost: int = 0) -> dict:
        return {
            "users": users,
            "messages_per_s": rate,
            "latency": {"p95_ms": p95},
            "timeouts": 0,
            "lost_replies": lost,
            "extra_replies": 0,
        }

    steps = [step(5, 10.0, 300), step(10, 14.0, 900, lost=1), step(20, 16.0, 1500)]
    assert sustained(steps)["users"] == 5
    assert sustained([step(20, 16.0, 1500)]) is None


async def test_drive_alternates_the_paths_turn_by_turn_with_fresh_ids() -> None:
    seen: list[tuple[str, int, int]] = []

    def path(name: str):
        async def turn(user_id: int, step: int, run: Run) -> None:
            seen.append((name, user_id, step))
            run.turns.append(Turn(step, 0.001))

        return turn

    (a, b), _ = await drive([path("a"), path("b")], 2, iter(range(100)), rounds=1)
    assert len(a.turns) == len(b.turns) == 2 * len(SCRIPT)
    assert [name for name, *_ in seen[:2]] == ["a", "b"]
    assert len({user_id for _, user_id, _ in seen}) == 4  # a fresh id per user and path


def test_cpu_per_turn_divides_each_roles_cpu_by_the_turns_answered() -> None:
    before = {"Rasa server": 10.0, "front end": 2.0, "harness": 1.0}
    after = {"Rasa server": 19.0, "front end": 2.6, "harness": 1.3}
    assert cpu_per_turn(before, after, 100) == {
        "Rasa server": 90.0,
        "front end": 6.0,
        "harness": 3.0,
        "total": 99.0,
    }
    assert cpu_per_turn(before, after, 0) == {}


def test_cpu_seconds_grow_while_a_process_works() -> None:
    import os

    start = procs.cpu_seconds(os.getpid())
    sum(index * index for index in range(3_000_000))
    assert procs.cpu_seconds(os.getpid()) > start
    assert procs.cpu_seconds(2**22 + 1) == 0.0  # above pid_max: no such process


def test_process_roles_follow_the_command_line() -> None:
    assert procs.role_of("python -m rasa_sdk --actions actions") == "action server"
    assert procs.role_of("python -m action_server --port 5055") == "action server"
    assert procs.role_of("python -m rasa_server --enable-api") == "Rasa server"
    assert procs.role_of("python -m bot run") == "front end"


def test_journal_texts_are_deterministic_and_searchable() -> None:
    first, again = store_bench.journal_texts(50), store_bench.journal_texts(50)
    assert first == again
    assert any("interview" in text.split() for text in first)


def test_clinc_items_leave_out_our_own_small_talk() -> None:
    data = {
        "test": [["hi there", "greeting"], ["what's my balance", "balance"]],
        "oos_test": [["how tall is everest", "oos"]],
    }
    assert nlu_eval.clinc_utterances(data) == [
        ("what's my balance", "balance", "test"),
        ("how tall is everest", "oos", "oos_test"),
    ]


def test_false_accepts_count_only_confident_action_intents() -> None:
    items = [("a", "balance", "test"), ("b", "oos", "oos_test"), ("c", "oos", "oos_test")]
    predictions = [
        {"intent": {"name": "report_rejection", "confidence": 0.9}},
        {"intent": {"name": "report_rejection", "confidence": 0.4}},
        {"intent": {"name": "out_of_scope", "confidence": 0.99}},
    ]
    result = nlu_eval.false_accepts(items, predictions, threshold=0.5)
    assert result["false_accepts"] == 1
    assert result["false_accept_pct"] == pytest.approx(33.33)
    assert result["by_our_intent"] == {"report_rejection": 1}
    assert result["by_split"]["oos_test"] == {"utterances": 2, "false_accepts": 0, "pct": 0.0}
    assert result["examples"][0]["clinc_intent"] == "balance"


def test_the_own_dev_set_is_scored_at_several_thresholds() -> None:
    texts = ["a", "b", "c", "d"]
    predictions = [
        {"intent": {"name": "crisis", "confidence": 0.95}},
        {"intent": {"name": "plan_next", "confidence": 0.65}},
        {"intent": {"name": "out_of_scope", "confidence": 0.99}},
        {"intent": {"name": "greet", "confidence": 0.99}},  # not an action intent
    ]
    result = nlu_eval.ood_dev_acceptance(texts, predictions, threshold=0.6)
    assert result["accepted_pct"] == 50.0
    assert result["by_our_intent"] == {"crisis": 1, "plan_next": 1}
    assert result["accepted_pct_by_threshold"]["0.5"] == 50.0
    assert result["accepted_pct_by_threshold"]["0.7"] == 25.0


def test_examples_are_the_most_confident_one_per_clinc_intent() -> None:
    def hit(intent: str, confidence: float) -> tuple[tuple, dict]:
        return ("text", intent, "test"), {"intent": {"confidence": confidence}}

    hits = [hit("transfer", 0.6), hit("timer", 0.9), hit("transfer", 0.95), hit("oos", 0.7)]
    chosen = nlu_eval.most_confident(hits, 2)
    assert [(item[1], p["intent"]["confidence"]) for item, p in chosen] == [
        ("transfer", 0.95),
        ("timer", 0.9),
    ]


def test_skipping_cross_validation_keeps_the_last_measured_one(tmp_path: Path) -> None:
    path = tmp_path / "nlu-eval.json"
    assert nlu_eval.previous_cross_validation(path) == {"skipped": "--skip-cv"}
    path.write_text(
        json.dumps({"generated_at": "t0", "cross_validation": {"intent_macro_f1": 0.7}})
    )
    assert nlu_eval.previous_cross_validation(path) == {
        "intent_macro_f1": 0.7,
        "carried_over_from": "t0",
    }


def test_emotion_recognition_maps_entities_to_ekman_groups() -> None:
    items = [("x", "grief", "sadness"), ("y", "fear", "fear")]
    predictions = [
        {
            "intent": {"name": "express_feeling", "confidence": 0.8},
            "entities": [{"entity": "emotion", "value": "sad"}],
        },
        {"intent": {"name": "greet", "confidence": 0.9}, "entities": []},
    ]
    result = nlu_eval.emotion_recognition(items, predictions, threshold=0.5)
    assert result["express_feeling_pct"] == 50.0
    assert result["emotion_entity_pct"] == 50.0
    assert result["entity_in_same_ekman_group_pct"] == 100.0
    assert result["by_ekman_group"]["fear"]["express_feeling_pct"] == 0.0


def test_fallback_threshold_is_read_from_the_pipeline(tmp_path: Path) -> None:
    config = tmp_path / "config.yml"
    config.write_text(
        "pipeline:\n  - name: DIETClassifier\n  - name: FallbackClassifier\n    threshold: 0.6\n"
    )
    assert nlu_eval.fallback_threshold(config) == 0.6


def test_nlu_summary_copies_headline_figures(tmp_path: Path) -> None:
    path = tmp_path / "nlu-eval.json"
    assert "missing" in nlu_eval.summary(path)
    path.write_text(
        json.dumps(
            {
                "generated_at": "now",
                "cross_validation": {"skipped": "--skip-cv"},
                "clinc150": {"false_accept_pct": 3.2, "utterances": 10, "examples": ["…"]},
            }
        )
    )
    summary = nlu_eval.summary(path)
    assert summary["clinc150"]["false_accept_pct"] == 3.2
    assert "examples" not in summary["clinc150"]
    assert summary["cross_validation"] == {"skipped": "--skip-cv"}


def test_poisson_arrivals_are_seeded_and_average_the_rate() -> None:
    arrivals = stats.poisson_arrivals(10.0, 600.0, seed=3)
    assert arrivals == stats.poisson_arrivals(10.0, 600.0, seed=3)
    assert arrivals == sorted(arrivals) and arrivals[0] > 0 and arrivals[-1] < 600.0
    assert 5700 < len(arrivals) < 6300  # 6000 expected, sd about 77
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    assert statistics.mean(gaps) == pytest.approx(0.1, rel=0.05)
    assert statistics.stdev(gaps) == pytest.approx(0.1, rel=0.1)  # exponential: sd = mean


def test_even_arrivals_are_spaced_one_over_the_rate() -> None:
    assert stats.even_arrivals(4.0, 1.0) == [0.0, 0.25, 0.5, 0.75]
    assert len(stats.even_arrivals(21.0, 60.0)) == 1260


def test_loglog_slope_of_flat_linear_and_quadratic_growth() -> None:
    sizes = [0, 1_000, 10_000, 100_000]
    assert stats.loglog_slope(sizes, [5.0, 50.0, 50.0, 50.0]) == 0.0
    assert stats.loglog_slope(sizes, [5.0, 1.0, 10.0, 100.0]) == 1.0
    assert stats.loglog_slope([10, 20, 40], [1.0, 4.0, 16.0]) == 2.0
    assert stats.loglog_slope(sizes, [None, None, 3.0, None]) is None


def test_past_sessions_copy_a_conversation_backwards_from_the_end() -> None:
    rows = [
        ("session_started", 100.0, None, None, '{"event": "session_started", "timestamp": 100.0}'),
        ("user", 101.5, "greet", None, '{"event": "user", "timestamp": 101.5}'),
        ("bot", 102.0, None, None, '{"event": "bot", "timestamp": 102.0}'),
    ]
    events = history.past_sessions(rows, 7, end=10_000.0)
    assert len(events) == 7
    assert [event[0] for event in events[-3:]] == ["session_started", "user", "bot"]
    stamps = [event[1] for event in events]
    assert stamps == sorted(stamps) and stamps[-1] < 10_000.0
    assert stamps[-3] - stamps[-6] == history.SESSION_GAP_S
    assert all(json.loads(event[4])["timestamp"] == event[1] for event in events)
    assert history.past_sessions(rows, 0, end=1.0) == []


def test_profile_samples_go_to_the_innermost_part_and_blocked_threads_are_left_out() -> None:
    main = "<module> (rasa_server.py:175);main (rasa_server.py:171);serve (sanic/server.py:155)"
    raw = "\n".join(
        [
            f"{main};predict (rasa/core/policies/ted_policy.py:9);call (keras/engine.py:1) 6",
            f"{main};save (rasa/core/tracker_store.py:1360);dumps (json/__init__.py:231) 3",
            f"{main};handle (sanic/app.py:9) 1",
            "<module> (action_server.py:102);serve (sanic/server/runners.py:155) 4",
            "_bootstrap (threading.py:973);run (threading.py:953);"
            "_do_waitpid (asyncio/unix_events.py:1394) 90",
        ]
    )
    summary = profile.summarize_raw(raw, turns=2)
    assert summary["samples"] == 14 and summary["samples_per_turn"] == 7.0
    assert summary["by_part_pct"] == {
        "TED policy": 42.9,
        "uvloop (its C code, or waiting)": 28.6,
        "tracker store": 21.4,
        "HTTP: Sanic, aiohttp, httpx": 7.1,
    }
    assert summary["by_library_pct"] == {
        "TensorFlow": 42.9,
        "HTTP: Sanic, aiohttp, httpx": 35.7,
        "JSON": 21.4,
    }
    assert summary["under_our_code_pct"] == {}  # entry points are not work of ours


async def test_a_quick_command_is_timed_many_times_a_slow_one_the_minimum(monkeypatch) -> None:
    calls = []

    async def work() -> None:
        calls.append(1)

    await growth._median_ms(work, 3)
    assert len(calls) == growth.MAX_REPEATS, "a no-op never adds up to MIN_SECONDS"

    calls.clear()
    monkeypatch.setattr(growth, "MIN_SECONDS", 0.0)  # as if each run were slow
    await growth._median_ms(work, 3)
    assert len(calls) == 3


async def test_a_bot_still_busy_after_a_phase_is_reported_not_fatal() -> None:
    async with TimedFake() as fake:
        assert await settled(fake, timeout=5.0)
        fake.push_text(1, "hello")  # never fetched: the server stays busy
        assert not await settled(fake, timeout=0.5)


def test_the_same_number_of_people_is_due_at_the_few_minute_whatever_the_crowd() -> None:
    for people in (1_000, 10_000, 100_000):
        times = [growth._due_time(user_id) for user_id in range(1, people + 1)]
        assert times.count(growth.NOW_FEW) == growth.FEW_DUE
        assert times.count(growth.NOW) == people // growth.DUE_EVERY

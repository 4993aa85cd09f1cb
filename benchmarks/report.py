"""Shaping the benchmark report: targets with pass/fail, and the printed tables."""

from __future__ import annotations

from typing import Any

from benchmarks.stats import Target, table, verdict


def dig(data: Any, *path: str | int) -> Any:
    """``data[path[0]][path[1]]…``, or None as soon as a step is missing."""
    for key in path:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _check(target: Target, value: Any) -> dict:
    return target.check(value if isinstance(value, (int, float)) else None)


def training(report: dict) -> dict:
    """Full training time; a run stopped for time still fails a target it already passed."""
    target = Target("full training", 90, "s")
    over = dig(report, "training", "over_s")
    if over is None:
        return _check(target, dig(report, "training", "seconds"))
    row = target.check(over)
    return {**row, "value": f"> {over}", "pass": False if row["pass"] is False else None}


def slopes(report: dict) -> list[tuple[str, float | None]]:
    """Every fitted log-log slope of cost against size, named."""
    found = [("per-turn p50 against tracker events", dig(report, "history", "slope_p50"))]
    for name, slope in (dig(report, "journal_growth", "slopes") or {}).items():
        found.append((f"/{name} against journal entries", slope))
    found.append(("check-in selection against people", dig(report, "people", "selection", "slope")))
    return found


def targets(report: dict) -> list[dict]:
    """Every target of issue 15 (and the earlier ones still held) beside its figure."""
    ceiling = dig(report, "open_loop", "runs", "ceiling") or {}
    rows = [
        _check(
            Target("sent messages/s at Telegram's ceiling", 30, "msg/s", at_least=True),
            ceiling.get("sent_messages_per_s"),
        ),
        _check(Target("p95 at Telegram's ceiling", 500, "ms"), dig(ceiling, "latency", "p95_ms")),
        _check(Target("replies lost at the ceiling", 0, ""), ceiling.get("lost_replies")),
        _check(Target("replies duplicated at the ceiling", 0, ""), ceiling.get("extra_replies")),
        _check(
            Target("open loop 10 turns/s, p95", 250, "ms"),
            dig(report, "open_loop", "runs", "poisson_10", "latency", "p95_ms"),
        ),
        _check(
            Target("front-end overhead, 1 user, p50 ratio", 1.05, "x"),
            dig(report, "latency", "levels", "1", "ratio_telegram_over_direct", "p50"),
        ),
    ]
    rows += [_check(Target(f"slope: {name}", 0.1, ""), value) for name, value in slopes(report)]
    rows += [
        _check(
            Target("start-up to first reply", 12, "s"),
            dig(report, "startup", "seconds_to_first_reply"),
        ),
        training(report),
        _check(
            Target("no-change set-up (make train)", 10, "s"),
            dig(report, "setup", "make_train", "seconds"),
        ),
        _check(
            Target("total RSS under load", 1536, "MiB"),
            dig(report, "memory", "under_load", "peak_total_rss_mib"),
        ),
        _check(
            Target("CLINC150 out-of-scope accepted as ours", 5, "%"),
            dig(report, "nlu", "clinc150", "false_accept_pct"),
        ),
    ]
    return rows


def _growth_tables(report: dict) -> list[str]:
    parts = []
    sizes = dig(report, "history", "sizes") or {}
    reads = dig(report, "history", "store_reads", "median_ms") or {}
    if sizes:
        rows = [
            [
                size,
                dig(row, "p50_ms"),
                dig(row, "p95_ms"),
                dig(row, "rasa_cpu_ms_per_turn"),
                *(dig(reads, store, size) for store in reads),
            ]
            for size, row in sizes.items()
        ]
        header = ["tracker events", "p50 ms", "p95 ms", "Rasa CPU ms/turn"]
        header += [f"reads ms: {store}" for store in reads]
        parts += [
            "",
            "Per-turn cost against stored history (straight to Rasa)",
            table(rows, header),
        ]
    journal = dig(report, "journal_growth", "median_ms") or {}
    if journal:
        commands = list(journal)
        entries = list(journal[commands[0]])
        rows = [[size, *(journal[c][size] for c in commands)] for size in entries]
        header = ["journal entries", *(f"/{c} ms" for c in commands)]
        parts += ["", "Journal commands against journal size (median ms)", table(rows, header)]
    selection = dig(report, "people", "selection") or {}
    for title, people in (
        ("Check-in selection, the same number due", selection.get("by_people")),
        ("Check-in selection, one in ten due", dig(selection, "one_in_ten_due", "by_people")),
    ):
        if people:
            rows = [[size, row["due"], row["median_ms"]] for size, row in people.items()]
            parts += ["", title, table(rows, ["people", "due", "ms"])]
    return parts


def _open_loop_table(report: dict) -> list[str]:
    runs = dig(report, "open_loop", "runs") or {}
    if not runs:
        return []
    rows = [
        [
            name,
            run.get("offered_turns_per_s"),
            run.get("sent_messages_per_s"),
            run.get("messages_per_turn"),
            *(dig(run, "latency", f"p{q}_ms") for q in (50, 95, 99)),
            run.get("lost_replies"),
            run.get("extra_replies"),
            *(dig(run, "cpu_ms_per_turn", role) for role in ROLES),
        ]
        for name, run in runs.items()
    ]
    header = ["arrivals", "turns/s", "sent msg/s", "msg/turn", "p50 ms", "p95", "p99"]
    header += ["lost", "dup", "CPU ms/turn: Rasa", "front end", "actions", "harness"]
    return ["", "Open loop (full path)", table(rows, header)]


def _paths_table(report: dict) -> list[str]:
    paths = dig(report, "telegram_paths") or {}
    if "ours" not in paths:
        return []
    rows = [
        [
            name,
            *(dig(paths, name, "latency", f"p{q}_ms") for q in (50, 95)),
            *(dig(paths, name, "cpu_ms_per_turn", role) for role in ROLES[:3]),
            dig(paths, name, "cpu_ms_per_turn", "total"),
        ]
        for name in ("ours", "rasa_connector")
    ]
    header = ["one person at a time", "p50 ms", "p95", "CPU ms/turn: Rasa", "front end"]
    header += ["actions", "total"]
    return ["", "Our front end against Rasa's Telegram connector", table(rows, header)]


ROLES = ("Rasa server", "front end", "action server", "harness")


def render(report: dict) -> str:
    """The readable summary printed at the end of ``python -m benchmarks``."""
    loads = report.get("load_average_1min") or {}
    parts = [
        "Machine load (1-min average) as each phase began: "
        + ", ".join(f"{name} {value:.2f}" for name, value in loads.items())
        + f" (on {dig(report, 'machine', 'cores')} cores)",
        "",
        "Targets",
        table(
            [
                [row["name"], row["value"], row["target"], verdict(row["pass"])]
                for row in report["targets"]
            ],
            ["figure", "value", "target", "result"],
        ),
    ]
    levels = dig(report, "latency", "levels") or {}
    if levels:
        rows = []
        for level in sorted(levels, key=int):
            data = levels[level]
            rows.append(
                [
                    level,
                    *(dig(data, "direct", f"p{q}_ms") for q in (50, 95, 99)),
                    *(dig(data, "telegram", f"p{q}_ms") for q in (50, 95, 99)),
                    *(dig(data, "ratio_telegram_over_direct", f"p{q}") for q in (50, 95, 99)),
                    f"{data.get('lost_replies', 0)}/{data.get('extra_replies', 0)}",
                ]
            )
        header = ["users", "direct p50", "p95", "p99", "telegram p50", "p95", "p99"]
        header += ["ratio p50", "p95", "p99", "lost/extra"]
        parts += [
            "",
            "Latency per turn (ms; Telegram = until the turn's last reply)",
            table(rows, header),
        ]
    steps = dig(report, "throughput", "steps") or []
    if steps:
        rows = [
            [
                step["users"],
                step.get("messages_per_s"),
                dig(step, "latency", "p50_ms"),
                dig(step, "latency", "p95_ms"),
                step.get("lost_replies"),
                step.get("extra_replies"),
                step.get("timeouts"),
                step.get("skipped"),
                *(
                    dig(step, "cpu_ms_per_turn", role)
                    for role in ("Rasa server", "front end", "action server", "harness")
                ),
            ]
            for step in steps
        ]
        header = ["users", "msg/s", "p50 ms", "p95 ms", "lost", "extra", "timeouts", "note"]
        header += ["CPU ms/turn: Rasa", "front end", "actions", "harness"]
        parts += ["", "Throughput (closed loop, full path)", table(rows, header)]
    parts += _open_loop_table(report) + _paths_table(report) + _growth_tables(report)
    memory = dig(report, "memory") or {}
    if memory:
        roles = ("front end", "Rasa server", "action server")
        rows = [
            [
                role,
                dig(memory, "idle", "rss_mib", role),
                dig(memory, "under_load", "peak_rss_mib", role),
                dig(memory, "hwm_mib", role),
            ]
            for role in roles
        ]
        rows.append(
            [
                "total",
                dig(memory, "idle", "rss_mib", "total"),
                dig(memory, "under_load", "peak_total_rss_mib"),
                dig(memory, "hwm_mib", "total"),
            ]
        )
        parts += [
            "",
            "Memory (MiB)",
            table(rows, ["process", "idle RSS", "peak RSS under load", "VmHWM"]),
        ]
    return "\n".join(parts)

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
    target = Target("full training", 300, "s")
    over = dig(report, "training", "over_s")
    if over is None:
        return _check(target, dig(report, "training", "seconds"))
    row = target.check(over)
    return {**row, "value": f"> {over}", "pass": False if row["pass"] is False else None}


def targets(report: dict) -> list[dict]:
    """Every target beside the figure it is checked against."""
    rows = []
    for level in sorted(dig(report, "latency", "levels") or {}, key=int):
        ratio = dig(report, "latency", "levels", level, "ratio_telegram_over_direct") or {}
        for key, limit in (("p50", 1.10), ("p95", 1.20)):
            name = f"front-end overhead {key} ratio, {level} users"
            rows.append(_check(Target(name, limit, "x"), ratio.get(key)))
    rows += [
        _check(
            Target("full path p95, 10 users", 150, "ms"),
            dig(report, "latency", "levels", "10", "telegram", "p95_ms"),
        ),
        _check(
            Target("sustained throughput, 0 lost, p95 <= 1 s", 30, "msg/s", at_least=True),
            dig(report, "throughput", "sustained", "messages_per_s"),
        ),
        _check(
            Target("start-up to first reply", 30, "s"),
            dig(report, "startup", "seconds_to_first_reply"),
        ),
        _check(
            Target("no-change set-up (make train)", 10, "s"),
            dig(report, "setup", "make_train", "seconds"),
        ),
        _check(
            Target("set-up after touching a training file", 10, "s"),
            dig(report, "setup", "after_touch", "seconds"),
        ),
        training(report),
        _check(
            Target("total RSS under load", 1536, "MiB"),
            dig(report, "memory", "under_load", "peak_total_rss_mib"),
        ),
    ]
    entries = dig(report, "store", "insert_export", "entries") or 0
    for fmt in ("md", "csv", "json"):
        rows.append(
            _check(
                Target(f"export {entries:,} entries as {fmt}", 1, "s"),
                dig(report, "store", "insert_export", "export", fmt, "median_s"),
            )
        )
    searched = dig(report, "store", "search", "entries") or 0
    rows += [
        _check(
            Target(f"full-text search over {searched:,}, median", 50, "ms"),
            dig(report, "store", "search", "median_ms"),
        ),
        _check(
            Target("CLINC150 out-of-scope accepted as ours", 5, "%"),
            dig(report, "nlu", "clinc150", "false_accept_pct"),
        ),
    ]
    return rows


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

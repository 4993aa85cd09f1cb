"""``python -m benchmarks``: speed, scale and memory of the real processes.

Starts a fake Telegram Bot API server in this process and ``python -m bot run``
(which starts Rasa and the action server) against it, measures, stops them all,
then writes ``data/bench-report.json`` and prints the figures beside their targets.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import shutil
import signal
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import httpx

from benchmarks import (
    environment,
    growth,
    history,
    load,
    nlu_eval,
    procs,
    rasa_connector,
    report,
    sending,
    startup,
    store_bench,
)
from benchmarks.fake import TimedFake
from benchmarks.stats import even_arrivals, poisson_arrivals, summarize
from bot.config import PROJECT_ROOT
from bot.launcher import MODEL_DIR

REPORT = PROJECT_ROOT / "data" / "bench-report.json"
BUDGET_S = 14 * 60  # `make bench` must end within 15 minutes
TRAINING_S = 360  # kept free for training, with the 10,000 check-ins sent meanwhile
HARD_LIMIT_S = 15 * 60  # training is stopped rather than run past this
STARTUP_USER = 999_999
TELEGRAM_CEILING = 30.0  # messages a bot may send per second, in all


def phase(result: dict, name: str) -> None:
    """Announce a phase and note how loaded the machine was as it began."""
    print(f"{name} …", flush=True)
    result.setdefault("load_average_1min", {})[name] = environment.load_average()


def plan(quick: bool) -> dict:
    """Counts for a full run, or small ones for a quick trial."""
    if quick:
        return {
            "store_scale": 0.05,
            "journal_sizes": [100, 1_000],
            "people_sizes": [1_000, 3_000],
            "sends": 60,
            "latency_levels": {1: 1, 5: 1},
            "open_loop_rates": [5.0],
            "open_loop_seconds": 10.0,
            "connector_rounds": 1,
            "throughput_levels": [5],
            "throughput_seconds": 10.0,
        }
    return {
        "store_scale": 1.0,
        "journal_sizes": list(growth.JOURNAL_SIZES),
        "people_sizes": list(growth.PEOPLE_SIZES),
        "sends": 200,
        "latency_levels": {1: 4, 10: 2},
        "open_loop_rates": [5.0, 10.0],  # Poisson arrivals, turns/s
        "open_loop_seconds": 60.0,
        "connector_rounds": 3,
        "throughput_levels": [10],  # closed loop: where Rasa saturates
        "throughput_seconds": 30.0,
    }


def previous_training(path: Path, reason: str) -> dict:
    """The training time of the last report that measured one (training is skipped now)."""
    with contextlib.suppress(OSError, ValueError):
        old = json.loads(path.read_text())
        training = old.get("training") or {}
        if "seconds" in training:
            return {
                **training,
                "carried_over_from": training.get("carried_over_from") or old.get("generated_at"),
                "why": reason,
            }
    return {"skipped": f"{reason}, and no earlier report measured it"}


def log_counts(paths: list[Path]) -> dict[str, dict[str, int]]:
    """ERROR and WARNING lines per log file (the logs hold no user text)."""
    counts = {}
    for path in paths:
        text = path.read_text(errors="replace") if path.exists() else ""
        counts[path.name] = {
            level: sum(1 for line in text.splitlines() if f" {level} " in line)
            for level in ("ERROR", "WARNING")
        }
    return counts


async def health_check_cost(action_port: int, count: int = 50) -> dict:
    """The action server health check the front end makes before every message."""
    times = []
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{action_port}") as http:
        for _ in range(count):
            start = time.monotonic()
            (await http.get("/health")).raise_for_status()
            times.append(time.monotonic() - start)
    return {**summarize(times), "method": f"{count} sequential GET /health at idle"}


def by_role(snapshot: dict, key: str) -> dict[str, float]:
    totals = dict.fromkeys(procs.ROLES, 0.0)
    for process in snapshot["processes"]:
        totals[process["role"]] += process[key] or 0
    totals["total"] = sum(totals.values())
    return {role: round(value, 1) for role, value in totals.items()}


WHAT_OURS_ADDS = (
    "Rasa's connector needs a public HTTPS webhook, calls getMe on every update, splits "
    "replies at blank lines, and with the action server down answers anyway, losing what "
    "the actions would have saved; ours long-polls (no public URL), screens for crisis "
    "language before any model, keeps each message in SQLite until it is answered exactly "
    "once (across restarts), keeps within Telegram's rate limits, and serves the journal "
    "commands, exports and check-ins"
)


async def one_at_a_time(telegram: load.ViaTelegram, ids: itertools.count, rounds: int, cpu) -> dict:
    """The script through fake Telegram and our front end, one person at a time."""
    before = cpu()
    [run], _ = await load.drive([telegram.turn], 1, ids, rounds=rounds)
    return {
        "latency": summarize(run.done),
        "cpu_ms_per_turn": load.cpu_per_turn(before, cpu(), len(run.done)),
        "timeouts": run.timeouts,
        "method": f"{rounds} rounds of the script, one person at a time, through the fake "
        "Bot API server (long polling) and the front end; timed until the turn's last "
        "sendMessage; CPU by role over those turns",
    }


async def open_loops(
    telegram: load.ViaTelegram,
    counts: dict,
    ids: itertools.count,
    expected: list[int],
    cpu,
) -> dict:
    """Poisson arrivals at each rate, then evenly spaced turns at Telegram's ceiling."""
    seconds = counts["open_loop_seconds"]
    per_turn = sum(expected) / len(expected)
    ceiling_rate = round(TELEGRAM_CEILING / per_turn, 1)
    runs = {}
    for rate in counts["open_loop_rates"]:
        arrivals = poisson_arrivals(rate, seconds, seed=int(rate))
        runs[f"poisson_{rate:g}"] = await load.open_loop(telegram, arrivals, ids, cpu=cpu)
    runs["ceiling"] = await load.open_loop(
        telegram, even_arrivals(ceiling_rate, seconds), ids, cpu=cpu
    )
    return {
        "runs": runs,
        "script_messages_per_turn": round(per_turn, 2),
        "ceiling_turns_per_s": ceiling_rate,
        "method": f"open loop through fake Telegram and the front end: each arrival pushes "
        "the next scripted message of a person whose last turn was answered (else of a new "
        "person), never waiting for replies; latency until the turn's last sendMessage. "
        f"Poisson arrivals at each rate for {seconds:g} s (seeded); then arrivals evenly "
        f"spaced at {TELEGRAM_CEILING:g} / (messages per turn of the script) turns/s for "
        f"{seconds:g} s, Telegram's ceiling for one bot. lost/extra_replies = replies "
        "missing or duplicated per chat once the server went quiet; sent messages/s = "
        "sendMessage calls over the time from the first arrival to the last reply; "
        "timeouts = turns unanswered after 60 s (their replies still count when they come)",
    }


async def run_stack(result: dict, counts: dict, work: Path, launchers: list, stop_at: float):
    """Fake Telegram and the real bot around the measurements that need them."""
    async with TimedFake() as fake:
        result["rate_limit"] = await sending.rate_limited_sends(fake, counts["sends"])
        data_dir = work / "data"
        env = startup.bot_env(fake.port, fake.token, data_dir, LOG_LEVEL="INFO")
        ports = int(env["RASA_PORT"]), int(env["ACTION_PORT"])
        launcher = procs.Launcher(
            [sys.executable, "-m", "bot", "run"], env, work / "bot.log", PROJECT_ROOT
        )
        launchers.append(launcher)
        try:
            await measure(result, counts, fake, launcher, data_dir, ports, stop_at, launchers)
            phase(result, "stopping")
            start = time.monotonic()
            code = await asyncio.to_thread(launcher.stop)
            result["shutdown"] = {
                "exit_code": code,
                "seconds": round(time.monotonic() - start, 1),
            }
        finally:
            await asyncio.to_thread(launcher.stop)  # a no-op after a clean stop
        if "history" in result:
            phase(result, "tracker store reads")
            result["history"]["store_reads"] = history.store_reads(
                data_dir / "rasa-tracker.db", result["history"].pop("senders")
            )
        result["logs"] = log_counts([launcher.log_path, *sorted((data_dir / "logs").glob("*.log"))])


async def measure(
    result: dict,
    counts: dict,
    fake: TimedFake,
    launcher: procs.Launcher,
    data_dir: Path,
    ports: tuple[int, int],
    stop_at: float,
    launchers: list,
) -> None:
    """Start-up, then latency and throughput with memory sampled throughout."""
    rasa_port, action_port = ports
    ids = itertools.count(1_000_001)
    phase(result, "start-up")
    token, result["startup"] = await startup.start_bot(
        fake, launcher, data_dir, rasa_port, action_port, STARTUP_USER
    )
    print(f"  first reply after {result['startup']['seconds_to_first_reply']} s", flush=True)
    pid = launcher.process.pid

    direct = load.Direct(f"http://127.0.0.1:{rasa_port}", token)
    calibration_user = next(ids)
    expected = await direct.calibrate(calibration_user)
    telegram = load.ViaTelegram(fake, expected)
    [warm], _ = await load.drive([telegram.turn], 1, ids, rounds=1)
    if warm.timeouts:
        raise RuntimeError(f"warm-up through Telegram timed out; see {launcher.log_path}")
    await asyncio.sleep(3)
    idle = procs.snapshot(pid)
    health = await health_check_cost(action_port)

    sampler = procs.MemorySampler(pid)
    sampling = asyncio.create_task(sampler.run())
    try:
        phase(result, "latency")
        levels = await load.latency(
            direct, telegram, counts["latency_levels"], ids, stop_at=stop_at - 120
        )
        phase(result, "open loop")
        result["open_loop"] = await open_loops(
            telegram, counts, ids, expected, cpu=lambda: procs.cpu_by_role(pid)
        )
        phase(result, "throughput")
        steps = await load.throughput(
            telegram,
            counts["throughput_levels"],
            ids,
            duration=counts["throughput_seconds"],
            stop_at=stop_at,
            cpu=lambda: procs.cpu_by_role(pid),
        )
        phase(result, "history")
        result["history"] = await history.per_size(
            direct,
            data_dir / "rasa-tracker.db",
            str(calibration_user),
            first_id=2_000_001,
            rasa_cpu=lambda: procs.cpu_by_role(pid)["Rasa server"],
        )
        phase(result, "Rasa's Telegram connector")
        rounds = counts["connector_rounds"]
        result["telegram_paths"] = {
            "ours": await one_at_a_time(telegram, ids, rounds, lambda: procs.cpu_by_role(pid)),
            "rasa_connector": await rasa_connector.measure(
                data_dir.parent,
                token,
                action_port,
                ids,
                rounds,
                launchers,
                actions_cpu=lambda: procs.cpu_by_role(pid)["action server"],
            ),
            "what_ours_adds": WHAT_OURS_ADDS,
        }
    finally:
        sampling.cancel()
        await direct.close()
    peak = procs.snapshot(pid)
    result["latency"] = {
        "script": load.SCRIPT,
        "replies_per_step": expected,
        "levels": levels,
        "action_health_check": health,
        "method": "each simulated user runs the script with a fresh user id per round; "
        "(a) direct: POST /webhooks/token_rest/webhook with the Bearer secret over a "
        "pooled httpx client, timed to the full response; (b) telegram: push_text at the "
        "fake Bot API server, timed until the last sendMessage of that turn (count known "
        "from (a)) arrived there; each simulated user alternates the paths turn by turn "
        "(as two users), so both are timed side by side under the same load and the level "
        "counts turns in flight, not paths",
    }
    result["throughput"] = {
        "steps": steps,
        "sustained": load.sustained(steps),
        "method": "closed loop: N users each send the next scripted message as soon as the "
        "previous turn's replies all arrived, for the stated seconds; msg/s = turns fully "
        "answered / seconds; lost/extra = replies missing or beyond the expected count per "
        "chat after the server went quiet; steps rise until p95 > 1 s; cpu_ms_per_turn = "
        "utime+stime (/proc/<pid>/stat) used by each role during the step over turns "
        "answered (harness = this process: fake Bot API server and simulated users)",
    }
    result["memory"] = {
        "idle": {
            "rss_mib": by_role(idle, "rss_mib"),
            "pss_total_mib": idle["total"]["pss_mib"],
        },
        "under_load": sampler.report(),
        "hwm_mib": by_role(peak, "hwm_mib"),
        "processes": peak["processes"],
        "method": "/proc/<pid>/status of the launcher (front end) and each process below "
        "it: idle = VmRSS 3 s after warm-up; under load = VmRSS sampled every 1 s during "
        "the latency and throughput phases (total = sum at one sample); VmHWM = the "
        "kernel's lifetime peak per process (includes model loading); RSS sums count "
        "shared pages twice, PSS does not",
    }
    result["fake_telegram"] = {
        "calls": len(fake.calls),
        "spec_violations": len(fake.spec_violations),
    }


async def run_all(args: argparse.Namespace, work: Path, launchers: list) -> dict:
    began = time.monotonic()
    counts = plan(args.quick)
    result: dict = {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "options": {
            "quick": args.quick,
            "skip_training": args.skip_training,
            "skip_setup": args.skip_setup,
            **counts,
        },
        "machine": environment.machine(),
        "versions": environment.versions(),
    }
    phase(result, "store")
    result["store"] = store_bench.run(work, scale=counts["store_scale"])
    phase(result, "journal size")
    result["journal_growth"] = await growth.journal(tuple(counts["journal_sizes"]))
    phase(result, "people")
    result["people"] = {"selection": growth.checkin_selection(work, tuple(counts["people_sizes"]))}
    if args.skip_setup:
        result["setup"] = {"skipped": "--skip-setup"}
    else:
        phase(result, "set-up")
        result["setup"] = startup.setup(work)
    train = not (args.skip_training or args.quick)
    stop_at = began + BUDGET_S - (TRAINING_S if train else 0)
    await run_stack(result, counts, work, launchers, stop_at=stop_at)
    left = began + HARD_LIMIT_S - time.monotonic()
    send_all = growth.send_due(max(counts["people_sizes"]), work)
    if train and left > 60:
        phase(result, "training, and the check-ins due in one minute sent meanwhile")
        result["training"], result["people"]["send"] = await asyncio.gather(
            asyncio.to_thread(startup.training, work, timeout=left - 20), send_all
        )
        result["people"]["send"]["note"] = "sent while the training ran"
    else:
        phase(result, "check-ins due in one minute")
        result["people"]["send"] = await send_all
        reason = "no time left in the budget" if train else "--skip-training or --quick"
        result["training"] = previous_training(args.out, reason)
    result["nlu"] = nlu_eval.summary()
    result["targets"] = report.targets(result)
    result["duration_s"] = round(time.monotonic() - began, 1)
    return result


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small counts, no training")
    parser.add_argument("--skip-training", action="store_true", help="do not time rasa train")
    parser.add_argument(
        "--skip-setup",
        action="store_true",
        help="do not time `make train` (it retrains if the training data changed)",
    )
    parser.add_argument("--out", type=Path, default=REPORT, help="where to write the JSON")
    args = parser.parse_args(argv)
    if not any(MODEL_DIR.glob("*.tar.gz")):
        print("error: no trained model in rasa_project/models; run `make train`", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _interrupt)
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    launchers: list[procs.Launcher] = []
    ok = False
    try:
        result = asyncio.run(run_all(args, work, launchers))
        ok = True
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        for launcher in launchers:
            launcher.stop()
        if ok:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"logs kept in {work}", file=sys.stderr)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print()
    print(report.render(result))
    print(f"\nwritten to {args.out} in {result['duration_s']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

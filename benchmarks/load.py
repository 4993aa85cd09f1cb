"""Scripted conversations driven straight at Rasa or through fake Telegram and the front end."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field

import httpx

from benchmarks.fake import TimedFake
from benchmarks.stats import ratios, summarize
from bot.conversation import UNAVAILABLE
from bot.rasa_client import WEBHOOK, parse_replies

# One conversation a person could have the evening of a rejection; every run of it
# uses a fresh user id, so each is a new conversation with the same turns.
SCRIPT = (
    "hello",
    "i got rejected from acme",
    "data analyst",
    "after the final interview",
    "i feel sad",
    "6",
    "i will never get a job",
)
TURN_TIMEOUT = 60.0


@dataclass
class Turn:
    step: int
    seconds: float | None  # until the turn's last reply; None when it never came
    first_seconds: float | None = None  # until its first reply (Telegram path)


@dataclass
class Run:
    """Turns of one phase, plus what each chat should have received."""

    turns: list[Turn] = field(default_factory=list)
    expected: Counter = field(default_factory=Counter)  # chat id -> replies expected
    mismatches: int = 0  # direct turns whose reply count differed from the calibration

    @property
    def done(self) -> list[float]:
        return [turn.seconds for turn in self.turns if turn.seconds is not None]

    @property
    def timeouts(self) -> int:
        return sum(1 for turn in self.turns if turn.seconds is None)


TurnFn = Callable[[int, int, Run], Awaitable[None]]


class Direct:
    """POSTs to Rasa's token_rest webhook, as the front end does, over one pooled client."""

    def __init__(self, rasa_url: str, token: str, expected: list[int] | None = None) -> None:
        self.http = httpx.AsyncClient(
            base_url=rasa_url,
            timeout=httpx.Timeout(TURN_TIMEOUT, connect=3.0),
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
            headers={"Authorization": f"Bearer {token}"},
        )
        self.expected = expected

    async def send(self, user_id: int, text: str) -> int:
        """One message; the number of Telegram messages its replies would become."""
        response = await self.http.post(WEBHOOK, json={"sender": str(user_id), "message": text})
        response.raise_for_status()
        return sum(1 for reply in parse_replies(response.json()) if reply.text or reply.buttons)

    async def calibrate(self, user_id: int) -> list[int]:
        """Reply counts per scripted step (the model is deterministic)."""
        self.expected = [await self.send(user_id, text) for text in SCRIPT]
        return self.expected

    async def turn(self, user_id: int, step: int, run: Run) -> None:
        start = time.monotonic()
        try:
            count = await self.send(user_id, SCRIPT[step])
        except httpx.HTTPError:
            run.turns.append(Turn(step, None))
            return
        run.turns.append(Turn(step, time.monotonic() - start))
        if self.expected and count != self.expected[step]:
            run.mismatches += 1

    async def close(self) -> None:
        await self.http.aclose()


class ViaTelegram:
    """Pushes the same text as a Telegram update and times the front end's replies."""

    def __init__(self, fake: TimedFake, expected: list[int]) -> None:
        self.fake, self.expected = fake, expected

    async def turn(self, user_id: int, step: int, run: Run) -> None:
        before = len(self.fake.reply_times[user_id])
        want = self.expected[step]
        run.expected[user_id] += want
        start = time.monotonic()
        self.fake.push_text(user_id, SCRIPT[step])
        try:
            times = await self.fake.wait_replies(user_id, before + want, TURN_TIMEOUT)
        except TimeoutError:
            run.turns.append(Turn(step, None))
            return
        run.turns.append(Turn(step, times[-1] - start, times[before] - start if want else None))

    def audit(self, run: Run) -> dict[str, int]:
        """Replies missing or beyond what each chat should have had."""
        lost = extra = 0
        for chat_id, want in run.expected.items():
            got = len(self.fake.reply_times[chat_id])
            lost += max(0, want - got)
            extra += max(0, got - want)
        return {"lost_replies": lost, "extra_replies": extra}


async def drive(
    paths: Sequence[TurnFn],
    users: int,
    ids: Iterator[int],
    *,
    rounds: int | None = None,
    duration: float | None = None,
) -> tuple[list[Run], float]:
    """``users`` simulated people, each running the script with a fresh id per round,
    for ``rounds`` rounds or until ``duration`` seconds passed (turns in flight finish).

    With several paths, a person takes each step on every path in turn (as a different
    user on each), so the paths are timed side by side under the same load; each person
    has one turn in flight at a time. Returns a run per path and the seconds it took."""
    runs = [Run() for _ in paths]
    start = time.monotonic()
    deadline = start + duration if duration else None

    async def person() -> None:
        for round_ in itertools.count():
            if rounds is not None and round_ >= rounds:
                return
            user_ids = [next(ids) for _ in paths]
            for step in range(len(SCRIPT)):
                for turn, user_id, run in zip(paths, user_ids, runs, strict=True):
                    if deadline and time.monotonic() >= deadline:
                        return
                    await turn(user_id, step, run)

    await asyncio.gather(*(person() for _ in range(users)))
    return runs, time.monotonic() - start


async def latency(
    direct: Direct,
    telegram: ViaTelegram,
    levels: dict[int, int],
    ids: Iterator[int],
    *,
    stop_at: float | None = None,
) -> dict:
    """For each concurrency level (users -> rounds): both paths, interleaved turn by turn
    (a level is skipped once the monotonic time ``stop_at`` has passed)."""
    results: dict[str, dict] = {}
    for users, rounds in levels.items():
        if stop_at and time.monotonic() > stop_at:
            results[str(users)] = {"users": users, "skipped": "time budget"}
            continue
        mark = telegram.fake.mark()
        (straight, via), _ = await drive([direct.turn, telegram.turn], users, ids, rounds=rounds)
        quiet = await settled(telegram.fake)
        a, b = summarize(straight.done), summarize(via.done)
        results[str(users)] = {
            "users": users,
            "rounds_per_user": rounds,
            "direct": a,
            "telegram": b,
            "telegram_first_reply": summarize(
                [t.first_seconds for t in via.turns if t.first_seconds]
            ),
            "ratio_telegram_over_direct": ratios(b, a),
            "direct_timeouts": straight.timeouts,
            "direct_reply_count_mismatches": straight.mismatches,
            "telegram_timeouts": via.timeouts,
            "typing_actions": telegram.fake.count("sendChatAction", since=mark),
            "quiet_after": quiet,
            **telegram.audit(via),
        }
    return results


async def throughput(
    telegram: ViaTelegram,
    levels: list[int],
    ids: Iterator[int],
    *,
    duration: float,
    p95_limit_ms: float = 1000.0,
    stop_at: float | None = None,
    cpu: Callable[[], dict[str, float]] | None = None,
) -> list[dict]:
    """Closed-loop load at rising concurrency until p95 exceeds ``p95_limit_ms``
    (or the monotonic time ``stop_at`` leaves no room for another step).

    ``cpu`` returns CPU seconds used so far per process role; each step then says
    how much CPU one answered turn cost in each."""
    steps = []
    for users in levels:
        if stop_at and time.monotonic() + duration + 30 > stop_at:
            steps.append({"users": users, "skipped": "time budget"})
            break
        mark = telegram.fake.mark()
        cpu_before = cpu() if cpu else {}
        [run], elapsed = await drive([telegram.turn], users, ids, duration=duration)
        quiet = await settled(telegram.fake)
        summary = summarize(run.done)
        cost = cpu_per_turn(cpu_before, cpu() if cpu else {}, len(run.done))
        steps.append(
            {
                "users": users,
                "seconds": round(elapsed, 1),
                "turns_answered": len(run.done),
                "messages_per_s": round(len(run.done) / elapsed, 2),
                "latency": summary,
                "first_reply": summarize([t.first_seconds for t in run.turns if t.first_seconds]),
                "timeouts": run.timeouts,
                "typing_actions": telegram.fake.count("sendChatAction", since=mark),
                "replies_sent": telegram.fake.count("sendMessage", since=mark),
                "quiet_after": quiet,
                **({"cpu_ms_per_turn": cost} if cost else {}),
                **telegram.audit(run),
            }
        )
        if (summary["p95_ms"] or 0) > p95_limit_ms:
            break
    return steps


async def settled(fake: TimedFake, timeout: float = 30.0) -> bool:
    """Whether the bot fell quiet (1 s without a call) within ``timeout`` s of a phase's
    end. An overloaded bot may still be replaying kept messages: then False, and its
    lost and extra reply counts are only as of that moment."""
    try:
        await fake.wait_idle(quiet=1.0, timeout=timeout)
    except TimeoutError:
        return False
    return True


def cpu_per_turn(before: dict[str, float], after: dict[str, float], turns: int) -> dict:
    """CPU milliseconds per answered turn for each role, and their sum."""
    if not turns or not before:
        return {}
    cost = {role: round(1000 * (after[role] - before[role]) / turns, 1) for role in before}
    cost["total"] = round(sum(cost.values()), 1)
    return cost


def sustained(steps: list[dict], p95_limit_ms: float = 1000.0) -> dict | None:
    """The fastest step with every update answered once and p95 within the limit."""
    good = [
        step
        for step in steps
        if "latency" in step
        and step["timeouts"] == step["lost_replies"] == step["extra_replies"] == 0
        and (step["latency"]["p95_ms"] or 0) <= p95_limit_ms
    ]
    return max(good, key=lambda step: step["messages_per_s"], default=None)


async def open_loop(
    telegram: ViaTelegram,
    arrivals: Sequence[float],
    ids: Iterator[int],
    *,
    cpu: Callable[[], dict[str, float]] | None = None,
) -> dict:
    """Turns started at the given offsets (s) whether or not earlier ones were answered.

    Each arrival is the next scripted step of a person whose previous turn has been
    answered, or the first step of a new person: arrivals never wait for replies, and
    no person has two turns in flight (Telegram users wait for an answer too). The
    send rate is over the time until the last reply, so an overloaded bot that
    answers late does not look faster than it was."""
    run = Run()
    idle: deque[tuple[int, int]] = deque()  # (user id, next step)
    in_flight: set[asyncio.Task] = set()
    lags: list[float] = []

    async def turn(user_id: int, step: int) -> None:
        await telegram.turn(user_id, step, run)
        if step + 1 < len(SCRIPT):
            idle.append((user_id, step + 1))

    mark = telegram.fake.mark()
    cpu_before = cpu() if cpu else {}
    start = time.monotonic()
    for offset in arrivals:
        delay = start + offset - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        lags.append(max(0.0, -delay))
        user_id, step = idle.popleft() if idle else (next(ids), 0)
        task = asyncio.create_task(turn(user_id, step))
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
    offered_s = time.monotonic() - start
    if in_flight:
        await asyncio.wait(set(in_flight))
    quiet = await settled(telegram.fake)
    replies = telegram.fake.count("sendMessage", since=mark)
    # Until the last reply of these turns: under overload replies go on after the arrivals.
    last = max((t for chat in run.expected for t in telegram.fake.reply_times[chat]), default=0.0)
    span = max(last - start, offered_s)
    away = sum(
        1
        for call in telegram.fake.sent("sendMessage", since=mark)
        if call.params.get("text") == UNAVAILABLE.text
    )
    cost = cpu_per_turn(cpu_before, cpu() if cpu else {}, len(run.done))
    return {
        "arrivals": len(arrivals),
        "offered_turns_per_s": round(len(arrivals) / offered_s, 2),
        "seconds": round(offered_s, 1),
        "turns_answered": len(run.done),
        "seconds_until_last_reply": round(span, 1),
        "replies_sent": replies,
        "sent_messages_per_s": round(replies / span, 2),
        "messages_per_turn": round(replies / len(arrivals), 2) if arrivals else None,
        "latency": summarize(run.done),
        "first_reply": summarize([t.first_seconds for t in run.turns if t.first_seconds]),
        "timeouts": run.timeouts,
        "coach_away_replies": away,
        "max_schedule_lag_ms": round(1000 * max(lags, default=0.0), 1),
        "quiet_after": quiet,
        **({"cpu_ms_per_turn": cost} if cost else {}),
        **telegram.audit(run),
    }

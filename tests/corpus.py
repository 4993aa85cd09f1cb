"""The conversation corpus (tests/conversations/*.yml): load it, run it, check it.

Each conversation is typed into the real terminal front end (``bot.console``),
as a person would, against one running Rasa server and action server; it is
then judged only on what was stored (the journal's SQLite rows, the Rasa
tracker's slots and intents) and on how many turns fell back, never on the
bot's wording.

``python -m tests.corpus --report data/conversation-report.json`` starts its
own stack in a temporary DATA_DIR, runs the whole corpus and writes the report.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any, NamedTuple, TextIO

import aiohttp
import jsonschema
import yaml

from bot import store
from bot.config import RASA_PROJECT, Settings, load_settings
from bot.console import Console
from bot.conversation import Coach
from bot.launcher import Stack, StackFailed
from bot.rasa_client import Button, RasaUnavailable
from tests.loopback import print_log_tails
from tests.non_answers import stored_non_answers

CORPUS_DIR = Path(__file__).resolve().parent / "conversations"
DOMAIN_DIR = RASA_PROJECT / "domain"
SPLITS = ("tune", "holdout")
PERSONAS = (
    "terse",
    "rambler",
    "email",
    "non-native",
    "sarcastic",
    "planner",
    "overwhelmed",
    "returning",
)
FIRST_USER_ID = 500_000  # far from the ids other tests use
CONCURRENCY = 3
# A message Rasa could not take (busy under load) waits and is replayed, as the
# bot's own periodic drain does: up to RASA_WAITS times, WAIT_SECONDS apart.
RASA_WAITS = 5
WAIT_SECONDS = 2.0
LOG_TAIL = 15  # lines of each child's log shown when the stack cannot start


@dataclass(frozen=True)
class Targets:
    """The corpus gate (issue 13): the one place these numbers live."""

    tune_pass_rate: float = 0.95
    holdout_pass_rate: float = 0.90
    max_fallback_rate: float = 0.03  # fallback turns / all user turns
    max_non_answers: int = 0


TARGETS = Targets()
# What `make test` holds the corpus to while the targets are not met: a ratchet,
# a few points under the last measured run (2026-12-03, session 9, with 45 more fresh
# tune conversations added: tune 199/220 = 90.5 %, holdout 40/64 = 62.5 %, fallback
# turns 0.5 %, 0 non-answers), so a model trained afresh in CI can differ slightly
# without failing. Raise it as the dialogue improves; never lower it. `make converse`
# reports against TARGETS.
FLOOR = Targets(tune_pass_rate=0.87, holdout_pass_rate=0.58)

# Rasa's replies that mean "I did not understand" (fallback turns).
FALLBACK_ACTIONS = {"action_default_fallback", "utter_ask_rephrase", "utter_default"}
# NLU below its confidence threshold (a fallback turn only if the bot then asked again).
FALLBACK_INTENT = "nlu_fallback"


# Loading


class CorpusError(ValueError):
    """A corpus file that does not follow the format."""


_MATCH: dict[str, Any] = {
    "anyOf": [
        {"type": ["string", "number", "boolean", "null"]},
        {"type": "array", "items": {"type": ["string", "number"]}, "minItems": 1},
        {
            "type": "object",
            "properties": {"contains": {"type": "string", "minLength": 1}},
            "required": ["contains"],
            "additionalProperties": False,
        },
    ]
}


def _row(*fields: str) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {name: _MATCH for name in fields},
        "additionalProperties": False,
    }


def _one_key(key: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {key: schema},
        "required": [key],
        "additionalProperties": False,
    }


_COUNT = {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": r"^\d+\+$"}]}
_TURN = {
    "anyOf": [
        {"type": "string", "pattern": r"\S"},
        _one_key("press", {"type": "string", "pattern": r"\S"}),
        _one_key("next_day", {"const": True}),
        _one_key("checkin", {"const": True}),
    ]
}
_ENTRY = _row("kind", "text", "emotion", "mood")
_ENTRY["properties"]["rejection"] = {"type": "integer", "minimum": 1}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "conversations": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"},
                    "split": {"enum": list(SPLITS)},
                    "persona": {"enum": list(PERSONAS)},
                    "note": {"type": "string"},
                    "turns": {"type": "array", "items": _TURN, "minItems": 1},
                    "expect": {
                        "type": "object",
                        "properties": {
                            "rejections": {
                                "type": "array",
                                "items": _row("company", "role", "stage", "contact_name"),
                            },
                            "applications": {
                                "type": "array",
                                "items": _row("company", "role", "status", "planned_for"),
                            },
                            "entry_counts": {
                                "type": "object",
                                "additionalProperties": _COUNT,
                            },
                            "entries": {"type": "array", "items": _ENTRY},
                            "user": _row("checkin_time", "timezone", "reported_active"),
                            "slots": {"type": "object", "additionalProperties": _MATCH},
                            "intents": {"type": "array", "items": {"type": "string"}},
                            "max_fallbacks": {"type": "integer", "minimum": 0},
                        },
                        "additionalProperties": False,
                    },
                },
                "required": ["id", "split", "persona", "turns"],
                "additionalProperties": False,
            },
        }
    },
    "required": ["conversations"],
    "additionalProperties": False,
}


@dataclass(frozen=True)
class Conversation:
    id: str
    split: str
    persona: str
    turns: list[str | dict[str, Any]]
    expect: dict[str, Any]
    note: str = ""
    source: str = ""


@dataclass(frozen=True)
class Domain:
    """What a conversation may name: the domain's slots, intents and forms."""

    slots: frozenset[str]
    intents: frozenset[str]
    forms: frozenset[str]


def load_domain(domain_dir: Path = DOMAIN_DIR) -> Domain:
    slots: set[str] = {"active_loop"}
    intents: set[str] = {FALLBACK_INTENT}
    forms: set[str] = set()
    for path in sorted(domain_dir.glob("*.yml")):
        part = yaml.safe_load(path.read_text()) or {}
        slots.update(part.get("slots") or {})
        forms.update(part.get("forms") or {})
        for intent in part.get("intents") or ():
            intents.update(intent if isinstance(intent, dict) else [intent])
    return Domain(frozenset(slots), frozenset(intents), frozenset(forms))


def _domain_errors(conversation: Conversation, domain: Domain) -> list[str]:
    expect = conversation.expect
    errors = [f"unknown slot {s!r}" for s in expect.get("slots", {}) if s not in domain.slots]
    errors += [
        f"unknown intent {i!r}" for i in expect.get("intents", []) if i not in domain.intents
    ]
    loop = expect.get("slots", {}).get("active_loop")
    if isinstance(loop, str) and loop != "*" and loop not in domain.forms:
        errors.append(f"active_loop {loop!r} is not a form")
    rows = len(expect.get("rejections", []))
    for matcher in expect.get("entries", []):
        if "rejections" in expect and matcher.get("rejection", 0) > rows:
            errors.append(f"entry matcher names rejection {matcher['rejection']} of {rows}")
    return errors


def load_corpus(paths: Iterable[Path], domain: Domain | None = None) -> list[Conversation]:
    """Read and validate corpus files; raise CorpusError naming the file and the problem."""
    domain = domain or load_domain()
    validator = jsonschema.Draft7Validator(SCHEMA)
    conversations: list[Conversation] = []
    seen: dict[str, str] = {}
    for path in paths:
        try:
            data = yaml.safe_load(Path(path).read_text())
        except yaml.YAMLError as error:
            raise CorpusError(f"{path}: not valid YAML: {error}") from error
        problems = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
        if problems:
            lines = [f"at {_where(data, p.absolute_path)}: {p.message}" for p in problems[:5]]
            raise CorpusError(f"{path}: " + "; ".join(lines))
        for item in data["conversations"]:
            conversation = Conversation(
                id=item["id"],
                split=item["split"],
                persona=item["persona"],
                turns=item["turns"],
                expect=item.get("expect") or {},
                note=item.get("note", ""),
                source=Path(path).name,
            )
            if conversation.id in seen:
                other = seen[conversation.id]
                raise CorpusError(f"{path}: id {conversation.id!r} is also in {other}")
            seen[conversation.id] = Path(path).name
            errors = _domain_errors(conversation, domain)
            if errors:
                raise CorpusError(f"{path}: {conversation.id}: " + "; ".join(errors))
            conversations.append(conversation)
    return conversations


def _where(data: Any, path: Iterable[Any]) -> str:
    """A readable location: conversations[3] (id) turns[2]."""
    parts, node = [], data
    for key in path:
        node = node[key]
        if isinstance(key, int):
            parts[-1] += f"[{key}]"
            if isinstance(node, dict) and "id" in node:
                parts[-1] += f" ({node['id']})"
        else:
            parts.append(str(key))
    return ".".join(parts) or "top level"


def corpus_files(directory: Path = CORPUS_DIR) -> list[Path]:
    return sorted(directory.glob("*.yml"))


# Matching


def matches(expected: Any, actual: Any) -> bool:
    """The corpus's value rules: trimmed case-insensitive strings, a list = any one of them,
    "*" = present, null = empty or absent, {contains: x}, numbers as numbers."""
    blank = actual is None or (isinstance(actual, str) and not actual.strip())
    if expected is None:
        return blank
    if expected == "*":
        return not blank
    if isinstance(expected, list):
        return any(matches(option, actual) for option in expected)
    if isinstance(expected, dict):
        return not blank and expected["contains"].strip().lower() in str(actual).lower()
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    if isinstance(expected, (int, float)):
        try:
            return not blank and float(actual) == float(expected)
        except (TypeError, ValueError):
            return False
    return not blank and str(actual).strip().lower() == str(expected).strip().lower()


@dataclass
class State:
    """What one person left behind: their rows and their Rasa tracker."""

    rejections: list[dict] = field(default_factory=list)
    applications: list[dict] = field(default_factory=list)
    entries: list[dict] = field(default_factory=list)
    user: dict | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    intents: list[str] = field(default_factory=list)
    user_turns: int = 0
    fallbacks: list[str] = field(default_factory=list)  # the messages that fell back
    low_confidence: list[str] = field(default_factory=list)
    pending: int = 0


ROW_FIELDS = {
    "rejections": ("company", "role", "stage", "contact_name"),
    "applications": ("company", "role", "status", "planned_for"),
}


def _row_failures(table: str, expected: list[dict], actual: list[dict]) -> list[str]:
    if len(expected) != len(actual):
        shown = [{name: row.get(name) for name in ROW_FIELDS[table]} for row in actual]
        return [f"{table}: expected {len(expected)} row(s), found {len(actual)}: {shown}"]
    failures = []
    for number, (want, row) in enumerate(zip(expected, actual, strict=True), 1):
        for name, value in want.items():
            found = row.get(name)
            if not matches(value, found):
                failures.append(f"{table}[{number}].{name}: expected {value!r}, found {found!r}")
    return failures


def _count_ok(expected: int | str, count: int) -> bool:
    if isinstance(expected, str):
        return count >= int(expected.rstrip("+"))
    return count == expected


def _entry_matches(matcher: dict, row: dict, rejections: list[dict]) -> bool:
    index = matcher.get("rejection")
    if index is not None and (
        index > len(rejections) or row.get("rejection_id") != rejections[index - 1]["id"]
    ):
        return False
    return all(matches(v, row.get(k)) for k, v in matcher.items() if k != "rejection")


def check(expect: dict[str, Any], state: State) -> list[str]:
    """Readable failures of one conversation's expectations against its stored state."""
    failures: list[str] = []
    for table in ("rejections", "applications"):
        if table in expect:
            failures += _row_failures(table, expect[table], getattr(state, table))
    for kind, expected in expect.get("entry_counts", {}).items():
        count = sum(1 for row in state.entries if row.get("kind") == kind)
        if not _count_ok(expected, count):
            failures.append(f"entries of kind {kind!r}: expected {expected}, found {count}")
    for matcher in expect.get("entries", []):
        if not any(_entry_matches(matcher, row, state.rejections) for row in state.entries):
            failures.append(f"no journal entry matches {matcher}")
    for name, value in expect.get("user", {}).items():
        actual = (state.user or {}).get(name)
        if not matches(value, actual):
            failures.append(f"user.{name}: expected {value!r}, found {actual!r}")
    for name, value in expect.get("slots", {}).items():
        if not matches(value, state.slots.get(name)):
            failures.append(f"slot {name}: expected {value!r}, found {state.slots.get(name)!r}")
    for intent in expect.get("intents", []):
        if intent not in state.intents:
            failures.append(f"intent {intent!r} never recognised (got {state.intents})")
    allowed = expect.get("max_fallbacks", 0)
    if len(state.fallbacks) > allowed:
        failures.append(
            f"{len(state.fallbacks)} fallback turn(s) {state.fallbacks}, at most {allowed} allowed"
        )
    if state.pending:
        failures.append(f"{state.pending} message(s) still waiting for Rasa")
    return failures


# The Rasa tracker


class Reading(NamedTuple):
    slots: dict[str, Any]  # with active_loop: the open form's name or None
    intents: list[str]  # of the person's messages
    user_turns: int  # how many messages the person sent
    fallbacks: list[str]  # the texts the bot answered with "could you rephrase"
    low_confidence: list[str]  # the texts NLU put below its threshold


def read_tracker(tracker: dict[str, Any]) -> Reading:
    slots = dict(tracker.get("slots") or {})
    slots["active_loop"] = (tracker.get("active_loop") or {}).get("name")
    intents: list[str] = []
    texts: list[str] = []
    low_confidence: list[str] = []
    fell_back: list[bool] = []
    persons_turn = False  # whether the actions that follow answer the person
    for event in tracker.get("events") or ():
        if event.get("event") == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name") or ""
            # The runner's own turns (a new session, the nightly check-in) are not the person's.
            persons_turn = not (
                intent == "session_start" or (event.get("metadata") or {}).get("is_external")
            )
            if not persons_turn:
                continue
            intents.append(intent)
            texts.append(event.get("text") or "")
            if intent == FALLBACK_INTENT:
                low_confidence.append(texts[-1])
            # A low-confidence message that a form took as its answer was understood;
            # a fallback turn is one the bot answered with "I didn't get that".
            fell_back.append(False)
        elif persons_turn and event.get("event") == "action":
            fell_back[-1] = fell_back[-1] or event.get("name") in FALLBACK_ACTIONS
    fallbacks = [text for text, fell in zip(texts, fell_back, strict=True) if fell]
    return Reading(slots, intents, len(texts), fallbacks, low_confidence)


async def fetch_tracker(
    http: aiohttp.ClientSession, settings: Settings, user_id: int
) -> dict[str, Any]:
    async with http.get(
        f"{settings.rasa_base_url}/conversations/{user_id}/tracker",
        params={"token": settings.rasa_token, "include_events": "ALL"},
    ) as response:
        response.raise_for_status()
        return await response.json()


async def read_state(
    coach: Coach,
    http: aiohttp.ClientSession,
    settings: Settings,
    user_id: int,
    *,
    before_erasure: Reading | None = None,
) -> State:
    """What was stored; what was understood comes from the tracker, or, when the person
    erased their data (and Rasa's copy of the conversation with it), from the reading
    taken just before."""
    db = coach.db
    final = read_tracker(await fetch_tracker(http, settings, user_id))
    reading = final
    if before_erasure and before_erasure.user_turns > final.user_turns:
        reading = before_erasure._replace(slots=final.slots)
    return State(
        rejections=list(store.iter_user_rows(db, "rejections", user_id, order_by="id")),
        applications=list(store.iter_user_rows(db, "applications", user_id, order_by="id")),
        entries=list(store.iter_user_rows(db, "entries", user_id, order_by="id")),
        user=store.get_user(db, user_id),
        slots=reading.slots,
        intents=reading.intents,
        user_turns=reading.user_turns,
        fallbacks=reading.fallbacks,
        low_confidence=reading.low_confidence,
        pending=len(store.pending_messages(db, user_id)),
    )


# Running


@dataclass
class Result:
    id: str
    split: str
    persona: str
    note: str
    failures: list[str]
    non_answers: list[str]
    user_turns: int
    fallbacks: list[str]
    low_confidence: list[str]
    rasa_waits: int  # retries while Rasa was too busy to answer (load, not the bot's wording)
    seconds: float
    transcript: str

    @property
    def passed(self) -> bool:
        return not self.failures


def find_button(buttons: Sequence[Button], title: str) -> Button | None:
    """The button titled ``title`` (case-insensitive), else the first it is a prefix of."""
    wanted = title.strip().lower()
    exact = [b for b in buttons if b.title.strip().lower() == wanted]
    prefixed = [b for b in buttons if b.title.strip().lower().startswith(wanted)]
    return (exact or prefixed or [None])[0]


class TurnFailed(Exception):
    """A step of the script that could not be played."""


async def _until_answered(coach: Coach, console: Console) -> int:
    """Replay what Rasa could not take yet, as the bot's periodic drain does; the waits."""
    waits = 0
    while store.pending_messages(coach.db, console.user_id):
        if waits == RASA_WAITS:
            raise TurnFailed(f"Rasa did not answer after {waits} tries")
        waits += 1
        await asyncio.sleep(WAIT_SECONDS)
        await coach.drain_user(console.user_id, console.deliver)
    return waits


async def _retrying(call: Callable[[], Awaitable[object]], out: TextIO) -> int:
    """A turn the bot starts, tried again while Rasa is busy; the waits."""
    for waits in range(RASA_WAITS + 1):
        try:
            await call()
            return waits
        except RasaUnavailable as error:
            if waits == RASA_WAITS:
                raise TurnFailed(f"Rasa unavailable ({error})") from error
            out.write("(Rasa unavailable; trying again)\n")
            await asyncio.sleep(WAIT_SECONDS)
    raise AssertionError("unreachable")


async def _play(coach: Coach, console: Console, turn: str | dict[str, Any]) -> int:
    """One step of the script; returns how often it waited for a busy Rasa."""
    uid, out = console.user_id, console.out
    if isinstance(turn, str):
        out.write(f"you> {turn}\n")
        await console.say(turn)
        return await _until_answered(coach, console)
    if "press" in turn:
        out.write(f"you> [press {turn['press']}]\n")
        button = find_button(console.buttons, turn["press"])
        if button is None:
            raise TurnFailed(
                f"no button {turn['press']!r} among {[b.title for b in console.buttons]}"
            )
        console.buttons = []
        await coach.press(uid, button.payload, console.deliver)
        return await _until_answered(coach, console)
    console.buttons = []
    if "next_day" in turn:
        out.write("--- the next day (new Rasa session) ---\n")
        return await _retrying(lambda: coach.rasa.send(uid, "/session_start"), out)
    out.write("--- the nightly check-in ---\n")
    return await _retrying(lambda: coach.trigger(uid, "EXTERNAL_checkin", console.deliver), out)


async def run_conversation(
    coach: Coach,
    http: aiohttp.ClientSession,
    settings: Settings,
    conversation: Conversation,
    user_id: int,
) -> Result:
    started = time.monotonic()
    transcript = StringIO()
    console = Console(coach, user_id, out=transcript)
    failures: list[str] = []
    waits = 0
    reading: Reading | None = None
    for number, turn in enumerate(conversation.turns, 1):
        try:
            waits += await _play(coach, console, turn)
        except TurnFailed as error:
            failures.append(f"turn {number}: {error}; the rest was not played")
            break
        if number == len(conversation.turns) - 1:  # in case the last turn erases it all
            reading = read_tracker(await fetch_tracker(http, settings, user_id))
    state = await read_state(coach, http, settings, user_id, before_erasure=reading)
    failures += check(conversation.expect, state)
    return Result(
        id=conversation.id,
        split=conversation.split,
        persona=conversation.persona,
        note=conversation.note,
        failures=failures,
        non_answers=stored_non_answers(
            state.rejections, state.applications, state.entries, state.user
        ),
        user_turns=state.user_turns,
        fallbacks=state.fallbacks,
        low_confidence=state.low_confidence,
        rasa_waits=waits,
        seconds=round(time.monotonic() - started, 2),
        transcript=transcript.getvalue(),
    )


async def run_corpus(
    coach: Coach,
    settings: Settings,
    conversations: Sequence[Conversation],
    *,
    first_user_id: int = FIRST_USER_ID,
    concurrency: int = CONCURRENCY,
) -> list[Result]:
    """Every conversation as its own user, ``concurrency`` at a time, each strictly in order."""
    gate = asyncio.Semaphore(concurrency)

    async def one(http: aiohttp.ClientSession, index: int, conversation: Conversation) -> Result:
        async with gate:
            return await run_conversation(
                coach, http, settings, conversation, first_user_id + index
            )

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
        return list(await asyncio.gather(*(one(http, i, c) for i, c in enumerate(conversations))))


# Reporting


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def summarise(results: Sequence[Result]) -> dict[str, Any]:
    passed = sum(r.passed for r in results)
    turns = sum(r.user_turns for r in results)
    fallbacks = sum(len(r.fallbacks) for r in results)
    return {
        "conversations": len(results),
        "passed": passed,
        "pass_rate": _rate(passed, len(results)),
        "user_turns": turns,
        "fallback_turns": fallbacks,
        "fallback_rate": _rate(fallbacks, turns),
        # below NLU's threshold, whether or not the bot then asked again
        "low_confidence_turns": sum(len(r.low_confidence) for r in results),
        "non_answers": sum(len(r.non_answers) for r in results),
        "rasa_waits": sum(r.rasa_waits for r in results),
    }


def report(results: Sequence[Result], seconds: float, files: Sequence[Path]) -> dict[str, Any]:
    splits = {name: summarise([r for r in results if r.split == name]) for name in SPLITS}
    overall = summarise(results)
    return {
        "files": [path.name for path in files],
        "duration_seconds": round(seconds, 1),
        "concurrency": CONCURRENCY,
        "targets": asdict(TARGETS),
        "met": {
            "tune_pass_rate": (splits["tune"]["pass_rate"] or 0) >= TARGETS.tune_pass_rate,
            "holdout_pass_rate": (splits["holdout"]["pass_rate"] or 0) >= TARGETS.holdout_pass_rate,
            "fallback_rate": overall["fallback_rate"] is not None
            and overall["fallback_rate"] <= TARGETS.max_fallback_rate,
            "non_answers": overall["non_answers"] <= TARGETS.max_non_answers,
        },
        "splits": splits,
        "overall": overall,
        "non_answers": [
            {"id": r.id, "split": r.split, "value": line} for r in results for line in r.non_answers
        ],
        "failing": [
            {
                "id": r.id,
                "split": r.split,
                "persona": r.persona,
                "note": r.note,
                "failures": r.failures,
                "fallbacks": r.fallbacks,
                "transcript": r.transcript,
            }
            for r in results
            if not r.passed
        ],
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def run_with_own_stack(files: Sequence[Path], data_dir: Path) -> dict[str, Any]:
    """Start Rasa and the action server in ``data_dir``, run the corpus, stop them."""
    from bot.__main__ import make_coach

    conversations = load_corpus(files)
    settings = load_settings(
        {
            "DATA_DIR": str(data_dir),
            "RASA_PORT": str(_free_port()),
            "ACTION_PORT": str(_free_port()),
        }
    )
    stack = Stack(settings)
    try:
        await stack.start()
        coach = make_coach(settings)
        try:
            started = time.monotonic()
            results = await run_corpus(coach, settings, conversations)
            return report(results, time.monotonic() - started, files)
        finally:
            await coach.rasa.close()
    finally:
        await stack.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.corpus", description=__doc__)
    parser.add_argument("--report", type=Path, default=Path("data/conversation-report.json"))
    parser.add_argument("files", nargs="*", type=Path, help="corpus files (default: all)")
    args = parser.parse_args(argv)
    files = args.files or corpus_files()
    if not files:
        print(f"no conversations in {CORPUS_DIR}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="converse-") as data_dir:
        try:
            result = asyncio.run(run_with_own_stack(files, Path(data_dir)))
        except StackFailed as error:  # its logs go with the temporary directory: show them
            print_log_tails(error, Path(data_dir), LOG_TAIL)
            return 1
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    for name in SPLITS:
        split = result["splits"][name]
        print(f"{name}: {split['passed']}/{split['conversations']} passed ({split['pass_rate']})")
    overall = result["overall"]
    print(
        f"fallback turns: {overall['fallback_turns']}/{overall['user_turns']} "
        f"({overall['fallback_rate']}); non-answers stored: {overall['non_answers']}; "
        f"{result['duration_seconds']} s; report in {args.report}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

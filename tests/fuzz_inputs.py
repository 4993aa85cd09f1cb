"""Seeded generators of awkward messages and sender ids for ``tests.fuzz``.

Each kind of input is one small function of a ``random.Random``; the same seed
gives the same inputs, so a failure can be replayed. Texts stay within what
Telegram delivers: at most 4096 UTF-16 code units and no lone surrogates.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass

MAX_UTF16 = 4096  # Telegram's longest text message, counted in UTF-16 code units

INTENTS = [
    "greet",
    "goodbye",
    "affirm",
    "deny",
    "thank",
    "help",
    "skip",
    "done",
    "inform",
    "correct",
    "crisis",
    "grounding",
    "report_rejection",
    "express_feeling",
    "self_blame",
    "start_journal",
    "plan_next",
    "add_application",
    "request_followup",
    "share_feedback",
    "set_checkin",
    "stop_checkin",
    "export_journal",
    "delete_data",
    "paste_rejection_email",
    "out_of_scope",
    "bot_challenge",
    "EXTERNAL_checkin",
    "nlu_fallback",
    "restart",
    "session_start",
    "back",
]
ENTITIES = ("company", "emotion", "number", "realistic", "role", "stage", "time", "when")
WORDS = [
    "rejected",
    "interview",
    "recruiter",
    "offer",
    "final",
    "round",
    "onsite",
    "screening",
    "Globex",
    "Initech",
    "Acme",
    "analyst",
    "engineer",
    "designer",
    "nurse",
    "teacher",
    "sad",
    "angry",
    "gutted",
    "fine",
    "okay",
    "tired",
    "hopeless",
    "tomorrow",
    "tonight",
    "Friday",
    "week",
    "month",
    "applications",
    "feedback",
    "why",
    "skills",
    "email",
    "hiring",
    "manager",
    "yes",
    "no",
    "maybe",
    "skip",
    "done",
    "stop",
    "help",
    "journal",
    "plan",
]
COACHING = (
    "hi",
    "I got rejected today",
    "I got a rejection from {company} for the {role} role",
    "they turned me down after the {stage} interview",
    "I feel {emotion}",
    "{n}",
    "about a {n} out of 10",
    "it's my fault, I'm not good enough",
    "maybe it was timing",
    "yes",
    "no",
    "skip",
    "done",
    "stop",
    "help",
    "I want to write in my journal",
    "let's plan my applications",
    "I applied to {company} as {role}",
    "draft a note asking for feedback",
    "check in with me at {hour}:{minute:02d}",
    "stop the check-ins",
    "actually it was {company}, not that one",
    "thanks",
    "bye",
)
EMOJI = (
    "😔",
    "😭",
    "💔",
    "🙂",
    "👍🏽",
    "👩‍👩‍👧",
    "🏳️‍🌈",
    "🇩🇪",
    "1️⃣",
    "🫠",
    "❤️",
    "🤷‍♀️",
)
CONTROL = [chr(c) for c in (*range(0, 32), 0x7F, *range(0x80, 0xA0))] + [
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202e",
    "\u2066",
    "\u2069",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u0301",
    "\ufffd",
]
SQL = (
    "'; DROP TABLE entries; --",
    "Robert'); DROP TABLE users;--",
    '" OR 1=1 --',
    "1; DELETE FROM pending WHERE 1=1",
    "' UNION SELECT text FROM entries --",
    "NEAR(rejected interview)",
    '"unterminated phrase',
    "text:secret",
    "*",
    "AND OR NOT",
    "^start",
    "a AND (b OR",
    "%_%",
    "\\' OR ''='",
    "PRAGMA writable_schema=1",
)
MARKUP = (
    "<b>bold",
    "</b></i>",
    '<a href="tg://user?id=1">x</a>',
    "&amp; &lt; &gt; &#0; &bogus;",
    "*bold* _italic_ `code` ~strike~ ||spoiler||",
    "```\ncode block",
    "[link](http://example.invalid)",
    "\\*escaped\\*",
    "<script>alert(1)</script>",
    "# heading\n- item\n> quote",
    "{{ template }} {% block %} ${var} %s %d {0}",
)
NUMBERS = (
    "0",
    "7",
    "10",
    "11",
    "-3",
    "007",
    "3.14159",
    "1e309",
    "NaN",
    "inf",
    "-0",
    "½",
    "٣",
    "१०",
    "1,000,000",
    "twenty one",
    "minus five",
    "10/10",
    "11 out of 10",
)
DATES = (
    "tomorrow at 25:99",
    "2024-02-30",
    "31/12/99",
    "half nine",
    "quarter to ten pm",
    "00:00",
    "24:00",
    "23:59:60",
    "yesterday",
    "next Friday",
    "in 3 weeks",
    "1970-01-01T00:00:00Z",
    "noon",
    "midnight",
    "9999-12-31",
    "the 31st of February",
    "8pm Europe/Berlin",
    "at -1 o'clock",
)
EMPTYISH = ("", " ", "\n", "\t \n", "\u200b", "\ufeff", ".", "…", "?", "ok", "-", "/")
COMMANDS = (
    "/start",
    "/help",
    "/journal",
    "/journal {text}",
    "/entries {number}",
    "/search {sql}",
    "/search {text}",
    "/plan",
    "/followup",
    "/checkin {date}",
    "/checkin off",
    "/timezone {text}",
    "/export {text}",
    "/stats",
    "/skip",
    "/frobnicate {text}",
    "/start@fake_test_bot",
)


def words(rng: random.Random, low: int = 1, high: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def random_char(rng: random.Random) -> str:
    """Any code point Telegram can carry: everything but surrogates."""
    block = rng.choice(
        (
            (0x20, 0x7E),
            (0xA0, 0x2FF),
            (0x400, 0x6FF),
            (0x900, 0xDFF),
            (0x3000, 0x9FFF),
            (0xE000, 0xFFFD),
            (0x10000, 0x10FFFF),
        )
    )
    return chr(rng.randint(*block))


def fit(text: str) -> str:
    """Cut ``text`` to Telegram's limit without splitting a surrogate pair."""
    return text.encode("utf-16-le")[: 2 * MAX_UTF16].decode("utf-16-le", errors="ignore")


def unicode_text(rng: random.Random) -> str:
    return "".join(random_char(rng) for _ in range(rng.randint(1, 200)))


def emoji_text(rng: random.Random) -> str:
    parts = [rng.choice(EMOJI) for _ in range(rng.randint(1, 20))]
    if rng.random() < 0.5:
        parts.insert(rng.randrange(len(parts) + 1), words(rng))
    return rng.choice(("", " ")).join(parts)


def control_text(rng: random.Random) -> str:
    parts = [rng.choice(CONTROL) for _ in range(rng.randint(1, 20))]
    for _ in range(rng.randint(0, 3)):
        parts.insert(rng.randrange(len(parts) + 1), words(rng, 1, 4))
    return "".join(parts)


def long_text(rng: random.Random) -> str:
    unit = rng.choice(
        (
            words(rng) + " ",
            words(rng) + "\n",
            "a",
            rng.choice(EMOJI),
            unicode_text(rng),
            "I got rejected and I feel awful. ",
        )
    )
    return fit(unit * (MAX_UTF16 // max(1, len(unit)) + 1))[: rng.randint(1000, MAX_UTF16)]


def odd_value(rng: random.Random) -> object:
    return rng.choice(
        (
            rng.randint(-(10**12), 10**12),
            10**30,
            -1,
            0.5,
            None,
            True,
            "",
            words(rng),
            rng.choice(DATES),
            [1, "two", None],
            {"nested": {"deeper": [words(rng)]}},
            "x" * rng.randint(100, 2000),
        )
    )


def payload_text(rng: random.Random) -> str:
    """Text shaped like Rasa's '/intent{"entity": value}' payload syntax."""
    intent = rng.choice((*INTENTS, "no_such_intent", "", "greet/inform", "ñandú"))
    entities = {rng.choice((*ENTITIES, "requested_slot", "__proto__")): odd_value(rng)}
    body = json.dumps(entities, ensure_ascii=rng.random() < 0.5)
    shape = rng.choice(
        (
            f"/{intent}{body}",
            f"/{intent}",
            f"/{intent}{body[:-1]}",  # unterminated JSON
            f"/{intent}{{not json}}",
            f"/{intent}[1,2,3]",
            f"//{intent}{body}",
            f" /{intent}{body}",
            f"/{intent}@{rng.choice(INTENTS)}{body}",
            f"{words(rng, 1, 3)} /{intent}{body}",
        )
    )
    return fit(shape)


def sql_text(rng: random.Random) -> str:
    return rng.choice((rng.choice(SQL), f"{words(rng, 1, 3)} {rng.choice(SQL)}"))


def markup_text(rng: random.Random) -> str:
    return rng.choice((rng.choice(MARKUP), f"{rng.choice(MARKUP)} {words(rng, 1, 5)}"))


def number_text(rng: random.Random) -> str:
    return rng.choice(
        (rng.choice(NUMBERS), str(rng.randint(-100, 100)), "9" * rng.randint(20, 400))
    )


def date_text(rng: random.Random) -> str:
    hour, minute = rng.randint(-5, 30), rng.randint(-5, 75)
    return rng.choice((rng.choice(DATES), f"{hour}:{minute:02d}", f"at {hour}.{minute} tonight"))


def emptyish_text(rng: random.Random) -> str:
    return rng.choice(EMPTYISH)


def coaching_text(rng: random.Random) -> str:
    """What people write on a rejection evening, so conversations reach the forms and
    actions, where the other kinds then land as answers."""
    return rng.choice(COACHING).format(
        company=rng.choice(("Globex", "Initech", "Acme", "Umbrella Corp", "ÄÖÜ GmbH")),
        role=rng.choice(("analyst", "engineer", "nurse", "data scientist")),
        stage=rng.choice(("screening", "first", "final", "onsite")),
        emotion=rng.choice(("sad", "angry", "gutted", "numb", "embarrassed")),
        n=rng.randint(0, 10),
        hour=rng.randint(0, 23),
        minute=rng.randint(0, 59),
    )


def command_text(rng: random.Random) -> str:
    return rng.choice(COMMANDS).format(
        text=words(rng, 1, 3),
        number=rng.choice(NUMBERS),
        sql=rng.choice(SQL),
        date=date_text(rng),
    )


KINDS: dict[str, Callable[[random.Random], str]] = {
    "unicode": unicode_text,
    "emoji": emoji_text,
    "control": control_text,
    "long": long_text,
    "payload": payload_text,
    "sql": sql_text,
    "markup": markup_text,
    "number": number_text,
    "date": date_text,
    "emptyish": emptyish_text,
    "coaching": coaching_text,
    "command": command_text,
}
WEIGHTS = {"coaching": 6, "long": 1}  # every other kind: 2


@dataclass(frozen=True)
class Sample:
    kind: str
    text: str


def sample(rng: random.Random) -> Sample:
    names = list(KINDS)
    kind = rng.choices(names, weights=[WEIGHTS.get(name, 2) for name in names])[0]
    return Sample(kind, KINDS[kind](rng))


def sender_ids(rng: random.Random, count: int, exclude: frozenset[int]) -> list[int]:
    """Ids people might have, including those other tests and tools use (the tests'
    10 001 upwards, the warm-up's 0, the terminal's 1, the benchmark's 999 999)."""
    known = [0, 1, 7, 42, 999_999, 2**31 - 1, 2**31, 2**53, 5_000_000_000]
    known += list(range(10_001, 10_001 + count // 4))
    ids = dict.fromkeys(i for i in known if i not in exclude)
    while len(ids) < count:
        candidate = rng.randint(2, 10**10)
        if candidate not in exclude:
            ids[candidate] = None
    return list(ids)[:count]


def conversations(
    seed: int,
    total: int,
    senders: int,
    exclude: frozenset[int],
    accept: Callable[[Sample], bool] = lambda sample: True,
) -> list[tuple[int, list[Sample]]]:
    """``total`` accepted samples spread over ``senders`` conversations of varying length."""
    rng = random.Random(seed)
    ids = sender_ids(rng, senders, exclude)
    turns: dict[int, list[Sample]] = {sender: [] for sender in ids}
    for index in range(total):
        sender = ids[index % len(ids)] if index < len(ids) else rng.choice(ids)
        while not accept(candidate := sample(rng)):
            pass
        turns[sender].append(candidate)
    return [(sender, samples) for sender, samples in turns.items() if samples]

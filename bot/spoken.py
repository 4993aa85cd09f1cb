"""What people mean by times, dates and counts typed in words.

Number words go through text2num and dates through dateparser; the few lines of
normalisation here are for what those libraries do not read (British clock
phrases, "tmrw", "this weekend", a bare "9" meaning nine in the evening).
Both libraries are loaded and their English data compiled once, at import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import dateparser
from dateparser.search import search_dates
from text_to_num import alpha2digit

LANGUAGES = ["en"]  # never guess a language: a short message looks like many
_TIME_SETTINGS = {"RETURN_AS_TIMEZONE_AWARE": False}
_TIME_PARSER = dateparser.DateDataParser(languages=LANGUAGES, settings=_TIME_SETTINGS)


def _digits(text: str) -> str:
    """Lowercase, with number words as digits ("nine-thirty" -> "9 30")."""
    lowered = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text.lower())
    return alpha2digit(lowered, "en", threshold=0)


def _first_integer(text: str, low: int, high: int) -> int | None:
    # Ordinals ("15th", "2nd") are not counts.
    match = re.search(r"(?<!\d)-?\d+(?!\d|st\b|nd\b|rd\b|th\b)", text)
    if not match:
        return None
    value = int(match.group())
    return value if low <= value <= high else None


# Vague quantities text2num leaves alone; the first match wins, so longer first.
_QUANTITIES = (
    (r"half a dozen", 6),
    (r"(a )?dozen", 12),
    (r"(a )?couple( of)?", 2),
    (r"(a )?few", 3),
    (r"(a )?handful( of)?", 5),
    (r"none|nothing|nada|zilch|nil|not any|not? (a )?(single )?1", 0),  # "one" is "1" by now
    (r"no(?= (applications?|apps?|jobs?|roles?|cvs?|ones?)\b)", 0),
)


# A total worked out aloud: "KPMG, a couple of smaller firms... so four? yeah, four".
_TOTAL = re.compile(r"\b(?:so|total(?:\s+of)?|altogether|in\s+all|that'?s|yeah|yep)\W+(\d+)\b")


def count(text: str, *, low: int = 0, high: int = 500) -> int | None:
    """How many, as said: "a couple" -> 2, "none yet" -> 0, "2 or 3" -> 2 (the first),
    "a couple... so four" -> 4 (a total worked out)."""
    digits = _digits(text)
    for pattern, value in _QUANTITIES:
        digits = re.sub(rf"\b(?:{pattern})\b", str(value), digits)
    totals = _TOTAL.findall(digits)
    return _first_integer(totals[-1] if totals else digits, low, high)


def scale(text: str) -> int | None:
    """A 0-10 rating: "a 6? maybe 7" -> 6, "7/10" -> 7; "pretty bad" is not a number."""
    return _first_integer(_digits(text), 0, 10)


@dataclass(frozen=True)
class ClockTime:
    hour: int
    minute: int
    approximate: bool  # "9ish", "around nine", "after dinner": the bot asks to confirm

    def hhmm(self) -> str:
        return f"{self.hour:02d}:{self.minute:02d}"


def _before(hour: int) -> int:
    return hour - 1 if hour > 1 else 12


# dateparser reads none of these ("half eight" is 8:30 in British English, "21h" it
# reads as 9 am); each becomes H:MM, which it does read.
_CLOCK_PHRASES = (
    (r"\bmidday\b", lambda m: "noon"),
    (r"\bhalf (?:past )?(\d{1,2})\b(?![:.]\d)", lambda m: f"{m[1]}:30"),
    (r"\b(?:a )?quarter (?:past|after) (\d{1,2})\b", lambda m: f"{m[1]}:15"),
    (
        r"\b(?:a )?quarter (?:to|till|til|before|of) (\d{1,2})\b",
        lambda m: f"{_before(int(m[1]))}:45",
    ),
    (r"\b([1-5]?\d) (?:minutes? )?(?:past|after) (\d{1,2})\b", lambda m: f"{m[2]}:{m[1]:0>2}"),
    (
        r"\b([1-5]?\d) (?:minutes? )?(?:to|till|til|before|of) (\d{1,2})\b",
        lambda m: f"{_before(int(m[2]))}:{60 - int(m[1]):02d}",
    ),
    (r"\b(\d{1,2})\s*h\s*([0-5]\d)?\b", lambda m: f"{m[1]}:{m[2] or '00'}"),
    (r"\b(\d{1,2})(?: |\.)([0-5]\d)(?!\d)", lambda m: f"{m[1]}:{m[2]}"),  # "9 30", "9.30"
    (r"\b(\d{1,2}) ?oclock\b", lambda m: m[1]),
    (r"\b([01]\d|2[0-3])([0-5]\d)\b", lambda m: f"{m[1]}:{m[2]}"),  # "2100"
)
# Before number words become digits: "eight o clock" (text2num reads the o as 0), "nineish".
_CLOCK_WORDS = (
    (r"\bo'? ?clock\b", "oclock"),
    (r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)-?ish\b", r"\1 ish"),
)
_CLOCK = re.compile(
    r"\b(?P<word>noon|midnight)\b"
    r"|(?<![\d:/])(?P<hour>\d{1,2})(?::(?P<minute>\d\d))?"
    r"(?:\s*(?P<ampm>[ap]\.?m\b\.?))?(?![\d:/])"
)
# A bare number is an hour when the rest is only filler, or next to one of these.
_FILLER = re.compile(
    r"\b(?:ish|ok|okay|sure|yes|yeah|yep|lol|then|pls|please|plz|thanks|ty|hmm|um|oh|so|"
    r"just|lets|let's|do|make it|i'?d say)\b|[^\w]"
)
_HOUR_CUE_BEFORE = re.compile(
    r"\b(?:at|around|about|by|say|maybe|like|after|before|from|for|prob|probably|between)\s*$"
)
_HOUR_CUE_AFTER = re.compile(r"^\s*(?:-?ish\b|tonight|in the|at night|or \d|and \d)")
_HEDGE = re.compile(
    r"\d\s*-?ish\b|\b(?:around|about|approx\w*|roughly|or so|maybe|probably|prob|"
    r"sometime|somewhere|give or take|between)\b|\blike\s+\d|\d or \d"
)
_MORNING = re.compile(r"\b(?:morning|mornings|breakfast)\b")
_EVENING = re.compile(r"\b(?:evening|evenings|night|tonight)\b")
_VAGUE_TIMES = (  # no clock time said, but one is meant; always confirmed
    (re.compile(r"\bafter (?:dinner|tea|supper)\b"), 20, 0),
    (re.compile(r"\b(?:before bed|bed ?time)\b"), 22, 0),
    (re.compile(r"\bafter work\b"), 18, 0),
)


def _is_time(text: str, match: re.Match[str]) -> bool:
    if match["word"] or match["minute"] or match["ampm"]:
        return True
    alone = not _FILLER.sub("", text[: match.start()] + text[match.end() :]).strip()
    return (
        alone
        or bool(_HOUR_CUE_BEFORE.search(text[: match.start()]))
        or bool(_HOUR_CUE_AFTER.match(text[match.end() :]))
    )


def clock_time(text: str, *, evening: bool = True) -> ClockTime | None:
    """The time of day in a message; None when there is none ("whenever", "bye").

    With ``evening`` (a check-in is an evening thing) a bare hour from 1 to 11 with no
    am/pm or morning is in the evening: "half eight" -> 20:30, "9" -> 21:00.
    """
    words = text.lower()
    for pattern, replace in _CLOCK_WORDS:
        words = re.sub(pattern, replace, words)
    words = _digits(words)
    for pattern, replace in _CLOCK_PHRASES:
        words = re.sub(pattern, replace, words)
    approximate = bool(_HEDGE.search(words))
    match = next((found for found in _CLOCK.finditer(words) if _is_time(words, found)), None)
    if match is None:
        for pattern, hour, minute in _VAGUE_TIMES:
            if pattern.search(words):
                return ClockTime(hour, minute, approximate=True)
        return None
    phrase = match[0] if match["word"] or match["minute"] or match["ampm"] else match[0] + ":00"
    parsed = _TIME_PARSER.get_date_data(phrase).date_obj
    if parsed is None:
        return None
    hour = parsed.hour
    if (
        not match["ampm"]
        and 1 <= hour <= 11
        and not _MORNING.search(words)
        and (evening or _EVENING.search(words))
    ):
        hour += 12
    return ClockTime(hour, parsed.minute, approximate)


@dataclass(frozen=True)
class ApplicationDate:
    status: str  # "applied" (in the past or now) or "planned" (in the future)
    day: date | None  # the calendar day, when one is said or implied
    said: str  # the words that gave it, for the reply ("on Friday", "next week")


APPLIED, PLANNED = "applied", "planned"

# Spellings dateparser does not know; each becomes the word it does.
_DATE_SPELLINGS = (
    (
        r"\b(?:tmrw?|tmw|tmrow|tomo|tomoz|2moro|2morrow|2mrw|tomorow|tom+or+ow|tomorrw)\b",
        "tomorrow",
    ),
    (r"\bthurs?\b", "thursday"),
    (r"\bweds\b", "wednesday"),
    (r"\b(?:the )?day after tomorrow\b", "in 2 days"),  # dateparser reads it as tomorrow
    (r"\b(?:the )?day before yesterday\b", "2 days ago"),
    (r"\ba couple(?: of)? (?=days?|weeks?)", "2 "),
    (r"\ba few (?=days?|weeks?)", "3 "),
)


def _next_month(day: date) -> date | None:
    following = _month_end(day) + timedelta(days=1)
    try:
        return following.replace(day=day.day)
    except ValueError:  # no 31st next month
        return None


def _saturday(today: date) -> date:
    return today if today.weekday() >= 5 else today + timedelta(days=5 - today.weekday())


def _month_end(today: date) -> date:
    following = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


# Days dateparser has no word for, with the status they say by themselves (None: by tense).
_OWN_DAYS = (
    (r"(?:last|past) weekend", APPLIED, lambda today: _saturday(today) - timedelta(days=7)),
    (r"last night", APPLIED, lambda today: today - timedelta(days=1)),
    (
        r"after the weekend",
        PLANNED,
        lambda today: today + timedelta(days=7 - today.weekday()),
    ),
    (r"(?:(?:on|at|over|by|this|for) )?(?:the )?weekend", PLANNED, _saturday),
    (r"(?:(?:by|at|before|until|till?) )?(?:the )?end of (?:the )?month|eom", PLANNED, _month_end),
    (
        r"(?:(?:by|at|before|until|till?) )?(?:the )?end of (?:the )?week|eow",
        PLANNED,
        lambda today: max(today, today + timedelta(days=4 - today.weekday())),
    ),
    (
        r"to ?night|this (?:evening|afternoon)|later (?:on )?today|later on|in a (?:bit|while)|"
        r"eod|straight away|right away|right after (?:this|that)|after (?:lunch|work|dinner|tea)",
        PLANNED,
        lambda today: today,
    ),
    (r"this morning|earlier today|earlier|just now", APPLIED, lambda today: today),
)
_ORDINAL_DAY = re.compile(r"(?:(?:on|by|before|the) )*\d{1,2}(?:st|nd|rd|th)", re.IGNORECASE)
_FARTHEST = timedelta(days=366)  # "12/20" read day-first is the year 2120: not a date here
_QUALIFIER = re.compile(r"\b(?:next|last|this|coming) $", re.IGNORECASE)  # dateparser drops them
_NOT_DATES = re.compile(
    r"may|march|march on|mar|sat on|second|sec|a sec|(?:right )?now"
    r"|(?:a |the )?(?:year|month|week|day)",  # alone: "new year" is not today
    re.IGNORECASE,
)
_NOT_DONE = re.compile(
    r"\bnot yet\b|\b(?:haven'?t|have not|hasn'?t|didn'?t|did not|yet to|not)"
    r" (?:sent|applied|done|submitted|send|apply|do|submit)(?: (?:it|them|mine))?(?: yet)?\b",
    re.IGNORECASE,
)
_DONE = re.compile(
    r"\b(?:(?:i'?ve|i have|just|already) )*(?:applied|sent|submitted|did it|finished|"
    r"(?<!i'm )(?<!im )(?<!i am )done|put (?:it|them) in)(?: (?:it|them|mine|off|already))*\b"
    r"|\balready\b",
    re.IGNORECASE,
)
_PAST = re.compile(r"\b(?:last|ago|yesterday)\b", re.IGNORECASE)
_SOON = re.compile(r"\b(?:soon|asap|later)\b", re.IGNORECASE)
_FUTURE = re.compile(
    r"\b(?:will|gonna|going to|plan\w*|want\w*|wanna|hope|hoping|should|need to|gotta|"
    r"soon|asap|later)\b|'ll\b",
    re.IGNORECASE,
)


def _dated(words: str, today: date, *, past: bool) -> tuple[date, str | None, str] | None:
    """The first day in ``words``: (day, the status it says by itself or None, its words)."""
    for pattern, status, day in _OWN_DAYS:
        found = re.search(rf"\b(?:{pattern})\b", words, re.IGNORECASE)
        if found:
            return day(today), status, found[0]
    settings = {
        "PREFER_DATES_FROM": "past" if past else "future",
        "RELATIVE_BASE": datetime.combine(today, time(12)),
        "RETURN_AS_TIMEZONE_AWARE": False,
        "DATE_ORDER": "DMY",  # else a lone "the 1st" is read as January
        "PREFER_DAY_OF_MONTH": "first",  # "in january": its start, not today's date in it
    }
    for said, when in search_dates(words, languages=LANGUAGES, settings=settings) or []:
        day = when.date()
        if not past and day < today and _ORDINAL_DAY.fullmatch(said):
            day = _next_month(day)  # dateparser keeps "the 1st" in this month, even if gone
        if day and abs(day - today) <= _FARTHEST and not _NOT_DATES.fullmatch(said):
            before = _QUALIFIER.search(words[: max(words.find(said), 0)])
            return day, None, (before[0] if before else "") + said
    return None


def application_date(text: str, *, today: date) -> ApplicationDate | None:
    """When an application went or will go out; None when the message says neither."""
    words = text
    for pattern, replacement in _DATE_SPELLINGS:
        words = re.sub(pattern, replacement, words, flags=re.IGNORECASE)
    not_done = _NOT_DONE.search(words)
    done = None if not_done else _DONE.search(words)
    future = _FUTURE.search(words)
    past = bool(done or _PAST.search(words)) and not future
    dated = _dated(words, today, past=past)
    if dated:
        day, status, said = dated
        if not_done:
            return ApplicationDate(PLANNED, day if day >= today else None, said)
        if status is None:
            applied = day < today or (day == today and done is not None)
            status = APPLIED if applied else PLANNED
        return ApplicationDate(status, day, said)
    if done:
        just = re.search(r"\bjust\b", done[0], re.IGNORECASE)
        return ApplicationDate(APPLIED, today if just else None, done[0])
    cue = not_done or _SOON.search(words)
    return ApplicationDate(PLANNED, None, cue[0]) if cue else None


# dateparser compiles its English patterns on first use (tens of milliseconds): pay
# that once at import, in the server's start-up, not in someone's first message.
_TIME_PARSER.get_date_data("9:30 pm")
search_dates("on friday", languages=LANGUAGES)

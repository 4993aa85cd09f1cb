"""Reading numbers, names and stages out of free text."""

from __future__ import annotations

import re

from bot.spoken import count

STAGE_PATTERNS = (  # checked in order; "no interview" must win over "interview"
    (
        "screening",
        r"(no|never|without an?|didn'?t (even )?get an?|not even an?|never (even )?got an?|"
        r"(didn'?t|did not|never) (even )?(have|get|got) (any|an?)) (interview|call)s?|"
        r"(didn'?t|did not|never|not) (even )?(invite|invited|call|called) me (to|for|in for) "
        r"(an? )?(interview|call)s?|(never|didn'?t|did not) (even )?(call|called|phoned|rang) "
        r"me(?! back)|"
        r"never (even )?heard|didn'?t (even )?hear|straight away|automatic",
    ),
    (
        "final",
        r"finals?|last (round|stage|day)|on-?site|on site|offer stage|final-round|"
        r"assessment (centre|center|day)|references?|reference checks?|partner interview",
    ),
    (
        "interview",
        r"interview(s|ed|ing)?|phone screen|call with|spoke with|speaking with|"
        r"met with|technical (round|test)|technicals?|take[- ]home|case study|panel|rounds?|"
        r"portfolio (review|presentation)|design (review|challenge|task)|pair(ing)? session|"
        r"(writing|written|coding|tech|skills?|online|aptitude|psychometric) (test|task|"
        r"assessment|exercise)s?|tests?|group (task|exercise)s?|presentation|"
        r"(recruiter|hiring manager|manager|phone|video|intro|first|screening|team) "
        r"(call|screen|chat)|video interview|hirevue",
    ),
    ("screening", r"appl(y|ied|ication)|cv|r[ée]sum[ée]|screen(ing|ed)?|auto(mated)?"),
    ("unknown", r"rather not|don'?t know|not sure|skip|unknown|n/?a"),
)

STAGE_NAMES = {
    "screening": "before any interview",
    "interview": "after interviews",
    "final": "after the final round",
    "unknown": "not said",
}


def stage_told(text: str) -> str | None:
    """How far it got, when the words say it plainly ("phone screen", "didnt even get a
    call"); not from a word that only sometimes means it ("applied", "cv")."""
    lowered = text.lower()
    for stage, pattern in STAGE_PATTERNS[:3]:
        if re.search(rf"\b(?:{pattern})\b", lowered):
            return stage
    return None


def parse_number(text: str | float | int | None, *, low: int, high: int) -> int | None:
    """The first whole number in ``text`` within [low, high], words included ("a couple")."""
    if text is None:
        return None
    if isinstance(text, (int, float)):
        value = int(text)
        return value if low <= value <= high else None
    return count(text, low=low, high=high)


def parse_stage(text: str | None) -> str | None:
    """Map a stage as the person put it to screening/interview/final/unknown."""
    if not text:
        return None
    lowered = text.lower().strip()
    if lowered in ("screening", "interview", "final", "unknown"):
        return lowered
    for stage, pattern in STAGE_PATTERNS:
        if re.search(rf"\b(?:{pattern})\b", lowered):
            return stage
    return None


LEADING_FILLER = re.compile(
    r"^(it was|it's|its|it is|the|at|with|for|a|an|as|role was|company was|"
    r"the role was|the company was|i applied (to|for|at)|position:?|company:?|role:?)\s+",
    re.IGNORECASE,
)


def clean_name(text: str | None, *, max_words: int = 8) -> str | None:
    """Trim a company or role answer ("it was at Acme." -> "Acme")."""
    if not text:
        return None
    value = text.strip().strip(".!?\"'").lstrip("-–—:; ")
    previous = None
    while previous != value:
        previous = value
        value = LEADING_FILLER.sub("", value).strip()
    value = re.sub(r"\s+(position|role|job|opening|thing)$", "", value, flags=re.IGNORECASE)
    if not value or len(value.split()) > max_words:
        return None
    return value

"""Phrasings held out from tuning bot/spoken.py: written before it, never edited after.

tests/test_spoken.py runs them; the ones still missed are marked there, not here.
Dates are read on Thursday 2026-12-03 (tests.test_spoken.TODAY).
"""

from __future__ import annotations

from datetime import date

# (text, (hour, minute, approximate) or None), evening=True
CLOCK_TIMES = [
    ("half nine", (21, 30, False)),
    ("quarter past eight", (20, 15, False)),
    ("twenty past 9", (21, 20, False)),
    ("10ish?", (22, 0, True)),
    ("lets say 8", (20, 0, False)),
    ("8.45", (20, 45, False)),
    ("9:00 pm", (21, 0, False)),
    ("at 21h", (21, 0, False)),
    ("around 8:30", (20, 30, True)),
    ("ten to ten", (21, 50, False)),
    ("nah no idea", None),
    ("6 am", (6, 0, False)),
]

# (text, (status, day) or None)
APPLICATION_DATES = [
    ("tmr", ("planned", date(2026, 12, 4))),
    ("on the weekend", ("planned", date(2026, 12, 5))),
    ("sunday", ("planned", date(2026, 12, 6))),
    ("in a couple of days", ("planned", date(2026, 12, 5))),
    ("i sent it this morning", ("applied", date(2026, 12, 3))),
    ("applied last friday", ("applied", date(2026, 11, 27))),
    ("did it yesterday", ("applied", date(2026, 12, 2))),
    ("by end of month", ("planned", date(2026, 12, 31))),
    ("prob wednesday", ("planned", date(2026, 12, 9))),
    ("submitted it 3 days ago", ("applied", date(2026, 11, 30))),
    ("dunno", None),
]

COUNTS = [
    ("like two or three", 2),
    ("couple", 2),
    ("fifteen", 15),
    ("zero lol", 0),
    ("hmm maybe 6?", 6),
    ("none 😭", 0),
    ("only one so far", 1),
    ("a few i think", 3),
    ("nada", 0),
    ("10+", 10),
]

SCALES = [
    ("5 i guess", 5),
    ("solid 9", 9),
    ("3/10 tbh", 3),
    ("ten", 10),
    ("very sad", None),
    ("like 2 or 3", 2),
]

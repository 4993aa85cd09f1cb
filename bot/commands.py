"""What each slash command does, the same for Telegram and the terminal.

A command either stands for an intent (Rasa answers it through the front end's
``deliver``, as it answers a typed message) or is answered here, from the
journal, as ``Text`` and ``File`` answers. The front ends only render them.
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from bot import charts, checkins, export, store
from bot.conversation import Coach, Deliver

MENU = [  # Telegram's command menu, in this order
    ("start", "What this bot is and how it keeps your data"),
    ("help", "What I can do"),
    ("journal", "Write freely in your journal"),
    ("entries", "Your latest journal entries"),
    ("search", "Search your journal: /search words"),
    ("plan", "Plan your next applications"),
    ("followup", "Draft a note asking for feedback"),
    ("checkin", "Nightly check-in: /checkin 21:30, /checkin off"),
    ("timezone", "Your time zone: /timezone Europe/Berlin"),
    ("export", "Download your journal: /export, /export csv, /export json"),
    ("stats", "Your mood over time, as a chart"),
    ("delete", "Delete everything I keep about you"),
]
INTENTS = {
    "help": "help",
    "journal": "start_journal",
    "plan": "plan_next",
    "followup": "request_followup",
    "delete": "delete_data",
    "skip": "skip",
}
ENTRIES_PAGE = 5
UNKNOWN = "I don't know that command. /help shows what I can do."
# Telegram's bot_command: a slash, up to 32 letters, digits or underscores, maybe @botname.
COMMAND = re.compile(r"/(?P<name>[A-Za-z0-9_]{1,32})(?:@\w+)?(?![A-Za-z0-9_@])")


@dataclass(frozen=True)
class Text:
    text: str
    html: bool = False  # <b> around search hits; everything else escaped

    @property
    def plain(self) -> str:
        return html.unescape(re.sub(r"</?b>", "", self.text)) if self.html else self.text


@dataclass(frozen=True)
class File:
    name: str
    content: bytes
    caption: str
    picture: bool = False  # shown as a picture (the /stats chart) rather than a file


Answer = Text | File
Handler = Callable[[Coach, int, list[str]], Awaitable[list[Answer]]]


def parse(line: str) -> tuple[str, list[str]] | None:
    """'/search the interview' -> ('search', ['the', 'interview']); None if not a command.

    As Telegram reads it: '/skip{"x": 1}' is the command skip, with no arguments.
    """
    match = COMMAND.match(line)
    if not match:
        return None
    return match["name"].lower(), line.split()[1:]


async def run(
    coach: Coach, user_id: int, name: str, args: list[str], deliver: Deliver
) -> list[Answer]:
    """Carry out one command: any but /start, with which Telegram greets.

    The front end has given the command's own words to ``Coach.screen`` first.
    """
    if name in INTENTS:
        await coach.send_intent(user_id, INTENTS[name], deliver)
        return []
    handler = HANDLERS.get(name)
    if handler is None:
        return [Text(UNKNOWN)]
    return await handler(coach, user_id, args)


async def entries(coach: Coach, user_id: int, args: list[str]) -> list[Answer]:
    db = coach.db
    page = 1
    if args:
        if not args[0].isdigit() or int(args[0]) < 1:
            return [Text("Use /entries or /entries 2 for older ones.")]
        page = int(args[0])
    # One row past the page says whether there is an older one: no count of them all.
    rows = store.recent_entries(
        db, user_id, limit=ENTRIES_PAGE + 1, offset=(page - 1) * ENTRIES_PAGE
    )
    older, rows = len(rows) > ENTRIES_PAGE, rows[:ENTRIES_PAGE]
    if not rows:
        if page == 1 or not store.recent_entries(db, user_id, limit=1):
            return [Text("Your journal is empty so far. /journal opens a fresh page.")]
        return [Text("No older entries than that.")]
    lines = [f"Your journal, newest first (page {page}):"]
    for row in rows:
        mood = f" · {row['mood']}/10" if row["mood"] is not None else ""
        lines.append(
            f"\n{row['created_at'][:16].replace('T', ' ')} · {row['kind']}{mood}\n"
            f"{row['text'] or ''}"
        )
    if older:
        lines.append(f"\nOlder: /entries {page + 1}")
    return [Text("\n".join(lines))]


async def search(coach: Coach, user_id: int, args: list[str]) -> list[Answer]:
    db = coach.db
    query = " ".join(args).strip()
    if not query:
        return [Text("What should I look for? e.g. /search interview")]
    rows = store.search_entries(db, user_id, query)
    if not rows:
        return [Text(f"Nothing in your journal matches “{query}”.")]
    lines = [f"Found {len(rows)} in your journal:"]
    for row in rows:
        snippet = html.escape(row["snippet"]).replace("«", "<b>").replace("»", "</b>")
        lines.append(f"\n{row['created_at'][:10]} · {row['kind']}\n{snippet}")
    return [Text("\n".join(lines), html=True)]


async def checkin(coach: Coach, user_id: int, args: list[str]) -> list[Answer]:
    db = coach.db
    argument = " ".join(args).strip()
    user = store.ensure_user(db, user_id)
    if not argument:
        if not user["checkin_time"]:
            return [Text("Nightly check-ins are off. Turn them on with e.g. /checkin 21:30.")]
        return [
            Text(
                f"Nightly check-in: {user['checkin_time']} ({user['timezone']}). "
                "/checkin off stops it."
            )
        ]
    if argument.lower() in ("off", "stop", "no", "none"):
        checkins.disable(db, user_id)
        return [Text("Check-ins are off. /checkin 21:30 turns them back on.")]
    parsed = checkins.parse_checkin_time(argument)
    if parsed is None:
        return [Text("I couldn't read that as a time of day. Try /checkin 21:30 or /checkin 9pm.")]
    return [Text(checkins.confirmation(checkins.enable(db, user_id, parsed)))]


async def set_timezone(coach: Coach, user_id: int, args: list[str]) -> list[Answer]:
    db = coach.db
    name = " ".join(args).strip()
    if not name:
        user = store.ensure_user(db, user_id)
        return [
            Text(
                f"Your time zone is {user['timezone']}. "
                "Change it with e.g. /timezone Europe/Berlin."
            )
        ]
    zone = checkins.resolve_timezone(name)
    if zone is None:
        close = checkins.closest_timezones(name)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        return [
            Text(
                f"I don't know a time zone called “{name[:60]}”.{hint} Names look like "
                "Europe/Berlin or America/New_York."
            )
        ]
    store.update_user(db, user_id, timezone=zone.key)
    now = datetime.now(timezone.utc).astimezone(zone).strftime("%H:%M")
    return [Text(f"Time zone set to {zone.key} (it's {now} there now).")]


async def export_journal(coach: Coach, user_id: int, args: list[str]) -> list[Answer]:
    fmt = args[0].lower().lstrip(".") if args else "md"
    if fmt not in export.FORMATS:
        return [Text("I can export as md (the default), csv or json, e.g. /export csv.")]
    return await journal_file(coach, user_id, fmt)


async def journal_file(coach: Coach, user_id: int, fmt: str = "md") -> list[Answer]:
    """Everything kept about them as a file: for /export, and for Rasa's export reply."""
    if not export.has_data(coach.db, user_id):
        return [Text("There's nothing in your journal yet, so there's nothing to export.")]
    today = datetime.now(timezone.utc).date()
    return [
        File(
            export.export_filename(fmt, today),
            await export.export_for(coach, user_id, fmt),
            "Everything I keep about you. Only you have this file.",
        )
    ]


async def stats(coach: Coach, user_id: int, args: list[str]) -> list[Answer]:
    db = coach.db
    now = datetime.now(timezone.utc)
    series = charts.mood_series(db, user_id)
    png = await asyncio.to_thread(charts.render_mood_chart, series, now=now)
    summary = charts.stats_summary(db, user_id, now=now)
    return [File(f"mood-{now.date().isoformat()}.png", png, summary, picture=True)]


HANDLERS: dict[str, Handler] = {
    "entries": entries,
    "search": search,
    "checkin": checkin,
    "timezone": set_timezone,
    "export": export_journal,
    "stats": stats,
}

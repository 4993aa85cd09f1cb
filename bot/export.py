"""Everything we hold about one person as one downloadable file: Markdown, CSV or JSON.

Their settings, journal, rejections, applications, check-ins sent, messages
still waiting for an answer, and the transcript of our conversation as Rasa
stored it. Every query is scoped to one ``user_id``; rows are read once per
table, in time order, so even a long journal exports in a single pass.
"""

from __future__ import annotations

import csv
import heapq
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING

from sqlite_utils import Database

from bot import privacy, store

if TYPE_CHECKING:  # bot.conversation loads the crisis check: not needed to import this
    from bot.conversation import Coach

FORMATS = ("md", "csv", "json")
CSV_COLUMNS = (
    "record_type",
    "id",
    "created_at",
    "kind",
    "text",
    "mood",
    "emotion",
    "rejection_id",
    "company",
    "role",
    "stage",
    "contact_name",
    "status",
    "planned_for",
    "local_date",
    "due_at",
    "sent_at",
    "who",
    "timezone",
    "checkin_time",
    "crisis_at",
    "crisis_checked_at",
    "reported_active",
    "reported_active_at",
    "blocked_at",
    "held",  # messages held while the bot asks about their safety (bot/conversation.py)
)
# In this order, so that a rejection comes before entries logged in the same second.
RECORD_TABLES = {
    "rejection": "rejections",
    "entry": "entries",
    "application": "applications",
    "checkin": "checkins",
    "waiting": "pending",
}
ORDER = {"checkins": "due_at, id"}
TIME_FORMAT = "%a %d %b %Y, %H:%M UTC"
PROFILE_FIELDS = (  # field, label, whether it is a moment
    ("created_at", "First here", True),
    ("timezone", "Time zone", False),
    ("checkin_time", "Nightly check-in", False),
    ("reported_active", "Applications you said were out", False),
    ("reported_active_at", "Said on", True),
    ("crisis_at", "Crisis resources last shown", True),
    ("crisis_checked_at", "Last asked how you were after that", True),
    ("blocked_at", "Telegram said you blocked the bot", True),
)
NO_CONVERSATION = (
    "The copy of our conversation that Rasa keeps could not be read, so it is not here."
)

# Inside a blockquote these lines would still render as headings and show up
# in the document outline; a backslash before the marker keeps them plain text.
_HEADING_LINE = re.compile(r"^( {0,3})(#{1,6}(?:[ \t]|$)|=+[ \t]*$|-+[ \t]*$)")


def export_filename(fmt: str, today: date) -> str:
    _check_format(fmt)
    return f"journal-{today.isoformat()}.{fmt}"


def has_data(db: Database, user_id: int) -> bool:
    return any(
        db[table].count_where(f"{'id' if table == 'users' else 'user_id'} = ?", [user_id])
        for table in store.USER_TABLES
    )


def export_user(
    db: Database,
    user_id: int,
    fmt: str,
    *,
    conversation: list[dict] | None = None,
    now: datetime | None = None,
) -> bytes:
    """Everything held about ``user_id``, and nothing of anyone else's, as UTF-8.

    ``conversation`` is the transcript from ``privacy.read_conversation``; None
    when it could not be read, which the file then says.
    """
    _check_format(fmt)
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    records = {
        record_type: list(
            store.iter_user_rows(db, table, user_id, order_by=ORDER.get(table, "created_at, id"))
        )
        for record_type, table in RECORD_TABLES.items()
    }
    profile = store.get_user(db, user_id)
    if fmt == "md":
        return _markdown(profile, records, conversation, now).encode("utf-8")
    if fmt == "csv":
        return _csv(profile, records, conversation).encode("utf-8")
    document = {
        "user_id": user_id,
        "exported_at": now.isoformat(timespec="seconds"),
        "profile": profile,
        "rejections": records["rejection"],
        "entries": records["entry"],
        "applications": records["application"],
        "checkins_sent": records["checkin"],
        "waiting_messages": records["waiting"],
        "conversation": conversation,
    }
    if conversation is None:
        document["conversation_note"] = NO_CONVERSATION
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


async def export_for(coach: Coach, user_id: int, fmt: str) -> bytes:
    """``export_user`` with the conversation transcript read from wherever Rasa keeps it."""
    conversation = await privacy.read_conversation(coach.tracker_db_path, coach.rasa, user_id)
    return export_user(coach.db, user_id, fmt, conversation=conversation)


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")


def _csv(
    profile: dict | None, records: dict[str, list[dict]], conversation: list[dict] | None
) -> str:
    """One row per record, every kind merged into a single timeline.

    Python 3.10's csv module can neither write nor read NUL, so NUL (and only
    NUL) becomes U+FFFD here; the JSON export keeps it.
    """
    streams = [
        [{**row, "record_type": record_type} for row in rows]
        for record_type, rows in records.items()
    ]
    streams.append(
        [
            {
                "record_type": "message",
                "created_at": line["time"],
                "who": line["who"],
                "text": line["text"],
            }
            for line in conversation or ()
        ]
    )
    if profile:
        streams.append([{**profile, "record_type": "profile"}])
    timeline = list(heapq.merge(*streams, key=_moment))
    if conversation is None:
        timeline.append({"record_type": "notice", "text": NO_CONVERSATION})
    buffer = io.StringIO(newline="")
    fieldnames = [*CSV_COLUMNS, *_extra(profile or {})]
    writer = csv.DictWriter(buffer, fieldnames=fieldnames, extrasaction="ignore")
    writer.writeheader()
    for row in timeline:
        writer.writerow(
            {k: v.replace("\0", "\ufffd") if isinstance(v, str) else v for k, v in row.items()}
        )
    return buffer.getvalue()


def _extra(profile: dict) -> list[str]:
    """Settings columns added after this module was written: exported all the same."""
    known = {"id", *CSV_COLUMNS, *(field for field, _, _ in PROFILE_FIELDS)}
    return [field for field, value in profile.items() if field not in known and value is not None]


def _moment(row: dict) -> str:
    """When a record happened (a check-in has no created_at: it was due at due_at)."""
    return row.get("created_at") or row.get("due_at") or ""


def _markdown(
    profile: dict | None,
    records: dict[str, list[dict]],
    conversation: list[dict] | None,
    now: datetime,
) -> str:
    """Settings; rejections as sections holding their own entries, then the other entries;
    applications, check-ins sent, waiting messages, and the conversation."""
    rejections, entries, applications = (
        records["rejection"],
        records["entry"],
        records["application"],
    )
    by_rejection: dict[int, list[dict]] = defaultdict(list)
    loose: list[dict] = []
    rejection_ids = {rejection["id"] for rejection in rejections}
    for entry in entries:
        if entry["rejection_id"] in rejection_ids:
            by_rejection[entry["rejection_id"]].append(entry)
        else:
            loose.append(entry)

    lines = [
        f"# Rejection Coach journal — {now:%d %B %Y}",
        "",
        f"Exported {now:%Y-%m-%d %H:%M} UTC. Entries: {len(entries)} · "
        f"Rejections: {len(rejections)} · Applications: {len(applications)}",
        "",
    ]
    if not (profile or conversation or any(records.values())):
        lines += ["Nothing here yet.", ""]
    if profile:
        lines += ["## Your settings", ""]
        lines += [
            f"- {label}: "
            + (_when(profile[field], TIME_FORMAT) if moment else _one_line(str(profile[field])))
            for field, label, moment in PROFILE_FIELDS
            if profile.get(field) is not None
        ]
        lines += [f"- {field}: {_one_line(str(profile[field]))}" for field in _extra(profile)]
        lines.append("")
    for rejection in rejections:
        lines += [_rejection_heading(rejection), ""]
        if rejection["contact_name"]:
            lines += [f"Contact: {_one_line(rejection['contact_name'])}", ""]
        lines += _entry_lines(by_rejection[rejection["id"]])
    if loose:
        lines += ["## Journal", "", *_entry_lines(loose)]
    if applications:
        lines += ["## Applications", ""]
        lines += [_application_item(application) for application in applications]
        lines.append("")
    if records["checkin"]:
        lines += ["## Check-ins sent", ""]
        lines += [_checkin_item(checkin) for checkin in records["checkin"]]
        lines.append("")
    if profile and profile.get("held"):
        lines += ["## Messages held until you answer my question", ""]
        for text in json.loads(profile["held"]):
            lines += [*_blockquote(text), ""]
    if records["waiting"]:
        lines += ["## Messages waiting for an answer", ""]
        for message in records["waiting"]:
            lines += [f"**{_when(message['created_at'], TIME_FORMAT)}**", ""]
            lines += [*_blockquote(message["text"] or ""), ""]
    if conversation is None:
        lines += ["## Our conversation", "", NO_CONVERSATION, ""]
    elif conversation:
        lines += ["## Our conversation", ""]
        for line in conversation:
            lines += [f"**{_when(line['time'], TIME_FORMAT)}** · {line['who']}", ""]
            lines += [*_blockquote(line["text"]), ""]
    return "\n".join(lines)


def _checkin_item(checkin: dict) -> str:
    sent = f"sent {_when(checkin['sent_at'], TIME_FORMAT)}" if checkin["sent_at"] else "not sent"
    return f"- {checkin['local_date']}: {sent}"


def _rejection_heading(rejection: dict) -> str:
    role, company = _one_line(rejection["role"]), _one_line(rejection["company"])
    if role and company:
        what = f": {role} at {company}"
    elif role or company:
        what = f": {role or company}"
    else:
        what = ""
    stage = rejection["stage"]
    stage = "stage unknown" if stage in (None, "unknown") else stage
    return f"## Rejection{what} — {stage}, {_when(rejection['created_at'], '%d %b %Y')}"


def _entry_lines(entries: Iterable[dict]) -> list[str]:
    lines = []
    for entry in entries:
        details = [f"**{_when(entry['created_at'], TIME_FORMAT)}**", entry["kind"]]
        if entry["mood"] is not None:
            scale = "intensity" if entry["kind"] == "feeling" else "mood"
            details.append(f"{scale} {entry['mood']}/10")
        if entry["emotion"]:
            details.append(_one_line(entry["emotion"]))
        lines += [" · ".join(details), ""]
        if entry["text"]:
            lines += [*_blockquote(entry["text"]), ""]
    return lines


def _blockquote(text: str) -> list[str]:
    """``text`` as a blockquote, line for line, that cannot escape into the document.

    Every line (after normalising CR and CRLF, which Markdown also treats as
    line ends) gets its own ``>``; trailing double spaces keep the line breaks.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    quoted = ["> " + _HEADING_LINE.sub(r"\1\\\2", line) if line else ">" for line in lines]
    return [line if line == ">" else f"{line}  " for line in quoted[:-1]] + quoted[-1:]


def _application_item(application: dict) -> str:
    item = f"- {_one_line(application['company']) or 'Unnamed company'}"
    if application["role"]:
        item += f" — {_one_line(application['role'])}"
    details = [application["status"] or "no status"]
    if application["planned_for"]:
        details.append(f"planned for {_one_line(application['planned_for'])}")
    details.append(f"added {_when(application['created_at'], '%d %b %Y')}")
    return f"{item} ({', '.join(details)})"


def _one_line(value: str | None) -> str:
    """User text squeezed onto one line, so it cannot break a heading or list item."""
    return " ".join((value or "").split())


def _when(created_at: str | None, pattern: str) -> str:
    """A stored ISO timestamp shown in UTC; anything unparseable is shown as stored."""
    try:
        moment = datetime.fromisoformat(created_at or "")
    except ValueError:
        return created_at or "unknown date"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime(pattern)

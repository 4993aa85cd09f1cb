"""A person's whole journal as one downloadable file: Markdown, CSV or JSON.

Every query is scoped to one ``user_id``; rows are read once per table, in
time order, so even a long journal exports in a single pass.
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

from sqlite_utils import Database

from bot import store

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
    "status",
    "planned_for",
)
# In this order, so that a rejection comes before entries logged in the same second.
RECORD_TABLES = {"rejection": "rejections", "entry": "entries", "application": "applications"}

# Inside a blockquote these lines would still render as headings and show up
# in the document outline; a backslash before the marker keeps them plain text.
_HEADING_LINE = re.compile(r"^( {0,3})(#{1,6}(?:[ \t]|$)|=+[ \t]*$|-+[ \t]*$)")


def export_filename(fmt: str, today: date) -> str:
    _check_format(fmt)
    return f"journal-{today.isoformat()}.{fmt}"


def has_data(db: Database, user_id: int) -> bool:
    return any(db[table].count_where("user_id = ?", [user_id]) for table in RECORD_TABLES.values())


def export_user(db: Database, user_id: int, fmt: str, *, now: datetime | None = None) -> bytes:
    """Everything ``user_id`` wrote or logged, and nothing of anyone else's, as UTF-8."""
    _check_format(fmt)
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    records = {
        record_type: list(store.iter_user_rows(db, table, user_id))
        for record_type, table in RECORD_TABLES.items()
    }
    if fmt == "md":
        return _markdown(records, now).encode("utf-8")
    if fmt == "csv":
        return _csv(records).encode("utf-8")
    document = {
        "user_id": user_id,
        "exported_at": now.isoformat(timespec="seconds"),
        "rejections": records["rejection"],
        "entries": records["entry"],
        "applications": records["application"],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")


def _csv(records: dict[str, list[dict]]) -> str:
    """One row per record, all three kinds merged into a single timeline.

    Python 3.10's csv module can neither write nor read NUL, so NUL (and only
    NUL) becomes U+FFFD here; the JSON export keeps it.
    """
    streams = [
        [{**row, "record_type": record_type} for row in rows]
        for record_type, rows in records.items()
    ]
    timeline = heapq.merge(*streams, key=lambda row: row["created_at"] or "")
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in timeline:
        writer.writerow(
            {k: v.replace("\0", "\ufffd") if isinstance(v, str) else v for k, v in row.items()}
        )
    return buffer.getvalue()


def _markdown(records: dict[str, list[dict]], now: datetime) -> str:
    """Rejections as sections holding their own entries, then the rest, then applications."""
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
    if not (entries or rejections or applications):
        lines += ["Nothing here yet.", ""]
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
    return "\n".join(lines)


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
        details = [f"**{_when(entry['created_at'], '%a %d %b %Y, %H:%M UTC')}**", entry["kind"]]
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

"""Nightly check-ins whose schedule lives in SQLite.

Nothing is kept in memory between ticks: every tick asks the database who is
due, so a restart loses no schedule. A check-in is claimed by inserting a row
into ``checkins`` whose (user_id, local_date) is unique *before* it is sent,
so two ticks, two processes or a restart can never send it twice.
"""

from __future__ import annotations

import asyncio
import difflib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from enum import Enum
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlite_utils import Database

from bot import spoken, store

logger = logging.getLogger(__name__)

CATCH_UP_WINDOW = timedelta(hours=3)
SEND_CONCURRENCY = 8  # check-ins waiting for Rasa at once


class Outcome(Enum):
    SENT = "sent"
    RETRY = "retry"  # nothing reached the person; try again on a later tick
    BLOCKED = "blocked"  # the person blocked the bot: stop their check-ins


@dataclass(frozen=True)
class DueCheckin:
    user_id: int
    local_date: date
    due_at: datetime  # UTC


def parse_checkin_time(text: str | None) -> str | None:
    """'21:30', '9pm', '21h', 'half past eight' -> 'HH:MM' (24-hour); None when unreadable.

    This reads the /checkin command, where a bare hour stays as typed ("7" -> "07:00");
    the conversation reads times with spoken.clock_time, whose bare hours are evening ones.
    """
    if not text:
        return None
    found = spoken.clock_time(text, evening=False)
    return found.hhmm() if found else None


@lru_cache(maxsize=1)
def _zone_names() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))


def resolve_timezone(name: str) -> ZoneInfo | None:
    """The IANA zone called ``name`` (case-insensitive), or None."""
    wanted = name.strip().replace(" ", "_")
    exact = {zone.lower(): zone for zone in _zone_names()}.get(wanted.lower())
    if not exact:
        return None
    try:
        return ZoneInfo(exact)
    except ZoneInfoNotFoundError:
        return None


def closest_timezones(name: str, limit: int = 3) -> list[str]:
    """Suggestions for a mistyped zone name ("Europe/Berln" -> ["Europe/Berlin"])."""
    wanted = name.strip().replace(" ", "_").lower()
    by_lower = {zone.lower(): zone for zone in _zone_names()}
    city = {zone.rsplit("/", 1)[-1].lower(): zone for zone in _zone_names()}
    matches = difflib.get_close_matches(wanted, by_lower, n=limit, cutoff=0.5)
    matches += difflib.get_close_matches(wanted.rsplit("/", 1)[-1], city, n=limit, cutoff=0.6)
    names = [by_lower.get(match) or city[match] for match in matches]
    return list(dict.fromkeys(names))[:limit]


def enable(db: Database, user_id: int, checkin_time: str) -> dict:
    return store.update_user(db, user_id, checkin_time=checkin_time)


def confirmation(user: dict) -> str:
    """What we say when check-ins are turned on (the time zone is said, UTC included)."""
    zone = user.get("timezone") or "UTC"
    text = f"I'll check in every evening at {user['checkin_time']} ({zone} time)."
    if zone == "UTC":
        text += (
            " If that's not your time zone, tell me with /timezone, e.g. /timezone Europe/Berlin."
        )
    return text + " You can stop any time with /checkin off."


def disable(db: Database, user_id: int) -> dict:
    return store.update_user(db, user_id, checkin_time=None)


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _slot_on(zone: ZoneInfo, checkin_time: str, day: date) -> datetime:
    """The UTC time of the check-in at ``checkin_time`` on the local ``day``."""
    hour, minute = map(int, checkin_time.split(":"))
    # Combining with the zone lets zoneinfo handle DST gaps and folds.
    return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(timezone.utc)


def _due_slot(
    zone_name: str | None, checkin_time: str, now: datetime
) -> tuple[date, datetime] | None:
    """The local date and UTC time of a check-in at ``checkin_time`` in ``zone_name``
    that is due at ``now``; None when none is."""
    zone = _zone(zone_name)
    local_today = now.astimezone(zone).date()
    # Today's time, or yesterday's when a late-evening check-in was missed
    # just before local midnight.
    for day in (local_today, local_today - timedelta(days=1)):
        due_utc = _slot_on(zone, checkin_time, day)
        if due_utc <= now < due_utc + CATCH_UP_WINDOW:
            return day, due_utc
    return None


def _next_slot(zone_name: str | None, checkin_time: str, after: datetime) -> datetime:
    """The first check-in at ``checkin_time`` in ``zone_name`` still to come after ``after``."""
    zone = _zone(zone_name)
    local_today = after.astimezone(zone).date()
    for day in (local_today - timedelta(days=1), local_today):
        due_utc = _slot_on(zone, checkin_time, day)
        if after < due_utc + CATCH_UP_WINDOW:
            return due_utc
    return _slot_on(zone, checkin_time, local_today + timedelta(days=1))


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def due_checkins(db: Database, now: datetime) -> list[DueCheckin]:
    """Everyone whose check-in time has come (within the catch-up window) and who has
    not had that day's check-in yet.

    Only the people whose ``next_checkin_at`` has come are read (an index), not everyone
    with a check-in time: 100,000 people took 130 ms a tick whoever was due. Each one
    found already sent, or past the window, has their next time worked out here;
    store.update_user sets it to RESCHEDULE when their time or zone changes."""
    due, later = [], []
    slots: dict[tuple[str, str], tuple[date, datetime] | None] = {}
    for person in db.query(
        "select users.id, users.timezone, users.checkin_time, "
        "group_concat(case when checkins.sent_at is not null then checkins.local_date end) "
        "as sent, "
        "group_concat(case when checkins.sent_at is null then checkins.local_date end) "
        "as claimed "
        # Named: without it SQLite reads every person in id order to skip a sort.
        "from users indexed by idx_users_next_checkin_at "
        "left join checkins on checkins.user_id = users.id "
        "and checkins.local_date >= :since "
        "where users.next_checkin_at <= :now and users.checkin_time is not null "
        "group by users.id order by users.id",
        {"now": _utc_text(now), "since": (now - timedelta(days=2)).date().isoformat()},
    ):
        zone_name, checkin_time = person["timezone"], person["checkin_time"]
        key = (zone_name, checkin_time)
        if key not in slots:  # one check per (zone, time), not per person
            slots[key] = _due_slot(zone_name, checkin_time, now)
        slot = slots[key]
        if slot is None:
            later.append((_utc_text(_next_slot(zone_name, checkin_time, now)), person["id"]))
            continue
        local_date, due_at = slot
        if local_date.isoformat() in (person["sent"] or "").split(","):
            tomorrow = _slot_on(_zone(zone_name), checkin_time, local_date + timedelta(days=1))
            later.append((_utc_text(tomorrow), person["id"]))
        elif local_date.isoformat() not in (person["claimed"] or "").split(","):
            due.append(DueCheckin(person["id"], local_date, due_at))
        # else claimed and not sent: being sent now, or its sender stopped; never twice
    if later:
        with db.conn:
            db.conn.executemany("update users set next_checkin_at = ? where id = ?", later)
    return due


def claim(db: Database, checkin: DueCheckin) -> bool:
    """Reserve this check-in; False when another tick or process already has it."""
    cursor = db.execute(
        "insert or ignore into checkins (user_id, local_date, due_at) values (?, ?, ?)",
        [checkin.user_id, checkin.local_date.isoformat(), checkin.due_at.isoformat()],
    )
    db.conn.commit()
    return cursor.rowcount == 1


def release(db: Database, checkin: DueCheckin) -> None:
    db["checkins"].delete_where(
        "user_id = ? and local_date = ? and sent_at is null",
        [checkin.user_id, checkin.local_date.isoformat()],
    )


def mark_sent(db: Database, checkin: DueCheckin, sent_at: datetime) -> None:
    db.execute(
        "update checkins set sent_at = ? where user_id = ? and local_date = ?",
        [sent_at.isoformat(), checkin.user_id, checkin.local_date.isoformat()],
    )
    db.conn.commit()


Send = Callable[[DueCheckin], Awaitable[Outcome]]


async def run_due(
    db: Database, now: datetime, send: Send, *, concurrency: int = SEND_CONCURRENCY
) -> list[tuple[DueCheckin, Outcome]]:
    """One tick: claim and send every due check-in, ``concurrency`` at a time.

    Each send waits for Rasa, so one at a time would take hours for a crowd due in
    the same minute; the front end's rate limiter keeps the Telegram calls within
    its limits whatever this number is.
    """
    slots = asyncio.Semaphore(concurrency)

    async def deliver(checkin: DueCheckin) -> tuple[DueCheckin, Outcome] | None:
        async with slots:
            if not claim(db, checkin):
                return None
            try:
                outcome = await send(checkin)
            except Exception:
                logger.exception("check-in for a user failed; will retry")
                outcome = Outcome.RETRY
            if outcome is Outcome.SENT:
                mark_sent(db, checkin, now)
            else:
                release(db, checkin)
                if outcome is Outcome.BLOCKED:
                    disable(db, checkin.user_id)
                    store.record_blocked(db, checkin.user_id, now)
                    logger.info("a user blocked the bot; their check-ins are off")
            return checkin, outcome

    results = await asyncio.gather(*(deliver(checkin) for checkin in due_checkins(db, now)))
    return [result for result in results if result is not None]


def utc_clock() -> datetime:
    return datetime.now(timezone.utc)


async def run_forever(
    db: Database,
    send: Send,
    *,
    clock: Callable[[], datetime] = utc_clock,
    interval: float = 20.0,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """Tick until cancelled. ``clock`` and ``sleep`` are injectable for tests."""
    while True:
        try:
            await run_due(db, clock(), send)
        except Exception:
            logger.exception("check-in tick failed")
        await sleep(interval)

"""The daily clean-up: nothing is kept longer than the README's retention table says.

Messages still waiting for Rasa after a week are dropped; Rasa's stored
conversation events older than ``retention_days`` are pruned; everything about
a person who blocked the bot more than ``retention_days`` ago is deleted.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from bot import privacy, store
from bot.conversation import Coach
from bot.rasa_client import RasaUnavailable

logger = logging.getLogger(__name__)

WAITING_DAYS = 7
DAY = 24 * 60 * 60.0


@dataclass(frozen=True)
class Pruned:
    waiting: int  # messages that waited for Rasa too long
    events: int  # Rasa tracker events
    people: int  # people who blocked the bot


async def prune(coach: Coach, retention_days: int, now: datetime) -> Pruned:
    waiting = store.drop_waiting_before(coach.db, now - timedelta(days=WAITING_DAYS))
    cutoff = now - timedelta(days=retention_days)
    events = (
        privacy.prune_conversations(coach.tracker_db_path, cutoff)
        if coach.tracker_db_path is not None
        else 0
    )
    people = 0
    for user_id, blocked_at in store.blocked_before(coach.db, cutoff):
        try:
            heard = await privacy.last_heard(coach.tracker_db_path, coach.rasa, user_id)
        except RasaUnavailable:
            continue  # whether they came back is unknown today; ask again tomorrow
        if heard and heard > blocked_at:  # unblocked and wrote again, without /start
            store.clear_blocked(coach.db, user_id)
            continue
        store.delete_user_data(coach.db, user_id)
        people += 1
        if not await privacy.erase_conversation(coach.tracker_db_path, coach.rasa, user_id):
            logger.warning("retention: a blocked person's conversation could not be deleted")
    store.merge_search_index(coach.db)  # keeps /search flat as journals grow
    pruned = Pruned(waiting=waiting, events=events, people=people)
    # Counts only: never what anyone wrote.
    logger.info(
        "retention: dropped %d message(s) waiting over %d days, %d conversation event(s) "
        "and %d person(s) who blocked the bot over %d days ago",
        pruned.waiting,
        WAITING_DAYS,
        pruned.events,
        pruned.people,
        retention_days,
    )
    return pruned


def utc_clock() -> datetime:
    return datetime.now(timezone.utc)


async def run_daily(
    coach: Coach,
    retention_days: int,
    *,
    clock: Callable[[], datetime] = utc_clock,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """Prune at start-up and then once a day, until cancelled."""
    while True:
        try:
            await prune(coach, retention_days, clock())
        except Exception:
            logger.exception("retention run failed")
        await sleep(DAY)

"""Mood over time as a PNG, and a short plain-text summary of the journal.

Charts are drawn on a ``Figure`` with its own Agg canvas rather than through
pyplot, so there is no global figure state and rendering is safe to run in a
worker thread next to the bot's event loop.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from sqlite_utils import Database

from bot import store

CHART_SIZE_PX = (900, 500)
CHART_DPI = 100
CHECKIN_LABEL = "How the day went (0 awful – 10 great)"
FEELING_LABEL = "Feeling strength (10 strongest)"
MAX_DOTTED_CHECKINS = 90
MAX_POINTS = 200  # per line; the plot is 900 px wide
CHECKIN_MOODS = "user_id = ? and kind = 'checkin' and mood is not null"


@dataclass(frozen=True)
class MoodSeries:
    """What ``mood_chart`` plots for one person, as (UTC time, value) pairs."""

    checkins: list[tuple[datetime, float]]
    feelings: list[tuple[datetime, float]]
    rejections: list[tuple[datetime, str | None]]

    @property
    def is_empty(self) -> bool:
        return not (self.checkins or self.feelings)


def mood_series(db: Database, user_id: int) -> MoodSeries:
    """Check-in moods (0 awful..10 great), feeling intensities and rejections, in time order.

    Each line has at most MAX_POINTS points, each the mean of the moods in one stretch of
    the line's time (its first moment stands for it), so the chart costs the same for a
    month of moods as for years; a stretch with one mood in it is that mood."""
    rejections = [
        (_parse_time(rejection["created_at"]), rejection["company"])
        for rejection in store.iter_user_rows(db, "rejections", user_id)
    ]
    return MoodSeries(
        _mood_points(db, user_id, "checkin"), _mood_points(db, user_id, "feeling"), rejections
    )


def _mood_points(db: Database, user_id: int, kind: str) -> list[tuple[datetime, float]]:
    where = "user_id = :user_id and kind = :kind and mood is not null"
    params: dict = {"user_id": user_id, "kind": kind}
    [(first, last)] = db.execute(
        f"select julianday(min(created_at)), julianday(max(created_at)) from entries where {where}",
        params,
    ).fetchall()
    if first is None:
        return []
    params.update(first=first, days=max((last - first) / MAX_POINTS, 1 / 86_400))
    rows = db.execute(
        f"select min(created_at), avg(mood) from entries where {where} "
        "group by cast((julianday(created_at) - :first) / :days as integer) order by 1",
        params,
    )
    return [(_parse_time(at), mood) for at, mood in rows]


def mood_chart(db: Database, user_id: int, *, now: datetime | None = None) -> bytes:
    """A 900x500 PNG of ``user_id``'s moods, with each rejection marked on the timeline."""
    return render_mood_chart(mood_series(db, user_id), now=now)


def render_mood_chart(series: MoodSeries, *, now: datetime | None = None) -> bytes:
    """Draw a series (no database access, so it can run in a worker thread)."""
    figure = Figure(
        figsize=(CHART_SIZE_PX[0] / CHART_DPI, CHART_SIZE_PX[1] / CHART_DPI), dpi=CHART_DPI
    )
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    if series.is_empty:
        _draw_nothing_yet(axes)
    else:
        _draw_series(axes, series, now or datetime.now(timezone.utc))
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def stats_summary(db: Database, user_id: int, *, now: datetime) -> str:
    """A few lines for ``user_id``; "this week" is the seven days up to ``now``."""
    now = _as_utc(now)
    week_ago, two_weeks_ago = now - timedelta(days=7), now - timedelta(days=14)
    this_week = _mean_checkin(db, user_id, week_ago, now)
    last_week = _mean_checkin(db, user_id, two_weeks_ago, week_ago)
    if this_week is None and last_week is None:
        ever = db.execute(f"select 1 from entries where {CHECKIN_MOODS} limit 1", [user_id])
        mood = "no check-ins in the last two weeks" if ever.fetchone() else "no check-ins yet"
    elif last_week is None:
        mood = f"{this_week:.1f} (no check-ins the week before)"
    elif this_week is None:
        mood = f"no check-ins yet (the week before: {last_week:.1f})"
    else:
        change = round(this_week - last_week, 1)
        if change > 0:
            trend = f"up {change:.1f}"
        elif change < 0:
            trend = f"down {-change:.1f}"
        else:
            trend = "no change"
        mood = f"{this_week:.1f}, {trend} from {last_week:.1f} the week before"
    rejections = db["rejections"].count_where("user_id = ?", [user_id])
    active = store.active_application_count(db, user_id)
    return "\n".join(
        [
            f"Journal entries: {store.count_entries(db, user_id)}",
            f"Check-in mood this week (0 awful – 10 great): {mood}",
            f"Rejections logged: {rejections}",
            f"Active applications: {active} of your goal of {store.GOAL_ACTIVE_APPLICATIONS}",
        ]
    )


def _mean_checkin(db: Database, user_id: int, after: datetime, until: datetime) -> float | None:
    """The mean check-in mood in (after, until]; None when there was none."""
    [(mean,)] = db.execute(
        f"select avg(mood) from entries where {CHECKIN_MOODS} "
        "and created_at > ? and created_at <= ?",
        [user_id, _iso(after), _iso(until)],
    ).fetchall()
    return mean


def _draw_series(axes: Axes, series: MoodSeries, now: datetime) -> None:
    if series.checkins:
        times, moods = zip(*series.checkins, strict=True)
        # Dots help with a few weeks of check-ins but turn months of them into a smear.
        marker = "o" if len(moods) <= MAX_DOTTED_CHECKINS else None
        axes.plot(
            times,
            moods,
            color="tab:blue",
            marker=marker,
            markersize=5,
            linewidth=2,
            label=CHECKIN_LABEL,
            zorder=3,
        )
    if series.feelings:
        times, strengths = zip(*series.feelings, strict=True)
        axes.scatter(
            times,
            strengths,
            color="tab:orange",
            marker="D",
            s=36,
            alpha=0.85,
            label=FEELING_LABEL,
            zorder=4,
        )
    for number, (at, company) in enumerate(series.rejections):
        axes.axvline(
            at,
            color="tab:red",
            linestyle="--",
            linewidth=1.2,
            alpha=0.7,
            label="Rejection" if number == 0 else None,
            zorder=2,
        )
        if company:
            axes.annotate(
                _shorten(company),
                xy=(at, 0),
                xycoords=("data", "axes fraction"),
                xytext=(-4, 6),
                textcoords="offset points",
                rotation=90,
                ha="right",
                va="bottom",
                fontsize=8,
                color="tab:red",
                parse_math=False,
                bbox={
                    "boxstyle": "round,pad=0.15",
                    "facecolor": "white",
                    "edgecolor": "none",
                    "alpha": 0.85,
                },
                zorder=2.5,
            )
    moments = [at for at, _ in series.checkins + series.feelings + series.rejections]
    start, end = min(moments), max([*moments, _as_utc(now)])
    margin = max((end - start) * 0.03, timedelta(days=2))
    axes.set_xlim(start - margin, end + margin)
    locator = AutoDateLocator(tz=timezone.utc)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator, tz=timezone.utc))
    axes.set_ylim(-0.5, 10.5)
    axes.set_yticks(range(11))
    axes.set_title("Your mood over time")
    axes.set_xlabel("Date (UTC)")
    axes.set_ylabel("Score")
    axes.grid(axis="y", alpha=0.3)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3, frameon=False)


def _draw_nothing_yet(axes: Axes) -> None:
    axes.set_axis_off()
    axes.set_title("Your mood over time")
    axes.text(
        0.5,
        0.5,
        "Nothing to chart yet.\n\n"
        "Once you answer an evening check-in or rate a feeling,\n"
        "your mood over time will show up here.",
        ha="center",
        va="center",
        fontsize=15,
        linespacing=1.5,
        transform=axes.transAxes,
    )


def _shorten(text: str, limit: int = 28) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _iso(moment: datetime) -> str:
    """As created_at is stored, so the two compare as strings."""
    return _as_utc(moment).isoformat(timespec="seconds")


def _parse_time(value: str) -> datetime:
    return _as_utc(datetime.fromisoformat(value))


def _as_utc(moment: datetime) -> datetime:
    """Stored times are UTC; a naive datetime is taken to be UTC as well."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)

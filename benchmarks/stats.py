"""Pure helpers: percentiles, latency summaries, rates and target checks."""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100) with linear interpolation; None when empty."""
    if not values:
        return None
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0..100, not {q}")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarize(seconds: Sequence[float]) -> dict[str, float | int | None]:
    """Count, mean and p50/p95/p99/max of durations given in seconds, reported in ms."""

    def ms(value: float | None) -> float | None:
        return None if value is None else round(value * 1000, 1)

    return {
        "n": len(seconds),
        "mean_ms": ms(sum(seconds) / len(seconds)) if seconds else None,
        "p50_ms": ms(percentile(seconds, 50)),
        "p95_ms": ms(percentile(seconds, 95)),
        "p99_ms": ms(percentile(seconds, 99)),
        "max_ms": ms(max(seconds)) if seconds else None,
    }


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """``numerator / denominator`` rounded to 3 places; None if either is missing or zero."""
    if not numerator or not denominator:
        return None
    return round(numerator / denominator, 3)


def ratios(slow: dict, fast: dict, keys: Sequence[str] = ("p50", "p95", "p99")) -> dict:
    """Per-percentile ratios of two ``summarize`` results (e.g. Telegram path / direct)."""
    return {key: ratio(slow.get(f"{key}_ms"), fast.get(f"{key}_ms")) for key in keys}


def max_in_window(times: Sequence[float], window: float = 1.0) -> int:
    """The most events that fall within any ``window`` seconds (a sliding window)."""
    ordered = sorted(times)
    best = start = 0
    for end, moment in enumerate(ordered):
        while moment - ordered[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def rate(times: Sequence[float]) -> float | None:
    """Events per second between the first and the last event."""
    if len(times) < 2:
        return None
    span = max(times) - min(times)
    return round((len(times) - 1) / span, 2) if span > 0 else None


@dataclass(frozen=True)
class Target:
    """A goal a figure is checked against: ``value <= limit`` (or ``>=`` when ``at_least``)."""

    name: str
    limit: float
    unit: str
    at_least: bool = False

    def check(self, value: float | None) -> dict:
        passed = (
            None
            if value is None
            else (value >= self.limit if self.at_least else value <= self.limit)
        )
        return {
            "name": self.name,
            "target": f"{'>=' if self.at_least else '<='} {self.limit:g} {self.unit}".strip(),
            "value": value,
            "unit": self.unit,
            "pass": passed,
        }


def verdict(passed: bool | None) -> str:
    return {True: "PASS", False: "FAIL", None: "n/a"}[passed]


def table(rows: Sequence[Sequence[object]], header: Sequence[str]) -> str:
    """A plain fixed-width text table."""
    cells = [[_cell(value) for value in row] for row in [header, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [
        "  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True))
        for row in cells
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    return str(value)


def poisson_arrivals(rate: float, duration: float, seed: int = 1) -> list[float]:
    """Arrival offsets (s) of a Poisson process at ``rate`` per second within ``duration``."""
    rng = random.Random(seed)
    arrivals, moment = [], rng.expovariate(rate)
    while moment < duration:
        arrivals.append(moment)
        moment += rng.expovariate(rate)
    return arrivals


def even_arrivals(rate: float, duration: float) -> list[float]:
    """Arrival offsets (s) exactly ``1 / rate`` apart within ``duration``."""
    return [index / rate for index in range(math.ceil(rate * duration - 1e-9))]


def loglog_slope(sizes: Sequence[float], values: Sequence[float | None]) -> float | None:
    """Least-squares slope of log(value) against log(size): 0 flat, 1 linear growth.

    Sizes of 0 and missing values are left out (log 0 is undefined); None below two points."""
    points = [(math.log(s), math.log(v)) for s, v in zip(sizes, values, strict=True) if s and v]
    if len(points) < 2:
        return None
    xs, ys = zip(*points, strict=True)
    return round(statistics.linear_regression(xs, ys).slope, 3)

"""What the figures were measured on: the machine and the versions of what matters."""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
from importlib import metadata
from pathlib import Path

PACKAGES = ("rasa", "rasa-sdk", "python-telegram-bot", "sqlite-utils", "tensorflow")


def meminfo_mib(path: Path = Path("/proc/meminfo")) -> dict[str, float]:
    """MemTotal and MemAvailable from /proc/meminfo, in MiB."""
    values = {}
    for line in path.read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("MemTotal", "MemAvailable"):
            values[name] = round(int(rest.split()[0]) / 1024, 1)
    return values


def cpu_model() -> str | None:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return None


def load_average() -> float:
    """The 1-minute load average: how busy the machine was with everything on it."""
    return float(Path("/proc/loadavg").read_text().split()[0])


def machine() -> dict:
    return {
        "cores": os.cpu_count(),
        "cpu": cpu_model(),
        "memory_mib": meminfo_mib(),
        "platform": platform.platform(),
    }


def versions() -> dict:
    found = {"python": sys.version.split()[0], "sqlite": sqlite3.sqlite_version}
    for package in PACKAGES:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = None
    return found

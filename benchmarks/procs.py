"""Processes we start and their memory, read from /proc (psutil is not a dependency)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

ROLES = ("front end", "Rasa server", "action server")


def children(pid: int) -> list[int]:
    """Direct children of ``pid`` (all threads), from /proc/<pid>/task/*/children."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(child) for child in (task / "children").read_text().split()]
    return found


def descendants(pid: int) -> list[int]:
    result, todo = [], children(pid)
    while todo:
        child = todo.pop()
        result.append(child)
        todo += children(child)
    return result


def status_kb(pid: int, *keys: str) -> dict[str, int]:
    """Fields such as VmRSS/VmHWM of /proc/<pid>/status, in kB (missing ones left out)."""
    values: dict[str, int] = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in keys:
                values[name] = int(rest.split()[0])
    return values


def pss_kb(pid: int) -> int | None:
    """Proportional set size: shared pages split between the processes sharing them."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return None


def role_of(cmdline: str) -> str:
    if "action_server" in cmdline or "rasa_sdk" in cmdline:
        return "action server"
    if "rasa_server" in cmdline:
        return "Rasa server"
    return "front end"


def cmdline(pid: int) -> str:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    return ""


def process_roles(launcher_pid: int) -> dict[int, str]:
    """The launcher (front end) and every process below it, each with the role it serves.

    A grandchild counts towards the role of the launcher's child above it.
    """
    roles = {launcher_pid: "front end"}
    for child in children(launcher_pid):
        role = role_of(cmdline(child))
        roles[child] = role
        roles.update({pid: role for pid in descendants(child)})
    return roles


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time ``pid`` has used so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_by_role(launcher_pid: int) -> dict[str, float]:
    """CPU seconds used so far by each role's processes, and by this (the harness) one:
    the fake Bot API server and the simulated users."""
    used = dict.fromkeys(ROLES, 0.0)
    for pid, role in process_roles(launcher_pid).items():
        used[role] += cpu_seconds(pid)
    used["harness"] = time.process_time()
    return used


def mib(kb: float | None) -> float | None:
    return None if kb is None else round(kb / 1024, 1)


@dataclass
class MemorySampler:
    """Samples VmRSS (and PSS) of the whole process tree every ``interval`` seconds."""

    launcher_pid: int
    interval: float = 1.0
    peak_rss_kb: dict[str, int] = field(default_factory=dict)
    peak_total_rss_kb: int = 0
    peak_total_pss_kb: int = 0
    samples: int = 0

    def sample(self) -> dict[str, int]:
        by_role: dict[str, int] = dict.fromkeys(ROLES, 0)
        pss = 0
        for pid, role in process_roles(self.launcher_pid).items():
            by_role[role] += status_kb(pid, "VmRSS").get("VmRSS", 0)
            pss += pss_kb(pid) or 0
        for role, kb in by_role.items():
            self.peak_rss_kb[role] = max(self.peak_rss_kb.get(role, 0), kb)
        self.peak_total_rss_kb = max(self.peak_total_rss_kb, sum(by_role.values()))
        self.peak_total_pss_kb = max(self.peak_total_pss_kb, pss)
        self.samples += 1
        return {**by_role, "total": sum(by_role.values()), "total_pss": pss}

    async def run(self) -> None:
        while True:
            self.sample()
            await asyncio.sleep(self.interval)

    def report(self) -> dict:
        return {
            "samples": self.samples,
            "peak_rss_mib": {role: mib(kb) for role, kb in self.peak_rss_kb.items()},
            "peak_total_rss_mib": mib(self.peak_total_rss_kb),
            "peak_total_pss_mib": mib(self.peak_total_pss_kb),
        }


def snapshot(launcher_pid: int) -> dict:
    """RSS now and VmHWM (the kernel's lifetime peak) per process and role, in MiB."""
    processes = []
    for pid, role in process_roles(launcher_pid).items():
        values = status_kb(pid, "VmRSS", "VmHWM")
        processes.append(
            {
                "pid": pid,
                "role": role,
                "cmd": cmdline(pid)[:120],
                "rss_mib": mib(values.get("VmRSS")),
                "hwm_mib": mib(values.get("VmHWM")),
                "pss_mib": mib(pss_kb(pid)),
            }
        )
    total = {
        key: round(sum(p[key] or 0 for p in processes), 1)
        for key in ("rss_mib", "hwm_mib", "pss_mib")
    }
    return {"processes": processes, "total": total}


def with_env(name: str, value: str) -> list[int]:
    """Processes whose environment holds ``name=value`` (e.g. our unique DATA_DIR)."""
    needle = f"{name}={value}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            with contextlib.suppress(OSError):
                if needle in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
    return found


class Launcher:
    """``python -m bot run`` in its own process group, always stopped with its children.

    The children run in sessions of their own; any left behind (say the launcher was
    killed mid-start) are found by the unique DATA_DIR in their environment.
    """

    def __init__(self, args: list[str], env: dict[str, str], log_path: Path, cwd: Path) -> None:
        self.args, self.env, self.log_path, self.cwd = args, env, log_path, cwd
        self.process: subprocess.Popen | None = None
        self.known_children: set[int] = set()
        self.stopped = False

    def start(self) -> int:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.args,
                cwd=self.cwd,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self.process.pid

    def remember_children(self) -> None:
        """Note the children's pids (stopping the launcher's group does not reach them)."""
        if self.process and self.process.poll() is None:
            self.known_children.update(children(self.process.pid))

    def stop(self, grace: float = 20.0) -> int | None:
        """SIGTERM the launcher's group (it stops its children), then SIGKILL leftovers."""
        if self.process is None or self.stopped:
            return None if self.process is None else self.process.returncode
        self.remember_children()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            code = self.process.wait(grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            code = self.process.wait()
        deadline = time.monotonic() + grace
        for pid in self.known_children | set(with_env("DATA_DIR", self.env["DATA_DIR"])):
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            if _alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
        self.stopped = True
        return code


def _alive(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"

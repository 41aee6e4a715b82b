"""Run one command and measure its wall time, CPU time and memory.

Wall time is ``time.perf_counter`` around start and exit of the process. The
process is reaped with ``os.wait4``, whose ``ru_maxrss`` is the kernel's
peak resident set size of the largest single process in the tree (the child
and every descendant it waited for). To split memory between the tool and
the programs it starts, a thread reads ``/proc/<pid>/status`` of every
process in the tree every 50 ms, and every 250 ms ``/proc/<pid>/smaps_rollup``
of those whose group has more than one process at that moment, and groups
processes by command name. Per group it keeps the largest sum of
``VmRSS`` and of ``Pss`` seen at one sample, and the largest ``VmHWM`` (a
process's own peak) of any member. Forked workers share most of their
memory with their parent, which a sum of RSS counts once per process; the
proportional set size (PSS) divides each shared page among the processes
that map it, so its sum is the memory the group really uses.
"""

from __future__ import annotations

import logging
import os
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

SAMPLE_INTERVAL = 0.05
# The proportional set sizes are read at every fifth sample only, every
# 250 ms: reading them walks each process's memory map and slows the
# processes measured.
PSS_EVERY = 5


@dataclass
class GroupMemory:
    """Memory of the processes of one group, in KiB."""

    peak_sum_rss_kb: int = 0
    peak_sum_pss_kb: int = 0
    max_hwm_kb: int = 0
    processes: int = 0

    @property
    def peak_kb(self) -> int:
        """Return the group's peak: the sampled PSS sum (the RSS sum where PSS
        cannot be read), or one member's own peak if larger."""
        total = self.peak_sum_pss_kb or self.peak_sum_rss_kb
        return max(total, self.max_hwm_kb)


@dataclass
class Measurement:
    """Result of one measured command."""

    command: list[str]
    seconds: float
    exit_code: int
    cpu_seconds: float
    max_rss_kb: int
    groups: dict[str, GroupMemory] = field(default_factory=dict)

    def describe(self) -> str:
        """Return the wall time and peak memory per group on one line."""
        memory = ", ".join(
            f"{name} {megabytes(group.peak_kb):.0f} MB"
            for name, group in sorted(self.groups.items())
        )
        return f"{self.seconds:.2f} s, peak RSS {memory or 'not sampled'}"

    def to_json(self) -> dict[str, object]:
        """Return the measurement as plain JSON values."""
        data = asdict(self)
        for name, group in self.groups.items():
            data["groups"][name]["peak_kb"] = group.peak_kb
        return data


def megabytes(kib: float) -> float:
    """Convert KiB to MB (10^6 bytes)."""
    return kib * 1024 / 1e6


def process_name(name: str) -> str:
    """Return the memory group of a process: Pagefind, or the measured tool itself."""
    return "pagefind" if name.startswith("pagefind") else "tool"


class TreeSampler(threading.Thread):
    """Thread that samples the memory of a process and its descendants."""

    def __init__(self, root_pid: int, classify: Callable[[str], str]) -> None:
        super().__init__(daemon=True)
        self.root_pid = root_pid
        self.classify = classify
        self.groups: dict[str, GroupMemory] = {}
        self.seen: dict[int, str] = {}
        self.samples = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        """Sample until ``stop`` is called."""
        while True:
            self.sample()
            if self.stopping.wait(SAMPLE_INTERVAL):
                return

    def stop(self) -> None:
        """Stop sampling and wait for the thread to end."""
        self.stopping.set()
        self.join()

    def sample(self) -> None:
        """Add one reading of every process in the tree to the group totals."""
        self.samples += 1
        read_shared = self.samples % PSS_EVERY == 1
        members: dict[str, list[tuple[int, int]]] = {}
        for pid in descendants(self.root_pid):
            status = read_status(pid)
            if status is None:
                continue
            group_name = self.classify(status["Name"])
            group = self.groups.setdefault(group_name, GroupMemory())
            if pid not in self.seen:
                self.seen[pid] = status["Name"]
                group.processes += 1
            rss = kib(status.get("VmRSS", "0 kB"))
            group.max_hwm_kb = max(group.max_hwm_kb, kib(status.get("VmHWM", "0 kB")))
            members.setdefault(group_name, []).append((pid, rss))
        for group_name, processes in members.items():
            group = self.groups[group_name]
            rss_sum = sum(rss for _, rss in processes)
            group.peak_sum_rss_kb = max(group.peak_sum_rss_kb, rss_sum)
            # smaps_rollup walks a process's whole address space (10 ms for
            # 2.4 GB) on the cores the tools measured need. It is read only
            # where processes share memory; a lone process's RSS is at
            # least its PSS.
            if len(processes) == 1:
                pss_sum = rss_sum
            elif read_shared:
                pss_sum = sum(read_pss(pid) for pid, _ in processes)
            else:
                continue
            group.peak_sum_pss_kb = max(group.peak_sum_pss_kb, pss_sum)


def kib(value: str) -> int:
    """Return the number of KiB in a ``/proc`` status value such as ``1234 kB``."""
    return int(value.split()[0])


def read_pss(pid: int) -> int:
    """Return a process's proportional set size in KiB, or 0 when it cannot be read."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return 0
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return kib(line.partition(":")[2].strip())
    return 0


def read_status(pid: int) -> dict[str, str] | None:
    """Return the fields of ``/proc/<pid>/status``, or None once the process is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    fields = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def descendants(root_pid: int) -> list[int]:
    """Return ``root_pid`` and all its descendants, from the parent ids in ``/proc``."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except (FileNotFoundError, ProcessLookupError):
            continue
        # The command name in parentheses may contain spaces, so split after it.
        parent = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, pending = [], [root_pid]
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending.extend(children.get(pid, []))
    return found


def measure(
    command: list[str],
    cwd: Path,
    log_path: Path,
    classify: Callable[[str], str] = process_name,
) -> Measurement:
    """Run ``command`` in ``cwd`` with its output in ``log_path`` and measure it."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # Write what earlier steps left in the page cache to disk first, so that
    # the kernel's background writeback of their files does not take CPU
    # time from the step measured.
    os.sync()
    with log_path.open("wb") as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=cwd,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        sampler = TreeSampler(process.pid, classify)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        sampler.stop()
    exit_code = os.waitstatus_to_exitcode(status)
    # Popen did not reap the process itself, so tell it the exit status.
    process.returncode = exit_code
    return Measurement(
        command=command,
        seconds=seconds,
        exit_code=exit_code,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        max_rss_kb=usage.ru_maxrss,
        groups=sampler.groups,
    )

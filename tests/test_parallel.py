"""Work split over forked processes: results in order, streamed, and errors."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import GOOD_REPORT, write_files

from generator.cli import main
from generator.errors import BuildError
from generator.parallel import map_positions


def square(position: int) -> int:
    return position * position


def test_results_in_order() -> None:
    assert map_positions(square, 500, 2) == [p * p for p in range(500)]


def test_receive_gets_every_chunk() -> None:
    received: list[tuple[int, int]] = []

    def receive(start: int, results: list[int]) -> None:
        received.extend(zip(range(start, start + len(results)), results, strict=True))

    assert map_positions(square, 5000, 2, receive) == []
    assert sorted(received) == [(p, p * p) for p in range(5000)]


def test_receive_without_workers() -> None:
    received: list[tuple[int, list[int]]] = []
    assert map_positions(square, 10, 2, lambda s, r: received.append((s, r))) == []
    assert received == [(0, [p * p for p in range(10)])]


@pytest.mark.parametrize("failing", [100, 900])
def test_task_error_raised(failing: int) -> None:
    def task(position: int) -> bytes:
        if position == failing:
            raise ValueError(f"failed at {position} in {os.getpid()}")
        # Large results fill the pipe, which must not keep a worker alive.
        return b"x" * 100_000

    with pytest.raises(ValueError, match=f"failed at {failing}"):
        map_positions(task, 1000, 2, lambda start, results: None)


def test_interrupted_build_keeps_site(tmp_path: Path) -> None:
    content = write_files(tmp_path / "content", {"old.md": GOOD_REPORT})
    site = tmp_path / "site"
    assert main(["build", "--content", str(content), "--output", str(site), "-q"]) == 0
    before = sorted(path.name for path in site.rglob("*"))
    for number in range(400):
        (content / f"2024-01-01-report-{number}.md").write_text(GOOD_REPORT)
    command = [sys.executable, "-m", "generator", "build", "--content", str(content),
               "--output", str(site), "--jobs", "2"]  # fmt: skip
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    # The build is loading once it prints which folder it reads.
    while "reading" not in process.stderr.readline():
        pass
    process.send_signal(signal.SIGINT)
    errors = process.stderr.read()
    assert process.wait(timeout=60) == 130
    assert errors.splitlines()[-1] == "pmkb: interrupted"
    assert sorted(path.name for path in site.rglob("*")) == before
    assert not (tmp_path / ".site.staging").exists()


def test_build_error_pickles() -> None:
    # Worker processes send errors to the main process pickled.
    error = BuildError.at("theme/x.html", 3, 1, "template failed", "fix it")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is BuildError
    assert copy.problems == error.problems
    assert str(copy) == str(error)

"""Work split over forked processes: results in order, streamed, and errors."""

from __future__ import annotations

import os

import pytest

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

"""Run per-item work in worker processes.

Workers are forked, so they start with a copy of the parent's memory: the
loaded reports, the page list and the compiled templates are not sent to
them. The items are cut into chunks that the workers and the parent claim
one at a time from a shared counter, so uneven items even out. The parent
works too instead of waiting, which saves one worker's copy of the memory. Small jobs, a single job and processes that already run other
threads (forking those can deadlock) run in this process instead.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

log = logging.getLogger(__name__)

Result = TypeVar("Result")

# Below this many items the cost of starting workers outweighs the gain.
MIN_PARALLEL_ITEMS = 64

_task: Callable[[int], Any] | None = None
_chunks: list[tuple[int, int]] = []
_next_chunk: Any = None


def default_jobs() -> int:
    """Return the number of CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def _claim_chunks() -> list[tuple[int, list[Any]]]:
    """Process chunks until none is left, and return (chunk number, results) pairs."""
    assert _task is not None
    done: list[tuple[int, list[Any]]] = []
    while True:
        with _next_chunk.get_lock():
            number = _next_chunk.value
            _next_chunk.value += 1
        if number >= len(_chunks):
            return done
        start, end = _chunks[number]
        done.append((number, [_task(position) for position in range(start, end)]))


def map_positions(
    task: Callable[[int], Result], count: int, jobs: int | None
) -> list[Result]:
    """Return ``[task(0), …, task(count - 1)]``, computed by up to ``jobs`` processes."""
    global _task, _chunks, _next_chunk
    jobs = jobs or default_jobs()
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    if (
        jobs <= 1
        or count < MIN_PARALLEL_ITEMS
        or not can_fork
        or threading.active_count() > 1
    ):
        return [task(position) for position in range(count)]

    # Many chunks per process even out uneven items: the processes finish
    # within about one chunk of each other (0.4 s of loading at 10,000).
    size = max(8, count // (jobs * 32))
    context = multiprocessing.get_context("fork")
    _task = task
    _chunks = [(start, min(start + size, count)) for start in range(0, count, size)]
    _next_chunk = context.Value("i", 0)
    try:
        with ProcessPoolExecutor(max_workers=jobs - 1, mp_context=context) as pool:
            futures = [pool.submit(_claim_chunks) for _ in range(jobs - 1)]
            parts = _claim_chunks()
            for future in futures:
                parts.extend(future.result())
    finally:
        _task, _chunks, _next_chunk = None, [], None
    results: list[Result] = []
    for _, part in sorted(parts, key=lambda item: item[0]):
        results.extend(part)
    return results

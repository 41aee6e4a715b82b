"""Run per-item work in worker processes.

Workers are forked, so they start with a copy of the parent's memory: the
loaded reports, the page list and the compiled templates are not sent to
them. A task names a chunk of items by position and the worker returns only
small results. Small jobs, a single job and processes that already run other
threads (forking those can deadlock) run in this process instead.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

log = logging.getLogger(__name__)

Result = TypeVar("Result")

# Below this many items the cost of starting workers outweighs the gain.
MIN_PARALLEL_ITEMS = 64

_task: Callable[[int], Any] | None = None


def default_jobs() -> int:
    """Return the number of CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def _run_chunk(bounds: tuple[int, int]) -> list[Any]:
    assert _task is not None
    return [_task(position) for position in range(*bounds)]


def map_positions(
    task: Callable[[int], Result], count: int, jobs: int | None
) -> list[Result]:
    """Return ``[task(0), …, task(count - 1)]``, computed by up to ``jobs`` processes."""
    global _task
    jobs = jobs or default_jobs()
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    if (
        jobs <= 1
        or count < MIN_PARALLEL_ITEMS
        or not can_fork
        or threading.active_count() > 1
    ):
        return [task(position) for position in range(count)]

    # Several chunks per worker even out uneven items.
    size = max(8, count // (jobs * 8))
    chunks = [(start, min(start + size, count)) for start in range(0, count, size)]
    _task = task
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            results: list[Result] = []
            for part in pool.map(_run_chunk, chunks):
                results.extend(part)
            return results
    finally:
        _task = None


def split_evenly(items: Sequence[Any], parts: int) -> list[Sequence[Any]]:
    """Split items into ``parts`` runs of nearly equal length."""
    size, extra = divmod(len(items), parts)
    runs, start = [], 0
    for index in range(parts):
        end = start + size + (1 if index < extra else 0)
        runs.append(items[start:end])
        start = end
    return runs

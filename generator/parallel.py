"""Run per-item work in worker processes.

Workers are forked, so they start with a copy of the parent's memory: the
loaded reports, the page list and the compiled templates are not sent to
them. The items are cut into chunks that the workers and the parent claim
one at a time from a shared counter, so uneven items even out. The parent
works too instead of waiting, which saves one worker's copy of the memory.
A caller can also take each chunk's results in as soon as they are done,
while the workers go on. Small jobs, a single job and processes that
already run other threads (forking those can deadlock) run in this
process instead.
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
# With a receiver: the queue the workers send each chunk's results through,
# and the process that receives them.
_sent: Any = None
_parent = 0

Receiver = Callable[[int, list[Any]], None]


def default_jobs() -> int:
    """Return the number of CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def _claim_chunks(receive: Receiver | None = None) -> list[tuple[int, list[Any]]]:
    """Process chunks until none is left, and return (chunk number, results) pairs.

    With a queue to send them through, a worker sends each chunk's results
    at once, and the parent passes its own and the received ones to ``receive``.
    """
    assert _task is not None
    done: list[tuple[int, list[Any]]] = []
    worker = os.getpid() != _parent
    if worker and _sent is not None:
        # A worker that fails must still exit while its results wait unread.
        _sent.cancel_join_thread()
    while True:
        with _next_chunk.get_lock():
            number = _next_chunk.value
            _next_chunk.value += 1
        if number >= len(_chunks):
            return done
        start, end = _chunks[number]
        results = [_task(position) for position in range(start, end)]
        if _sent is None:
            done.append((number, results))
        elif worker:
            _sent.put((start, results))
        else:
            assert receive is not None
            receive(start, results)
            _receive_ready(receive)


def _receive_ready(receive: Receiver) -> None:
    """Pass the chunks the workers have sent so far to ``receive``."""
    while not _sent.empty():
        receive(*_sent.get())


def map_positions(
    task: Callable[[int], Result],
    count: int,
    jobs: int | None,
    receive: Receiver | None = None,
) -> list[Result]:
    """Return ``[task(0), …, task(count - 1)]``, computed by up to ``jobs`` processes.

    With ``receive``, this process calls ``receive(first position, results)``
    for each chunk of results as soon as it has them, and returns an empty
    list. It then handles the workers' results while the workers still work,
    not all at the end.
    """
    global _task, _chunks, _next_chunk, _sent, _parent
    jobs = jobs or default_jobs()
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    if (
        jobs <= 1
        or count < MIN_PARALLEL_ITEMS
        or not can_fork
        or threading.active_count() > 1
    ):
        computed = [task(position) for position in range(count)]
        if receive is None:
            return computed
        receive(0, computed)
        return []

    # Many chunks per process even out uneven items: the processes finish
    # within about one chunk of each other (0.4 s of loading at 10,000).
    size = max(8, count // (jobs * 32))
    context = multiprocessing.get_context("fork")
    _task = task
    _chunks = [(start, min(start + size, count)) for start in range(0, count, size)]
    _next_chunk = context.Value("i", 0)
    _sent = context.Queue() if receive else None
    _parent = os.getpid()
    handled = 0

    def counted(start: int, results: list[Any]) -> None:
        nonlocal handled
        handled += 1
        assert receive is not None
        receive(start, results)

    try:
        with ProcessPoolExecutor(max_workers=jobs - 1, mp_context=context) as pool:
            futures = [pool.submit(_claim_chunks) for _ in range(jobs - 1)]
            parts = _claim_chunks(counted if receive else None)
            for future in futures:
                parts.extend(future.result())
            # The chunks the workers sent after this process's last look.
            while _sent is not None and handled < len(_chunks):
                counted(*_sent.get())
    finally:
        if _sent is not None:
            _sent.close()
        _task, _chunks, _next_chunk, _sent = None, [], None, None
    results: list[Result] = []
    for _, part in sorted(parts, key=lambda item: item[0]):
        results.extend(part)
    return results

"""Load a whole collection: read every file, and load each report from the
cache when its file did not change, the others in worker processes."""

from __future__ import annotations

import gc
import logging
import os
import pickle
import time
from pathlib import Path

from generator.cache import BuildCache
from generator.config import Config
from generator.errors import Level, Problem, plural
from generator.load import LoadResult, fingerprint, load_postmortem
from generator.parallel import map_positions
from generator.search_doc import write_search_document

log = logging.getLogger(__name__)


def display_root(content_dir: Path) -> str:
    """Return how paths of content files are shown: relative to the working folder."""
    try:
        return content_dir.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return content_dir.as_posix()


def shown_path(shown_root: str, source_path: str) -> str:
    """Return a content file's path as it is shown from the working folder."""
    if source_path == ".":
        return shown_root or "."
    return source_path if shown_root in ("", ".") else f"{shown_root}/{source_path}"


def relocate_problem(problem: Problem, shown_root: str) -> Problem:
    """Return the problem with its path shown from the working folder."""
    path = shown_path(shown_root, problem.path)
    return Problem(
        path,
        problem.line,
        problem.column,
        problem.level,
        problem.message,
        problem.hint,
        problem.rule,
    )


def read_sources(
    content_dir: Path, sources: list[str], problems: list[Problem]
) -> dict[str, bytes]:
    """Read every postmortem file; add an error to ``problems`` for each that
    cannot be read."""
    if not sources and not any(p.level is Level.ERROR for p in problems):
        log.warning(
            "no postmortems found in %s: it has no .md files besides README.md",
            display_root(content_dir),
        )
    files = {}
    for source in sources:
        try:
            files[source] = (content_dir / source).read_bytes()
        except OSError as error:
            message = f"cannot read the file: {error.strerror or error}"
            hint = (
                "give your user read access to it, or move it out of the content folder"
            )
            problems.append(Problem(source, 1, 1, Level.ERROR, message, hint))
    return files


def load_all(
    content_dir: Path,
    config: Config,
    files: dict[str, bytes],
    cache: BuildCache | None = None,
    jobs: int | None = 1,
    search_folder: Path | None = None,
) -> list[LoadResult]:
    """Load every postmortem, from the cache where possible, the rest in parallel.

    With a search folder, the search document of each report loaded here is
    written into it, and its result's search_written is set.
    """
    shown = display_root(content_dir)
    config_fingerprint = config.fingerprint()
    keys = {
        source: fingerprint(source, data, config_fingerprint)
        for source, data in files.items()
    }
    cached = cache.get_loads(keys.values()) if cache else {}
    missing = [source for source in files if keys[source] not in cached]
    started = time.perf_counter()
    parent = os.getpid()

    def load(position: int) -> tuple[bytes, LoadResult | None, bool]:
        # Workers send their results pickled, and the same bytes go into the
        # cache; what this process loaded itself need not be unpickled.
        source = missing[position]
        result = load_postmortem(source, files[source], config)
        blob = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
        written = bool(
            search_folder
            and result.postmortem
            and write_search_document(search_folder, result.postmortem)
        )
        return blob, result if os.getpid() == parent else None, written

    written: set[str] = set()

    def receive(start: int, part: list[tuple[bytes, LoadResult | None, bool]]) -> None:
        # Called for each chunk as soon as it is done, while the workers
        # still load. The workers' results are unpickled here. Each pickle is
        # stored in the cache and then freed, so they are never all in memory.
        rows = []
        for offset, (blob, result, wrote) in enumerate(part):
            source = missing[start + offset]
            cached[keys[source]] = pickle.loads(blob) if result is None else result
            if wrote:
                written.add(source)
            rows.append((keys[source], blob))
        if cache:
            cache.put_loads(rows)

    # Loading makes no reference cycles (none in 10,000 reports), so the
    # cyclic garbage collector would only scan the growing set of loaded
    # reports again and again, which took 7% of the load time.
    gc.disable()
    try:
        map_positions(load, len(missing), jobs, receive)
    finally:
        # Out of the collector's sight for the same reason: its first full
        # pass over them would find nothing and took 0.5 s at 10,000 reports.
        # pmkb build releases them again at its end.
        gc.freeze()
        gc.enable()
    log.debug("loaded %s in worker processes", plural(len(missing), "file"))
    if cache:
        cache.put_loads([], set(keys.values()))
        cache.remember({key: cached[key] for key in keys.values()})
        log.debug("stored the loaded reports in the cache")
    if missing:
        log.info(
            "loaded %s in %.2f s, and %d unchanged from the cache",
            plural(len(missing), "file"),
            time.perf_counter() - started,
            len(keys) - len(missing),
        )

    results = []
    for source in files:
        stored = cached[keys[source]]
        # Problems name the file as the user would open it from here.
        problems = [relocate_problem(p, shown) for p in stored.problems]
        results.append(
            LoadResult(
                stored.source_path, stored.postmortem, problems, source in written
            )
        )
    return results

"""``pmkb serve``: build, serve on 127.0.0.1, rebuild on change, reload the browser.

The site is built into its own folder with a small reload script in every
page. After each rebuild the server sends connected browsers, as
server-sent events, the pages that changed, and those browsers reload. A
broken file never stops the server: it keeps serving the last good site,
and the pages show the problems in an overlay until the file is fixed.

An edited report is rendered first, straight into the live folder, so its
page shows the change at once. The full rebuild that updates lists, indexes
and trends follows, and the search index is refreshed after that in the
background.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from pathlib import Path

from generator.build import BuildOptions, BuildResult, build
from generator.cli_options import EXIT_USAGE
from generator.errors import Problem, plural
from generator.quick import render_changed_reports
from generator.search_refresh import SearchRefresher
from generator.search_step import search_source_folder
from generator.serve_http import QuietServer, ServeState, make_handler
from generator.templates import DEFAULT_THEME
from generator.watch import ChangeCollector, start_watching

log = logging.getLogger(__name__)


class Rebuilder:
    """Runs builds one at a time and sends browsers the outcome."""

    def __init__(self, options: BuildOptions, state: ServeState):
        self.options = options
        self.state = state
        self.last: BuildResult | None = None
        # Held while the site folder is swapped and while a page is written into it.
        self.swap_lock = threading.Lock()
        options.commit_lock = self.swap_lock
        # Errors the quick render has logged, so the full rebuild does not repeat them.
        # The problems printed so far and still present, so each is printed once.
        self.shown: set[str] = set()
        source = search_source_folder(options)
        self.search = (
            SearchRefresher(options.output_dir, source) if options.search else None
        )

    def full_build(self, reason: str) -> BuildResult:
        """Build the site, publish the outcome, and log one line about it."""
        if self.search:
            self.search.cancel()
        started = time.perf_counter()
        # Without the data of a build, an edited report cannot be rendered on its own.
        self.options.always_load = self.last is None or self.last.data is None
        result = build(self.options)
        seconds = time.perf_counter() - started
        errors = [p for p in result.report.problems if p.level.value == "error"]
        with self.state.lock:
            self.state.problems = result.report.sorted()
            self.state.generation += 1
            self.state.has_site = self.state.has_site or result.written
        # After the first build only the one line per rebuild below is logged.
        for name in (
            "generator.build",
            "generator.publish",
            "generator.render",
            "generator.search",
        ):
            logging.getLogger(name).setLevel(logging.WARNING)
        if result.written:
            if result.data is not None or self.last is None:
                self.last = result
            log.info(
                "%s: %s, %s in %.2f s",
                "built" if reason == "start" else f"rebuilt after {reason}",
                plural(result.postmortems, "postmortem"),
                plural(len(result.report.warnings), "warning"),
                seconds,
            )
            self.state.broadcast("status", self.state.status())
            self.state.broadcast("reload", {"paths": page_urls(result.changed_pages)})
            if self.search and result.search_stale:
                if result.postmortems:
                    self.search.start()
                else:
                    self.search.clear()
        else:
            log.warning(
                "build failed after %s with %s; still serving the last good site",
                reason,
                plural(len(errors), "error"),
            )
            self.state.broadcast("status", self.state.status())
        self.print_new(result.report.sorted())
        self.shown = {problem.format() for problem in result.report.problems}
        return result

    def print_new(self, problems: list[Problem]) -> None:
        """Print the problems that were not printed before, warnings folded."""
        from generator.cli import print_problems

        new = [p for p in problems if p.format() not in self.shown]
        print_problems(new, fold=True)
        self.shown.update(p.format() for p in new)

    def quick_render(self, changed: set[Path]) -> bool:
        """Render edited reports into the live site first; False when a full build is needed anyway."""
        if self.last is None or self.last.data is None:
            return False
        started = time.perf_counter()
        try:
            with self.swap_lock:
                outcome = render_changed_reports(self.last.data, self.options, changed)
        except OSError as error:
            log.warning(
                "could not update the changed pages at once, the rebuild will: %s",
                error,
            )
            return False
        if outcome is None:
            return False
        urls, problems = outcome
        if problems:
            with self.state.lock:
                self.state.problems = problems
                self.state.generation += 1
            self.state.broadcast("status", self.state.status())
            log.warning(
                "problems in %s; the last good version stays online", describe(changed)
            )
            self.print_new(problems)
            return True
        # The saved files load cleanly now, so their old errors go at once
        # instead of after the full rebuild.
        fixed = {str(path.resolve()) for path in changed}
        with self.state.lock:
            self.state.problems = [
                p for p in self.state.problems
                if p.level.value != "error" or str(Path(p.path).resolve()) not in fixed
            ]  # fmt: skip
        self.state.broadcast("status", self.state.status())
        self.state.broadcast("reload", {"paths": urls})
        log.info("updated %s in %.2f s", ", ".join(urls), time.perf_counter() - started)
        return False


class BackgroundBuilder(threading.Thread):
    """Runs full rebuilds one after another while edits keep being shown at once.

    A full rebuild of a large collection takes seconds. Meanwhile each save
    still goes through the quick render, and the files saved during a
    rebuild are rendered again on its result, because that rebuild read them
    before they changed.
    """

    def __init__(self, rebuilder: Rebuilder, stop: threading.Event):
        super().__init__(name="pmkb-rebuild", daemon=True)
        self.rebuilder = rebuilder
        self.stop = stop
        self.pending: set[Path] = set()
        self.condition = threading.Condition()

    def request(self, changed: set[Path]) -> None:
        """Ask for a full rebuild after these changes."""
        with self.condition:
            self.pending.update(changed)
            self.condition.notify()

    def run(self) -> None:
        while not self.stop.is_set():
            with self.condition:
                while not self.pending and not self.stop.is_set():
                    self.condition.wait(timeout=0.5)
                if self.stop.is_set():
                    # Stopping: a change saved just before is not built any more.
                    return
                changed, self.pending = self.pending, set()
            if not changed:
                continue
            self.rebuilder.full_build(f"change to {describe(changed)}")
            with self.condition:
                arrived = set(self.pending)
            if arrived:
                self.rebuilder.quick_render(arrived)


def page_urls(output_paths: list[str]) -> list[str] | str:
    """Return the addresses of the pages a build rendered again, or "all"."""
    if len(output_paths) > 1000:
        return "all"
    return [f"/{path.removesuffix('index.html')}" for path in output_paths]


def watched_folders(options: BuildOptions, result: BuildResult | None) -> list[Path]:
    """Return the content folder, the settings file's folder and the theme folders."""
    folders = [options.content_dir, DEFAULT_THEME]
    if options.config_path:
        folders.append(options.config_path.parent)
    if result and result.data and result.data.config.theme_dir:
        folders.append(result.data.config.theme_dir)
    return folders


def describe(changed: set[Path]) -> str:
    """Return a short description of changed paths for the log."""
    # Editors' temporary files come and go; a deleted file with a known suffix is news.
    known = (".md", ".toml", ".html", ".xml", ".css", ".js", ".json")
    names = sorted(
        str(path) for path in changed if path.exists() or path.suffix in known
    )
    return ", ".join(names[:3]) + (
        f" and {len(names) - 3} more" if len(names) > 3 else ""
    )


class Stopped(BaseException):
    """The process was asked to stop with SIGTERM.

    Like KeyboardInterrupt, it is not an Exception: a handler that catches
    every Exception, such as logging's while it writes a line, must not
    swallow it, because the handler then ignores further SIGTERMs.
    """


def _raise_stopped(signal_number: int, frame: object) -> None:
    # A second SIGTERM (coreutils timeout also signals the whole group) must
    # not cut the clean-up short, so the first one switches them off.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Stopped


def serve(options: BuildOptions, port: int) -> int:
    """Build, serve and rebuild until interrupted; return the exit code."""
    state = ServeState()
    try:
        # Bound before the first build, so a port in use is known at once.
        server = QuietServer(
            ("127.0.0.1", port), make_handler(options.output_dir.resolve(), state)
        )
    except OSError as error:
        print(
            f"pmkb: error: cannot serve on 127.0.0.1 port {port}: "
            f"{error.strerror or error} (choose another with --port, "
            "or --port 0 for any free port)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    server.daemon_threads = True
    rebuilder = Rebuilder(options, state)
    first = rebuilder.full_build("start")
    host, bound_port = server.server_address[:2]
    log.info(
        "serving %s at http://%s:%d/ (press Ctrl+C to stop)",
        options.output_dir,
        host,
        bound_port,
    )

    ignored = [options.output_dir, options.cache_folder]
    folders = watched_folders(options, first)
    collector = ChangeCollector(folders, ignored)
    observer = start_watching(folders, collector)
    stop = threading.Event()
    threading.Thread(target=server.serve_forever, name="pmkb-http", daemon=True).start()
    # A service manager stops the server with SIGTERM: end as on Ctrl+C.
    signal.signal(signal.SIGTERM, _raise_stopped)
    builder = BackgroundBuilder(rebuilder, stop)
    builder.start()
    try:
        while not stop.is_set():
            changed = collector.wait_for_changes(stop)
            if not changed:
                continue
            # A rebuild follows even after an error: one that started before
            # the file broke would otherwise report the site as fine.
            rebuilder.quick_render(changed)
            builder.request(changed)
    except (KeyboardInterrupt, Stopped):
        log.info("stopping")
    finally:
        stop.set()
        server.stopping = True  # type: ignore[attr-defined]
        observer.stop()
        server.shutdown()
        server.server_close()
        if rebuilder.search:
            rebuilder.search.cancel()
        # A rebuild still running in its thread ends with the process. Holding
        # the lock lets a swap in progress finish and keeps another from starting.
        rebuilder.swap_lock.acquire()
    return 0

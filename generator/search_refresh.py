"""Refresh the search index of a live site in the background, for pmkb serve.

Pagefind writes the new index next to the live one, which is swapped in by
renaming when it is complete, so the search page always loads a whole index.
A newer rebuild cancels a refresh that is still running.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading
import time
from pathlib import Path

from generator.search import SEARCH_FOLDER, pagefind_command

log = logging.getLogger(__name__)

NEXT_FOLDER = ".pagefind-next"
OLD_FOLDER = ".pagefind-old"


class SearchRefresher:
    """Runs one Pagefind process at a time on the live output folder."""

    def __init__(self, output_dir: Path, source_dir: Path):
        self.output_dir = output_dir.resolve()
        # The search documents that the last build rendered.
        self.source_dir = source_dir
        self.process: subprocess.Popen[bytes] | None = None
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def start(self) -> None:
        """Start indexing the live site in the background."""
        self.cancel()
        command = pagefind_command(self.source_dir, self.output_dir / NEXT_FOLDER)
        if isinstance(command, str):
            log.warning("cannot refresh the search index: %s", command)
            return
        shutil.rmtree(self.output_dir / NEXT_FOLDER, ignore_errors=True)
        with self.lock:
            self.process = subprocess.Popen(
                command,
                cwd=self.source_dir,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            self.thread = threading.Thread(
                target=self._finish,
                args=(self.process, time.perf_counter()),
                name="pmkb-search",
                daemon=True,
            )
            self.thread.start()

    def _finish(self, process: subprocess.Popen[bytes], started: float) -> None:
        _, errors = process.communicate()
        with self.lock:
            if process is not self.process:
                return
            self.process = None
            if process.returncode != 0:
                if process.returncode > 0:
                    log.warning(
                        "search index refresh failed: %s",
                        errors.decode(errors="replace").strip()[-500:],
                    )
                return
            live, fresh, old = (
                self.output_dir / name
                for name in (SEARCH_FOLDER, NEXT_FOLDER, OLD_FOLDER)
            )
            shutil.rmtree(old, ignore_errors=True)
            if live.exists():
                live.rename(old)
            fresh.rename(live)
            shutil.rmtree(old, ignore_errors=True)
        log.info("search index refreshed in %.2f s", time.perf_counter() - started)

    def clear(self) -> None:
        """Remove the live index, for a site with no reports left."""
        self.cancel()
        shutil.rmtree(self.output_dir / SEARCH_FOLDER, ignore_errors=True)

    def cancel(self) -> None:
        """Stop a running refresh and wait until it is gone."""
        with self.lock:
            process, thread = self.process, self.thread
            self.process = None
        if process is not None and process.poll() is None:
            process.terminate()
        if thread is not None:
            thread.join(timeout=10)
        shutil.rmtree(self.output_dir / NEXT_FOLDER, ignore_errors=True)

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a running refresh to finish."""
        thread = self.thread
        if thread is not None:
            thread.join(timeout)

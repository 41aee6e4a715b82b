"""Watch the knowledge base for changes, the way editors really save files.

Editors write a temporary file and rename it over the original, or delete
and recreate it, and one save can produce several events. Events are
therefore only a hint that something changed: they are collected until the
files have been quiet for a short while, and the rebuild then reads the
folders as they are.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from generator.discover import is_ignored_name

log = logging.getLogger(__name__)

# How long the files must be quiet before a rebuild starts, in seconds.
QUIET_SECONDS = 0.05


class ChangeCollector(FileSystemEventHandler):
    """Collects the paths of relevant changes until the rebuild takes them."""

    def __init__(self, roots: list[Path], ignored: list[Path]):
        self.roots = [path.resolve() for path in roots]
        self.ignored = [path.resolve() for path in ignored]
        self.changed: set[Path] = set()
        self.last_event = 0.0
        self.condition = threading.Condition()

    def relevant(self, path: str) -> bool:
        """Tell whether a changed path can affect the site."""
        resolved = Path(path).resolve()
        if is_ignored_name(resolved.name):
            return False
        if any(
            resolved == folder or folder in resolved.parents for folder in self.ignored
        ):
            return False
        for root in self.roots:
            if root in resolved.parents:
                # Hidden folders such as .git inside a watched folder never matter.
                parts = resolved.relative_to(root).parts[:-1]
                return not any(part.startswith(".") for part in parts)
        return True

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return  # A file inside changed, and it has an event of its own.
        paths = [str(event.src_path)]
        if getattr(event, "dest_path", ""):
            paths.append(str(event.dest_path))
        relevant = [Path(p) for p in paths if self.relevant(p)]
        if not relevant:
            return
        with self.condition:
            self.changed.update(relevant)
            self.last_event = time.monotonic()
            self.condition.notify_all()

    def wait_for_changes(self, stop: threading.Event) -> set[Path]:
        """Block until changes arrived and went quiet; return their paths."""
        with self.condition:
            while not self.changed and not stop.is_set():
                self.condition.wait(timeout=0.5)
            while not stop.is_set():
                quiet = time.monotonic() - self.last_event
                if quiet >= QUIET_SECONDS:
                    break
                self.condition.wait(timeout=QUIET_SECONDS - quiet)
            changed, self.changed = self.changed, set()
            return changed


def start_watching(folders: list[Path], collector: ChangeCollector) -> BaseObserver:
    """Watch every folder recursively and return the running observer."""
    observer = Observer()
    for folder in dict.fromkeys(folder.resolve() for folder in folders):
        if folder.is_dir():
            observer.schedule(collector, str(folder), recursive=True)
            log.debug("watching %s", folder)
    observer.start()
    return observer

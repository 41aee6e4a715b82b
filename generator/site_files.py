"""Files next to the reports that the site publishes: images, logs, diagrams.

Only files that a published report links to are published, each under
``files/`` at its path in the content folder. A link to a file that is
missing, hidden or outside the content folder is a warning, and the file is
not published.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from generator.discover import is_ignored_name
from generator.errors import Level, Problem
from generator.links import FILES_FOLDER
from generator.model import Postmortem
from generator.write import SiteWriter

log = logging.getLogger(__name__)


def _file_problem(content_dir: Path, root: Path, path: str) -> str:
    """Say why a linked file cannot be published, or return "" when it can."""
    if path.startswith("../") or path == "..":
        return "leads out of the content folder"
    if any(is_ignored_name(part) for part in path.split("/")):
        return "names a hidden or temporary file, which is never published"
    target = content_dir / path
    if not target.is_file():
        return "is not found in the content folder"
    if root not in target.resolve().parents:
        return "leads through a symbolic link out of the content folder"
    return ""


def check_file_links(
    postmortems: list[Postmortem], content_dir: Path
) -> tuple[list[str], list[Problem]]:
    """Return the files the reports link to that can be published, and a
    warning for every link to one that cannot."""
    root = content_dir.resolve()
    verdicts: dict[str, str] = {}
    problems = []
    for postmortem in postmortems:
        for link in postmortem.file_links:
            if link.path not in verdicts:
                verdicts[link.path] = _file_problem(content_dir, root, link.path)
            reason = verdicts[link.path]
            if reason:
                message = f"link to '{link.path}' {reason}"
                hint = "put the file in the content folder; its path is relative to this report's folder"
                problems.append(
                    Problem(
                        postmortem.source_path,
                        link.line,
                        1,
                        Level.WARNING,
                        message,
                        hint,
                    )
                )
    published = sorted(path for path, reason in verdicts.items() if not reason)
    return published, problems


def file_stamps(content_dir: Path, paths: list[str]) -> list[tuple[str, int, int]]:
    """Return each file's size and modification time, to notice a changed file."""
    stamps = []
    for path in paths:
        try:
            status = os.stat(content_dir / path)
        except OSError:
            continue
        stamps.append((path, status.st_size, status.st_mtime_ns))
    return stamps


def write_linked_files(writer: SiteWriter, content_dir: Path, paths: list[str]) -> None:
    """Publish the linked files under ``files/``, keeping the unchanged ones."""
    for path in paths:
        try:
            data = (content_dir / path).read_bytes()
        except OSError as error:
            log.warning("failed to publish %s: %s", path, error.strerror or error)
            continue
        writer.write(f"{FILES_FOLDER}/{path}", data)

"""Files next to the reports that the site publishes: images, logs, diagrams.

Only files that a published report links to are published, each under
``files/`` at its path in the content folder. A link to a file that is
missing, hidden or outside the content folder is a warning, and the file is
not published.
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.discover import is_ignored_name
from generator.errors import BuildError, Level, Problem
from generator.links import FILES_FOLDER
from generator.model import Postmortem
from generator.write import SiteWriter


def _file_problem(content_dir: Path, root: Path, path: str) -> tuple[str, str]:
    """Say why a linked file cannot be published and what to do, or return
    two empty strings when it can."""
    move = "put the file in the content folder; its path is relative to this report's folder"
    if path.startswith("../") or path == "..":
        return "leads out of the content folder", move
    hidden = (
        "names a hidden or temporary file, which is never published",
        "rename the file so that no part of its path starts with '.'",
    )
    if any(is_ignored_name(part) for part in path.split("/")):
        return hidden
    target = content_dir / path
    if target.is_dir():
        return "names a folder, and folders are not published", "link to a file in it"
    if not target.is_file():
        return "is not found in the content folder", move
    resolved = target.resolve()
    if root not in resolved.parents:
        return "leads through a symbolic link out of the content folder", move
    if any(is_ignored_name(part) for part in resolved.relative_to(root).parts):
        return hidden
    return "", ""


def check_file_links(
    postmortems: list[Postmortem], content_dir: Path
) -> tuple[list[str], list[Problem]]:
    """Return the files the reports link to that can be published, and a
    warning for every link to one that cannot."""
    root = content_dir.resolve()
    verdicts: dict[str, tuple[str, str]] = {}
    problems = []
    for postmortem in postmortems:
        for link in postmortem.file_links:
            if link.path not in verdicts:
                verdicts[link.path] = _file_problem(content_dir, root, link.path)
            reason, hint = verdicts[link.path]
            if reason:
                message = f"link to '{link.path}' {reason}"
                problem = Problem(
                    postmortem.source_path, link.line, 1, Level.WARNING, message, hint
                )
                problems.append(problem)
    published = sorted(path for path, (reason, _) in verdicts.items() if not reason)
    return published, problems


def file_stamp(path: Path) -> str:
    """Return a stamp that changes when a file's bytes change, without reading
    them: size, modification and change times, and inode; "" when the file
    is missing. Writing a file sets its change time, and copying tools
    cannot set it back."""
    try:
        status = os.stat(path)
    except OSError:
        return ""
    return f"stat:{status.st_size}:{status.st_mtime_ns}:{status.st_ctime_ns}:{status.st_ino}"


def file_stamps(content_dir: Path, paths: list[str]) -> list[tuple[str, str]]:
    """Return the stamp of each linked file that exists, to notice a change."""
    stamps = [(path, file_stamp(content_dir / path)) for path in paths]
    return [(path, stamp) for path, stamp in stamps if stamp]


def write_linked_files(
    writer: SiteWriter, content_dir: Path, paths: list[str]
) -> set[str]:
    """Publish the linked files under ``files/``, copying only those that
    changed; return the paths of the changed ones."""
    changed = set()
    for path in paths:
        source = content_dir / path
        relative = f"{FILES_FOLDER}/{path}"
        stamp = file_stamp(source)
        if writer.previous_files.get(relative) != stamp:
            changed.add(path)
        try:
            writer.copy_file(relative, source, stamp)
        except OSError as error:
            raise BuildError.at(
                str(source), 1, 1,
                f"cannot publish {path}: {error.strerror or error}",
                "check that the file is readable and the output folder writable",
            ) from None  # fmt: skip
    return changed

"""Find the postmortem files of a knowledge base."""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePath, PurePosixPath

from generator.errors import Level, Problem

# Editor swap, backup and temporary files that must never be read as reports.
_IGNORED_NAME = re.compile(
    r"^(?:\.#.*|#.*#|.*~|.*\.(?:swp|swo|swx|tmp|bak|orig)|4913|.*___jb_(?:tmp|old)___)$"
)


def is_ignored_name(name: str) -> bool:
    """Tell whether a file name is an editor's swap, backup or temporary file."""
    return name.startswith(".") or bool(_IGNORED_NAME.match(name))


def is_postmortem_file(relative: PurePath) -> bool:
    """Tell whether a path below the content folder is a postmortem file."""
    if any(part.startswith((".", "_")) for part in relative.parts[:-1]):
        return False
    name = relative.name
    if is_ignored_name(name):
        return False
    if name.lower() == "readme.md":
        return False  # A folder's README describes the folder.
    return name.lower().endswith(".md")


def discover(
    content_dir: Path,
    output_dir: Path | None = None,
    problems: list[Problem] | None = None,
) -> list[str]:
    """Return the POSIX paths, relative to the content folder, of every postmortem.

    Symbolic links that lead out of the content folder, to a folder or
    nowhere are left out, and so are folders that cannot be read, each with
    a warning added to ``problems`` (an error for the content folder itself).
    """
    found: list[str] = []
    warnings: list[Problem] = []
    root = content_dir.resolve()
    skip = output_dir.resolve() if output_dir else None
    # Folders to read, with their paths relative to the content folder. The
    # directory entries tell files, folders and links apart without a stat
    # per file, which took half a second at 10,000 reports.
    folders = [(content_dir, "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as error:
            warnings.append(_unreadable_folder(prefix, error))
            continue
        for entry in entries:
            relative = prefix + entry.name
            if entry.is_symlink():
                _linked_file(entry, relative, root, skip, found, warnings)
            elif entry.is_dir():
                # No report lies below a hidden or underscore folder, nor in
                # the output folder when it sits inside the content folder.
                if not entry.name.startswith((".", "_")) and root / relative != skip:
                    folders.append((Path(entry.path), relative + "/"))
            elif entry.is_file() and is_postmortem_file(PurePosixPath(relative)):
                found.append(relative)
    if problems is not None:
        problems.extend(sorted(warnings, key=lambda problem: problem.path))
    return sorted(found)


def _unreadable_folder(prefix: str, error: OSError) -> Problem:
    """Return the problem of a folder that cannot be read: a warning, or an
    error for the content folder itself, which would give an empty site."""
    if not prefix:
        return unreadable_content_folder(".", error)
    message = (
        f"cannot read the folder: {error.strerror or error}; its reports are left out"
    )
    hint = "give your user read access to it"
    return Problem(prefix.rstrip("/"), 1, 1, Level.WARNING, message, hint)


def unreadable_content_folder(path: str, error: OSError) -> Problem:
    """Return the error of a content folder that cannot be read."""
    message = f"cannot read the content folder: {error.strerror or error}"
    return Problem(path, 1, 1, Level.ERROR, message, "give your user read access to it")


def _linked_file(
    entry: os.DirEntry[str],
    relative: str,
    root: Path,
    skip: Path | None,
    found: list[str],
    warnings: list[Problem],
) -> None:
    """Add a symbolic link to a report inside the content folder to ``found``,
    or a warning about a link that is left out to ``warnings``."""
    path = Path(entry.path)
    if is_postmortem_file(PurePosixPath(relative).with_suffix(".md")):
        reason, hint = _link_problem(path, root)
        if reason:
            if path.suffix.lower() == ".md" or path.is_dir():
                warnings.append(_link_warning(PurePosixPath(relative), reason, hint))
            return
    # Only a report's name is resolved: a link that loops, named like a swap
    # file, must not stop the walk.
    if not is_postmortem_file(PurePosixPath(relative)):
        return
    target = path.resolve()
    if skip and (target == skip or skip in target.parents):
        return
    if path.is_file():
        found.append(relative)


def _link_problem(path: Path, root: Path) -> tuple[str, str]:
    """Say why a symbolic link is left out and what to do, or return two
    empty strings when it is followed."""
    try:
        target = path.resolve()
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError on a loop.
        return (
            "is a symbolic link that leads back to itself",
            "delete the link, or point it at a report",
        )
    if not target.exists():
        return (
            "is a symbolic link to nothing",
            "delete the link, or point it at a report",
        )
    if target.is_dir():
        return (
            "is a symbolic link to a folder, and linked folders are not read",
            "move or copy the folder's reports into the content folder",
        )
    if root not in target.parents:
        return (
            "is a symbolic link to a file outside the content folder",
            "keep the knowledge base in one folder: move or copy the file into it",
        )
    return "", ""


def _link_warning(relative: PurePosixPath, reason: str, hint: str) -> Problem:
    message = f"{relative.name} {reason}; it is left out"
    return Problem(relative.as_posix(), 1, 1, Level.WARNING, message, hint)

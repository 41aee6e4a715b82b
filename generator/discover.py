"""Find the postmortem files of a knowledge base."""

from __future__ import annotations

import re
from pathlib import Path

from generator.errors import Level, Problem

# Editor swap, backup and temporary files that must never be read as reports.
_IGNORED_NAME = re.compile(
    r"^(?:\.#.*|#.*#|.*~|.*\.(?:swp|swo|swx|tmp|bak|orig)|4913|.*___jb_(?:tmp|old)___)$"
)


def is_ignored_name(name: str) -> bool:
    """Tell whether a file name is an editor's swap, backup or temporary file."""
    return name.startswith(".") or bool(_IGNORED_NAME.match(name))


def is_postmortem_file(relative: Path) -> bool:
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
    nowhere are left out, each with a warning added to ``problems``.
    """
    found = []
    root = content_dir.resolve()
    skip = output_dir.resolve() if output_dir else None
    for path in content_dir.rglob("*"):
        relative = path.relative_to(content_dir)
        if path.is_symlink() and is_postmortem_file(relative.with_suffix(".md")):
            reason, hint = _link_problem(path, root)
            if reason:
                if problems is not None and (
                    path.suffix.lower() == ".md" or path.is_dir()
                ):
                    problems.append(_link_warning(relative, reason, hint))
                continue
        if path.suffix.lower() != ".md":
            continue
        if skip and (path.resolve() == skip or skip in path.resolve().parents):
            continue
        if is_postmortem_file(relative) and path.is_file():
            found.append(relative.as_posix())
    return sorted(found)


def _link_problem(path: Path, root: Path) -> tuple[str, str]:
    """Say why a symbolic link is left out and what to do, or return two
    empty strings when it is followed."""
    target = path.resolve()
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


def _link_warning(relative: Path, reason: str, hint: str) -> Problem:
    message = f"{relative.name} {reason}; it is left out"
    return Problem(relative.as_posix(), 1, 1, Level.WARNING, message, hint)

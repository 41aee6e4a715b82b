"""Find the postmortem files of a knowledge base."""

from __future__ import annotations

import re
from pathlib import Path

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


def discover(content_dir: Path, output_dir: Path | None = None) -> list[str]:
    """Return the POSIX paths, relative to the content folder, of every postmortem."""
    found = []
    skip = output_dir.resolve() if output_dir else None
    for path in content_dir.rglob("*"):
        if path.suffix.lower() != ".md":
            continue
        if skip and (path.resolve() == skip or skip in path.resolve().parents):
            continue
        relative = path.relative_to(content_dir)
        if is_postmortem_file(relative) and path.is_file():
            found.append(relative.as_posix())
    return sorted(found)

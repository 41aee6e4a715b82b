"""Last-updated dates and contributors of content files, from git history.

One ``git log`` call reads the whole history of the content folder, instead
of one call per file. Outside a git repository, or without git, every file
simply has no history.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass
class FileHistory:
    """What git knows about one file."""

    updated: datetime | None = None
    created: datetime | None = None
    contributors: list[str] = field(default_factory=list)
    commits: int = 0


def read_history(content_dir: Path) -> dict[str, FileHistory]:
    """Return the history of every committed file, keyed by path relative to ``content_dir``."""
    if shutil.which("git") is None:
        return {}
    command = [
        "git", "-C", str(content_dir), "log", "--no-renames", "--relative",
        "--format=%x1e%aI%x1f%aN", "--name-only", "--", ".",
    ]  # fmt: skip
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=120, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        log.warning("could not read git history of %s: %s", content_dir, error)
        return {}
    if result.returncode != 0:
        log.debug("no git history for %s: %s", content_dir, result.stderr.strip())
        return {}

    histories: dict[str, FileHistory] = {}
    # Newest commit first, so the first date seen for a file is its last update.
    for record in result.stdout.split("\x1e"):
        lines = [line for line in record.split("\n") if line.strip()]
        if not lines or "\x1f" not in lines[0]:
            continue
        stamp, author = lines[0].split("\x1f", 1)
        moment = datetime.fromisoformat(stamp)
        for name in lines[1:]:
            history = histories.setdefault(name, FileHistory())
            if history.updated is None:
                history.updated = moment
            history.created = moment
            history.commits += 1
            if author not in history.contributors:
                history.contributors.append(author)
    return histories


def git_state(content_dir: Path) -> tuple[str, str]:
    """Return the commit checked out and the content folder's path in the repository."""
    try:
        result = subprocess.run(
            ["git", "-C", str(content_dir), "rev-parse", "HEAD", "--show-prefix"],
            capture_output=True, text=True, timeout=30, check=False,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return "", ""
    lines = result.stdout.split("\n")
    if result.returncode != 0 or len(lines) < 2:
        return "", ""
    return lines[0].strip(), lines[1].strip()

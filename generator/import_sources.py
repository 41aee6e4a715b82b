"""Find and read the source files of ``pmkb import``.

A source is any file below the source folder with a Markdown extension,
or without an extension when it starts like Markdown (an H1 heading).
Text that is not UTF-8 is read as Windows-1252, the usual encoding of
older wiki exports, with a warning. Files with front matter, empty files
and the README at the top of the folder are skipped with the reason.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.discover import is_ignored_name
from generator.errors import Level, Problem
from generator.import_scan import ScannedText, scan_text
from generator.parse import normalise_text, parse_document

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,10}$")


@dataclass
class Source:
    """A source file read as text, with what its text states."""

    shown: str
    relative: Path
    stem: str
    scanned: ScannedText
    # Set when the text was not UTF-8 and was read as Windows-1252.
    warning: Problem | None = None


def extension(name: str) -> str:
    """Return a file name's extension in lower case, or '' when it has none.

    A dot followed by spaces ("Incident 2.1 outage") is not an extension.
    """
    match = _EXTENSION.search(name)
    return match.group(0).lower() if match else ""


def source_files(source_dir: Path) -> Iterator[Path]:
    """Yield every file below the source folder, skipping hidden ones, sorted."""
    for folder, subfolders, names in os.walk(source_dir):
        subfolders[:] = sorted(s for s in subfolders if not s.startswith("."))
        for name in sorted(names):
            if not is_ignored_name(name):
                yield Path(folder) / name


def decode_source(shown: str, data: bytes) -> tuple[str | None, Problem | None]:
    """Decode UTF-8, falling back to Windows-1252 with a warning."""
    if b"\0" in data:
        return None, skip_problem(shown, "binary file, not text")
    try:
        return normalise_text(data.decode("utf-8")), None
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        byte = f"0x{data[error.start]:02x}"
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None, skip_problem(
            shown,
            f"not valid UTF-8 or Windows-1252 (byte {byte})",
            "save it as UTF-8",
            line,
            column,
        )
    warning = Problem(
        shown,
        line,
        column,
        Level.WARNING,
        f"not valid UTF-8 (byte {byte}): read as Windows-1252 and written as UTF-8",
        "check the accented letters and quotes of the imported file",
    )
    return normalise_text(text), warning


def skip_problem(
    shown: str, reason: str, hint: str = "", line: int = 1, column: int = 1
) -> Problem:
    return Problem(shown, line, column, Level.WARNING, f"skipped: {reason}", hint)


def front_matter_problem(shown: str, text: str) -> Problem | None:
    """Return why a file that already has a front matter block is skipped."""
    document, problems = parse_document(shown, text)
    if problems:
        first = problems[0]
        return skip_problem(
            shown,
            f"it starts with a front matter block that cannot be read: {first.message}",
            "fix the front matter, or remove the first line if it is a horizontal rule",
            first.line,
            first.column,
        )
    if document is not None and document.body != text:
        return skip_problem(
            shown, "it already has front matter", "pmkb reads it as it is"
        )
    return None


def read_source(path: Path, source_dir: Path) -> Source | Problem | None:
    """Read a source file; return the Problem that skips it, or None if not Markdown."""
    relative = path.relative_to(source_dir)
    shown = str(path)
    suffix = extension(path.name)
    if suffix and suffix not in MARKDOWN_SUFFIXES:
        return None
    if relative.name.lower() == "readme.md" and len(relative.parts) == 1:
        return skip_problem(
            shown, "a README at the top of the folder is not a postmortem"
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        return skip_problem(shown, f"cannot read it: {error.strerror}")
    text, warning = decode_source(shown, data)
    if text is None or not text.strip():
        return warning or skip_problem(shown, "empty file")
    skip = front_matter_problem(shown, text)
    if skip is not None:
        return skip
    scanned = scan_text(text)
    if not suffix and not scanned.title:
        return skip_problem(
            shown,
            "no .md extension and no H1 heading, so it does not look like Markdown",
            f"if it is a report, rename it to {path.name}.md to import it",
        )
    stem = relative.name[: -len(suffix)] if suffix else relative.name
    return Source(shown, relative, stem, scanned, warning)

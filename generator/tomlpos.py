"""Find the line of a key in a TOML file, for error messages.

``tomllib`` reports syntax errors with a line but returns plain values, so
this module scans the text for table headers and ``key =`` lines to map each
dotted key to its line. It understands the common layouts (tables, arrays of
tables, dotted and quoted keys, inline tables start on their key's line),
which is all an error location needs.
"""

from __future__ import annotations

import re

TomlPath = tuple[str | int, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(
    r"^\s*((?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_\-]+)(?:\s*\.\s*(?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_\-]+))*)\s*="
)
_PART = re.compile(r"\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_\-]+)")


def _split_key(text: str) -> tuple[str, ...]:
    return tuple(a or b or c for a, b, c in _PART.findall(text))


def key_lines(text: str) -> dict[TomlPath, int]:
    """Map every table and key path in a TOML text to its 1-based line."""
    lines: dict[TomlPath, int] = {}
    array_counts: dict[tuple[str, ...], int] = {}
    table: TomlPath = ()
    in_multiline = False
    for number, line in enumerate(text.splitlines(), start=1):
        # Skip the inside of multi-line strings, where '=' means nothing.
        if in_multiline:
            if line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1:
                in_multiline = False
            continue
        header = _HEADER.match(line)
        if header:
            names = _split_key(header.group(2))
            if header.group(1) == "[[":
                index = array_counts.get(names, 0)
                array_counts[names] = index + 1
                table = names + (index,)
            else:
                table = names
            lines.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            lines.setdefault(table + _split_key(key.group(1)), number)
            rest = line[key.end() :]
            if rest.count('"""') % 2 == 1 or rest.count("'''") % 2 == 1:
                in_multiline = True
    return lines


def line_of(lines: dict[TomlPath, int], path: TomlPath) -> int:
    """Return the line of ``path`` or of its nearest parent found, else 1."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return 1

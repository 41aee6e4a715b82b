"""The lines of a Markdown text, as markdown-it-py's block parser reads them.

markdown-it-pyrs gives source positions as byte offsets into the UTF-8 text.
markdown-it-py's tokens give line numbers instead, and their text is cut from
the lines with container indentation removed. SourceLines maps one to the
other.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate, count
from operator import add

from markdown_it.common import utils as markdown_utils
from markdown_it_pyrs import Node

# markdown-it-py 4.0 added mdTrim (the CommonMark whitespace set); the fast
# path is off before that version.
mdTrim = getattr(markdown_utils, "mdTrim", str.strip)

_ASCII_SPACES = " \t\n\r\x0b\x0c"


class UnsupportedMarkdown(Exception):
    """The document uses something the fast path does not reproduce exactly."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def span(node: Node) -> tuple[int, int]:
    """Return a node's start and end as byte offsets into the text."""
    srcmap = node.srcmap
    if srcmap is None:
        raise UnsupportedMarkdown(f"{node.name} without a source position")
    return srcmap


class SourceLines:
    """The Markdown text as lines, with byte offsets mapped to lines and columns."""

    def __init__(self, text: str):
        self.text = text
        self.lines = text.split("\n")
        # The line count leaves out what follows the last newline when it is
        # empty or, as in markdown-it-py, only spaces and tabs.
        self.line_max = len(self.lines)
        if not self.lines[-1].strip(" \t"):
            self.line_max -= 1
        self.ascii = text.isascii()
        sizes = map(len, self.lines if self.ascii else map(str.encode, self.lines))
        # The byte offset where each line starts: the sizes before it plus one
        # newline per line.
        self.starts = list(map(add, accumulate(sizes, initial=0), count()))

    def line(self, offset: int) -> int:
        """Return the line that contains a byte offset."""
        return bisect_right(self.starts, offset) - 1

    def position(self, offset: int) -> tuple[int, int]:
        """Return the line and the character column of a byte offset."""
        line = bisect_right(self.starts, offset) - 1
        column = offset - self.starts[line]
        text = self.lines[line]
        if not self.ascii and not text.isascii():
            column = len(text.encode()[:column].decode())
        return line, column

    def end_line(self, node: Node) -> int:
        """Return the line after the last line of a node's source."""
        return self.line(span(node)[1] - 1) + 1

    def is_blank(self, line: int) -> bool:
        """Tell whether a line exists and contains only spaces and tabs."""
        return line < self.line_max and not self.lines[line].strip(" \t")

    def content_end(self, first: int, last: int) -> int:
        """Return the line after the last line from first to last that is not blank."""
        lines = self.lines
        while last > first + 1 and not lines[last - 1].strip(" \t"):
            last -= 1
        return last

    def next_content_line(self, line: int) -> int:
        """Return the first line from ``line`` on that is not blank, or the line count."""
        lines = self.lines
        line = min(line, self.line_max)
        while line < self.line_max and not lines[line].strip(" \t"):
            line += 1
        return line

    def block_text(
        self, first: int, last: int, start: int | None, indent: int, newlines: bool
    ) -> str:
        """Cut lines with up to ``indent`` leading spaces removed, as getLines does.

        ``start`` is where the first line begins (after a list marker, say);
        None removes its indentation like that of the other lines.
        """
        lines = self.lines
        head = lines[first]
        parts = [_dedent(head, indent) if start is None else head[start:]]
        for number in range(first + 1, last):
            parts.append(_dedent(lines[number], indent))
        text = "\n".join(parts)
        if not newlines or last == len(self.lines):
            return text
        return text + "\n"

    def trim(self, text: str) -> str:
        """Strip whitespace from the ends of a text as markdown-it-py does."""
        trimmed = mdTrim(text)
        # markdown-it-pyrs can keep Unicode spaces such as U+00A0 at the ends,
        # as it does in list items.
        if not self.ascii and len(trimmed) != len(text.strip(_ASCII_SPACES)):
            raise UnsupportedMarkdown("Unicode space at the start or end of a text")
        return trimmed


def _dedent(line: str, indent: int) -> str:
    if not indent or not line.startswith(" "):
        return line
    spaces = len(line) - len(line.lstrip(" "))
    return line[min(spaces, indent) :]

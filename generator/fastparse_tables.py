"""Turn a markdown-it-pyrs table node into markdown-it-py's table tokens.

markdown-it-py and markdown-it-pyrs disagree on where some tables end, so a
table is converted only where both read the same rows.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block.table import escapedSplit
from markdown_it_pyrs import Node

from generator.fastparse_inline import FootnoteTriggers, InlineConverter, new_token
from generator.fastparse_source import SourceLines, UnsupportedMarkdown, mdTrim, span

_DELIMITER_CELL = re.compile(r"^:?-+:?$")
_CELL_TYPES = {"th": ("th_open", "th_close"), "td": ("td_open", "td_close")}
# First characters of the blocks that end a table in markdown-it-py: headings,
# block quotes, lists, thematic breaks, fences and HTML blocks.
_BLOCK_STARTS = frozenset("#>-*+_`~<0123456789")
_ATX_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)")


def _delimiter_aligns(text: str) -> list[str] | None:
    """Return the column alignments of a table's delimiter row as markdown-it-py reads it."""
    cells = text.split("|")
    aligns = []
    for index, cell in enumerate(cells):
        cell = mdTrim(cell)
        if not cell:
            if index == 0 or index == len(cells) - 1:
                continue
            return None
        if not _DELIMITER_CELL.match(cell):
            return None
        if cell.endswith(":"):
            aligns.append("center" if cell.startswith(":") else "right")
        else:
            aligns.append("left" if cell.startswith(":") else "")
    return aligns


class TableConverter(InlineConverter):
    """Converter of tables, the base of TreeConverter, which converts the other blocks."""

    def __init__(
        self, source: SourceLines, md: MarkdownIt, footnote_triggers: FootnoteTriggers
    ):
        super().__init__(source, md, footnote_triggers)
        # The first lines of the tables converted so far.
        self.table_lines: set[int] = set()

    def table(self, node: Node, level: int, indent: int) -> None:
        source = self.source
        head, body = node.children[0], node.children[1:]
        first, column = source.position(span(node)[0])
        aligns = _delimiter_aligns(source.lines[first + 1].lstrip(" "))
        rust_aligns = [
            "" if align == "none" else align for align in node.meta["alignments"]
        ]
        if aligns != rust_aligns:
            raise UnsupportedMarkdown("table delimiter row")
        styles = [f"text-align:{align}" if align else "" for align in aligns]
        self.table_lines.add(first)
        last = source.end_line(body[0]) if body else first + 2
        self.check_table_end(last, indent)
        self.push("table_open", "table", 1, level, [first, last])
        self.push("thead_open", "thead", 1, level + 1, [first, first + 1])
        header = source.lines[first][column:]
        self.table_row(head.children[0], first, header, styles, "th", level + 2)
        self.push("thead_close", "thead", -1, level + 1)
        if body:
            self.push("tbody_open", "tbody", 1, level + 1, [first + 2, last])
            for offset, row in enumerate(body[0].children):
                line = first + 2 + offset
                if source.line(span(row)[0]) != line:
                    raise UnsupportedMarkdown("table row")
                self.check_table_row(source.lines[line], indent)
                self.table_row(row, line, source.lines[line], styles, "td", level + 2)
            self.push("tbody_close", "tbody", -1, level + 1)
        self.push("table_close", "table", -1, level)

    def check_table_row(self, text: str, indent: int) -> None:
        """Reject a row that markdown-it-py might read as the start of another block."""
        content = text.lstrip(" ")
        if content[:1] == "|" and len(text) - len(content) - indent < 4:
            return
        if (
            not content
            or content[0] in _BLOCK_STARTS
            or len(text) - len(content) - indent >= 4
        ):
            raise UnsupportedMarkdown("table row that may start another block")

    def check_table_end(self, line: int, indent: int) -> None:
        """Reject a table that markdown-it-py would continue on the next line.

        markdown-it-py takes any following line as a row, pipe or not, until a
        blank line, a line indented less than the container, or a new block.
        """
        source = self.source
        if line >= source.line_max:
            return
        text = source.lines[line]
        content = text.lstrip(" ")
        if not content or len(text) - len(content) < indent:
            return
        if len(text) - len(content) - indent < 4 and _ATX_HEADING.match(content):
            return
        raise UnsupportedMarkdown("table followed by a line that is not blank")

    def table_row(
        self,
        row: Node,
        line: int,
        text: str,
        styles: list[str],
        tag: str,
        level: int,
    ) -> None:
        text = self.source.trim(text)
        # Without a backslash no pipe is escaped, and a plain split is the same.
        columns = escapedSplit(text) if "\\" in text else text.split("|")
        if columns and columns[0] == "":
            columns.pop(0)
        if columns and columns[-1] == "":
            columns.pop()
        cells = row.children
        if len(cells) != len(styles) or (tag == "th" and len(columns) != len(styles)):
            raise UnsupportedMarkdown("table cells")
        self.push("tr_open", "tr", 1, level, [line, line + 1])
        append = self.tokens.append
        opening, closing = _CELL_TYPES[tag]
        for index, cell in enumerate(cells):
            opener = new_token(opening, tag, 1, level + 1, "", "", "", True)
            style = styles[index]
            if style:
                opener.attrs["style"] = style
            append(opener)
            content = self.source.trim(columns[index]) if index < len(columns) else ""
            self.push_inline(content, [line, line + 1], level + 2, cell.children)
            append(new_token(closing, tag, -1, level + 1, "", "", "", True))
        self.push("tr_close", "tr", -1, level)

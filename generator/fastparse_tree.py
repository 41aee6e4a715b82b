"""Turn a markdown-it-pyrs syntax tree into markdown-it-py's block and inline tokens.

The tokens are the ones markdown-it-py's "block" and "inline" core rules make,
before the remaining core rules (task lists, footnote tail, text join,
anchors) run. Token maps are line numbers and inline ``content`` is the raw
source with container indentation removed, so both are computed from the
lines of the text (see fastparse_source). Anything the conversion cannot
reproduce exactly raises UnsupportedMarkdown, and the caller parses that
document with markdown-it-py.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it_pyrs import Node

from generator.fastparse_inline import FootnoteTriggers, new_token
from generator.fastparse_source import SourceLines, UnsupportedMarkdown, span
from generator.fastparse_tables import TableConverter

# Well below markdown-it-py's maxNesting (20), past which it parses differently.
_MAX_LEVEL = 12
_FENCE_CLOSE = re.compile(r" *(`+|~+) *")


class TreeConverter(TableConverter):
    """Converter of one document's markdown-it-pyrs tree into its token list."""

    def __init__(
        self, source: SourceLines, md: MarkdownIt, footnote_triggers: FootnoteTriggers
    ):
        super().__init__(source, md, footnote_triggers)
        # Lines of code fences copied as they are, where a tab changes nothing.
        self.verbatim_lines: set[int] = set()

    def blocks(self, nodes: Any, level: int, indent: int) -> None:
        """Convert a sequence of block nodes."""
        if level > _MAX_LEVEL:
            raise UnsupportedMarkdown("deep nesting")
        for node in nodes:
            handler = _BLOCK_HANDLERS.get(node.name)
            if handler is None:
                raise UnsupportedMarkdown(f"{node.name} block")
            handler(self, node, level, indent)

    def paragraph(self, node: Node, level: int, indent: int) -> None:
        source = self.source
        start, stop = span(node)
        first, column = source.position(start)
        last = bisect_right(source.starts, stop - 1)
        self.paragraph_lines(first, column, last, node.children, level, indent, False)

    def paragraph_lines(
        self,
        first: int,
        column: int,
        last: int,
        nodes: Any,
        level: int,
        indent: int,
        hidden: bool,
    ) -> None:
        """Convert a paragraph on lines first to last, its text starting at column."""
        source = self.source
        if last == first + 1:
            content = self.source.trim(source.lines[first][column:])
        else:
            content = self.source.trim(
                source.block_text(first, last, column, indent, False)
            )
        append = self.tokens.append
        opener = new_token(
            "paragraph_open", "p", 1, level, "", "", "", True, [first, last]
        )
        opener.hidden = hidden
        append(opener)
        self.push_inline(content, [first, last], level + 1, nodes)
        closer = new_token("paragraph_close", "p", -1, level, "", "", "", True)
        closer.hidden = hidden
        append(closer)

    def heading(self, node: Node, level: int, indent: int) -> None:
        line, column = self.source.position(span(node)[0])
        size = node.meta["level"]
        text = self.source.lines[line][column:]
        if not text.startswith("#" * size):
            raise UnsupportedMarkdown("heading")
        # The closing sequence of #s goes only when a space or tab precedes it.
        end = len(text.rstrip(" \t"))
        hashes = end
        while hashes > size and text[hashes - 1] == "#":
            hashes -= 1
        if hashes > size and text[hashes - 1] in " \t":
            end = hashes
        tag, markup = f"h{size}", "#" * size
        self.push("heading_open", tag, 1, level, [line, line + 1], markup=markup)
        self.push_inline(
            self.source.trim(text[size:end]), [line, line + 1], level + 1, node.children
        )
        self.push("heading_close", tag, -1, level, markup=markup)

    def setext_heading(self, node: Node, level: int, indent: int) -> None:
        source = self.source
        first, column = source.position(span(node)[0])
        underline = source.end_line(node) - 1
        marker = node.meta["marker"]
        if source.lines[underline].strip(" ")[:1] != marker:
            raise UnsupportedMarkdown("setext heading")
        if marker == "-" and any("|" in line for line in source.lines[first:underline]):
            # markdown-it-py reads a line with a pipe over a line of dashes as a table.
            raise UnsupportedMarkdown("setext heading that may be a table")
        content = self.source.trim(
            source.block_text(first, underline, column, indent, False)
        )
        tag = f"h{node.meta['level']}"
        self.push("heading_open", tag, 1, level, [first, underline + 1], markup=marker)
        self.push_inline(content, [first, underline], level + 1, node.children)
        self.push("heading_close", tag, -1, level, markup=marker)

    def thematic_break(self, node: Node, level: int, indent: int) -> None:
        line, column = self.source.position(span(node)[0])
        text = self.source.lines[line][column:]
        if text[:1] not in ("*", "-", "_"):
            raise UnsupportedMarkdown("thematic break")
        # markdown-it-py writes one marker more than the line has.
        markup = text[0] * (text.count(text[0]) + 1)
        self.push("hr", "hr", 0, level, [line, line + 1], markup=markup)

    def fence(self, node: Node, level: int, indent: int) -> None:
        source = self.source
        line, column = source.position(span(node)[0])
        text = source.lines[line][column:]
        marker = text[:1]
        if marker not in ("`", "~"):
            raise UnsupportedMarkdown("code fence")
        markup = text[: len(text) - len(text.lstrip(marker))]
        close = source.end_line(node) - 1
        closing = _FENCE_CLOSE.fullmatch(source.lines[close]) if close > line else None
        if not closing or not closing.group(1).startswith(markup):
            raise UnsupportedMarkdown("unclosed code fence")
        if closing.start(1) > column:
            # Four spaces past the container do not close a fence, and the
            # tree does not tell the container's column: markdown-it-py decides.
            raise UnsupportedMarkdown("closing fence indented past its opening")
        content = ""
        if line + 1 < close:
            content = source.block_text(line + 1, close, None, column, True)
        if column == 0 and indent == 0:
            self.verbatim_lines.update(range(line + 1, close))
        token = self.push("fence", "code", 0, level, [line, close + 1])
        token.info, token.content, token.markup = text[len(markup) :], content, markup

    def code_block(self, node: Node, level: int, indent: int) -> None:
        source = self.source
        first, column = source.position(span(node)[0])
        last = source.end_line(node)
        text = source.block_text(
            first, last, min(column, indent + 4), indent + 4, False
        )
        self.push("code_block", "code", 0, level, [first, last]).content = text + "\n"

    def html_block(self, node: Node, level: int, indent: int) -> None:
        source = self.source
        first, column = source.position(span(node)[0])
        last = source.end_line(node)
        text = source.block_text(first, last, min(column, indent), indent, True)
        self.push("html_block", "", 0, level, [first, last]).content = text

    def list_block(self, node: Node, level: int, indent: int) -> None:
        ordered = node.name == "ordered_list"
        marker = node.meta["marker"]
        kind = "ordered_list" if ordered else "bullet_list"
        tag = "ol" if ordered else "ul"
        first = self.source.line(span(node)[0])
        opener = self.push(f"{kind}_open", tag, 1, level, [first, first], marker)
        end = first
        for position, item in enumerate(node.children):
            start, end, number = self.list_item(item, marker, ordered, level + 1)
            # Each item ends where the next one starts, and the list where its
            # last item ends.
            if start != opener.map[1] and position:  # type: ignore[index]
                raise UnsupportedMarkdown("list item after a gap")
            opener.map[1] = end  # type: ignore[index]
            if position == 0 and ordered and int(number) != 1:
                opener.attrs["start"] = int(number)
        self.push(f"{kind}_close", tag, -1, level, markup=marker)

    def list_item(
        self, item: Node, marker: str, ordered: bool, level: int
    ) -> tuple[int, int, str]:
        """Convert one list item and return its first line, the line after it and its number."""
        source = self.source
        start, stop = span(item)
        line, column = source.position(start)
        text = source.lines[line]
        after = column
        while ordered and text[after : after + 1].isdigit():
            after += 1
        if text[after : after + 1] != marker:
            raise UnsupportedMarkdown("list item")
        number = text[column:after]
        rest = text[after + 1 :]
        spaces = len(rest) - len(rest.lstrip(" "))
        blank = spaces == len(rest)

        children = item.children
        last = bisect_right(source.starts, stop - 1)
        end = source.next_content_line(last)
        if blank and (line + 1 >= source.line_max or source.is_blank(line + 1)):
            # markdown-it-py leaves such an item empty and ends it two lines on.
            if children:
                raise UnsupportedMarkdown("list item after an empty line")
            end = min(line + 2, source.line_max)

        opener = self.push("list_item_open", "li", 1, level, [line, end], marker)
        opener.info = number
        # One column after the marker when the rest is blank or starts indented code.
        width = 1 if blank or spaces > 4 else spaces
        bounds = (line + 1, 0, last) if blank else (line, after + 1 + spaces, last)
        self.item_children(children, bounds, level + 1, after + 1 + width)
        self.push("list_item_close", "li", -1, level, markup=marker)
        return line, end, number

    def item_children(
        self, children: Any, bounds: tuple[int, int, int], level: int, indent: int
    ) -> None:
        """Convert an item's blocks, where a tight list has bare inline nodes for paragraphs.

        ``bounds`` is where the item's content starts (line and column) and the
        line after it ends. Bare paragraphs get their lines from the blocks
        around them, because markdown-it-pyrs' positions of emphasis nodes can
        be wrong.
        """
        first, column, last = bounds
        inline_names = self.inline_names
        run: list[Node] = []
        for child in children:
            if child.name in inline_names:
                run.append(child)
                continue
            if run:
                start = self.source.line(span(child)[0])
                end = self.source.content_end(first, start)
                self.paragraph_lines(first, column, end, run, level, indent, True)
                run = []
            self.blocks((child,), level, indent)
            first, column = self.source.end_line(child), 0
        if run:
            end = self.source.content_end(first, last)
            self.paragraph_lines(first, column, end, run, level, indent, True)

    def footnote_definition(self, node: Node, level: int, indent: int) -> None:
        source = self.source
        label = node.meta["label"]
        line = source.line(span(node)[0])
        children = node.children
        first = children[0] if children else None
        if first and source.line(span(first)[0]) == line and first.name != "paragraph":
            raise UnsupportedMarkdown("footnote definition")
        end = source.next_content_line(source.end_line(node))
        opener = Token("footnote_reference_open", "", 1, map=[line, end], level=level)
        opener.meta = {"label": label}
        self.tokens.append(opener)
        self.blocks(children, level + 1, indent + 4)
        self.tokens.append(Token("footnote_reference_close", "", -1, level=level))


# Functions, not bound methods: bound methods stored on the converter would
# make a reference cycle that keeps every token alive until a garbage
# collection.
_BLOCK_HANDLERS: dict[str, Callable[[TreeConverter, Node, int, int], None]] = {
    "paragraph": TreeConverter.paragraph,
    "heading": TreeConverter.heading,
    "lheading": TreeConverter.setext_heading,
    "hr": TreeConverter.thematic_break,
    "fence": TreeConverter.fence,
    "code_block": TreeConverter.code_block,
    "html_block": TreeConverter.html_block,
    "bullet_list": TreeConverter.list_block,
    "ordered_list": TreeConverter.list_block,
    "table": TreeConverter.table,
    "footnote_def": TreeConverter.footnote_definition,
}

"""Parse a body into markdown-it-py tokens faster, by way of markdown-it-pyrs.

markdown-it-pyrs, the Rust port of markdown-it, builds the syntax tree of a
3 KB body in about 0.1 ms, where markdown-it-py takes about 0.9 ms to parse
it (benchmark corpus, 2-core machine). The tree is turned into the tokens
that markdown-it-py's "block" and "inline" core rules would make. Then
markdown-it-py's own remaining core rules (task lists, footnote tail, text
join, anchors) run on them, so the plugins stay the source of truth.

A document that uses something the conversion does not reproduce exactly
(link reference definitions, block quotes, tabs outside code, ...) is parsed
by markdown-it-py as before. bench/parser_agreement.py compares both paths.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_core.normalize import NEWLINES_RE, NULL_RE
from markdown_it.token import Token
from markdown_it_pyrs import MarkdownIt as RustMarkdownIt
from markdown_it_pyrs import Node

from generator.fastparse_inline import TOKEN_FIELDS_MATCH, FootnoteTriggers
from generator.fastparse_source import SourceLines, UnsupportedMarkdown, span
from generator.fastparse_tree import TreeConverter
from generator.markdown import markdown_parser

log = logging.getLogger(__name__)

__all__ = ["UnsupportedMarkdown", "convert_tokens", "parse_tokens"]

# The rule chains that the conversion reproduces. A parser set up with other
# rules always goes to markdown-it-py.
_BLOCK_RULES = [
    "table", "code", "fence", "blockquote", "hr", "list", "footnote_def",
    "reference", "html_block", "heading", "lheading", "paragraph",
]  # fmt: skip
_INLINE_RULES = [
    "text", "newline", "escape", "backticks", "strikethrough", "emphasis",
    "link", "image", "footnote_inline", "footnote_ref", "autolink",
    "html_inline", "entity",
]  # fmt: skip
_INLINE_POST_RULES = ["balance_pairs", "strikethrough", "emphasis", "fragments_join"]
_CORE_RULES_REPLACED = ["normalize", "block", "inline"]
_CORE_RULES_KEPT = {"github-tasklists", "footnote_tail", "text_join", "anchor"}

# A line that may be a table's delimiter row.
_DELIMITER_LINE = re.compile(r"^[ \t]*[|:\-][|:\- \t]*$", re.MULTILINE)
# A footnote definition as the footnote plugin reads one: no space in the label.
_FOOTNOTE_DEFINITION = re.compile(r"\[\^[^\] \n]+\]:")
# The tree gives a wrong start to the text of an indented definition.
_INDENTED_FOOTNOTE = re.compile(r"^[ \t]+\[\^", re.MULTILINE)
# markdown-it-pyrs 0.4 panics on some unclosed code spans after a "[", such
# as "[`a" or "[see `here", and Rust prints the panic to stderr even when it
# is caught. Such texts go to markdown-it-py.
_BRACKET_BACKTICK = re.compile(r"\[\s*`")
_BACKTICKS = re.compile(r"`+")


@dataclass(frozen=True)
class _Setup:
    """Facts about one markdown-it-py parser that the fast path depends on."""

    unsupported: str
    core_rules: list[tuple[str, Callable[[StateCore], None]]]
    footnote_triggers: FootnoteTriggers


def _footnote_triggers(md: MarkdownIt) -> FootnoteTriggers:
    """Build the patterns of the characters where the footnote reference rule is tried."""
    printable = [chr(code) for code in range(33, 127)]
    stops = "".join(c for c in printable if md.inline.terminator_re.match(c))
    # The rules tried before it always take a backtick, a star or an
    # underscore, and a run of tildes longer than one. A backslash reaches it
    # only at the end of the text.
    visited = "".join(c for c in stops if c not in "\\`*_~")
    in_label = "".join(c for c in stops if c not in "\\`")
    return FootnoteTriggers(
        re.compile("[" + re.escape(visited) + "]|(?<=[^~])~(?=[^~])"),
        re.compile("~"),
        re.compile("[" + re.escape(in_label) + "]"),
    )


@lru_cache(maxsize=4)
def _setup(md: MarkdownIt) -> _Setup:
    core_names = md.core.ruler.get_active_rules()
    remaining = core_names[len(_CORE_RULES_REPLACED) :]
    unsupported = ""
    if int(version("markdown-it-py").split(".")[0]) < 4:
        unsupported = "markdown-it-py before 4.0 trims text differently"
    elif not TOKEN_FIELDS_MATCH:
        unsupported = "markdown-it-py tokens have other fields"
    elif (
        core_names[: len(_CORE_RULES_REPLACED)] != _CORE_RULES_REPLACED
        or not set(remaining) <= _CORE_RULES_KEPT
        or md.block.ruler.get_active_rules() != _BLOCK_RULES
        or md.inline.ruler.get_active_rules() != _INLINE_RULES
        or md.inline.ruler2.get_active_rules() != _INLINE_POST_RULES
        or not md.options.get("html")
        or md.options.get("tasklists")
        or md.options.get("maxNesting") != 20
    ):
        unsupported = "parser rules the fast path does not reproduce"
    functions = md.core.ruler.getRules("")[len(_CORE_RULES_REPLACED) :]
    rules = list(zip(remaining, functions, strict=True))
    return _Setup(unsupported, rules, _footnote_triggers(md))


@lru_cache(maxsize=1)
def _tree_parser() -> RustMarkdownIt:
    return RustMarkdownIt("commonmark").enable_many(
        ["table", "strikethrough", "footnote"]
    )


def _check_text(text: str) -> int:
    """Reject what the tree does not show in a form the conversion can check.

    Returns the number of footnote definitions the text may have.
    """
    if "^[" in text:
        raise UnsupportedMarkdown("inline footnote")
    if _INDENTED_FOOTNOTE.search(text):
        raise UnsupportedMarkdown("indented footnote definition")
    if _BRACKET_BACKTICK.search(text) or _unclosed_code_after_bracket(text):
        raise UnsupportedMarkdown("backtick after a bracket")
    if "]:" not in text:
        return 0
    definitions = len(_FOOTNOTE_DEFINITION.findall(text))
    if text.count("]:") > definitions:
        raise UnsupportedMarkdown("link reference definition")
    return definitions


def _top_blocks(tree: Node, written: int) -> tuple[list[Node], list[Node]]:
    """Return the top-level blocks with footnote definitions put back in place.

    ``written`` is the number of footnote definitions in the text, which the
    tree must have too: it leaves out those that no reference uses.
    """
    blocks: list[Node] = []
    definitions: list[Node] = []
    for node in tree.children:
        if node.name == "footnote_container":
            definitions.extend(node.children)
        else:
            blocks.append(node)
    if len(definitions) != written:
        raise UnsupportedMarkdown(
            "footnote definition not used or not at the top level"
        )
    if not definitions:
        return blocks, definitions
    definitions.sort(key=lambda node: span(node)[0])
    merged = sorted(blocks + definitions, key=lambda node: span(node)[0])
    for before, after in zip(merged, merged[1:], strict=False):
        if span(before)[1] > span(after)[0]:
            raise UnsupportedMarkdown("footnote definition inside another block")
    return merged, definitions


def _check_tables(text: str, source: SourceLines, converter: TreeConverter) -> None:
    """Reject a text where markdown-it-py may see a table that the tree does not have.

    markdown-it-py tries its table rule before any other block rule, so a line
    with a pipe over a row of dashes is a table even where markdown-it-pyrs
    reads a heading or a list item.
    """
    for match in _DELIMITER_LINE.finditer(text):
        line = text.count("\n", 0, match.start())
        if (
            line
            and "|" in source.lines[line - 1]
            and line - 1 not in converter.table_lines
        ):
            raise UnsupportedMarkdown("possible table that the tree does not have")


def _check_tabs(source: SourceLines, converter: TreeConverter) -> None:
    """Allow tabs only in code fences copied verbatim, where no indentation is removed."""
    for number, line in enumerate(source.lines):
        if "\t" in line and number not in converter.verbatim_lines:
            raise UnsupportedMarkdown("tab outside a code fence")


def _footnote_env(converter: TreeConverter) -> dict | None:
    """Return the footnote data markdown-it-py would leave in env, or None."""
    if converter.footnote_refs or converter.footnote_rule_ran:
        return {"refs": converter.footnote_refs, "list": converter.footnote_list}
    if converter.footnote_rule_may_run:
        raise UnsupportedMarkdown("footnote rule may have run near the end of a text")
    return None


def _rules_without_work(converter: TreeConverter) -> set[str]:
    """Return the core rules that would leave these tokens as they are.

    Skipping them saves a pass over every token. The converter never puts two
    text tokens side by side, so text_join has work only where escapes or
    entities are. footnote_tail only moves footnote definitions.
    """
    skipped = set()
    if not converter.has_text_special:
        skipped.add("text_join")
    if not converter.footnote_refs:
        skipped.add("footnote_tail")
    return skipped


def _unclosed_code_after_bracket(text: str) -> bool:
    """Tell whether a run of backticks after the first "[" has no closing run.

    Runs pair up as code spans do: a run closes at the next run of the same
    length. This finds the panics of markdown-it-pyrs on a "[" followed by an
    unclosed code span, in 92% of random texts that cause one and in all the
    reports tried. The others pair runs across paragraphs, as code spans never
    do, and still print a panic before markdown-it-py parses them.
    """
    first = text.find("[")
    if first < 0 or "`" not in text[first:]:
        return False
    runs = [(match.start(), len(match.group())) for match in _BACKTICKS.finditer(text)]
    # For each run, the index of the next run of the same length, or None.
    following: list[int | None] = [None] * len(runs)
    latest: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        following[index] = latest.get(runs[index][1])
        latest[runs[index][1]] = index
    index = 0
    while index < len(runs):
        closing = following[index]
        if closing is None:
            if runs[index][0] > first:
                return True
            index += 1
        else:
            index = closing + 1
    return False


def _convert(text: str, md: MarkdownIt, setup: _Setup) -> TreeConverter:
    """Build the block and inline tokens of a text from its markdown-it-pyrs tree."""
    written = _check_text(text)
    tree = _tree_parser().tree(text)
    blocks, definitions = _top_blocks(tree, written)
    source = SourceLines(text)
    converter = TreeConverter(source, md, setup.footnote_triggers)
    for definition in definitions:
        label = definition.meta["label"]
        if ":" + label in converter.footnote_refs:
            raise UnsupportedMarkdown("footnote defined twice")
        converter.footnote_refs[":" + label] = -1
    try:
        converter.blocks(blocks, 0, 0)
    except (IndexError, KeyError, TypeError, ValueError) as error:
        # A source position outside the text, as markdown-it-pyrs gives on
        # some lines with tabs, or a node without an expected field.
        raise UnsupportedMarkdown(f"unexpected tree: {type(error).__name__}") from error
    if "\t" in text:
        _check_tabs(source, converter)
    if "|" in text:
        _check_tables(text, source, converter)
    return converter


def convert_tokens(text: str, env: dict) -> list[Token]:
    """Build the tokens of markdown_parser().parse(text, env) from markdown-it-pyrs' tree.

    Raises UnsupportedMarkdown, with env unchanged, when the result could differ.
    """
    md = markdown_parser()
    setup = _setup(md)
    if setup.unsupported:
        raise UnsupportedMarkdown(setup.unsupported)
    if env:
        raise UnsupportedMarkdown("env already has entries")
    if "\r" in text or "\0" in text:
        text = NULL_RE.sub("\ufffd", NEWLINES_RE.sub("\n", text))
    converter = _convert(text, md, setup)
    footnotes = _footnote_env(converter)

    if footnotes is not None:
        env["footnotes"] = footnotes
    state = StateCore(text, md, env, converter.tokens)
    skipped = _rules_without_work(converter)
    for name, rule in setup.core_rules:
        if name not in skipped:
            rule(state)
    return state.tokens


def parse_tokens(text: str, env: dict) -> list[Token]:
    """Parse a body into the tokens markdown-it-py makes, by the fast path where it is exact."""
    try:
        return convert_tokens(text, env)
    except UnsupportedMarkdown as unsupported:
        log.debug(
            "markdown-it-py parses this body, fast path skipped: %s", unsupported.reason
        )
    except BaseException as error:
        # A bug in the conversion must not stop a build, nor a panic of the
        # Rust parser, which pyo3 raises as PanicException, not an Exception.
        if (
            not isinstance(error, Exception)
            and type(error).__name__ != "PanicException"
        ):
            raise
        # convert_tokens only starts with an empty env, so clearing it undoes
        # what it stored.
        log.debug(
            "fast Markdown parse failed, markdown-it-py parses the body: %r", error
        )
        env.clear()
    return markdown_parser().parse(text, env)

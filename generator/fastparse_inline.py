"""Turn markdown-it-pyrs inline nodes into markdown-it-py inline tokens.

The tokens match markdown-it-py's inline parser after its own post-processing
(balance pairs, emphasis, fragments join): adjacent plain text is one token,
escapes and entities stay ``text_special`` tokens for the text_join core rule.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.autolink import AUTOLINK_RE, EMAIL_RE
from markdown_it.token import Token
from markdown_it_pyrs import Node

from generator.fastparse_source import SourceLines, UnsupportedMarkdown, span

# Characters that mdurl.encode leaves alone: a URL made only of these reads
# the same after markdown-it-py's normalizeLink, whatever parsed it.
_PLAIN_URL = re.compile(r"[A-Za-z0-9;/?:@&=+$,\-_.!~*'()#]*")
_DELIMITERS = {"em": ("em", 1), "strong": ("strong", 2), "strikethrough": ("s", 2)}
# Well below markdown-it-py's maxNesting (20), past which it parses differently.
_MAX_LEVEL = 12

# new_token sets every field itself, which takes half the time of the
# dataclass __init__ and its __post_init__.
TOKEN_FIELDS = (
    "type", "tag", "nesting", "attrs", "map", "level", "children", "content",
    "markup", "info", "meta", "block", "hidden",
)  # fmt: skip
TOKEN_FIELDS_MATCH = (
    tuple(field.name for field in dataclasses.fields(Token)) == TOKEN_FIELDS
)
_new_object = Token.__new__


def new_token(
    kind: str,
    tag: str,
    nesting: int,
    level: int,
    content: str = "",
    markup: str = "",
    info: str = "",
    block: bool = False,
    line_map: list[int] | None = None,
) -> Token:
    """Create a Token with empty attrs, children and meta."""
    token = _new_object(Token)
    token.type = kind
    token.tag = tag
    token.nesting = nesting  # type: ignore[assignment]
    token.attrs = {}
    token.map = line_map
    token.level = level
    token.children = None
    token.content = content
    token.markup = markup
    token.info = info
    token.meta = {}
    token.block = block
    token.hidden = False
    return token


@dataclass(frozen=True)
class FootnoteTriggers:
    """Characters of plain text where markdown-it-py tries its footnote reference rule.

    The rule stores an empty footnote list in env whenever it is tried with at
    least three characters of the inline text left. It is tried at each
    ``visited`` character, and may be tried at each ``possible`` one. In a
    link label it is also tried where emphasis may start, because the label is
    first scanned with every rule in silent mode: ``in_label`` matches those
    characters, which always have the rest of the link after them.
    """

    visited: re.Pattern[str]
    possible: re.Pattern[str]
    in_label: re.Pattern[str]


class InlineConverter:
    """Converter of inline nodes, which numbers footnote references as markdown-it-py does."""

    inline_names = frozenset(
        {"text", "text_special", "em", "strong", "strikethrough", "code_inline"}
        | {"html_inline", "link", "image", "autolink", "softbreak", "hardbreak"}
        | {"footnote_ref", "footnote_ref_anchor"}
    )

    def __init__(
        self, source: SourceLines, md: MarkdownIt, footnote_triggers: FootnoteTriggers
    ):
        self.source = source
        self.md = md
        self.tokens: list[Token] = []
        # Footnote data as markdown-it-py's footnote plugin stores it in env.
        self.footnote_refs: dict[str, int] = {}
        self.footnote_list: dict[int, dict[str, Any]] = {}
        self.footnote_triggers = footnote_triggers
        self.footnote_rule_ran = False
        self.footnote_rule_may_run = False
        self.label_depth = 0
        self.content = ""
        self.has_text_special = False

    def push(
        self,
        kind: str,
        tag: str,
        nesting: int,
        level: int,
        line_map: list[int] | None = None,
        markup: str = "",
    ) -> Token:
        token = new_token(kind, tag, nesting, level, "", markup, "", True, line_map)
        self.tokens.append(token)
        return token

    def push_inline(
        self, content: str, line_map: list[int], level: int, nodes: Any
    ) -> None:
        token = new_token("inline", "", 0, level, content, "", "", True, line_map)
        self.content = content
        if len(nodes) == 1 and nodes[0].name == "text" and self.footnote_rule_ran:
            # Most inline content is one piece of plain text.
            token.children = [new_token("text", "", 0, 0, nodes[0].meta["content"])]
        else:
            token.children = self.inline(nodes, 0)
        self.tokens.append(token)

    def inline(self, nodes: Any, level: int) -> list[Token]:
        """Convert a sequence of inline nodes at a nesting level."""
        if level > _MAX_LEVEL:
            raise UnsupportedMarkdown("deep nesting")
        tokens: list[Token] = []
        pending: list[str] = []
        for node in nodes:
            name = node.name
            if name == "text":
                content = node.meta["content"]
                pending.append(content)
                if not self.footnote_rule_ran:
                    self.note_footnote_trigger(content)
                continue
            if name == "strong":
                # markdown-it-py keeps the outer marker of each pair as an empty
                # text token, which joins the text beside it.
                pending.append("")
            if pending:
                text = "".join(pending)
                tokens.append(new_token("text", "", 0, level, text))
                pending = []
            self.inline_node(node, name, level, tokens)
            if name == "strong":
                pending.append("")
        if pending:
            tokens.append(new_token("text", "", 0, level, "".join(pending)))
        return tokens

    def note_footnote_trigger(self, text: str) -> None:
        """Note whether markdown-it-py's footnote reference rule ran on a plain text."""
        triggers = self.footnote_triggers
        if self.label_depth:
            if triggers.in_label.search(text):
                self.footnote_rule_ran = True
            return
        # The rule needs three characters. When the text is all of the inline
        # text, its positions are known. Otherwise a visited character counts
        # unless it may be one of the last two of the inline text.
        whole = text == self.content
        visited = False
        for match in triggers.visited.finditer(text):
            visited = True
            if whole and match.start() + 3 <= len(text):
                self.footnote_rule_ran = True
                return
            if not whole and match.group() not in self.content[-2:]:
                self.footnote_rule_ran = True
                return
        if (visited and not whole) or triggers.possible.search(text):
            self.footnote_rule_may_run = True

    def inline_node(
        self, node: Node, name: str, level: int, tokens: list[Token]
    ) -> None:
        if name == "softbreak" or name == "hardbreak":
            tokens.append(new_token(name, "br", 0, level))
        elif name == "text_special":
            tokens.append(self.text_special(node, level))
        elif name in _DELIMITERS:
            self.delimited(node, name, level, tokens)
        elif name == "code_inline":
            tokens.append(self.code_span(node, level))
        elif name == "html_inline":
            # The footnote reference rule runs before the HTML and autolink rules.
            self.footnote_rule_ran = True
            tokens.append(new_token("html_inline", "", 0, level, node.meta["content"]))
        elif name == "link":
            self.link(node, level, tokens)
        elif name == "image":
            self.image(node, level, tokens)
        elif name == "autolink":
            self.footnote_rule_ran = True
            self.autolink(node, level, tokens)
        elif name == "footnote_ref":
            tokens.append(self.footnote_ref(node, level))
        elif name != "footnote_ref_anchor":
            raise UnsupportedMarkdown(f"{name} inline")

    def text_special(self, node: Node, level: int) -> Token:
        """Convert an escape or an entity, which text_join joins to the text around it."""
        self.has_text_special = True
        meta = node.meta
        if meta["info"] == "entity":
            # The footnote reference rule runs before the entity rule.
            self.footnote_rule_ran = True
        content, markup, info = meta["content"], meta["markup"], meta["info"]
        return new_token("text_special", "", 0, level, content, markup, info)

    def code_span(self, node: Node, level: int) -> Token:
        children = node.children
        if any(child.name != "text" for child in children):
            raise UnsupportedMarkdown("code span")
        content = "".join(child.meta["content"] for child in children)
        markup = node.meta["marker"] * node.meta["marker_len"]
        return new_token("code_inline", "code", 0, level, content, markup)

    def delimited(self, node: Node, name: str, level: int, tokens: list[Token]) -> None:
        tag, size = _DELIMITERS[name]
        marker = node.meta["marker"]
        if tag == "s" and marker != "~":
            raise UnsupportedMarkdown("strikethrough")
        markup = marker * size
        if self.label_depth:
            self.footnote_rule_ran = True
        tokens.append(new_token(f"{tag}_open", tag, 1, level, "", markup))
        tokens.extend(self.inline(node.children, level + 1))
        tokens.append(new_token(f"{tag}_close", tag, -1, level, "", markup))

    def url(self, node: Node) -> str:
        """Return a link's destination as markdown-it-py's normalizeLink writes it."""
        url = node.meta["url"]
        if _PLAIN_URL.fullmatch(url) and self.md.validateLink(url):
            return url
        # markdown-it-pyrs encodes a host name in percent escapes where
        # markdown-it-py uses punycode, so anything else is read again.
        return self.written_destination(node)

    def link(self, node: Node, level: int, tokens: list[Token]) -> None:
        meta = node.meta
        attrs: dict[str, str | int | float] = {"href": self.url(node)}
        if meta.get("title"):
            attrs["title"] = meta["title"]
        tokens.append(Token("link_open", "a", 1, attrs, None, level))
        self.label_depth += 1
        tokens.extend(self.inline(node.children, level + 1))
        self.label_depth -= 1
        tokens.append(new_token("link_close", "a", -1, level))

    def image(self, node: Node, level: int, tokens: list[Token]) -> None:
        meta = node.meta
        attrs: dict[str, str | int | float] = {"src": self.url(node), "alt": ""}
        if meta.get("title"):
            attrs["title"] = meta["title"]
        # The alt text is parsed on its own, so its tokens start at level 0.
        self.label_depth += 1
        children = self.inline(node.children, 0) or None
        self.label_depth -= 1
        content = self.image_label(node)
        tokens.append(Token("image", "img", 0, attrs, None, level, children, content))

    def autolink(self, node: Node, level: int, tokens: list[Token]) -> None:
        md = self.md
        children = node.children
        if len(children) != 1 or children[0].name != "text_special":
            raise UnsupportedMarkdown("autolink")
        written = children[0].meta["content"]
        if AUTOLINK_RE.search(written):
            href = md.normalizeLink(written)
        elif EMAIL_RE.search(written):
            href = md.normalizeLink("mailto:" + written)
        else:
            raise UnsupportedMarkdown("autolink")
        if not md.validateLink(href):
            raise UnsupportedMarkdown("autolink")
        attrs: dict[str, str | int | float] = {"href": href}
        text = md.normalizeLinkText(written)
        tokens.append(
            Token("link_open", "a", 1, attrs, None, level, None, "", "autolink", "auto")
        )
        tokens.append(new_token("text", "", 0, level + 1, text))
        tokens.append(
            Token("link_close", "a", -1, {}, None, level, None, "", "autolink", "auto")
        )

    def footnote_ref(self, node: Node, level: int) -> Token:
        """Number a footnote reference in reading order, as the footnote plugin does."""
        label = node.meta["label"]
        key = ":" + label
        if key not in self.footnote_refs:
            raise UnsupportedMarkdown("footnote reference")
        number = self.footnote_refs[key]
        if number < 0:
            number = len(self.footnote_list)
            self.footnote_list[number] = {"label": label, "count": 0}
            self.footnote_refs[key] = number
        entry = self.footnote_list[number]
        meta = {"id": number, "subId": entry["count"], "label": label}
        entry["count"] += 1
        return Token("footnote_ref", "", 0, {}, None, level, None, "", "", "", meta)

    def link_label(self, node: Node, opening: str) -> tuple[str, int, int]:
        """Return a link's line and where its label starts and ends, found as markdown-it-py does."""
        start, stop = span(node)
        line, column = self.source.position(start)
        if self.source.line(stop - 1) != line:
            raise UnsupportedMarkdown("link over several lines")
        text = self.source.lines[line]
        if not text.startswith(opening, column):
            raise UnsupportedMarkdown("link position")
        state = StateInline(text, self.md, {}, [])
        label_start = column + len(opening)
        label_end = self.md.helpers.parseLinkLabel(state, label_start - 1, False)
        if label_end < 0:
            raise UnsupportedMarkdown("link label")
        return text, label_start, label_end

    def image_label(self, node: Node) -> str:
        text, label_start, label_end = self.link_label(node, "![")
        return text[label_start:label_end]

    def written_destination(self, node: Node) -> str:
        """Return a link's destination from the source, normalised as markdown-it-py does it."""
        text, _, label_end = self.link_label(
            node, "![" if node.name == "image" else "["
        )
        position = label_end + 1
        if text[position : position + 1] != "(":
            raise UnsupportedMarkdown("link destination")
        position += 1
        while text[position : position + 1] in (" ", "\t"):
            position += 1
        found = self.md.helpers.parseLinkDestination(text, position, len(text))
        href = self.md.normalizeLink(found.str) if found.ok else ""
        if not href or not self.md.validateLink(href):
            raise UnsupportedMarkdown("link destination")
        return href

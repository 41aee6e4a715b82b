"""Render markdown-it-py tokens to HTML in a tighter loop than RendererHTML's.

``RendererHTML.render`` calls a rule or ``renderToken`` for every token, and
``renderToken`` calls ``renderAttrs``, ``attrItems`` and ``escapeHtml`` in
turn. Here the token types that make up most of a body (text, raw HTML,
breaks, code spans, and every tag without a rule of its own) are written in
the loop itself, by the same output rules as markdown-it-py 4. Every other
token goes to the renderer's own rule: fences, images, footnotes and any
rule a plugin or pmkb added, such as the table wrappers. A renderer whose
class or rules replace any of the parts written here renders the whole
document itself.

The loop also collects the tokens that can put an author's HTML or URL into
the output, so that deciding whether the HTML needs sanitising takes no
second pass over every token.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from importlib.metadata import version
from typing import Any, NamedTuple

from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

log = logging.getLogger(__name__)

__all__ = ["RenderedHtml", "render_html"]

# The loops follow RendererHTML of markdown-it-py 4 (checked against 4.3.0).
# With another major version the renderer renders the whole document.
_SUPPORTED = version("markdown-it-py").split(".")[0] == "4"
# The rules of RendererHTML that the loops write themselves.
_DEFAULT_RULES = (
    "text",
    "html_inline",
    "html_block",
    "softbreak",
    "hardbreak",
    "code_inline",
    "list_item_open",
)
# The RendererHTML methods that the loops replace.
_RENDER_METHODS = ("render", "renderInline", "renderToken", "renderAttrs")
# Attribute names that escapeHtml leaves as they are.
_PLAIN_NAMES = frozenset(("class", "id", "href", "src", "alt", "title", "style"))
# Raw HTML, tokens with a URL, and inline tokens inside an inline token, whose
# children the loops do not visit.
_RAW_KINDS = frozenset(("html_block", "html_inline", "link_open", "image", "inline"))

Rule = Callable[[Sequence[Token], int, OptionsDict, EnvType], str]


class RenderedHtml(NamedTuple):
    """The HTML of a token stream and the tokens that may carry an author's markup."""

    html: str
    # Every token of a kind in _RAW_KINDS that the render visited: the tokens
    # of the stream and the children of its inline tokens. Running
    # generator.markdown.needs_cleaning on them returns the same result as on
    # the whole stream.
    raw_tokens: list[Token]


def _has_default_rules(renderer: Any) -> bool:
    """Tell whether the renderer uses RendererHTML's code where the loops replace it."""
    if not _SUPPORTED:
        return False
    renderer_class = type(renderer)
    for name in _RENDER_METHODS:
        if getattr(renderer_class, name, None) is not getattr(RendererHTML, name):
            return False
    rules = renderer.rules
    for name in _DEFAULT_RULES:
        rule = getattr(rules.get(name), "__func__", None)
        if rule is not getattr(RendererHTML, name):
            return False
    return True


def _attributes(attributes: dict[str, Any]) -> str:
    """Write attributes as RendererHTML.renderAttrs does."""
    html = ""
    for name, value in attributes.items():
        if type(value) is not str:
            value = str(value)
        # escapeHtml makes four passes, and values rarely need any of them.
        if "&" in value or "<" in value or ">" in value or '"' in value:
            value = escapeHtml(value)
        if name not in _PLAIN_NAMES:
            name = escapeHtml(name)
        html = f'{html} {name}="{value}"'
    return html


def _tag(tokens: Sequence[Token], index: int, token: Token, xhtml: bool) -> str:
    """Write a token's tag as RendererHTML.renderToken does."""
    if token.hidden:
        return ""
    nesting = token.nesting
    html = ("</" if nesting == -1 else "<") + token.tag
    if token.attrs:
        html += _attributes(token.attrs)
    if nesting == 0 and xhtml:
        html += " /"
    if not token.block:
        return html + ">"

    # A block tag after a hidden paragraph of a tight list starts a new line.
    if nesting != -1 and index and tokens[index - 1].hidden:
        html = "\n" + html
    if nesting == 1 and index + 1 < len(tokens):
        following = tokens[index + 1]
        # No line break between an opening tag and its inline content, its
        # hidden paragraph or its own closing tag, as in <li></li>.
        if (
            following.type == "inline"
            or following.hidden
            or (following.nesting == -1 and following.tag == token.tag)
        ):
            return html + ">"
    return html + ">\n"


class _Render:
    """The state of one render: its settings, its output and the raw tokens seen."""

    __slots__ = ("env", "hardbreak", "options", "out", "raw", "rules", "softbreak")

    def __init__(
        self, rules: dict[str, Rule], options: OptionsDict, env: EnvType
    ) -> None:
        self.rules = rules
        self.options = options
        self.env = env
        self.out: list[str] = []
        self.raw: list[Token] = []
        self.hardbreak = "<br />\n" if options["xhtmlOut"] else "<br>\n"
        self.softbreak = self.hardbreak if options["breaks"] else "\n"


def _inline_rule(children: Sequence[Token], index: int, render: _Render) -> str:
    """Render an inline token whose type has a rule."""
    child = children[index]
    kind = child.type
    if kind == "softbreak":
        return render.softbreak
    if kind == "hardbreak":
        return render.hardbreak
    if kind == "code_inline":
        attributes = _attributes(child.attrs) if child.attrs else ""
        return "<code" + attributes + ">" + escapeHtml(child.content) + "</code>"
    if kind in _RAW_KINDS:
        render.raw.append(child)
    return render.rules[kind](children, index, render.options, render.env)


def _render_inline(children: Sequence[Token], render: _Render, xhtml: bool) -> None:
    """Append the HTML of an inline token's children, as RendererHTML.renderInline does."""
    append = render.out.append
    rules = render.rules
    for index, child in enumerate(children):
        kind = child.type
        if kind == "text":
            content = child.content
            if "&" in content or "<" in content or ">" in content or '"' in content:
                content = escapeHtml(content)
            append(content)
        elif kind == "html_inline" or kind == "html_block":
            render.raw.append(child)
            append(child.content)
        elif kind in rules:
            append(_inline_rule(children, index, render))
        else:
            if kind in _RAW_KINDS:
                render.raw.append(child)
            if child.block or child.hidden or xhtml:
                append(_tag(children, index, child, xhtml))
                continue
            # An inline tag, such as <strong> or <a href="...">.
            html = child.tag
            if child.attrs:
                html += _attributes(child.attrs)
            append(("</" if child.nesting == -1 else "<") + html + ">")


def _render_blocks(tokens: Sequence[Token], render: _Render, xhtml: bool) -> None:
    """Append the HTML of a token stream, as RendererHTML.render does."""
    # Block tags are written here and not by a helper: a call per tag made the
    # render about 15% slower (benchmark corpus, 2-core machine).
    append = render.out.append
    rules = render.rules
    last = len(tokens) - 1
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "inline":
            children = token.children
            if children and len(children) == 1 and children[0].type == "text":
                content = children[0].content
                if "&" in content or "<" in content or ">" in content or '"' in content:
                    content = escapeHtml(content)
                append(content)
            elif children:
                _render_inline(children, render, xhtml)
            continue
        if kind in rules:
            # RendererHTML adds a checkbox to a list item whose meta has
            # "checked", which the tasklists plugin of mdit-py-plugins 0.7
            # never sets. Other items get the plain tag below.
            if kind != "list_item_open" or (token.meta and "checked" in token.meta):
                append(_block_rule(tokens, index, render))
                continue
        elif kind in _RAW_KINDS:
            render.raw.append(token)
        if token.hidden:
            continue
        if not token.block or xhtml:
            append(_tag(tokens, index, token, xhtml))
            continue
        # A visible block tag when xhtmlOut is off, written as _tag writes it.
        html = token.tag
        if token.attrs:
            html += _attributes(token.attrs)
        nesting = token.nesting
        if nesting == -1:
            append("</" + html + ">\n")
            continue
        html = "<" + html
        if index and tokens[index - 1].hidden:
            html = "\n" + html
        if nesting == 1 and index < last:
            following = tokens[index + 1]
            if (
                following.type == "inline"
                or following.hidden
                or (following.nesting == -1 and following.tag == token.tag)
            ):
                append(html + ">")
                continue
        append(html + ">\n")


def _block_rule(tokens: Sequence[Token], index: int, render: _Render) -> str:
    """Render a token of the stream whose type has a rule."""
    token = tokens[index]
    kind = token.type
    if kind in _RAW_KINDS:
        render.raw.append(token)
        if kind == "html_block":
            return token.content
    return render.rules[kind](tokens, index, render.options, render.env)


def render_html(
    renderer: Any, tokens: Sequence[Token], options: OptionsDict, env: EnvType
) -> RenderedHtml:
    """Render tokens to the HTML that ``renderer.render(tokens, options, env)`` returns."""
    if not _has_default_rules(renderer):
        log.debug("%s renders the whole document", type(renderer).__name__)
        return RenderedHtml(renderer.render(tokens, options, env), list(tokens))
    render = _Render(renderer.rules, options, env)
    _render_blocks(tokens, render, bool(options["xhtmlOut"]))
    return RenderedHtml("".join(render.out), render.raw)

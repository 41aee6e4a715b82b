"""Markdown to safe HTML: markdown-it-py with plugins, Pygments and nh3.

Bodies may contain raw HTML because postmortems often paste ``<details>``
blocks or ``<br>`` in tables. Everything rendered goes through nh3 with an
allow-list, so scripts, event handlers and ``javascript:`` URLs never reach
a page.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound
from slugify import slugify

from generator.fastrender import render_html

_TAGS = set(nh3.ALLOWED_TAGS) | {
    "input",
    "section",
    "figure",
    "figcaption",
    "time",
    "button",
}
_TAGS -= {"map", "area"}
_ATTRIBUTES = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
_ATTRIBUTES["*"] = {"id", "class", "title", "lang", "dir", "aria-label", "aria-hidden"}
_ATTRIBUTES["img"] = {"src", "alt", "width", "height", "loading"}
_ATTRIBUTES["input"] = {"checked", "disabled"}
_ATTRIBUTES["time"] = {"datetime"}
_ATTRIBUTES["details"] = {"open"}
_ATTRIBUTES["ol"] = {"start", "reversed"}
_ATTRIBUTES["button"] = {"type", "data-copy"}
for _cell in ("td", "th"):
    _ATTRIBUTES[_cell] = _ATTRIBUTES.get(_cell, set()) | {"style"}
_FORMATTER = HtmlFormatter(nowrap=True)

# A search document keeps the paragraphs and headings of a rendered body, which
# Pagefind weighs, and the text of everything else. The "#" links after
# headings, timeline entries and action items are not text. Each pattern is one
# pass of re.sub with a fixed replacement, which runs in C (a callback per tag
# took three times as long). nh3 writes tags in lower case.
_ANCHOR_LINK = re.compile(r'<a class="(?:header-anchor|anchor-link)"[^>]*>#</a>')
_IMAGE = re.compile(r'<img\s[^>]*?alt="([^"]*)"[^>]*>')
_KEPT_TAG = re.compile(r"<(/?)(p|h[2-6])\b[^>]*>")
# Block tags become a space, so that table cells and list items do not run
# together. Other tags go, so that highlighted code keeps its tokens together.
_BLOCK_TAG = re.compile(
    r"</?(?:br|li|td|th|tr|pre|div|hr|dl|dt|dd|details|summary|figure"
    r"|figcaption|blockquote|table|thead|tbody|tfoot|ul|ol|section)\b[^>]*>"
)
_OTHER_TAG = re.compile(r"<(?!/?(?:p|h[2-6])>)[^>]*>")


# The URL schemes a link or image may use; nh3 removes the others.
_SCHEMES = {"http", "https", "mailto"}
# Built once: nh3.clean converts its allow-lists to Rust on every call, which
# took 28 µs of the 29 µs that cleaning one action item's task took.
_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    clean_content_tags={"script", "style"},
    attributes=_ATTRIBUTES,
    tag_attribute_values={"input": {"type": {"checkbox"}}},
    url_schemes=_SCHEMES,
    filter_style_properties={"text-align"},
    link_rel=None,
)


def sanitise(html: str) -> str:
    """Remove every tag, attribute and URL scheme that is not on the allow-list."""
    return _CLEANER.clean(html)


# HTML tokens that contain no raw HTML of the author: the checkboxes of the
# tasklists plugin, those pmkb's body reader marks as its own, and any
# without a "<", such as the "#" of heading anchors.
_CHECKBOXES = {
    '<input class="task-list-item-checkbox" disabled="disabled" type="checkbox">',
    '<input class="task-list-item-checkbox" checked="checked" disabled="disabled" type="checkbox">',
}
OWN_HTML = "pmkb-html"
_HTML_TOKENS = {"html_block", "html_inline"}
# The tokens that carry a URL, and the attribute it is in.
_URL_TOKENS = {"link_open": "href", "image": "src"}
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


def needs_cleaning(tokens: list[Token]) -> bool:
    """Tell whether the HTML of these tokens may contain something nh3 removes.

    markdown-it escapes all text and writes only its own tags and attributes.
    So only two things can be unsafe: raw HTML of the author, and a link or
    image whose URL scheme is not on the allow-list. markdown-it itself
    refuses only javascript:, vbscript:, file: and most data: URLs.
    """
    for token in tokens:
        kind = token.type
        if kind == "inline":
            if token.children and needs_cleaning(token.children):
                return True
        elif kind in _HTML_TOKENS:
            if (
                "<" in token.content
                and not token.meta.get(OWN_HTML)
                and token.content not in _CHECKBOXES
            ):
                return True
        elif kind in _URL_TOKENS:
            url = token.attrs.get(_URL_TOKENS[kind])
            scheme = _SCHEME.match(url) if isinstance(url, str) else None
            if scheme and scheme.group(1).lower() not in _SCHEMES:
                return True
    return False


def render_tokens(tokens: list[Token], env: dict) -> str:
    """Render parsed tokens to safe HTML: through nh3 when they may need it.

    Skipping nh3 for the rest saves about 8% of the time a report takes to
    load. Its output means the same; only entities are written differently.
    """
    parser = markdown_parser()
    # needs_cleaning looks only at the raw HTML, link and image tokens that
    # render_html met, which saves it a second pass over every token.
    html, raw_tokens = render_html(parser.renderer, tokens, parser.options, env)
    return sanitise(html) if needs_cleaning(raw_tokens) else html


@lru_cache(maxsize=256)
def _lexer(name: str) -> Lexer | None:
    # Finding a lexer by name scans every Pygments lexer, so each is looked up once.
    try:
        return get_lexer_by_name(name)
    except ClassNotFound:
        return None


def highlight_code(code: str, language: str, _attributes: str) -> str:
    """Highlight a fenced code block with Pygments, or escape it when the language is unknown."""
    name = language.strip().split()[0] if language.strip() else ""
    css_class = f' class="language-{escape(name)}"' if name else ""
    lexer = _lexer(name) if name else None
    body = highlight(code, lexer, _FORMATTER) if lexer else escape(code)
    return f'<pre class="highlight"><code{css_class}>{body}</code></pre>\n'


@lru_cache(maxsize=4096)
def heading_slug(text: str) -> str:
    """Return a heading's anchor: ASCII words joined by '-'."""
    return slugify(text) or "section"


def _render_table_open(self, tokens, index, options, env) -> str:  # type: ignore[no-untyped-def]
    # Wide tables scroll inside their own box instead of widening the page.
    return '<div class="table-scroll">\n' + self.renderToken(
        tokens, index, options, env
    )


def _render_table_close(self, tokens, index, options, env) -> str:  # type: ignore[no-untyped-def]
    return self.renderToken(tokens, index, options, env) + "</div>\n"


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    """Return the configured parser, built once per process."""
    # store_labels keeps a reference link's label, so a link can be traced to
    # the line of its definition.
    # xhtmlOut off writes <br> and <img …> as nh3 does, so a body looks the
    # same whether or not it needed nh3 (see render_tokens).
    options = {
        "html": True,
        "highlight": highlight_code,
        "store_labels": True,
        "xhtmlOut": False,
    }
    parser = MarkdownIt("commonmark", options)
    parser.enable(["table", "strikethrough"])
    parser.use(footnote_plugin)
    parser.use(tasklists_plugin)
    parser.use(
        anchors_plugin,
        min_level=1,
        max_level=6,
        slug_func=heading_slug,
        permalink=True,
        permalinkSymbol="#",
    )
    parser.add_render_rule("table_open", _render_table_open)
    parser.add_render_rule("table_close", _render_table_close)
    return parser


# Characters that may start inline Markdown, or that the parser rewrites
# (line ends, NUL). Text without any of them renders as itself, escaped.
_INLINE_SYNTAX = re.compile(r"[\\`*_~\[\]!<>&\n\r\x00^]")


def render_inline(text: str) -> str:
    """Render one line of Markdown (a task, a summary) to safe inline HTML."""
    if _INLINE_SYNTAX.search(text) is None:
        # Most tasks are plain text: skip the parser, which would only escape.
        return sanitise(text.replace('"', "&quot;"))
    return sanitise(markdown_parser().renderInline(text))


def search_text(html: str) -> Markup:
    """Reduce a rendered, sanitised body to the text and headings a search index reads.

    Pagefind then parses a third less and stores no anchors that search does not use.
    """
    html = _IMAGE.sub(r" \1 ", _ANCHOR_LINK.sub("", html))
    html = _BLOCK_TAG.sub(" ", _KEPT_TAG.sub(r"<\1\2>", html))
    return Markup(_OTHER_TAG.sub("", html))


def highlight_stylesheet() -> str:
    """Return the stylesheet for highlighted code, with a dark variant."""
    light = HtmlFormatter(style="friendly").get_style_defs(".highlight")
    dark = HtmlFormatter(style="github-dark").get_style_defs(".highlight")
    dark = "\n".join(f"  {line}" for line in dark.splitlines())
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"

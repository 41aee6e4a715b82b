"""render_html writes markdown-it-py's HTML and leads to the same sanitising decision."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from generator.fastparse import parse_tokens
from generator.fastrender import render_html
from generator.markdown import (
    _render_table_close,
    _render_table_open,
    heading_slug,
    highlight_code,
    markdown_parser,
    needs_cleaning,
    render_tokens,
)
from generator.parse import parse_document

BODIES = {
    "empty": "",
    "breaks": "soft\nbreak, hard  \nbreak and hard\\\nbreak\n\nnext paragraph\n",
    "escaping": "Text & <not a tag> \"quoted\" 'single' &amp; &copy; &#x22; \\<\n",
    "tight list": "- one\n- two\n  - nested *em*\n- three\n",
    "loose list": "- one\n\n- two\n\n  second paragraph\n\n  > quote in item\n",
    "list item with blocks": "1. Restart:\n\n   ```sh\n   systemctl restart\n   ```\n",
    "ordered start": "3. three\n4. four\n\n1) one\n",
    "task list": "- [ ] open *task*\n- [x] done\n- [X] done too\n  - [ ] nested\n",
    "headings": "# Title & <b>\n## `code` heading\n### Same\n### Same\nSetext\n---\n",
    "table": (
        "| Time | Event | Cost |\n|:-----|:-----:|-----:|\n"
        "| 03:00 | Alert *fired* | 1 |\n| 03:05 | a \\| b |\n| short |\n"
    ),
    "fences": (
        "```python\nx = '<&>'\n```\n\n```nosuchlang {.cls}\n<&>\n```\n\n"
        "~~~\nplain\n~~~\n\n```py &amp; x\ny\n```\n\n    indented <code> &\n"
    ),
    "images": (
        '![alt *em* `c` <b>](img/p99.png "p99 \\"q\\"") and ![](empty.png)\n\n'
        "![outer ![inner](i.png)](o.png)\n"
    ),
    "links": (
        '[runbook](https://wiki.example.com/?a=1&b="2" "Run & book") '
        "<https://status.example.com/x?a&b> <oncall@example.com> "
        "[js](javascript:alert(1)) [ftp](ftp://host/file)\n"
    ),
    "raw html": (
        "<details>\n<summary>Logs</summary>\n\nBody *text*.\n\n</details>\n\n"
        'Inline <span onclick="x">span</span> and <script>a()</script> <br>\n'
    ),
    "footnotes": (
        "Found.[^1] Fixed.[^note] Again.[^1] Inline.^[an *inline* note]\n\n"
        "[^1]: From the *dashboards*.\n[^note]: Second note\n    over two lines.\n"
    ),
    "blockquote": "> quote\n> - item\n>\n> ```\n> code\n> ```\n",
    "rules and emphasis": "---\n\n~~gone~~ *em* **strong** ***both*** _u_\n\n***\n",
    "tabs and CRLF": "-\tone\r\n-\ttwo\r\n\r\n\tcode\twith tab\r\n",
    "NUL": "a\x00b\n",
}


def _xhtml_parser() -> MarkdownIt:
    """Return pmkb's parser set up with xhtmlOut and breaks on."""
    options = {"html": True, "highlight": highlight_code, "xhtmlOut": True}
    parser = MarkdownIt("commonmark", {**options, "breaks": True})
    parser.enable(["table", "strikethrough"]).use(footnote_plugin)
    parser.use(tasklists_plugin).use(
        anchors_plugin, max_level=6, slug_func=heading_slug, permalink=True
    )
    parser.add_render_rule("table_open", _render_table_open)
    parser.add_render_rule("table_close", _render_table_close)
    return parser


def _assert_same(parser: MarkdownIt, tokens: list[Token], env: dict) -> None:
    """Render copies of the tokens both ways and compare HTML, tokens and cleaning."""
    old_tokens, old_env = copy.deepcopy((tokens, env))
    new_tokens, new_env = copy.deepcopy((tokens, env))
    expected = parser.renderer.render(old_tokens, parser.options, old_env)
    html, raw_tokens = render_html(parser.renderer, new_tokens, parser.options, new_env)
    assert html == expected
    assert new_tokens == old_tokens
    assert needs_cleaning(raw_tokens) == needs_cleaning(old_tokens)


@pytest.mark.parametrize("name", BODIES)
def test_render_matches_renderer(name: str) -> None:
    parser = markdown_parser()
    env: dict = {}
    _assert_same(parser, parser.parse(BODIES[name], env), env)
    env = {}
    _assert_same(parser, parse_tokens(BODIES[name], env), env)


@pytest.mark.parametrize("name", BODIES)
def test_render_xhtml_and_breaks(name: str) -> None:
    parser = _xhtml_parser()
    env: dict = {}
    _assert_same(parser, parser.parse(BODIES[name], env), env)


def _token(kind: str, tag: str, nesting: int, **fields: object) -> Token:
    token = Token(kind, tag, nesting)  # type: ignore[arg-type]
    for name, value in fields.items():
        setattr(token, name, value)
    return token


def _hand_made_tokens() -> list[Token]:
    """Return tokens that no parser makes, in places the loops treat specially."""
    script = _token("html_inline", "", 0, content="<script>x()</script>")
    nested = _token("inline", "", 0, children=[script])
    return [
        _token("link_open", "a", 1, hidden=True, attrs={"href": "javascript:x"}),
        _token("paragraph_open", "p", 1, block=True, hidden=True),
        _token("hr", "hr", 0, block=True, attrs={"data-n": 3, "x&<y": 'v"&<>'}),
        _token("bullet_list_open", "ul", 1, block=True, attrs={"start": 1.5}),
        _token("list_item_open", "li", 1, block=True, attrs={"id": "a", "class": "b"}),
        _token("inline", "", 0, block=True, children=[]),
        _token("list_item_close", "li", -1, block=True),
        _token("bullet_list_close", "ul", -1, block=True),
        _token("em_open", "em", 1),
        _token("paragraph_open", "p", 1, block=True),
        _token(
            "inline",
            "",
            0,
            block=True,
            children=[
                _token("link_open", "a", 1, attrs={"href": "ftp://x", "title": "<&>"}),
                _token("div_open", "div", 1, block=True),
                nested,
                _token("code_inline", "code", 0, content="<&>", attrs={"class": "c"}),
                _token("hr", "hr", 0, block=True, hidden=True),
                _token("hr", "hr", 0, block=True),
                _token("div_close", "div", -1, block=True),
                _token("link_close", "a", -1),
            ],
        ),
        _token("paragraph_close", "p", -1, block=True),
        _token("html_block", "", 0, block=True, content="<div>raw</div>\n"),
    ]


def test_render_hand_made_tokens() -> None:
    _assert_same(markdown_parser(), _hand_made_tokens(), {})
    _assert_same(_xhtml_parser(), _hand_made_tokens(), {})


def _unsafe_tokens() -> dict[str, list[Token]]:
    """Return token lists with one unsafe token, each in a place the loops treat apart."""
    script = "<script>x()</script>"

    def link(**fields: object) -> Token:
        return _token("link_open", "a", 1, attrs={"href": "javascript:x"}, **fields)

    def inline(*children: Token) -> Token:
        return _token("inline", "", 0, block=True, children=list(children))

    return {
        "hidden link": [link(hidden=True)],
        "inline link": [link()],
        "block link": [link(block=True)],
        "image": [_token("image", "img", 0, attrs={"src": "vbscript:x"}, children=[])],
        "raw html": [_token("html_inline", "", 0, content=script)],
        "child raw html": [inline(_token("html_block", "", 0, content=script))],
        "child hidden link": [inline(link(hidden=True))],
        "child block link": [inline(link(block=True))],
        "child image": [inline(_token("image", "img", 0, attrs={"src": "file:x"}))],
        "nested inline": [inline(_token("inline", "", 0, children=[inline(link())]))],
    }


@pytest.mark.parametrize("name", _unsafe_tokens())
def test_render_finds_unsafe_token(name: str) -> None:
    parser = markdown_parser()
    tokens = _unsafe_tokens()[name]
    html, raw_tokens = render_html(parser.renderer, tokens, parser.options, {})
    assert html == parser.renderer.render(_unsafe_tokens()[name], parser.options, {})
    assert needs_cleaning(tokens)
    assert needs_cleaning(raw_tokens)


def test_render_body_reader_tokens() -> None:
    # Attributes and HTML tokens of the kinds the body reader adds to timelines.
    env: dict = {}
    tokens = parse_tokens("## Timeline\n\n- 03:00 - Alert\n- 03:05 - Paged\n", env)
    tokens[4].attrSet("id", "t-0300")
    tokens[4].attrJoin("class", "timeline-entry")
    time = _token("html_inline", "", 0, content='<time datetime="x">03:00</time>')
    time.meta["pmkb-html"] = True
    tokens[6].children = [time, *(tokens[6].children or [])]
    _assert_same(markdown_parser(), tokens, env)
    html = render_tokens(copy.deepcopy(tokens), dict(env))
    assert (
        '<li id="t-0300" class="timeline-entry"><time datetime="x">03:00</time>' in html
    )


def test_render_checked_item_uses_rule() -> None:
    # RendererHTML writes a checkbox for an item whose meta has "checked".
    env: dict = {}
    tokens = markdown_parser().parse("- done\n- open\n", env)
    tokens[1].meta["checked"] = True
    tokens[6].meta["checked"] = False
    _assert_same(markdown_parser(), tokens, env)
    html = render_html(
        markdown_parser().renderer, tokens, markdown_parser().options, env
    )
    assert 'disabled="" type="checkbox" checked=""> done' in html.html


def test_render_replaced_rule_uses_renderer() -> None:
    parser = MarkdownIt("commonmark")
    parser.add_render_rule("text", lambda self, tokens, index, options, env: "T")
    tokens = parser.parse("*a* b\n")
    html, raw_tokens = render_html(parser.renderer, tokens, parser.options, {})
    assert html == "<p><em>T</em>T</p>\n"
    assert raw_tokens == tokens


def test_render_renderer_subclass_uses_renderer() -> None:
    class Upper(RendererHTML):
        def renderToken(self, tokens, idx, options, env):  # type: ignore[no-untyped-def]
            return super().renderToken(tokens, idx, options, env).upper()

    parser = MarkdownIt("commonmark", renderer_cls=Upper)
    tokens = parser.parse("# a\n")
    html, _ = render_html(parser.renderer, tokens, parser.options, {})
    assert html == "<H1>a</H1>\n"


def test_render_corpus_bodies(corpus: Path) -> None:
    # Every body of the real collections, as the fast parser gives its tokens.
    parser = markdown_parser()
    paths = sorted(corpus.glob("*/**/*.md"))
    assert paths
    for path in paths:
        document, _ = parse_document(str(path), path.read_text(encoding="utf-8"))
        body = document.body if document else ""
        env: dict = {}
        tokens = parse_tokens(body, env)
        html, raw_tokens = render_html(parser.renderer, tokens, parser.options, env)
        assert html == parser.renderer.render(tokens, parser.options, env), path
        assert needs_cleaning(raw_tokens) == needs_cleaning(tokens), path

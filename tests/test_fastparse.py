"""The fast parse path gives markdown-it-py's tokens, or leaves the body to markdown-it-py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from markdown_it.token import Token

from generator.fastparse import UnsupportedMarkdown, convert_tokens, parse_tokens
from generator.markdown import markdown_parser

REPOSITORY = Path(__file__).resolve().parent.parent

FIELDS = (
    "type", "tag", "nesting", "attrs", "map", "level", "content", "markup",
    "info", "meta", "block", "hidden",
)  # fmt: skip

FAST_BODIES = {
    "empty body": "",
    "title heading": "# Database outage\n\n## Summary\n\nThe pool ran out.\n",
    "closing hashes": "## Timeline ##\n### Notes #\n#### C# code\n",
    "setext headings": "Summary\n=======\n\nDetails\nover two lines\n-------\n",
    "tight list": "- one\n- two\n- three\n",
    "loose list": "- one\n\n- two\n\n  second paragraph\n",
    "ordered list start": "3. third\n4. fourth\n\n1) one\n2) two\n",
    "nested list": (
        "- outer\n  - inner *em*\n    1. deep\n       text\n- next\n"
        "continued lazily\n- last\n\n  after a blank line\n"
    ),
    "list with blocks": (
        "1. Restart:\n\n   ```sh\n   systemctl restart pool\n   ```\n\n"
        "2. Check:\n\n   | Check | Result |\n   |---|---|\n   | pool | ok |\n"
    ),
    "task list": (
        "## Action Items\n\n"
        "- [ ] Add pool metrics (Owner: db-team, Due: 2025-02-01)\n"
        "- [x] Roll back the release\n- [X] **Done** too\n"
    ),
    "table alignment": (
        "| Time | Event | Cost |\n|:-----|:-----:|-----:|\n"
        "| 03:00 | Alert *fired* | 1 |\n| 03:05 | Paged \\| on-call |\n"
    ),
    "fence with language": "```python\ndef pool():\n\treturn 1\n```\n",
    "fence without language": "~~~\nplain text\n~~~~\n",
    "indented code": "Text:\n\n    indented code\n\n      more\n\nAfter.\n",
    "html block": "<details>\n<summary>Logs</summary>\n\nBody text.\n\n</details>\n",
    "inline html": 'Line with <br> and <span class="x">a span</span>.\n',
    "links": (
        '[runbook](https://wiki.example.com/runbook "Runbook") and '
        "[query](https://grafana.example.com/d?q=a%20b) and [host](http://bücher.example)\n"
    ),
    "images": '![latency graph](img/p99.png "p99") and ![](empty.png)\n',
    "autolinks": "<https://status.example.com/x> or <oncall@example.com>\n",
    "emphasis": "*em* **strong** ***both*** _u_ __uu__\n**Direct cause:** the pool\n",
    "strikethrough": "~~removed~~ and ~single~ tilde\n",
    "breaks": "soft\nbreak, hard  \nbreak and hard\\\nbreak\n",
    "escapes and entities": "\\*not em\\* &amp; &copy; &#35; &#x41; &bogus; \\q\n",
    "non-ASCII": (
        "# Störung — 日本語\n\n- Ünïcode ✓ *item*\n- emoji 🚀 [link](https://example.com/ä)\n\n"
        "| Dienst | Zeit |\n|---|---|\n| Zahlungen | 03:00 |\n"
    ),
    "footnotes": (
        "Cause found.[^1] Fixed later.[^note] Again.[^1]\n\n"
        "[^1]: From the *dashboards*.\n[^note]: Second note\n    over two lines.\n"
    ),
    "code spans": "`kubectl get pods` and `` a`b `` and ` x `\n",
    "windows newlines": "# Title\r\n\r\n- a\r\n- b\r\n",
    "plain words": "Plain words only\n",
}

FALLBACK_BODIES = {
    "reference link": (
        "[runbook][rb]\n\n[rb]: https://wiki.example.com\n",
        "link reference definition",
    ),
    "block quote": ("> quoted text\n", "blockquote block"),
    "inline footnote": ("Text^[an inline note].\n", "inline footnote"),
    "unused footnote": (
        "Text.\n\n[^1]: Never cited.\n",
        "footnote definition not used or not at the top level",
    ),
    "tab in list": ("-\tone\n", "tab outside a code fence"),
    "unclosed fence": ("```\ncode\n", "unclosed code fence"),
    "table then list": (
        "| a |\n|---|\n| 1 |\n- item\n",
        "table followed by a line that is not blank",
    ),
    "rule near the end": (
        "*a:*\n",
        "footnote rule may have run near the end of a text",
    ),
    "heading over dashes": ("a | b\n---\n", "setext heading that may be a table"),
    "no-break space": ("\u00a0text\n", "Unicode space at the start or end of a text"),
    "indented closing fence": (
        "```\nx\n    ```\n",
        "closing fence indented past its opening",
    ),
    "indented footnote": (
        "Text[^1].\n\n  [^1]: Indented definition.\n",
        "indented footnote definition",
    ),
}


@pytest.mark.parametrize(
    "body",
    [
        "The config was [`\n",
        "x [`y\n",
        " [``]\n",
        "And [see > |` here.\n",
        "![x.md```\n",
        "A `pair` then [a link with `one\n",
    ],
)
def test_parser_panic_avoided(body: str, capfd: pytest.CaptureFixture[str]) -> None:
    # markdown-it-pyrs panics on these, so markdown-it-py parses them.
    with pytest.raises(UnsupportedMarkdown) as raised:
        convert_tokens(body, {})
    assert raised.value.reason == "backtick after a bracket"
    expected = markdown_parser().parse(body, {})
    assert fields(parse_tokens(body, {})) == fields(expected)
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize(
    "body", ["See [the `code`](https://e.example).\n", "[a] then `b`\n"]
)
def test_closed_code_after_bracket_fast(body: str) -> None:
    expected = markdown_parser().parse(body, {})
    assert fields(convert_tokens(body, {})) == fields(expected)


def fields(tokens: list[Token]) -> list[dict[str, Any]]:
    """Return every compared field of a token list, children included."""
    return [
        {name: getattr(token, name) for name in FIELDS}
        | {"children": None if token.children is None else fields(token.children)}
        for token in tokens
    ]


@pytest.mark.parametrize("name", FAST_BODIES)
def test_fast_path_tokens(name: str) -> None:
    body = FAST_BODIES[name]
    expected_env: dict = {}
    expected = markdown_parser().parse(body, expected_env)
    env: dict = {}

    tokens = convert_tokens(body, env)

    assert fields(tokens) == fields(expected)
    assert env == expected_env


@pytest.mark.parametrize("name", FALLBACK_BODIES)
def test_fallback_reason(name: str) -> None:
    body, reason = FALLBACK_BODIES[name]
    env: dict = {}

    with pytest.raises(UnsupportedMarkdown) as raised:
        convert_tokens(body, env)

    assert raised.value.reason == reason
    assert env == {}


@pytest.mark.parametrize("name", FALLBACK_BODIES)
def test_fallback_tokens(name: str) -> None:
    body, _ = FALLBACK_BODIES[name]
    expected_env: dict = {}
    expected = markdown_parser().parse(body, expected_env)
    env: dict = {}

    tokens = parse_tokens(body, env)

    assert fields(tokens) == fields(expected)
    assert env == expected_env


def test_footnote_env_without_rule() -> None:
    env: dict = {}

    convert_tokens("Plain words only\n", env)

    assert env == {}


def test_footnote_env_with_rule() -> None:
    env: dict = {}

    convert_tokens("03:00 - alert fired\n", env)

    assert env == {"footnotes": {"refs": {}, "list": {}}}


def test_agreement_bundled_content() -> None:
    command = [
        sys.executable,
        str(REPOSITORY / "bench" / "parser_agreement.py"),
        "--repeat",
        "1",
        str(REPOSITORY / "content"),
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=120, cwd=REPOSITORY
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "  differed: 0\n" in result.stdout

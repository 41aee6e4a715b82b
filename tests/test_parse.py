"""Front matter reading: YAML surprises, delimiters and exact error messages."""

from __future__ import annotations

import pytest

from generator.parse import parse_document


def messages(text: str) -> list[str]:
    """Return the formatted problems of parsing ``text`` as bad.md."""
    _, problems = parse_document("bad.md", text)
    return [problem.format() for problem in problems]


def test_time_without_quotes_stays_text() -> None:
    document, problems = parse_document("a.md", "---\nstarted: 12:30\n---\n")
    assert problems == []
    assert document is not None
    assert document.metadata["started"] == "12:30"


@pytest.mark.parametrize("word", ["no", "off", "yes", "on", "NO", "Off"])
def test_yaml11_booleans_stay_text(word: str) -> None:
    document, _ = parse_document("a.md", f"---\ntags: [{word}]\n---\n")
    assert document is not None
    assert document.metadata["tags"] == [word]


def test_true_false_stay_booleans() -> None:
    document, _ = parse_document("a.md", "---\na: true\nb: false\n---\n")
    assert document is not None
    assert document.metadata == {"a": True, "b": False}


def test_dates_stay_text_in_every_form() -> None:
    text = (
        "---\na: 2025-01-15\nb: 2025-01-15 03:00\nc: 2025-01-15T03:00:00+09:00\n---\n"
    )
    document, _ = parse_document("a.md", text)
    assert document is not None
    assert document.metadata == {
        "a": "2025-01-15",
        "b": "2025-01-15 03:00",
        "c": "2025-01-15T03:00:00+09:00",
    }


def test_leading_zero_number_stays_text() -> None:
    document, _ = parse_document("a.md", "---\nticket: 0800\ncount: 1200\n---\n")
    assert document is not None
    assert document.metadata == {"ticket": "0800", "count": 1200}


def test_bom_crlf_and_trailing_spaces() -> None:
    text = "\ufeff---  \r\ntitle: x\r\n--- \r\n## Body\r\n"
    document, problems = parse_document("a.md", text)
    assert problems == []
    assert document is not None
    assert document.metadata == {"title": "x"}
    assert document.body == "## Body\n"
    assert document.body_line == 4


def test_empty_block_is_empty_mapping() -> None:
    document, problems = parse_document("a.md", "---\n---\nBody\n")
    assert problems == []
    assert document is not None
    assert document.metadata == {}
    assert document.body_line == 3


def test_no_front_matter_is_empty_mapping() -> None:
    document, problems = parse_document("a.md", "# Title\n\ntext\n")
    assert problems == []
    assert document is not None
    assert document.metadata == {}
    assert document.body_line == 1


def test_key_positions_follow_lines() -> None:
    text = "\n---\ntitle: x\nroot_cause:\n  category: data\nservices:\n  - api\n  - db\n---\n"
    document, _ = parse_document("a.md", text)
    assert document is not None
    assert document.position(("title",)) == (3, 1)
    assert document.position(("root_cause", "category")) == (5, 3)
    assert document.position(("services", 1)) == (8, 5)
    assert document.value_position(("title",)) == (3, 8)


BAD_INPUTS = [
    (
        "---\ntitle: x\nseverity: SEV1\ntitle: y\n---\n",
        "bad.md:4:1: error: duplicate key 'title', also on line 2 "
        "(remove one of them, because YAML would silently keep only the last)",
    ),
    (
        "---\n- a\n- b\n---\n",
        "bad.md:2:1: error: front matter must be a mapping of keys to values, "
        "found a list (write one 'key: value' per line)",
    ),
    (
        "---\njust a sentence\n---\n",
        "bad.md:2:1: error: front matter must be a mapping of keys to values, "
        "found a single value (write one 'key: value' per line)",
    ),
    (
        "+++\ntitle = 'x'\n+++\n",
        "bad.md:1:1: error: TOML front matter ('+++') is not supported "
        "(convert the block to YAML between '---' lines)",
    ),
    (
        "---\ntitle: x\n\n## Body\n",
        "bad.md:1:1: error: front matter opened with '---' is never closed "
        "(add a line with '---' after the last front matter field)",
    ),
    (
        "---\ntitle: [x\nseverity: SEV1\n---\n",
        "bad.md:3:9: error: invalid YAML: expected ',' or ']', but got ':' "
        "in the list that starts at line 2, column 8 "
        "(fix the YAML syntax of the front matter)",
    ),
    (
        "---\ntitle: x\n  bad: indent\n---\n",
        "bad.md:3:6: error: invalid YAML: mapping values are not allowed here "
        "(fix the YAML syntax of the front matter)",
    ),
    (
        '---\ntitle: "Checkout down\nseverity: SEV1\n---\n',
        "bad.md:4:1: error: invalid YAML: the front matter ends in the quoted text "
        "that starts at line 2, column 8 (fix the YAML syntax of the front matter)",
    ),
    (
        "---\ntitle: x\n\tseverity: SEV1\n---\n",
        "bad.md:3:1: error: invalid YAML: found character '\\t' that cannot start "
        "any token: YAML is indented with spaces, never tabs "
        "(fix the YAML syntax of the front matter)",
    ),
]


ALIAS_BOMB = (
    "---\na: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"l{level}: &l{level} [{', '.join([f'*{previous}'] * 9)}]\n"
        for level, previous in zip(
            range(1, 9), ["a", *(f"l{n}" for n in range(1, 8))], strict=True
        )
    )
    + "---\n"
)
TOO_COMPLEX = (
    "bad.md:1:1: error: front matter expands to more than 20000 values or 50 levels "
    "(remove the YAML anchors and aliases, the &name and *name marks)"
)
BAD_INPUTS += [(ALIAS_BOMB, TOO_COMPLEX), ("---\na: &a [1, *a]\n---\n", TOO_COMPLEX)]


@pytest.mark.parametrize(("text", "expected"), BAD_INPUTS)
def test_bad_front_matter_message(text: str, expected: str) -> None:
    assert messages(text) == [expected]

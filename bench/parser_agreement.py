"""Compare the fast Markdown parse path with markdown-it-py, token by token.

Usage:

    python bench/parser_agreement.py bench/.work/n1000/content content tests

For every ``.md`` file under the folders, the body (the text after the front
matter, or the whole file when it has none) is parsed by markdown-it-py
(``markdown_parser().parse``) and by ``generator.fastparse.convert_tokens``.
Per folder the script prints how many bodies took the fast path, how many
fell back and why, how many came out different (with the first difference of
each), and the mean milliseconds per body:

- markdown-it-py: its parse, over every body;
- fast path: tree, conversion and the remaining core rules, over the bodies
  that took it, next to markdown-it-py over the same bodies;
- parse_tokens: what read_body calls (the fast path, or the check and then
  markdown-it-py), over every body.

Each path is timed in loops of its own over the bodies, after a warm-up
parse and after the comparison. The fastest of ``--repeat`` loops counts,
because other processes on the machine only ever slow a loop down. The exit
status is 1 when any body differed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from generator.fastparse import UnsupportedMarkdown, convert_tokens, parse_tokens
from generator.markdown import markdown_parser
from generator.parse import parse_document

FIELDS = (
    "type", "tag", "nesting", "attrs", "map", "level", "content", "markup",
    "info", "meta", "block", "hidden",
)  # fmt: skip


@dataclass
class FolderResult:
    """Counts and timings for one folder."""

    files: int = 0
    fast: int = 0
    fallbacks: Counter[str] = field(default_factory=Counter)
    differences: list[str] = field(default_factory=list)
    python_ms: float = 0.0
    python_fast_ms: float = 0.0
    fast_ms: float = 0.0
    parse_tokens_ms: float = 0.0


def read_body(path: Path) -> str:
    """Return the Markdown body of a file, or the whole file without front matter."""
    text = path.read_text(encoding="utf-8")
    document, _ = parse_document(str(path), text)
    return document.body if document is not None else text


def first_difference(
    expected: list[Token], actual: list[Token], where: str = ""
) -> str:
    """Describe the first place where two token lists differ, or return ''."""
    for index, (left, right) in enumerate(zip(expected, actual, strict=False)):
        place = f"{where}[{index}] {left.type}"
        for name in FIELDS:
            if getattr(left, name) != getattr(right, name):
                return f"{place}.{name}: {getattr(left, name)!r} != {getattr(right, name)!r}"
        if (left.children is None) != (right.children is None):
            return f"{place}.children: {left.children!r} != {right.children!r}"
        found = first_difference(
            left.children or [], right.children or [], place + ".children"
        )
        if found:
            return found
    if len(expected) != len(actual):
        return f"{where} length: {len(expected)} != {len(actual)}"
    return ""


def compare_body(text: str, result: FolderResult, name: str) -> bool:
    """Parse one body both ways, record the outcome, and tell whether it took the fast path."""
    expected_env: dict[str, Any] = {}
    expected = markdown_parser().parse(text, expected_env)
    env: dict[str, Any] = {}
    try:
        actual = convert_tokens(text, env)
    except UnsupportedMarkdown as unsupported:
        result.fallbacks[unsupported.reason] += 1
        return False
    result.fast += 1
    difference = first_difference(expected, actual)
    if not difference and env != expected_env:
        difference = f"env: {expected_env!r} != {env!r}"
    if difference:
        result.differences.append(f"{name}: {difference}")
    return True


def time_parse(
    parse: Callable[[str, dict], list[Token]], bodies: list[str], repeat: int
) -> float:
    """Return the milliseconds of the fastest of ``repeat`` loops of a parse over the bodies."""
    fastest = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for body in bodies:
            parse(body, {})
        fastest = min(fastest, time.perf_counter() - started)
    return fastest * 1000


def compare_folder(folder: Path, repeat: int) -> FolderResult:
    """Compare the two paths on every Markdown file below a folder, then time them."""
    result = FolderResult()
    bodies: list[str] = []
    fast_bodies: list[str] = []
    for path in sorted(folder.rglob("*.md")):
        try:
            text = read_body(path)
        except UnicodeDecodeError:
            continue
        result.files += 1
        bodies.append(text)
        if compare_body(text, result, str(path)):
            fast_bodies.append(text)

    # Each path is timed in a loop of its own, so that the garbage collections
    # its allocations cause are charged to it.
    result.python_ms = time_parse(markdown_parser().parse, bodies, repeat)
    result.python_fast_ms = time_parse(markdown_parser().parse, fast_bodies, repeat)
    result.fast_ms = time_parse(convert_tokens, fast_bodies, repeat)
    result.parse_tokens_ms = time_parse(parse_tokens, bodies, repeat)
    return result


def report(folder: str, result: FolderResult) -> None:
    """Print one folder's counts and timings."""
    files = max(result.files, 1)
    fast = max(result.fast, 1)
    print(f"{folder}: {result.files} files")
    print(f"  fast path: {result.fast} ({100 * result.fast / files:.1f}%)")
    print(f"  fell back: {sum(result.fallbacks.values())}")
    for reason, count in result.fallbacks.most_common():
        print(f"    {reason}: {count}")
    print(f"  differed: {len(result.differences)}")
    for difference in result.differences:
        print(f"    {difference}")
    print(f"  markdown-it-py: {result.python_ms / files:.3f} ms per body")
    print(
        f"  fast path: {result.fast_ms / fast:.3f} ms per body"
        f" (markdown-it-py {result.python_fast_ms / fast:.3f} ms on the same bodies)"
    )
    print(f"  parse_tokens: {result.parse_tokens_ms / files:.3f} ms per body")


def main(argv: list[str] | None = None) -> int:
    """Compare the paths on each folder given and return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path, help="folders of .md files")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="timing loops per path; the fastest counts (default 3)",
    )
    arguments = parser.parse_args(argv)
    # One parse each way first, so that neither timing includes start-up work.
    parse_tokens("# Warm-up\n\nText with a [link](https://example.com).\n", {})
    markdown_parser().parse("# Warm-up\n", {})
    differed = 0
    for folder in arguments.folders:
        result = compare_folder(folder, arguments.repeat)
        report(str(folder), result)
        differed += len(result.differences)
    return 1 if differed else 0


if __name__ == "__main__":
    sys.exit(main())

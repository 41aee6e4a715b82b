"""Split a postmortem file into front matter and body, and read the YAML.

The YAML loader keeps the position of every key so that later checks can
report the line of a bad value, and it reads YAML the way people expect:
``12:30`` stays a string instead of a base-60 number, ``no`` and ``off`` stay
strings instead of booleans, and time values stay strings in every file, so
validation parses all of them one way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from generator.errors import Level, Problem

KeyPath = tuple[str | int, ...]
Position = tuple[int, int]

_INT = re.compile(r"^(?:[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)"
    r"|\.(?:nan|NaN|NAN))$"
)
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_DROPPED_TAGS = {
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp",
}


class FrontMatterLoader(yaml.SafeLoader):
    """A safe YAML loader without the YAML 1.1 surprises."""


def _use_plain_resolvers(
    loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader],
) -> None:
    loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED_TAGS]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    loader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL, list("tTfF"))
    loader.add_implicit_resolver("tag:yaml.org,2002:int", _INT, list("-+0123456789"))
    loader.add_implicit_resolver(
        "tag:yaml.org,2002:float", _FLOAT, list("-+0123456789.")
    )


_use_plain_resolvers(FrontMatterLoader)
LOADERS: list[type[Any]] = [FrontMatterLoader]

if getattr(yaml, "__with_libyaml__", False):

    class FastFrontMatterLoader(yaml.CSafeLoader):
        """The same loader on libyaml's C parser, about ten times faster.

        Its error messages are terser, so a file it rejects is read again
        with the pure-Python parser to report the problem.
        """

    _use_plain_resolvers(FastFrontMatterLoader)
    LOADERS.insert(0, FastFrontMatterLoader)


class PostmortemHandler(YAMLHandler):
    """python-frontmatter handler for ``---`` blocks, strict about the delimiter."""

    # Only spaces may follow the dashes: ``\s`` would also swallow newlines
    # and shift every line number after the block.
    FM_BOUNDARY = re.compile(r"^-{3}[ \t]*$", re.MULTILINE)


@dataclass
class SourceDocument:
    """A postmortem file read into front matter and body, with positions."""

    metadata: dict[str, Any]
    key_positions: dict[KeyPath, Position] = field(default_factory=dict)
    value_positions: dict[KeyPath, Position] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    has_front_matter: bool = True

    def position(self, path: KeyPath) -> Position:
        """Return where the key at ``path`` is, or its nearest parent that exists."""
        while path:
            if path in self.key_positions:
                return self.key_positions[path]
            path = path[:-1]
        return (1, 1)

    def value_position(self, path: KeyPath) -> Position:
        """Return where the value at ``path`` starts, falling back to its key."""
        return self.value_positions.get(path) or self.position(path)


# A front matter block holds a few dozen values. YAML aliases can make a few
# lines stand for billions of them (or for a loop), so reading stops here.
MAX_VALUES = 20_000


# Front matter nests a mapping in a list in a mapping at most; this is generous.
MAX_DEPTH = 50


class TooManyValues(Exception):
    """The front matter expands to too many values, too deep, or into a loop."""


class _Reader:
    """Turns composed YAML nodes into Python values while recording positions."""

    def __init__(self, path: str, loader: FrontMatterLoader, line_offset: int):
        self.path = path
        self.loader = loader
        self.line_offset = line_offset
        self.document = SourceDocument(metadata={})
        self.problems: list[Problem] = []
        self.remaining = MAX_VALUES
        self.depth = 0

    def position(self, mark: yaml.Mark) -> Position:
        return (mark.line + 1 + self.line_offset, mark.column + 1)

    def error(self, mark: yaml.Mark, message: str, hint: str) -> None:
        line, column = self.position(mark)
        self.problems.append(
            Problem(self.path, line, column, Level.ERROR, message, hint)
        )

    def read(self, node: yaml.Node, key_path: KeyPath) -> Any:
        self.remaining -= 1
        if self.remaining < 0 or self.depth > MAX_DEPTH:
            raise TooManyValues
        self.document.value_positions[key_path] = self.position(node.start_mark)
        self.depth += 1
        try:
            if isinstance(node, yaml.MappingNode):
                return self.read_mapping(node, key_path)
            if isinstance(node, yaml.SequenceNode):
                items = []
                for index, item in enumerate(node.value):
                    self.document.key_positions[key_path + (index,)] = self.position(
                        item.start_mark
                    )
                    items.append(self.read(item, key_path + (index,)))
                return items
        finally:
            self.depth -= 1
        return self.loader.construct_object(node, deep=True)

    def read_mapping(self, node: yaml.MappingNode, key_path: KeyPath) -> dict:
        self.loader.flatten_mapping(node)
        mapping: dict[str, Any] = {}
        first_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(
                    key_node.start_mark,
                    "a key must be a plain word, not a list or mapping",
                    "write the key as text followed by a colon",
                )
                continue
            key = str(self.loader.construct_object(key_node))
            line, _ = self.position(key_node.start_mark)
            if key in mapping:
                self.error(
                    key_node.start_mark,
                    f"duplicate key '{key}', also on line {first_lines[key]}",
                    "remove one of them, because YAML would silently keep only the last",
                )
                continue
            first_lines[key] = line
            self.document.key_positions[key_path + (key,)] = self.position(
                key_node.start_mark
            )
            mapping[key] = self.read(value_node, key_path + (key,))
        return mapping


def _split(path: str, text: str) -> tuple[str | None, str, int, int, list[Problem]]:
    """Split text into (front matter or None, body, fm line offset, body line)."""
    handler = PostmortemHandler()
    stripped = text.lstrip("\n")
    leading_lines = len(text) - len(stripped)
    first_line = stripped.split("\n", 1)[0]

    if re.match(r"^\+{3}[ \t]*$", first_line):
        problem = Problem(
            path,
            leading_lines + 1,
            1,
            Level.ERROR,
            "TOML front matter ('+++') is not supported",
            "convert the block to YAML between '---' lines",
        )
        return None, text, 0, 1, [problem]
    if not handler.detect(stripped):
        return None, text, 0, 1, []

    parts = handler.FM_BOUNDARY.split(stripped, 2)
    if len(parts) < 3:
        problem = Problem(
            path,
            leading_lines + 1,
            1,
            Level.ERROR,
            "front matter opened with '---' is never closed",
            "add a line with '---' after the last front matter field",
        )
        return None, text, 0, 1, [problem]

    _, front_matter, body = parts
    closing_line = leading_lines + 1 + front_matter.count("\n")
    # The body text starts with the newline that ends the closing '---' line.
    return front_matter, body[1:], leading_lines, closing_line + 1, []


def normalise_text(raw: str) -> str:
    """Drop a UTF-8 byte order mark and turn CRLF and CR line ends into LF."""
    text = raw.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_front_matter(
    path: str, front_matter: str, line_offset: int, loader_class: type[Any]
) -> tuple[_Reader, Any] | None:
    """Read the YAML block; return None when the YAML is invalid and this is
    not the last loader to try (the reader then holds the problem)."""
    loader = loader_class(front_matter)
    reader = _Reader(path, loader, line_offset)
    try:
        node = loader.get_single_node()
        if node is None:
            return reader, {}
        if isinstance(node, yaml.MappingNode):
            return reader, reader.read(node, ())
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        reader.error(
            node.start_mark,
            f"front matter must be a mapping of keys to values, found {kind}",
            "write one 'key: value' per line",
        )
        return reader, {}
    except TooManyValues:
        message = f"front matter expands to more than {MAX_VALUES} values or {MAX_DEPTH} levels"
        hint = "remove the YAML anchors and aliases, the &name and *name marks"
        reader.problems.append(Problem(path, 1, 1, Level.ERROR, message, hint))
        return reader, None
    except yaml.YAMLError as error:
        if loader_class is not LOADERS[-1]:
            return None
        mark = getattr(error, "problem_mark", None) or getattr(
            error, "context_mark", None
        )
        message = f"invalid YAML: {_yaml_error_detail(error, reader)}"
        if mark is None:
            reader.problems.append(
                Problem(
                    path,
                    1,
                    1,
                    Level.ERROR,
                    message,
                    "fix the YAML syntax of the front matter",
                )
            )
        else:
            reader.error(mark, message, "fix the YAML syntax of the front matter")
        return reader, None
    finally:
        loader.dispose()


# The YAML parser's names for the part it was reading when it failed, in the author's words.
_YAML_CONTEXTS = {
    "while parsing a flow sequence": "the list",
    "while parsing a flow mapping": "the mapping",
    "while scanning a quoted scalar": "the quoted text",
    "while parsing a block mapping": "the block",
    "while parsing a block collection": "the list",
    "while scanning a simple key": "the key",
}


def _yaml_error_detail(error: yaml.YAMLError, reader: _Reader) -> str:
    """Say what is wrong and, when it helps, where the open part began."""
    problem = getattr(error, "problem", None)
    context = getattr(error, "context", None)
    context_mark = getattr(error, "context_mark", None)
    if not problem:
        return context or str(error)
    problem = problem.replace("found unexpected end of stream", "the front matter ends")
    problem = problem.replace("'<stream end>'", "the end of the front matter")
    if "'\\t'" in problem:
        problem += ": YAML is indented with spaces, never tabs"
    if not context or context_mark is None:
        return problem
    line, column = reader.position(context_mark)
    what = _YAML_CONTEXTS.get(context, context.removeprefix("while ").strip())
    return f"{problem} in {what} that starts at line {line}, column {column}"


def parse_document(path: str, raw: str) -> tuple[SourceDocument | None, list[Problem]]:
    """Read one postmortem's text; return the document and any problems."""
    text = normalise_text(raw)
    front_matter, body, line_offset, body_line, problems = _split(path, text)
    if problems:
        return None, problems
    if front_matter is None:
        document = SourceDocument(
            metadata={}, body=body, body_line=body_line, has_front_matter=False
        )
        return document, []

    outcome = None
    for loader_class in LOADERS:
        outcome = _read_front_matter(path, front_matter, line_offset, loader_class)
        if outcome is not None:
            break
    assert outcome is not None, "the last loader always returns a reader"
    reader, data = outcome
    if reader.problems:
        return None, reader.problems
    document = reader.document
    document.metadata = data
    document.body = body
    document.body_line = body_line
    return document, []

"""``pmkb check``: validate and lint postmortems without writing the site.

Validation is the build's own, so the whole collection is always read and
cross-checked (``related`` ids, duplicate ids, aliases). Named files narrow
what is linted and reported, not what is read.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from generator.build import (
    BuildOptions,
    BuildResult,
    load_and_index,
    load_settings,
)
from generator.collection import display_root, shown_path
from generator.config import Config
from generator.errors import Level, Problem, Report, plural
from generator.lint import lint_postmortem

log = logging.getLogger(__name__)


@dataclass
class CheckOptions:
    """Options of one check: the knowledge base, the named files and strictness."""

    content_dir: Path = Path("content")
    config_path: Path | None = None
    drafts: bool = False
    strict: bool = False
    files: list[Path] = field(default_factory=list)


@dataclass
class CheckResult:
    """The problems to report and how many postmortem files were in scope."""

    problems: list[Problem]
    files: int = 0

    @property
    def errors(self) -> int:
        """Return the number of errors."""
        return sum(1 for p in self.problems if p.level is Level.ERROR)

    @property
    def warnings(self) -> int:
        """Return the number of warnings."""
        return sum(1 for p in self.problems if p.level is Level.WARNING)

    def fails(self, strict: bool) -> bool:
        """Tell whether the check fails: on errors, or on warnings when strict."""
        return self.errors > 0 or (strict and self.warnings > 0)


def _lint_all(
    options: CheckOptions, config: Config, loaded: BuildResult, scope: set[str]
) -> list[Problem]:
    """Lint the postmortems in scope, drafts too: a draft is when feedback helps most."""
    shown_root = display_root(options.content_dir)
    problems = []
    for postmortem in loaded.loaded:
        if postmortem.source_path not in scope:
            continue
        source = options.content_dir / postmortem.source_path
        text = source.read_text(encoding="utf-8")
        path = shown_path(shown_root, postmortem.source_path)
        problems.extend(lint_postmortem(postmortem, text, path, config))
    return problems


def check(options: CheckOptions) -> CheckResult:
    """Validate the whole collection, lint the files in scope and collect problems."""
    build_options = BuildOptions(
        content_dir=options.content_dir,
        config_path=options.config_path,
        drafts=options.drafts,
        strict=options.strict,
    )
    loaded = BuildResult(report=Report())
    config = load_settings(build_options, loaded.report)
    if config is None:
        return CheckResult(loaded.report.sorted())
    load_and_index(config, build_options, loaded)

    by_file = {
        (options.content_dir / source).resolve(): source for source in loaded.sources
    }
    named = [_resolved(path) for path in options.files]
    content = options.content_dir.resolve()
    outside = [
        str(path)
        for path in options.files
        if _resolved(path) != content and content not in _resolved(path).parents
    ]
    if outside:
        log.info(
            "not checked, because outside the content folder %s: %s",
            options.content_dir,
            ", ".join(outside),
        )
    if options.files:
        scope = {source for path, source in by_file.items() if _is_named(path, named)}
    else:
        scope = set(loaded.sources)
    loaded.report.extend(_lint_all(options, config, loaded, scope))

    problems = []
    for problem in loaded.report.sorted():
        where = _resolved(Path(problem.path))
        # Problems outside postmortem files (kb.toml, the folder) always count.
        if not options.files or where not in by_file or _is_named(where, named):
            problems.append(problem)
    return CheckResult(problems, len(scope))


def _resolved(path: Path) -> Path:
    """Return a path with its links resolved, or as it is when they loop."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError on a loop.
        return path.absolute()


def _is_named(path: Path, named: list[Path]) -> bool:
    """Tell whether a file is one of the named paths or inside a named folder."""
    return any(path == item or item in path.parents for item in named)


def summary_line(result: CheckResult) -> str:
    """Return the closing line: files checked, errors and warnings."""
    return (
        f"checked {plural(result.files, 'file')}: "
        f"{plural(result.errors, 'error')}, {plural(result.warnings, 'warning')}"
    )


def format_text(result: CheckResult) -> str:
    """Format one ``path:line:col: level: message [rule] (hint)`` line per problem."""
    lines = [problem.format() for problem in result.problems]
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def format_json(result: CheckResult) -> str:
    """Format the problems as a JSON list of objects."""
    items = [
        {
            "path": p.path,
            "line": p.line,
            "column": p.column,
            "level": p.level.value,
            "rule": p.rule,
            "message": p.message,
            "hint": p.hint,
        }
        for p in result.problems
    ]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(result: CheckResult) -> str:
    """Format the problems as GitHub Actions workflow commands, one per line."""
    lines = []
    for p in result.problems:
        title = f"pmkb {p.rule}" if p.rule else "pmkb"
        properties = ",".join(
            f"{key}={_escape_property(str(value))}"
            for key, value in (
                ("file", p.path),
                ("line", p.line),
                ("col", p.column),
                ("title", title),
            )
        )
        message = f"{p.message} ({p.hint})" if p.hint else p.message
        lines.append(f"::{p.level.value} {properties}::{_escape_data(message)}")
    return "".join(line + "\n" for line in lines)


def format_result(result: CheckResult, output_format: str) -> str:
    """Format the result as text, JSON or GitHub workflow commands."""
    if output_format == "json":
        return format_json(result)
    if output_format == "github":
        return format_github(result)
    return format_text(result)

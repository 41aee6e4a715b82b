"""Problems found in user input, and the exceptions that carry them.

Every problem has a location (file, line, column), a level, a message and a
hint, and prints in the ``path:line:col: level: message`` form that editors
and CI annotate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """Return ``"1 report"`` or ``"3 reports"``."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


class Level(StrEnum):
    """How bad a problem is."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One finding about one place in a user file."""

    path: str
    line: int
    column: int
    level: Level
    message: str
    hint: str = ""
    rule: str = ""

    def format(self) -> str:
        """Format the problem as ``path:line:col: level: message (hint)``."""
        text = f"{self.path}:{self.line}:{self.column}: {self.level.value}: "
        text += self.message
        if self.rule:
            text += f" [{self.rule}]"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order problems by file, then position, then message."""
        return (self.path, self.line, self.column, self.message)


@dataclass
class Report:
    """All problems of one run, collected so that one run shows them all."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        """Record one problem."""
        self.problems.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        """Record several problems."""
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        """Problems that fail the run."""
        return [p for p in self.problems if p.level is Level.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """Problems the run survives, unless it is strict."""
        return [p for p in self.problems if p.level is Level.WARNING]

    def sorted(self) -> list[Problem]:
        """Return the problems ordered by file and position, without repeats."""
        return sorted(set(self.problems), key=Problem.sort_key)

    def fails(self, strict: bool) -> bool:
        """Tell whether the run must fail: on errors, or on warnings when strict."""
        return bool(self.errors) or (strict and bool(self.warnings))


class PmkbError(Exception):
    """Base of pmkb's errors: carries the problems that stopped the run."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(p.format() for p in problems))
        self.problems = problems

    def __reduce__(self) -> tuple[type[PmkbError], tuple[list[Problem]]]:
        # A worker process sends its error to the main process pickled.
        return type(self), (self.problems,)

    @classmethod
    def at(
        cls, path: str, line: int, column: int, message: str, hint: str = ""
    ) -> PmkbError:
        """Create the error for one problem at one place."""
        return cls([Problem(path, line, column, Level.ERROR, message, hint)])


class ConfigError(PmkbError):
    """``kb.toml`` or a command-line option is invalid."""


class FrontMatterError(PmkbError):
    """A postmortem's front matter cannot be read."""


class BuildError(PmkbError):
    """The site cannot be built or written."""

"""Read ``kb.toml``: site settings, vocabularies, field mapping and targets.

Every setting has a default, so a knowledge base without ``kb.toml`` builds.
All problems in the file are collected and raised together as one
``ConfigError``, each with the line of the offending key.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, timedelta, tzinfo
from pathlib import Path
from typing import Any

from generator.discover import unreadable_content_folder
from generator.errors import ConfigError
from generator.timeparse import zone_name
from generator.vocabulary import (
    DEFAULT_CATEGORIES,
    DEFAULT_SEVERITIES,
    DEFAULT_TRIGGERS,
    Severity,
)

CONFIG_NAME = "kb.toml"

# Canonical front matter fields, as used by field aliases, defaults and levels.
FIELDS = (
    "title",
    "severity",
    "status",
    "timezone",
    "started",
    "detected",
    "mitigated",
    "resolved",
    "impact",
    "summary",
    "users_affected",
    "root_cause",
    "root_cause.category",
    "root_cause.summary",
    "trigger",
    "contributing_factors",
    "services",
    "tags",
    "authors",
    "action_items",
    "related",
    "aliases",
)
FIELD_SHORTHANDS = {"category": "root_cause.category"}
LEVELS = ("error", "warning", "off")

# Required fields are errors when missing, recommended ones warnings.
DEFAULT_FIELD_LEVELS = {
    "title": "error",
    "severity": "error",
    "impact": "error",
    "root_cause.category": "error",
    "started": "warning",
    "detected": "warning",
    "resolved": "warning",
    "services": "warning",
    "action_items": "warning",
}


@dataclass(frozen=True)
class Targets:
    """How fast detection and recovery should be."""

    time_to_detect: timedelta = timedelta(minutes=5)
    time_to_recover: timedelta = timedelta(minutes=30)


@dataclass
class Config:
    """Settings of one knowledge base."""

    content_dir: Path
    path: Path | None = None
    title: str = "Postmortems"
    description: str = "Incident postmortems: what happened, why, and what changed."
    base_url: str = ""
    timezone: tzinfo = UTC
    repo_url: str = ""
    repo_branch: str = "main"
    edit_url: str = ""
    theme_dir: Path | None = None
    severities: tuple[Severity, ...] = DEFAULT_SEVERITIES
    categories: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_CATEGORIES))
    triggers: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_TRIGGERS))
    field_aliases: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    field_levels: dict[str, str] = field(
        default_factory=lambda: dict(DEFAULT_FIELD_LEVELS)
    )
    extra_fields: tuple[str, ...] = ()
    targets: Targets = field(default_factory=Targets)
    severity_targets: dict[str, Targets] = field(default_factory=dict)
    recurrence_min_incidents: int = 2
    recurrence_window_days: int = 180
    rules: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)

    def severity(self, name: object) -> Severity | None:
        """Return the severity level that a key or alias names, ignoring case."""
        wanted = str(name).strip().lower()
        for level in self.severities:
            if wanted == level.key.lower() or wanted in (
                a.lower() for a in level.aliases
            ):
                return level
        return None

    def targets_for(self, severity_key: str) -> Targets:
        """Return the targets for a severity, falling back to the site targets."""
        return self.severity_targets.get(severity_key, self.targets)

    def field_level(self, name: str) -> str:
        """Return how a missing field is reported: error, warning or off."""
        return self.field_levels.get(name, "off")

    def fingerprint(self) -> str:
        """Return a hash of every setting, for cache keys."""
        text = json.dumps(
            {"raw": self.raw, "content": str(self.content_dir)},
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @property
    def timezone_name(self) -> str:
        """Return the site's default zone as text."""
        return zone_name(self.timezone)


def display_path(path: Path) -> str:
    """Return a path relative to the working folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_config_text(path: Path, shown: str) -> str:
    """Read the settings file as UTF-8, raising ConfigError at the first bad byte."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError.at(
            shown, 1, 1, "configuration file not found", "check the --config path"
        ) from None
    except OSError as error:
        raise ConfigError.at(
            shown,
            1,
            1,
            f"cannot read {path.name}: {error.strerror or error}",
            "check that the path names a file you can read",
        ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        # Columns count characters, like every other column pmkb reports.
        line_start = before[before.rfind(b"\n") + 1 :].decode("utf-8")
        column = len(line_start.removeprefix("\ufeff")) + 1
        raise ConfigError.at(
            shown,
            line,
            column,
            f"{path.name} is not valid UTF-8 (byte 0x{data[error.start]:02x})",
            "save the file as UTF-8",
        ) from None


def load_config(content_dir: Path, config_path: Path | None = None) -> Config:
    """Load ``kb.toml`` from ``config_path`` or the content folder, or use defaults."""
    config = Config(content_dir=content_dir)
    path = config_path or content_dir / CONFIG_NAME
    try:
        found = path.exists() if config_path is None else True
    except OSError as error:  # The content folder cannot be searched.
        shown = display_path(content_dir)
        raise ConfigError([unreadable_content_folder(shown, error)]) from None
    if not found:
        return config
    shown = display_path(path)
    text = read_config_text(path, shown)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line, column = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
        message = re.sub(
            r"\s*\(at (?:line \d+, column \d+|end of document)\)", "", message
        )
        raise ConfigError.at(
            shown, line, column, f"invalid TOML: {message}", "fix the syntax of kb.toml"
        ) from None

    config.path = path
    config.raw = data
    from generator.config_reader import ConfigReader  # It reads into Config.

    reader = ConfigReader(path, text, shown)
    reader.read(data, config)
    if reader.problems:
        raise ConfigError(reader.problems)
    return config

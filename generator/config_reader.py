"""Read the tables of ``kb.toml`` into a ``Config``, collecting every problem
with the line of its key."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from generator.config import (
    FIELD_SHORTHANDS,
    FIELDS,
    LEVELS,
    Config,
    Targets,
)
from generator.errors import Level, Problem
from generator.lint import RULE_IDS
from generator.timeparse import parse_duration, parse_zone
from generator.tomlpos import TomlPath, key_lines, line_of
from generator.vocabulary import (
    DEFAULT_CATEGORIES,
    DEFAULT_TRIGGERS,
    Severity,
    did_you_mean,
    severity_hint,
)

# An absolute http or https address: only these may become links on every page.
WEB_ADDRESS = re.compile(r"^https?://[^/\s]+\S*$")
# The top-level keys of kb.toml, in the order that hints list them.
SETTINGS = (
    "title", "description", "base_url", "timezone", "repo_url", "repo_branch", "edit_url",
    "theme_dir", "severity", "categories", "default_categories", "triggers",
    "default_triggers", "field_aliases", "defaults", "fields", "extra_fields",
    "targets", "recurrence", "rules",
)  # fmt: skip
TARGET_KEYS = ("time_to_detect", "time_to_recover")


def toml_value(value: object) -> str:
    """Show a value as messages quote it: 'text', and true or 3 as kb.toml spells them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}'"
    return str(value)


class ConfigReader:
    """Reads the parsed TOML into a Config, collecting every problem."""

    def __init__(self, path: Path, text: str, display_path: str):
        self.path = path
        self.display_path = display_path
        self.lines = key_lines(text)
        self.problems: list[Problem] = []

    def error(self, key_path: TomlPath, message: str, hint: str = "") -> None:
        line = line_of(self.lines, key_path)
        self.problems.append(
            Problem(self.display_path, line, 1, Level.ERROR, message, hint)
        )

    def string(self, data: dict, key: str, key_path: TomlPath = ()) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            example = value if isinstance(value, (int, float)) else "…"
            self.error(
                key_path + (key,),
                f"'{key}' must be a string, got {value!r}",
                f'put the value in quotes, like {key} = "{example}"',
            )
            return None
        return value

    def table(self, data: dict, key: str) -> dict:
        value = data.get(key, {})
        if not isinstance(value, dict):
            self.error(
                (key,),
                f"'{key}' must be a table, like [{key}]",
                f"write [{key}] on a line of its own, then one 'name = value' per line",
            )
            return {}
        return value

    def read(self, data: dict[str, Any], config: Config) -> None:
        self.read_site(data, config)
        self.read_severities(data, config)
        self.read_vocabularies(data, config)
        self.read_fields(data, config)
        self.read_targets(data, config)
        self.read_recurrence(data, config)
        self.read_rules(data, config)
        for key in data:
            if key not in SETTINGS:
                hint = did_you_mean(key, list(SETTINGS))
                self.error((key,), f"unknown setting '{key}'", hint)

    def read_site(self, data: dict, config: Config) -> None:
        for key in ("title", "description", "repo_url", "repo_branch", "edit_url"):
            value = self.string(data, key)
            if value is not None:
                setattr(config, key, value.strip())
        base_url = self.string(data, "base_url")
        if base_url is not None:
            if base_url and not WEB_ADDRESS.match(base_url):
                self.error(
                    ("base_url",),
                    f"invalid base_url {base_url!r}",
                    "use an absolute URL such as 'https://example.com/postmortems/'",
                )
            config.base_url = base_url.rstrip("/") + "/" if base_url else ""
        zone_text = self.string(data, "timezone")
        if zone_text is not None:
            zone = parse_zone(zone_text)
            if zone is None:
                self.error(
                    ("timezone",),
                    f"unknown time zone {zone_text!r}",
                    "use an IANA name such as 'Europe/Berlin' or an offset like '+09:00'",
                )
            else:
                config.timezone = zone
        self.read_theme_dir(data, config)
        for key in ("repo_url", "edit_url"):
            address = getattr(config, key)
            if address and not WEB_ADDRESS.match(address):
                self.error(
                    (key,),
                    f"invalid {key} {address!r}",
                    "use an http or https address, like 'https://github.com/acme/postmortems'",
                )

    def read_theme_dir(self, data: dict, config: Config) -> None:
        theme_dir = self.string(data, "theme_dir")
        if theme_dir is not None:
            folder = (self.path.parent / theme_dir).resolve()
            if not folder.is_dir():
                self.error(
                    ("theme_dir",),
                    f"theme folder not found: {folder}",
                    "create the folder, or give its path relative to the folder of kb.toml",
                )
            config.theme_dir = folder

    def read_severities(self, data: dict, config: Config) -> None:
        severity = self.table(data, "severity")
        levels = severity.get("levels")
        if levels is None:
            return
        if not isinstance(levels, list) or not levels:
            self.error(
                ("severity", "levels"),
                "severity.levels must be a non-empty array of tables",
                'write one table per level, most severe first, like levels = [{ key = "SEV1", label = "Critical" }]',
            )
            return
        parsed = []
        seen: set[str] = set()
        for index, level in enumerate(levels):
            severity_level = self.read_severity_level(index, level, seen)
            if severity_level is not None:
                parsed.append(severity_level)
        config.severities = tuple(parsed)

    def read_severity_level(
        self, index: int, level: object, seen: set[str]
    ) -> Severity | None:
        key_path: TomlPath = ("severity", "levels", index)
        if not isinstance(level, dict) or not isinstance(level.get("key"), str):
            self.error(
                key_path,
                "each severity level needs a 'key' string",
                'for example key = "SEV1"',
            )
            return None
        aliases = level.get("aliases", [])
        if not isinstance(aliases, list) or not all(
            isinstance(a, str) for a in aliases
        ):
            self.error(
                key_path + ("aliases",),
                "severity aliases must be a list of strings",
                'write them like aliases = ["critical", "P1"]',
            )
            aliases = []
        names = [level["key"], *aliases]
        for name in names:
            if name.lower() in seen:
                self.error(
                    key_path,
                    f"severity name {name!r} is used twice",
                    "rename or remove one, because each key and alias must name one level, ignoring case",
                )
            seen.add(name.lower())
        return Severity(
            key=level["key"],
            label=str(level.get("label", level["key"])),
            rank=index + 1,
            aliases=tuple(aliases),
            description=str(level.get("description", "")),
        )

    def read_vocabulary(
        self, data: dict, name: str, defaults: dict[str, str]
    ) -> dict[str, str]:
        keep_defaults = data.get(f"default_{name}", True)
        if not isinstance(keep_defaults, bool):
            self.error(
                (f"default_{name}",),
                f"default_{name} must be true or false",
                f"write default_{name} = false to drop the default {name}, or leave it out",
            )
            keep_defaults = True
        vocabulary = dict(defaults) if keep_defaults else {}
        singular = {"categories": "category", "triggers": "trigger"}.get(name, name)
        for key, description in self.table(data, name).items():
            if not isinstance(description, str):
                self.error(
                    (name, key),
                    f"the description of {singular} '{key}' must be a string",
                    f'write it like {key} = "what this {singular} means"',
                )
                continue
            if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", key):
                self.error(
                    (name, key),
                    f"invalid name '{key}'",
                    "use lower-case words joined by '-'",
                )
                continue
            vocabulary[key] = description
        return vocabulary

    def read_vocabularies(self, data: dict, config: Config) -> None:
        config.categories = self.read_vocabulary(data, "categories", DEFAULT_CATEGORIES)
        config.triggers = self.read_vocabulary(data, "triggers", DEFAULT_TRIGGERS)
        if not config.categories:
            hint = "add a [categories] table, or remove default_categories = false"
            self.error(
                ("default_categories",), "no root-cause categories are left", hint
            )

    def field_name(self, key_path: TomlPath, name: str) -> str | None:
        name = FIELD_SHORTHANDS.get(name, name)
        if name not in FIELDS:
            self.error(key_path, f"unknown field '{name}'", did_you_mean(name, FIELDS))
            return None
        return name

    def read_fields(self, data: dict, config: Config) -> None:
        self.read_field_aliases(data, config)
        self.read_defaults(data, config)
        self.read_field_levels(data, config)
        extra = data.get("extra_fields", [])
        if not isinstance(extra, list) or not all(isinstance(x, str) for x in extra):
            self.error(
                ("extra_fields",),
                "extra_fields must be a list of field names",
                'write it like extra_fields = ["ticket", "customer"]',
            )
        else:
            config.extra_fields = tuple(extra)

    def read_field_aliases(self, data: dict, config: Config) -> None:
        for source_key, target in self.table(data, "field_aliases").items():
            key_path: TomlPath = ("field_aliases", source_key)
            if not isinstance(target, str):
                self.error(
                    key_path,
                    f"field alias '{source_key}' must name a field as a string",
                    f'write it like {source_key} = "started"',
                )
                continue
            name = self.field_name(key_path, target)
            if name:
                config.field_aliases[source_key] = name

    def read_field_levels(self, data: dict, config: Config) -> None:
        for key, level in self.table(data, "fields").items():
            name = self.field_name(("fields", key), key)
            if name is None:
                continue
            if level not in LEVELS:
                self.error(
                    ("fields", key),
                    f"invalid level {toml_value(level)} for field '{key}'",
                    "use 'error', 'warning' or 'off'",
                )
                continue
            config.field_levels[name] = level

    def read_defaults(self, data: dict, config: Config) -> None:
        # Vocabularies and the scale are read first, so defaults can be checked.
        for key, value in self.table(data, "defaults").items():
            key_path: TomlPath = ("defaults", key)
            name = self.field_name(key_path, key)
            if name is None:
                continue
            config.defaults[name] = value
            if name == "severity" and config.severity(value) is None:
                hint = severity_hint(value, config.severities)
                if not hint.startswith("did you mean"):
                    hint = "add it to [severity] levels"
                self.error(
                    key_path,
                    f"default severity {value!r} is not on the severity scale",
                    hint,
                )
            if name == "root_cause.category":
                self.check_default_categories(key_path, value, config)

    def check_default_categories(
        self, key_path: TomlPath, value: object, config: Config
    ) -> None:
        for category in value if isinstance(value, list) else [value]:
            if str(category).strip().lower() in config.categories:
                continue
            hint = did_you_mean(str(category), list(config.categories))
            if not hint.startswith("did you mean"):
                hint = f"add it to [categories], or {hint}"
            self.error(
                key_path,
                f"default category {category!r} is not in [categories]",
                hint,
            )

    def read_target_table(
        self, table: dict, key_path: TomlPath, base: Targets
    ) -> Targets:
        values = {}
        for key in TARGET_KEYS:
            if key not in table:
                values[key] = getattr(base, key)
                continue
            parsed = parse_duration(table[key])
            if parsed is None:
                self.error(
                    key_path + (key,),
                    f"invalid duration {table[key]!r} for {key}",
                    'write it like "5m", "1h 30m" or a number of minutes',
                )
                parsed = getattr(base, key)
            values[key] = parsed
        return Targets(**values)

    def read_targets(self, data: dict, config: Config) -> None:
        targets = self.table(data, "targets")
        config.targets = self.read_target_table(targets, ("targets",), Targets())
        for key, value in targets.items():
            if key in TARGET_KEYS:
                continue
            key_path: TomlPath = ("targets", key)
            level = config.severity(key)
            if isinstance(value, dict) and level is None:
                self.error(
                    key_path,
                    f"'{key}' in [targets.{key}] is not a severity of the scale",
                    severity_hint(key, config.severities),
                )
            elif level is not None and not isinstance(value, dict):
                self.error(
                    key_path,
                    f"the targets of {key} must be a table, like [targets.{key}]",
                    "give time_to_detect and time_to_recover in that table",
                )
            elif level is None:
                hint = did_you_mean(key, list(TARGET_KEYS), cutoff=0.75)
                if not hint.startswith("did you mean"):
                    hint = "use time_to_detect, time_to_recover or a [targets.SEVERITY] table"
                self.error(key_path, f"unknown target setting '{key}'", hint)
            else:
                config.severity_targets[level.key] = self.read_target_table(
                    value, key_path, config.targets
                )

    def read_recurrence(self, data: dict, config: Config) -> None:
        recurrence = self.table(data, "recurrence")
        for key, attribute in (
            ("min_incidents", "recurrence_min_incidents"),
            ("window_days", "recurrence_window_days"),
        ):
            if key not in recurrence:
                continue
            value = recurrence[key]
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                self.error(
                    ("recurrence", key),
                    f"recurrence.{key} must be a positive integer, got {value!r}",
                    f"write a whole number of 1 or more, like {key} = 3",
                )
                continue
            setattr(config, attribute, value)

    def read_rules(self, data: dict, config: Config) -> None:
        for rule, level in self.table(data, "rules").items():
            if rule not in RULE_IDS:
                self.error(
                    ("rules", rule),
                    f"unknown rule '{rule}'",
                    did_you_mean(rule, list(RULE_IDS)),
                )
                continue
            if level not in LEVELS:
                self.error(
                    ("rules", rule),
                    f"invalid level {toml_value(level)} for rule '{rule}'",
                    "use 'error', 'warning' or 'off'",
                )
                continue
            config.rules[rule] = level

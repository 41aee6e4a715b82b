"""Check a postmortem's front matter against the schema and build the model.

This is a pure function of the parsed document and the configuration, so it
can run in a worker process and its result can be cached.
"""

from __future__ import annotations

import re
from typing import Any

from slugify import slugify

from generator.config import FIELD_SHORTHANDS, FIELDS, Config
from generator.errors import Level, Problem
from generator.front_actions import read_action_items
from generator.model import RootCause
from generator.parse import KeyPath, SourceDocument
from generator.validate_times import TimeFieldChecks
from generator.vocabulary import STATUSES, UNRATED, did_you_mean, severity_hint

LIST_FIELDS = (
    "contributing_factors",
    "services",
    "tags",
    "authors",
    "related",
    "aliases",
)


def make_id(stem: str) -> str:
    """Turn a file's path stem into its id: ASCII, lower case, words joined by '-'."""
    return slugify(stem)


class FrontMatterValidator(TimeFieldChecks):
    """Checks one document's front matter, collecting every problem."""

    def __init__(self, document: SourceDocument, path: str, config: Config):
        self.document = document
        self.path = path
        self.config = config
        self.problems: list[Problem] = []
        self.origin: dict[str, KeyPath] = {}
        self.values: dict[str, Any] = {}
        self.extra: dict[str, Any] = {}
        # Fields whose local time the clocks skipped.
        self.skipped_times: set[str] = set()

    def line(self, name: str) -> int:
        return self.document.position(self.where(name))[0]

    def collect_fields(self) -> None:
        """Map source keys to canonical fields through the aliases."""
        aliases = self.config.field_aliases
        for key, value in self.document.metadata.items():
            name = aliases.get(key, FIELD_SHORTHANDS.get(key, key))
            if name == "root_cause" and isinstance(value, dict):
                for sub_key, sub_value in value.items():
                    sub_name = f"root_cause.{sub_key}"
                    if sub_name not in FIELDS:
                        self.report(
                            Level.WARNING,
                            (key, sub_key),
                            f"unknown field 'root_cause.{sub_key}'",
                            "use 'category' and 'summary'",
                        )
                        continue
                    self.store(sub_name, sub_value, (key, sub_key))
                continue
            if name == "root_cause":
                name = "root_cause.category"
            if name not in FIELDS:
                if key in self.config.extra_fields:
                    self.extra[key] = value
                    continue
                # Stricter than for values: a custom key is rarely a typo.
                hint = did_you_mean(
                    key, [f for f in FIELDS if "." not in f] + list(aliases), 0.75
                )
                if not hint.startswith("did you mean"):
                    hint = "remove it, map it with [field_aliases] or keep it with extra_fields in kb.toml"
                self.report(Level.WARNING, (key,), f"unknown field '{key}'", hint)
                continue
            self.store(name, value, (key,))

    def store(self, name: str, value: Any, key_path: KeyPath) -> None:
        if name in self.values:
            first = self.document.position(self.origin[name])[0]
            self.report(
                Level.ERROR,
                key_path,
                f"field '{name}' is given twice (first on line {first})",
                "keep one of the two keys",
            )
            return
        self.values[name] = value
        self.origin[name] = key_path

    def present(self, name: str) -> bool:
        value = self.values.get(name)
        return value is not None and value != "" and value != []

    def fill_placeholders(self, text: str) -> str:
        """Replace ``{key}`` in a default with the report's own value of that key."""

        def value_of(match: re.Match[str]) -> str:
            key = match.group(1)
            value = self.document.metadata.get(key)
            if value is None or value == "" or value == []:
                value = self.values.get(key)
            if isinstance(value, list):
                value = ", ".join(str(item) for item in value)
            return str(value) if value not in (None, "") else "unknown"

        return re.sub(r"\{([A-Za-z0-9_.-]+)\}", value_of, text)

    def apply_defaults_and_levels(self) -> None:
        for name, value in self.config.defaults.items():
            if not self.present(name):
                self.values[name] = (
                    self.fill_placeholders(value) if isinstance(value, str) else value
                )
        for name in FIELDS:
            level = self.config.field_level(name)
            if level == "off" or self.present(name):
                continue
            if name == "action_items":
                continue  # Body items count too, so this is checked after the body is read.
            kind = "required" if level == "error" else "recommended"
            # An empty key is reported where it is, a missing one at the top.
            self.report(
                level,
                self.where(name) if name in self.origin else (),
                f"missing {kind} field '{name}'",
                _MISSING_HINTS.get(name, ""),
            )

    def text(self, name: str, one_line: bool = False) -> str:
        value = self.values.get(name)
        if value is None:
            return ""
        if isinstance(value, (dict, list)):
            kind, forms = (
                ("mapping", "'{…}' and 'key: value'")
                if isinstance(value, dict)
                else ("list", "'[…]' and '- item' lines")
            )
            self.report(
                Level.ERROR,
                self.where(name),
                f"'{name}' must be text, not a {kind}",
                f"put the text in quotes, because YAML reads {forms} as a {kind}",
                value=True,
            )
            return ""
        text = str(value).strip()
        if one_line and "\n" in text:
            self.report(
                Level.WARNING,
                self.where(name),
                f"'{name}' should be one line",
                "move the details to the body",
            )
            text = " ".join(text.split())
        return text

    def string_list(self, name: str) -> list[str]:
        value = self.values.get(name)
        if value is None or value == "":
            return []
        if isinstance(value, (str, int, float)):
            return [str(value).strip()]
        if not isinstance(value, list):
            self.report(
                Level.ERROR,
                self.where(name),
                f"'{name}' must be a list",
                "write it as [a, b] or one '- item' per line",
                value=True,
            )
            return []
        items = []
        for index, item in enumerate(value):
            if isinstance(item, (dict, list)) or item is None:
                self.report(
                    Level.ERROR,
                    self.where(name) + (index,),
                    f"item {index + 1} of '{name}' must be text",
                )
                continue
            if str(item).strip():
                items.append(str(item).strip())
        return items

    def severity(self) -> Any:
        value = self.values.get("severity")
        if value is None or value == "":
            return None
        if isinstance(value, list | dict):
            self.report(
                Level.ERROR,
                self.where("severity"),
                "'severity' must be one value, not a list",
                "keep the highest severity the incident reached",
                value=True,
            )
            return None
        level = self.config.severity(value)
        if level is None:
            self.report(
                Level.ERROR,
                self.where("severity"),
                f"unknown severity '{value}'",
                severity_hint(value, self.config.severities),
                value=True,
            )
        return level

    def status(self) -> str:
        value = self.text("status") or "published"
        if value.lower() not in STATUSES:
            self.report(
                Level.ERROR,
                self.where("status"),
                f"unknown status '{value}'",
                did_you_mean(value, list(STATUSES)),
                value=True,
            )
            return "published"
        return value.lower()

    def root_cause(self) -> RootCause:
        categories = []
        vocabulary = list(self.config.categories)
        for index, name in enumerate(self.string_list("root_cause.category")):
            category = name.lower()
            if category not in self.config.categories:
                key_path = self.where("root_cause.category")
                if isinstance(self.values.get("root_cause.category"), list):
                    key_path = key_path + (index,)
                self.report(
                    Level.ERROR,
                    key_path,
                    f"unknown root-cause category '{name}'",
                    did_you_mean(name, vocabulary),
                    value=True,
                )
                continue
            if category not in categories:
                categories.append(category)
        return RootCause(categories=categories, summary=self.text("root_cause.summary"))

    def trigger(self) -> str:
        value = self.text("trigger")
        if value and value.lower() not in self.config.triggers:
            self.report(
                Level.ERROR,
                self.where("trigger"),
                f"unknown trigger '{value}'",
                did_you_mean(value, list(self.config.triggers)),
                value=True,
            )
            return ""
        return value.lower()

    def users_affected(self) -> int | None:
        value = self.values.get("users_affected")
        if value is None or value == "":
            return None
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        text = str(value).replace(",", "").replace("_", "").strip()
        if text.isdigit():
            return int(text)
        self.report(
            Level.ERROR,
            self.where("users_affected"),
            f"'users_affected' must be a whole number, got {value!r}",
            "write a count such as 1200",
            value=True,
        )
        return None

    def ids(self, name: str) -> list[str]:
        result = []
        for index, value in enumerate(self.string_list(name)):
            key_path = self.where(name)
            if isinstance(self.values.get(name), list):
                key_path = key_path + (index,)
            if (
                value.startswith(("/", "\\"))
                or "\\" in value
                or ".." in value.split("/")
            ):
                self.report(
                    Level.ERROR,
                    key_path,
                    f"'{value}' in '{name}' points outside the site",
                    "use a plain id such as 2024-11-02-redis-pool-leak",
                    value=True,
                )
                continue
            slug = "/".join(make_id(part) for part in value.strip("/").split("/"))
            if not slug or "" in slug.split("/"):
                self.report(
                    Level.ERROR,
                    key_path,
                    f"'{value}' in '{name}' is not a valid id",
                    "use letters, digits and '-'",
                    value=True,
                )
                continue
            result.append(slug)
        return result


_MISSING_HINTS = {
    "title": "add a title that says what broke and how",
    "severity": "add severity: SEV1 … SEV4",
    "impact": "add one line on who was affected and how",
    "root_cause.category": "add root_cause: {category: …, summary: …}",
    "started": "add the time the impact began",
    "detected": "add the time the incident was detected",
    "resolved": "add the time the impact ended",
    "services": "list the affected services",
}


def validate_front_matter(
    document: SourceDocument, path: str, config: Config
) -> tuple[dict[str, Any], dict[str, int], list[Problem]]:
    """Check front matter and return normalised values, field lines and problems."""
    validator = FrontMatterValidator(document, path, config)
    validator.collect_fields()
    validator.apply_defaults_and_levels()
    zone = validator.zone()
    times = validator.times(zone)
    values: dict[str, Any] = {
        "title": validator.text("title", one_line=True),
        "severity": validator.severity() or UNRATED,
        "status": validator.status(),
        "timezone": zone,
        **times,
        "impact": validator.text("impact", one_line=True),
        "summary": validator.text("summary"),
        "users_affected": validator.users_affected(),
        "root_cause": validator.root_cause(),
        "trigger": validator.trigger(),
        "contributing_factors": validator.string_list("contributing_factors"),
        "services": validator.string_list("services"),
        "tags": validator.string_list("tags"),
        "authors": validator.string_list("authors"),
        "related": validator.ids("related"),
        "aliases": validator.ids("aliases"),
        "action_items": read_action_items(validator),
        "extra": validator.extra,
    }
    lines = {name: validator.line(name) for name in validator.origin}
    return values, lines, validator.problems


def missing_action_items_problem(path: str, config: Config) -> Problem | None:
    """Return the problem for a report without any action item, if that is checked."""
    level = config.field_level("action_items")
    if level == "off":
        return None
    kind = "required" if level == "error" else "recommended"
    return Problem(
        path,
        1,
        1,
        Level(level),
        f"missing {kind} field 'action_items'",
        "list follow-ups in front matter or under an '## Action Items' heading",
    )

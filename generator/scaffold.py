"""``pmkb new``: write a new postmortem from the template.

The template is plain Markdown with ``{name}`` placeholders, filled by one
pass of text replacement. It is never rendered by Jinja, so a title cannot
inject template code, and replaced text is not scanned again.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from slugify import slugify

from generator.config import Config, display_path, load_config
from generator.errors import PmkbError
from generator.schema import SCHEMA_FILE, schema_text
from generator.templates import theme_dirs
from generator.vocabulary import Severity, severity_hint

log = logging.getLogger(__name__)

TEMPLATE_NAME = "new-postmortem.md"
DEFAULT_SEVERITY = "SEV3"
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


class UsageError(Exception):
    """A command-line value of ``pmkb new`` is invalid."""


@dataclass
class NewOptions:
    """Options of ``pmkb new``: title, date, severity, services and folder."""

    title: str
    day: date
    severity: str | None = None
    services: list[str] = field(default_factory=list)
    content_dir: Path = Path("content")
    config_path: Path | None = None


def yaml_scalar(value: object) -> str:
    """Write a value as one line of YAML, quoted only where YAML needs it."""
    text = yaml.safe_dump(
        value, default_flow_style=True, allow_unicode=True, width=10_000
    )
    return text.removesuffix("\n...\n").strip()


def fill(template: str, values: dict[str, str]) -> str:
    """Replace each ``{name}`` with its value; unknown names stay as written."""
    return _PLACEHOLDER.sub(
        lambda match: values.get(match.group(1), match.group(0)), template
    )


def template_path(config: Config) -> Path:
    """Return the template file: the user's theme's, else the default theme's."""
    for folder in theme_dirs(config):
        candidate = folder / TEMPLATE_NAME
        if candidate.is_file():
            return candidate
    raise PmkbError.at(
        str(theme_dirs(config)[-1] / TEMPLATE_NAME),
        1,
        1,
        "template for new postmortems not found",
        f"put a {TEMPLATE_NAME} in the theme folder",
    )


def pick_severity(config: Config, name: str | None) -> Severity:
    """Return the named severity, or SEV3 (else the least severe level) by default."""
    if name is None:
        return config.severity(DEFAULT_SEVERITY) or config.severities[-1]
    level = config.severity(name)
    if level is None:
        hint = severity_hint(name, config.severities)
        raise UsageError(f"unknown severity '{name}' ({hint})")
    return level


def template_values(
    options: NewOptions, config: Config, severity: Severity
) -> dict[str, str]:
    """Return the text for each placeholder of the template."""
    title = " ".join(options.title.split())
    categories = list(config.categories)
    category = "unknown" if "unknown" in categories or not categories else categories[0]
    return {
        "title": yaml_scalar(title),
        "severity": yaml_scalar(severity.key),
        "timezone": yaml_scalar(config.timezone_name),
        "date": options.day.isoformat(),
        "services": yaml_scalar(options.services),
        "category": yaml_scalar(category),
        "categories": ", ".join(config.categories),
        "triggers": ", ".join(config.triggers),
        "schema": SCHEMA_FILE,
    }


def write_schema(config: Config) -> None:
    """Write or refresh the schema file in the content folder that editors read."""
    path = config.content_dir / SCHEMA_FILE
    text = schema_text(config)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.write_text(text, encoding="utf-8")
    log.info("wrote %s for editors that check front matter", display_path(path))


def new_postmortem(options: NewOptions) -> str:
    """Write the new postmortem and return its path as shown to the user."""
    title = " ".join(options.title.split())
    if not title:
        raise UsageError("the title is empty")
    slug = slugify(title, max_length=60, word_boundary=True)
    if not slug:
        raise UsageError(
            f"the title {title!r} has no letters or digits to name the file"
        )
    config = load_config(options.content_dir, options.config_path)
    severity = pick_severity(config, options.severity)
    template = template_path(config).read_text(encoding="utf-8")
    text = fill(template, template_values(options, config, severity))

    options.content_dir.mkdir(parents=True, exist_ok=True)
    path = options.content_dir / f"{options.day.isoformat()}-{slug}.md"
    shown = display_path(path)
    try:
        with path.open("x", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        raise PmkbError.at(
            shown,
            1,
            1,
            "file already exists",
            "edit it, or pass another title or --date",
        ) from None
    write_schema(config)
    return shown

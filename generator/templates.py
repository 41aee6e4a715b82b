"""The Jinja2 environment: theme lookup, autoescaping and display filters.

Templates come from the theme named in ``kb.toml`` first, then from the
default theme, so a user overrides any single template or static file by
putting one with the same name in their folder. Postmortem text is only ever
passed in as data, never compiled as a template.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from slugify import slugify

from generator.config import Config
from generator.errors import BuildError, plural
from generator.markdown import render_inline, search_text
from generator.template_output import OutputCodeGenerator
from generator.timeparse import format_duration

DEFAULT_THEME = Path(__file__).resolve().parent.parent / "themes" / "default"


def theme_dirs(config: Config) -> list[Path]:
    """Return the theme folders to search, the user's first."""
    if not DEFAULT_THEME.is_dir():
        # NOTE: the theme is found next to the package, so pmkb must run from a
        # checkout or an editable install (pip install -e .).
        raise BuildError.at(
            str(DEFAULT_THEME),
            1,
            1,
            "default theme folder not found",
            "install pmkb with 'pip install -e .' from its repository",
        )
    folders = [DEFAULT_THEME]
    if config.theme_dir:
        folders.insert(0, config.theme_dir)
    return folders


def format_time(moment: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """Format a time in its own zone, with the zone's abbreviation."""
    if moment is None:
        return "–"
    zone = moment.strftime("%Z") or moment.strftime("%z")
    return f"{moment.strftime(pattern)} {zone}".strip()


def format_date(value: date | datetime | None, pattern: str = "%Y-%m-%d") -> str:
    """Format a date, or a dash when there is none."""
    if not value:
        return "–"
    if pattern == "%Y-%m-%d":
        # The common case, without strftime, which took 5% of the page time.
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    return value.strftime(pattern)


def inline_markdown(text: str) -> Markup:
    """Render one line of Markdown as safe HTML."""
    return Markup(render_inline(text))  # noqa: S704 - sanitised by nh3 in render_inline


@lru_cache(maxsize=4096)
def cached_slug(text: object) -> str:
    """Return the URL slug of a term name; names repeat on every list page."""
    return slugify(str(text))


def theme_hash(config: Config) -> str:
    """Return a hash of every template and static file, for cache keys."""
    digest = hashlib.sha256()
    for folder in theme_dirs(config):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(folder).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class TableRows:
    """Renders the table row of a report once per link depth and reuses it.

    The same report appears in many lists (all reports, its year, category,
    services and tags), so this saves most of the time spent on list pages.
    """

    def __init__(self, environment: Environment):
        self.environment = environment
        self.rows: dict[tuple[str, str], Markup] = {}

    def __call__(self, postmortem: Any, root: str) -> Markup:
        key = (postmortem.fingerprint or postmortem.id, root)
        row = self.rows.get(key)
        if row is None:
            macro = self.environment.get_template("macros.html").module.postmortem_row  # type: ignore[attr-defined]
            row = self.rows[key] = Markup(macro(postmortem, root))  # noqa: S704 - a rendered template
        return row


# Words that a field name spells in lower case but readers know in capitals.
_ACRONYMS = {
    "api", "aws", "cdn", "cpu", "dns", "gcp", "http", "https", "id", "ip",
    "sla", "slo", "sre", "ssl", "tls", "ttl", "url", "uuid",
}  # fmt: skip
_ISO_TIME = re.compile(
    r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::00(?:\.0+)?)?(Z|[+-]00:?00)?$"
)


def field_label(name: str) -> str:
    """Turn a field name into a label: ``archive_url`` becomes "Archive URL"."""
    words = name.replace("_", " ").replace("-", " ").split()
    shown = [w.upper() if w.lower() in _ACRONYMS else w.lower() for w in words]
    if shown and shown[0].islower():
        shown[0] = shown[0].capitalize()
    return " ".join(shown)


def field_value(value: object) -> object:
    """Show an ISO timestamp of an extra field as a date, or date and time."""
    if isinstance(value, str):
        match = _ISO_TIME.match(value.strip())
        if match:
            day, clock, zone = match.groups()
            if clock == "00:00" and zone:
                return day
            return f"{day} {clock}{' UTC' if zone else ''}"
    return value


def make_environment(config: Config) -> Environment:
    """Create the Jinja2 environment with autoescaping on for every template."""
    loader = FileSystemLoader(
        [str(folder / "templates") for folder in theme_dirs(config)]
    )
    environment = Environment(
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Each build makes a new environment, so templates never change under it.
        auto_reload=False,
    )
    environment.code_generator_class = OutputCodeGenerator
    filters: dict[str, Any] = {
        "duration": lambda delta: (
            format_duration(delta)
            if isinstance(delta, timedelta) or delta is None
            else delta
        ),
        "time": format_time,
        "date": format_date,
        "plural": plural,
        "inline_markdown": inline_markdown,
        "slug": cached_slug,
        "field_label": field_label,
        "field_value": field_value,
        "search_text": search_text,
    }
    environment.filters.update(filters)
    environment.globals["table_row"] = TableRows(environment)
    return environment

"""Command-line options shared by several pmkb commands, and the exit codes."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def parse_date_option(text: str) -> date:
    """Parse a YYYY-MM-DD option value, or fail with a usage message."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid date {text!r}: use YYYY-MM-DD"
        ) from None


def parse_jobs_option(text: str) -> int:
    """Parse a --jobs value: a whole number of 1 or more."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(
            f"invalid job count {text!r}: use a whole number of 1 or more"
        )
    return int(text)


def add_content_options(parser: argparse.ArgumentParser) -> None:
    """Add the options that say which knowledge base to read."""
    parser.add_argument(
        "--content",
        type=Path,
        default=Path("content"),
        metavar="DIR",
        help="folder of postmortems (default: content)",
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        metavar="FILE",
        help="settings file (default: kb.toml in the content folder)",
    )
    parser.add_argument(
        "--drafts", action="store_true", help="include reports with status: draft"
    )
    parser.add_argument(
        "--strict", action="store_true", help="treat warnings as errors"
    )
    parser.add_argument(
        "--today",
        type=parse_date_option,
        default=None,
        metavar="YYYY-MM-DD",
        help="date used for overdue items and rolling windows (default: today)",
    )


def add_build_options(
    parser: argparse.ArgumentParser, output_default: str = "site"
) -> None:
    """Add the options of commands that write the site."""
    add_content_options(parser)
    parser.add_argument(
        "--output",
        type=Path,
        default=Path(output_default),
        metavar="DIR",
        help=f"folder to write the site to (default: {output_default})",
    )
    parser.add_argument(
        "--base-url",
        default=None,
        metavar="URL",
        help="absolute URL the site is published at, for the feed, sitemap and canonical links",
    )
    parser.add_argument(
        "--jobs",
        type=parse_jobs_option,
        default=None,
        metavar="N",
        help="worker processes for rendering (default: the number of CPUs)",
    )
    parser.add_argument(
        "--no-search",
        dest="search",
        action="store_false",
        help="skip building the full-text search index (the search page then shows that search is off)",
    )
    parser.add_argument(
        "--clean",
        action="store_true",
        help="ignore the build cache and the last build, and render every page again",
    )


def add_location_options(parser: argparse.ArgumentParser) -> None:
    """Add the --content and --config options."""
    parser.add_argument(
        "--content",
        type=Path,
        default=Path("content"),
        metavar="DIR",
        help="folder of postmortems (default: content)",
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        metavar="FILE",
        help="settings file (default: kb.toml in the content folder)",
    )

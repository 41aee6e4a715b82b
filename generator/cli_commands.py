"""The pmkb commands that read a knowledge base without writing a site:
check, new, schema, stats and import."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date
from pathlib import Path

from generator.cli_options import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    add_content_options,
    add_location_options,
    parse_date_option,
)
from generator.errors import plural

log = logging.getLogger("generator")


def add_authoring_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """Add the commands for writing postmortems: check, new and schema."""
    check = commands.add_parser(
        "check",
        help="validate and lint postmortems without writing the site",
        description="Validate every postmortem like 'build' does, then lint each one for what a reviewer would ask for. Exit status: 0 clean, 1 errors (or warnings with --strict), 2 bad usage.",
    )
    add_content_options(check)
    check.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="output: text lines, a JSON list, or GitHub Actions annotations (default: text)",
    )
    check.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE",
        help="report only on these files or folders; the whole collection is still read, and files outside the content folder are ignored",
    )
    check.set_defaults(handler=run_check)

    new = commands.add_parser(
        "new",
        help="write a new postmortem from the template",
        description="Write CONTENT/DATE-SLUG.md from the postmortem template, with status: draft. An existing file is never overwritten.",
    )
    new.add_argument("title", help="title: what broke, for whom and why")
    new.add_argument(
        "--severity",
        default=None,
        metavar="LEVEL",
        help="severity key or alias (default: SEV3, or the least severe level of the scale)",
    )
    new.add_argument(
        "--date",
        type=parse_date_option,
        default=None,
        metavar="YYYY-MM-DD",
        help="incident date, used in the file name (default: today)",
    )
    new.add_argument(
        "--services",
        default="",
        metavar="A,B",
        help="affected services, separated by commas",
    )
    add_location_options(new)
    new.set_defaults(handler=run_new)

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of the front matter",
        description="Print the JSON Schema (draft 2020-12) of the front matter, with the severities, categories, triggers and statuses of kb.toml, for editors.",
    )
    add_location_options(schema)
    schema.add_argument(
        "--output",
        type=Path,
        default=None,
        metavar="FILE",
        help="write the schema to FILE instead of printing it",
    )
    schema.set_defaults(handler=run_schema)


def run_check(args: argparse.Namespace) -> int:
    """Handle ``pmkb check``."""
    from generator.check import CheckOptions, check, format_result, summary_line

    missing = [str(path) for path in args.files if not path.exists()]
    if missing:
        print(
            f"pmkb check: error: file not found: {', '.join(missing)}", file=sys.stderr
        )
        return EXIT_USAGE
    options = CheckOptions(
        content_dir=args.content,
        config_path=args.config,
        drafts=args.drafts,
        strict=args.strict,
        files=args.files,
    )
    result = check(options)
    sys.stdout.write(format_result(result, args.format))
    if args.format != "text":
        log.info("%s", summary_line(result))
    return EXIT_PROBLEMS if result.fails(args.strict) else EXIT_OK


def run_new(args: argparse.Namespace) -> int:
    """Handle ``pmkb new``."""
    from generator.scaffold import NewOptions, UsageError, new_postmortem

    if args.content.exists() and not args.content.is_dir():
        print(
            f"pmkb new: error: {args.content} is a file; "
            "pass the content folder with --content",
            file=sys.stderr,
        )
        return EXIT_USAGE
    options = NewOptions(
        title=args.title,
        severity=args.severity,
        day=args.date or date.today(),
        services=[s.strip() for s in args.services.split(",") if s.strip()],
        content_dir=args.content,
        config_path=args.config,
    )
    try:
        path = new_postmortem(options)
    except UsageError as error:
        print(f"pmkb new: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(path)
    return EXIT_OK


def run_schema(args: argparse.Namespace) -> int:
    """Handle ``pmkb schema``."""
    from generator.config import load_config
    from generator.schema import schema_text

    text = schema_text(load_config(args.content, args.config))
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as error:
        print(
            f"pmkb schema: error: cannot write {args.output}: "
            f"{error.strerror or error} (choose a file in a folder that exists)",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    log.info("wrote %s", args.output)
    return EXIT_OK


def add_stats_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """Add ``pmkb stats``."""
    stats = commands.add_parser(
        "stats",
        help="print the headline numbers and a table per severity",
        description="Validate the postmortems like 'build' and print time to detect and recover (mean, median, 90th percentile), the last 90 days against the 90 before, action items, recurring causes and a table per severity. Nothing is written.",
    )
    add_content_options(stats)
    stats.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="output: a text summary, or every number as in api/metrics.json (default: text)",
    )
    stats.set_defaults(handler=run_stats)


def run_stats(args: argparse.Namespace) -> int:
    """Handle ``pmkb stats``."""
    from generator.stats import run_stats as print_stats

    return print_stats(args)


def _zone_mapping(text: str) -> tuple[str, str]:
    from generator.timeparse import parse_zone

    name, _, zone = text.partition("=")
    if not name.strip() or parse_zone(zone) is None:
        raise argparse.ArgumentTypeError(
            f"invalid zone mapping {text!r}: write NAME=ZONE, e.g. CET=Europe/Paris or CET=+01:00"
        )
    return name.strip(), zone.strip()


def add_import_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """Add ``pmkb import``."""
    command = commands.add_parser(
        "import",
        help="turn Markdown postmortems without front matter into pmkb files",
        description="Write one pmkb file per Markdown file below SOURCE_DIR, with front matter inferred from what the text states; every value carries a comment saying where it came from. The source is only read and no existing file is overwritten.",
    )
    command.add_argument("source", type=Path, metavar="SOURCE_DIR")
    command.add_argument(
        "--output",
        type=Path,
        default=Path("content"),
        metavar="DIR",
        help="folder to write the imported files to (default: content)",
    )
    command.add_argument(
        "--config",
        type=Path,
        default=None,
        metavar="FILE",
        help="settings with the vocabularies and default zone (default: kb.toml in the output folder)",
    )
    command.add_argument(
        "--dry-run",
        action="store_true",
        help="print the report and each file's front matter without writing",
    )
    command.add_argument(
        "--zone",
        type=_zone_mapping,
        action="append",
        default=[],
        metavar="NAME=ZONE",
        help="read a zone name stated in the text as ZONE, e.g. CET=Europe/Copenhagen (repeatable)",
    )
    command.set_defaults(handler=run_import)


def run_import(args: argparse.Namespace) -> int:
    """Handle ``pmkb import``."""
    from generator.import_report import format_report
    from generator.importer import ImportOptions, import_collection

    source, output = args.source.resolve(), args.output.resolve()
    if not source.is_dir():
        problem = "is a file" if source.exists() else "not found"
        print(
            f"pmkb import: error: {args.source}: {problem}; "
            "name the folder that holds the reports to import",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if output == source or source in output.parents:
        print(
            f"pmkb import: error: the output folder {args.output} is inside {args.source}; choose one outside it, because the source is never changed",
            file=sys.stderr,
        )
        return EXIT_USAGE
    options = ImportOptions(
        source_dir=args.source,
        output_dir=args.output,
        config_path=args.config,
        dry_run=args.dry_run,
        zones=dict(args.zone),
    )
    result = import_collection(options)
    sys.stdout.write(format_report(result))
    written = sum(1 for f in result.files if f.written)
    if written:
        log.info(
            "wrote %s into %s in %.2f s",
            plural(written, "file"),
            args.output,
            result.seconds,
        )
    return EXIT_PROBLEMS if result.failed else EXIT_OK

"""The ``pmkb`` command line.

Heavy modules are imported inside each command so that ``pmkb --help``
starts fast.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from generator import __version__

if TYPE_CHECKING:
    from generator.build import BuildOptions
    from generator.errors import Problem

log = logging.getLogger("generator")

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
# A warning message repeated in more files than this is folded into one line.
FOLD_AFTER = 3


def _today(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid date {text!r}: use YYYY-MM-DD"
        ) from None


def _jobs(text: str) -> int:
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
        type=_today,
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
        type=_jobs,
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


def make_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every command."""
    parser = argparse.ArgumentParser(
        prog="pmkb",
        description="Turn a folder of Markdown postmortems into a searchable static knowledge base.",
        epilog="Run 'pmkb COMMAND --help' for the options of one command.",
    )
    parser.add_argument("--version", action="version", version=f"pmkb {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show debug logs and tracebacks"
    )
    parser.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="print only problems and the closing line",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser(
        "build",
        help="validate the postmortems and write the site",
        description="Validate every postmortem and write the site. Errors stop the build and leave the existing site untouched.",
    )
    add_build_options(build)
    build.set_defaults(handler=run_build)

    serve = commands.add_parser(
        "serve",
        help="build, serve on 127.0.0.1 and rebuild when files change",
        description="Build the site into its own folder, serve it on 127.0.0.1, watch the content, kb.toml and the theme, rebuild what a change affects and reload the browser. A broken file never stops the server: it keeps serving the last good site and shows the problems on the page.",
    )
    add_build_options(serve, output_default=".pmkb-serve")
    serve.add_argument(
        "--port",
        type=int,
        default=8000,
        help="port to listen on, 0 for any free port (default: 8000)",
    )
    serve.set_defaults(handler=run_serve)
    add_authoring_commands(commands)

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
    add_import_command(commands)
    return parser


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
        print(f"pmkb import: error: folder not found: {args.source}", file=sys.stderr)
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
    log.info(
        "%s %d files into %s, skipped %d, %d failed in %.2f s",
        "dry run: would import" if args.dry_run else "imported",
        len(result.files) - len(result.failed) if args.dry_run else written,
        args.output, len(result.skipped), len(result.failed), result.seconds,
    )  # fmt: skip
    return EXIT_PROBLEMS if result.failed else EXIT_OK


def print_problems(problems: list[Problem], fold: bool) -> None:
    """Print problems one per line; with ``fold``, a warning repeated in many
    files is printed a few times and then counted in one closing line."""
    counts = Counter((p.level, p.message, p.hint) for p in problems)
    shown: Counter[tuple] = Counter()
    folded = []
    for problem in problems:
        key = (problem.level, problem.message, problem.hint)
        shown[key] += 1
        if fold and problem.level.value == "warning" and counts[key] > FOLD_AFTER + 1:
            if shown[key] == FOLD_AFTER + 1:
                folded.append((counts[key] - FOLD_AFTER, problem.message))
            if shown[key] > FOLD_AFTER:
                continue
        print(problem.format(), file=sys.stderr)
    for count, message in folded:
        print(
            f"pmkb: {count} more warnings: {message} (run 'pmkb check' to list them all)",
            file=sys.stderr,
        )


def build_options(args: argparse.Namespace) -> BuildOptions:
    """Return the build options that the command line asks for."""
    from generator.build import BuildOptions

    return BuildOptions(
        content_dir=args.content,
        output_dir=args.output,
        config_path=args.config,
        strict=args.strict,
        drafts=args.drafts,
        base_url=args.base_url,
        jobs=args.jobs,
        today=args.today,
        search=args.search,
        use_cache=not args.clean,
    )


def run_serve(args: argparse.Namespace) -> int:
    """Handle ``pmkb serve``."""
    from generator.serve import serve

    options = build_options(args)
    options.serving = True
    options.search_later = True
    options.memory = {}
    if not 0 <= args.port <= 65535:
        print(f"pmkb: error: invalid port {args.port}: use 0 to 65535", file=sys.stderr)
        return EXIT_USAGE
    return serve(options, args.port)


def run_build(args: argparse.Namespace) -> int:
    """Handle ``pmkb build``."""
    from generator.build import build

    result = build(build_options(args))
    report = result.report
    print_problems(report.sorted(), fold=True)
    errors, warnings = len(report.errors), len(report.warnings)
    summary = f"{result.postmortems} postmortems, {result.pages} pages, {warnings} warnings, {errors} errors in {result.seconds:.2f} s"
    if result.written:
        log.info("built %s: %s", args.output, summary)
        return EXIT_OK
    reason = "errors" if errors else "warnings (--strict)"
    log.error(
        "build failed with %s; %s left unchanged: %s", reason, args.output, summary
    )
    return EXIT_PROBLEMS


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
        type=_today,
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
    args.output.write_text(text, encoding="utf-8")
    log.info("wrote %s", args.output)
    return EXIT_OK


def setup_logging(debug: bool, quiet: bool) -> None:
    """Log INFO per phase (DEBUG with --debug) to stderr as 'pmkb: message'."""
    level = logging.DEBUG if debug else logging.WARNING if quiet else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        logging.Formatter(
            "%(name)s: %(levelname)s: %(message)s" if debug else "pmkb: %(message)s"
        )
    )
    root = logging.getLogger("generator")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return the exit code."""
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:
        return int(exit.code or 0)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    setup_logging(args.debug, args.quiet)
    if args.debug:
        return int(args.handler(args))
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # noqa: BLE001 - last resort: one line instead of a traceback
        from generator.errors import PmkbError

        if isinstance(error, PmkbError):
            print_problems(error.problems, fold=False)
            return EXIT_PROBLEMS
        print(
            f"pmkb: error: {type(error).__name__}: {error} (run again with --debug for the traceback)",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS

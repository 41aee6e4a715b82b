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
    return parser


def print_problems(problems: list[Problem], fold: bool) -> None:
    """Print problems one per line; with ``fold``, repeated warnings become one line."""
    counts = Counter((p.level, p.message, p.hint) for p in problems)
    shown: Counter[tuple] = Counter()
    for problem in problems:
        key = (problem.level, problem.message, problem.hint)
        shown[key] += 1
        if fold and problem.level.value == "warning" and counts[key] > FOLD_AFTER + 1:
            if shown[key] <= FOLD_AFTER:
                print(problem.format(), file=sys.stderr)
            elif shown[key] == FOLD_AFTER + 1:
                print(
                    f"  … and {counts[key] - FOLD_AFTER} more warnings like this one",
                    file=sys.stderr,
                )
            continue
        print(problem.format(), file=sys.stderr)


def run_build(args: argparse.Namespace) -> int:
    """Handle ``pmkb build``."""
    from generator.build import BuildOptions, build

    options = BuildOptions(
        content_dir=args.content,
        output_dir=args.output,
        config_path=args.config,
        strict=args.strict,
        drafts=args.drafts,
        base_url=args.base_url,
        jobs=args.jobs,
        today=args.today,
    )
    result = build(options)
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

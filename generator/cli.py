"""The ``pmkb`` command line.

Heavy modules are imported inside each command so that ``pmkb --help``
starts fast.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections import Counter
from typing import TYPE_CHECKING

from generator import __version__
from generator.cli_commands import (
    add_authoring_commands,
    add_import_command,
    add_stats_command,
)
from generator.cli_options import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, add_build_options
from generator.errors import plural

if TYPE_CHECKING:
    from generator.build import BuildOptions
    from generator.errors import Problem

log = logging.getLogger("generator")

# A warning message repeated in more files than this is folded into one line.
FOLD_AFTER = 3


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
        description="Build the site into its own folder, serve it on 127.0.0.1, watch the content, kb.toml and the theme, rebuild what a change affects and reload the browser. Drafts are shown too. A broken file never stops the server: it keeps serving the last good site and shows the problems on the page.",
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

    add_stats_command(commands)
    add_import_command(commands)
    # The logging options also work after the command, as in 'pmkb build -q'.
    for command in commands.choices.values():
        command.add_argument(
            "--debug",
            action="store_true",
            default=argparse.SUPPRESS,
            help="show debug logs and tracebacks",
        )
        command.add_argument(
            "--quiet",
            "-q",
            action="store_true",
            default=argparse.SUPPRESS,
            help="print only problems and the closing line",
        )
    return parser


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
    # Authors preview their drafts while they write them.
    options.drafts = True
    options.search_later = True
    options.memory = {}
    if not 0 <= args.port <= 65535:
        print(f"pmkb: error: invalid port {args.port}: use 0 to 65535", file=sys.stderr)
        return EXIT_USAGE
    if not options.content_dir.is_dir():
        print(
            f"pmkb: error: content folder not found: {options.content_dir} "
            "(run from the folder that contains it or pass --content)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return serve(options, args.port)


def run_build(args: argparse.Namespace) -> int:
    """Handle ``pmkb build``."""
    from generator.build import build

    result = build(build_options(args))
    report = result.report
    print_problems(report.sorted(), fold=True)
    errors, warnings = len(report.errors), len(report.warnings)
    counts = [
        (result.postmortems, "postmortem"),
        (result.pages, "page"),
        (warnings, "warning"),
        (errors, "error"),
    ]
    summary = ", ".join(plural(count, word) for count, word in counts)
    summary += f" in {result.seconds:.2f} s"
    if result.written:
        # The closing line shows with --quiet too, so at that level if higher.
        level = max(logging.INFO, log.getEffectiveLevel())
        log.log(level, "built %s: %s", args.output, summary)
        return EXIT_OK
    reason = "errors" if errors else "warnings (--strict)"
    log.error(
        "build failed with %s; %s left unchanged: %s", reason, args.output, summary
    )
    return EXIT_PROBLEMS


def setup_logging(debug: bool, quiet: bool) -> None:
    """Log INFO per phase to stderr as 'pmkb: message'. With --debug, log DEBUG
    too, each line with the milliseconds since pmkb started, to see where a
    slow build spends its time."""
    level = logging.DEBUG if debug else logging.WARNING if quiet else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        logging.Formatter(
            "%(relativeCreated)d ms %(name)s: %(levelname)s: %(message)s"
            if debug
            else "pmkb: %(message)s"
        )
    )
    root = logging.getLogger("generator")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


def run() -> None:
    """Run the pmkb command and exit with its code."""
    code = main()
    # The work is done: Ctrl-C while Python shuts down must not turn a
    # finished run into a traceback or an exit by the signal.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(code)


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
        print("pmkb: interrupted", file=sys.stderr)
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

"""Benchmark pmkb against Hugo with Pagefind and against Pelican on generated corpora.

Writes the corpora, the logs of every command and ``results.json`` to the
work folder, prints the medians and the targets (PASS/FAIL), and with
``--write-docs`` writes the results section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import logging
import shlex
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from results import (
    check_targets,
    markdown_report,
    size_table,
    targets_table,
    write_docs,
)
from scenarios import (
    PMKB_STEPS,
    Corpus,
    StepFailed,
    hugo_steps,
    measure_serve_edit,
    output_size,
    pelican_steps,
    pmkb_steps,
    prepare_corpus,
)
from tools import Tools, ensure_tools, machine, versions

log = logging.getLogger("run")

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
ALL_STEPS = [*PMKB_STEPS, "hugo", "pelican"]
HELP_RUNS = 10


def build_parser() -> argparse.ArgumentParser:
    """Return the command-line parser."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add = parser.add_argument
    # fmt: off
    add("--sizes", default="1000,10000",
        help="comma-separated corpus sizes in postmortems (default: 1000,10000)")
    add("--runs", type=int, default=3, help="runs per size; medians are reported (default: 3)")
    add("--seed", type=int, default=1, help="random seed of the corpus (default: 1)")
    add("--work", type=Path, default=BENCH_DIR / ".work", metavar="DIR",
        help="folder for corpora, outputs, logs and results.json (default: bench/.work)")
    add("--venv", type=Path, default=BENCH_DIR / ".venv", metavar="DIR",
        help="virtualenv for Hugo, Pagefind and Pelican, created if missing (default: bench/.venv)")
    add("--pmkb", default=str(REPO_DIR / ".venv" / "bin" / "pmkb"), metavar="CMD",
        help="command that runs pmkb (default: .venv/bin/pmkb of this repository)")
    add("--steps", default=",".join(ALL_STEPS),
        help=f"comma-separated steps to run (default: all: {','.join(ALL_STEPS)}); 'hugo' includes Pagefind")
    add("--write-docs", action="store_true", help="write the results section of docs/benchmarks.md")
    # fmt: on
    return parser


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Parse and check the command line."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        args.sizes = [int(value) for value in args.sizes.split(",")]
    except ValueError:
        parser.error(
            f"--sizes must be whole numbers separated by commas, not {args.sizes!r}"
        )
    if min(args.sizes) < 10:
        parser.error("every size in --sizes must be at least 10")
    args.steps = [step.strip() for step in args.steps.split(",") if step.strip()]
    unknown = sorted(set(args.steps) - set(ALL_STEPS))
    if unknown:
        parser.error(
            f"unknown step(s) {', '.join(unknown)}; choose from {', '.join(ALL_STEPS)}"
        )
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def time_help(pmkb: list[str]) -> list[float]:
    """Return the wall times of ``pmkb --help`` over HELP_RUNS runs."""
    seconds = []
    for _ in range(HELP_RUNS):
        started = time.perf_counter()
        subprocess.run([*pmkb, "--help"], capture_output=True, check=True)
        seconds.append(time.perf_counter() - started)
    return seconds


def run_once(
    args: argparse.Namespace, tools: Tools, corpus: Corpus, run: int
) -> dict[str, dict]:
    """Measure every selected step once on one corpus."""
    pmkb = shlex.split(args.pmkb)
    measured = {}
    if any(step in args.steps for step in PMKB_STEPS):
        measured.update(pmkb_steps(pmkb, corpus, run, args.steps))
    if "hugo" in args.steps:
        measured.update(hugo_steps(tools, corpus, run))
    if "pelican" in args.steps:
        measured.update(pelican_steps(tools, corpus, run))
    return {step: measurement.to_json() for step, measurement in measured.items()}


def benchmark_size(
    args: argparse.Namespace, tools: Tools, results: dict, count: int
) -> None:
    """Write the corpus of one size and measure all runs on it, saving after each run."""
    log.info("N=%s: writing the corpus", f"{count:,}")
    corpus = prepare_corpus(args.work / f"n{count}", count, args.seed)
    size = results["sizes"][str(count)] = {
        "corpus": output_size(corpus.content),
        "runs": [],
    }
    for run in range(1, args.runs + 1):
        log.info("N=%s, run %d of %d:", f"{count:,}", run, args.runs)
        size["runs"].append(run_once(args, tools, corpus, run))
        size["outputs"] = corpus.outputs
        save(args.work, results)
    serve_edit = measure_serve_edit(shlex.split(args.pmkb), corpus, args.runs)
    if serve_edit is not None:
        size["runs"][-1]["pmkb-serve-edit"] = serve_edit.to_json()
    corpus.restore()


def save(work: Path, results: dict) -> None:
    """Write the results so far to results.json in the work folder."""
    (work / "results.json").write_text(json.dumps(results, indent=1) + "\n", "utf-8")


def print_summary(results: dict) -> None:
    """Print the tables per size and the targets with PASS/FAIL."""
    for count, size in results["sizes"].items():
        print(f"\nN={int(count):,}")
        print("\n".join(size_table(size)))
    print("\nTargets")
    print("\n".join(targets_table(check_targets(results))))
    if results["help_seconds"]:
        print(
            f"\npmkb --help median: {statistics.median(results['help_seconds']):.3f} s"
        )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and report it."""
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args.work.mkdir(parents=True, exist_ok=True)
    tools = ensure_tools(args.venv)
    pmkb = shlex.split(args.pmkb)
    results: dict = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "command": shlex.join(["python", "bench/run.py", *argv]),
        "machine": machine(), "versions": versions(tools, pmkb),
        "runs": args.runs, "seed": args.seed, "steps": args.steps, "sizes": {},
    }  # fmt: skip
    results["help_seconds"] = time_help(pmkb)
    try:
        for count in args.sizes:
            benchmark_size(args, tools, results, count)
    except StepFailed as error:
        save(args.work, results)
        print(f"error: {error}", file=sys.stderr)
        return 1
    save(args.work, results)
    print_summary(results)
    if args.write_docs:
        write_docs(REPO_DIR / "docs" / "benchmarks.md", markdown_report(results))
        print("\nwrote docs/benchmarks.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())

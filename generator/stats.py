"""``pmkb stats``: the headline numbers and a per-severity table in the terminal.

It reads and validates the knowledge base like ``pmkb build`` and prints the
same numbers as the trends and home pages, without writing the site.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from datetime import date

from generator.analysis import SiteAnalysis, analyse
from generator.build import BuildOptions, BuildResult, load_and_index, load_settings
from generator.cli import EXIT_OK, EXIT_PROBLEMS, print_problems
from generator.errors import Report, plural
from generator.metrics import METRICS, TARGETED, Group
from generator.metrics_json import metrics_document
from generator.timeparse import format_duration

log = logging.getLogger(__name__)


def table(rows: Sequence[Sequence[str]]) -> str:
    """Lay out rows as columns: the first left-aligned, the others right-aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.ljust(width) if number == 0 else cell.rjust(width)
            for number, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _within(group: Group, key: str) -> str:
    count = group.stats[key].count
    return f"{group.within_target_count(key)} of {count}" if count else "–"


def metrics_table(analysis: SiteAnalysis) -> str:
    """Return every metric over all incidents, one row each."""
    overall = analysis.metrics.overall
    targets = analysis.metrics.targets
    rows = [["", "Mean", "Median", "90th pct.", "Min", "Max", "With data", "No data",
             "Target", "Within target"]]  # fmt: skip
    for metric in METRICS:
        s = overall.stats[metric.key]
        target = getattr(targets, metric.key, None)
        rows.append([
            metric.label,
            *(format_duration(v) for v in (s.mean, s.median, s.p90, s.minimum, s.maximum)),
            str(s.count), str(s.missing),
            format_duration(target) if target else "–",
            _within(overall, metric.key) if target else "–",
        ])  # fmt: skip
    return table(rows)


def severity_table(analysis: SiteAnalysis) -> str:
    """Return time to detect and recover per severity, with each level's targets."""
    metrics = analysis.metrics
    header = ["Severity", "Incidents"]
    for key in TARGETED:
        short = METRICS[TARGETED.index(key)].short
        header += [f"Median {short}", f"M{short}", f"p90 {short}",
                   f"No {short}", "Target", "Within"]  # fmt: skip
    rows = [header]
    for group in metrics.by_severity:
        targets = group.incidents[0].targets
        row = [group.key, str(group.count)]
        for key in TARGETED:
            s = group.stats[key]
            row += [format_duration(s.median), format_duration(s.mean),
                    format_duration(s.p90), str(s.missing),
                    format_duration(getattr(targets, key)), _within(group, key)]  # fmt: skip
        rows.append(row)
    return table(rows)


def _window_line(analysis: SiteAnalysis, current: bool) -> str:
    window = analysis.metrics.current if current else analysis.metrics.previous
    stats = window.group.stats
    count = window.group.count
    return (
        f"{window.label} ({window.start} to {window.end}): "
        f"{count} incident{'' if count == 1 else 's'}, "
        f"median TTD {format_duration(stats['time_to_detect'].median)}, "
        f"median TTR {format_duration(stats['time_to_recover'].median)}"
    )


def stats_text(analysis: SiteAnalysis, title: str) -> str:
    """Return the headline numbers and the per-severity table as text."""
    metrics = analysis.metrics
    if not metrics.incidents:
        return f"{title}: no published postmortems, so there are no numbers to show.\n"
    actions = analysis.actions
    recurring = ", ".join(
        f"{r.name} ({'root cause' if r.kind == 'category' else r.kind}, "
        f"{len(r.incidents)} incidents)"
        for r in analysis.top_recurring
    )
    parts = [
        f"{title}: {plural(len(metrics.incidents), 'postmortem')} as of {metrics.today}",
        "",
        metrics_table(analysis),
        "",
        _window_line(analysis, current=True),
        _window_line(analysis, current=False),
        "",
        f"Action items: {len(actions.rows)}, {len(actions.open)} open, "
        f"{len(actions.overdue)} overdue, "
        f"{len(actions.missing_details)} open without owner or due date",
        f"Recurring causes: {recurring or 'none'}",
        "",
        "By severity",
        severity_table(analysis),
    ]
    return "\n".join(parts) + "\n"


def run_stats(args: argparse.Namespace) -> int:
    """Read the knowledge base, print its numbers and return the exit code."""
    options = BuildOptions(
        content_dir=args.content,
        config_path=args.config,
        strict=args.strict,
        drafts=args.drafts,
        today=args.today,
    )
    result = BuildResult(report=Report())
    config = load_settings(options, result.report)
    index = load_and_index(config, options, result) if config else None
    print_problems(result.report.sorted(), fold=True)
    if config is None or index is None or result.report.fails(options.strict):
        log.error("stats not computed: the knowledge base has problems")
        return EXIT_PROBLEMS
    analysis = analyse(index, config, options.today or date.today())
    if args.format == "json":
        document = metrics_document(analysis, config.base_url)
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(stats_text(analysis, config.title))
    return EXIT_OK

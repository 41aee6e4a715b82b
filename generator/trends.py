"""The trends page: time to detect and recover over time, by severity and cause.

Every chart has a table with the same numbers under it and one sentence that
states the change, so the page reads without the pictures.

The page stays bounded on large collections. ``generator.metrics`` caps the
number of periods. The service and trigger tables list the
``MAX_TABLE_GROUPS`` largest groups and sum the rest in one row. The page
lists the newest ``OVER_TARGET_ROWS`` incidents over target, and
``trends/over-target/`` lists them all, ``PAGE_SIZE`` per page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from markupsafe import Markup

from generator.analysis import site_analysis
from generator.charts import (
    PALETTE,
    Chart,
    Series,
    duration_bar_chart,
    duration_line_chart,
    stacked_count_chart,
)
from generator.metrics import (
    METRIC_BY_KEY,
    TARGETED,
    Group,
    IncidentMetrics,
    Metric,
    SiteMetrics,
    make_group,
)
from generator.pages import Page, SiteData
from generator.paging import page_title, paginate
from generator.timeparse import format_duration

PERIOD_WORDS = {"month": ("month", "monthly"), "quarter": ("quarter", "quarterly")}
# Groups drawn in the by-severity and by-category charts. The table lists every one.
MAX_CHART_GROUPS = 15
# Rows of the by-service and by-trigger tables. The smaller groups share one row.
MAX_TABLE_GROUPS = 100
# Incidents over target that the trends page lists, newest first.
OVER_TARGET_ROWS = 50
OVER_TARGET_FOLDER = "trends/over-target/"
LOG_NOTE = (
    "The duration axis is logarithmic, so equal distances on it are equal ratios, "
    "not equal durations."
)
# Values of 0 s that the note under a logarithmic chart names one by one.
MAX_NAMED_ZEROS = 6


@dataclass
class ChartSection:
    """One chart with its sentence and the groups its table lists."""

    id: str
    title: str
    metric: Metric | None
    sentence: str
    svg: Markup | None
    groups: list[Group] = field(default_factory=list)
    left_out: int = 0
    # Sentences under the chart about its axis, shown only when they apply.
    notes: list[str] = field(default_factory=list)


def _seconds(delta: timedelta | None) -> float | None:
    return delta.total_seconds() if delta is not None else None


def _join_words(words: list[str]) -> str:
    if len(words) <= 2:
        return " and ".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def zero_note(zeros: list[tuple[str, str]]) -> str:
    """Name the values of 0 s that a logarithmic chart leaves out."""
    names_by_label: dict[str, list[str]] = {}
    for name, label in zeros:
        names_by_label.setdefault(label, []).append(name.lower())
    parts = [
        f"the {_join_words(names)} of {label}"
        for label, names in names_by_label.items()
    ]
    if len(parts) > MAX_NAMED_ZEROS:
        rest = len(parts) - MAX_NAMED_ZEROS + 1
        parts = [*parts[: MAX_NAMED_ZEROS - 1], f"{rest} more"]
    return (
        "A logarithmic axis cannot show 0 s, so the chart leaves out "
        f"{_join_words(parts)}. The table lists every value."
    )


def _show_chart(section: ChartSection, chart: Chart) -> None:
    section.svg = chart.svg
    if chart.logarithmic:
        section.notes.append(LOG_NOTE)
    if chart.zeros_left_out:
        section.notes.append(zero_note(chart.zeros_left_out))


def _has_data(groups: list[Group], key: str) -> bool:
    return any(g.stats[key].count for g in groups)


def change_sentence(metric: Metric, groups: list[Group], stat: str = "median") -> str:
    """State how a statistic moved between the last two periods that have data."""
    name = f"{stat.capitalize()} {metric.short}"
    with_data = [g for g in groups if g.stats[metric.key].count]
    if not with_data:
        needs = " and ".join(metric.needs)
        return f"No incident has both {needs} recorded, so there is no {metric.short} to show."
    last = with_data[-1]
    last_value = getattr(last.stats[metric.key], stat)
    if len(with_data) == 1:
        return f"Only {last.label} has {metric.short} data: {stat} {format_duration(last_value)}."
    before = with_data[-2]
    before_value = getattr(before.stats[metric.key], stat)
    if last_value == before_value:
        verb = f"stayed at {format_duration(last_value)}"
        return f"{name} {verb} from {before.label} to {last.label}."
    verb = "fell" if last_value < before_value else "rose"
    return (
        f"{name} {verb} from {format_duration(before_value)} in {before.label} "
        f"to {format_duration(last_value)} in {last.label}."
    )


def count_sentence(groups: list[Group], unit: str) -> str:
    """State the incident count of the latest period against the one before."""
    if not groups:
        return "No incident has a date, so there are no counts over time."
    last = groups[-1]
    text = f"{last.count} incident{'s' if last.count != 1 else ''} in {last.label}"
    if len(groups) == 1:
        return f"{text}, the only {unit} with incidents."
    before = groups[-2]
    if last.count == before.count:
        return f"{text}, the same as in {before.label}."
    direction = "up" if last.count > before.count else "down"
    return f"{text}, {direction} from {before.count} in {before.label}."


def _group_name(group: Group, kind: str) -> str:
    return group.label if kind == "severity" else f"the {group.label} {kind}"


def extremes_sentence(metric: Metric, groups: list[Group], kind: str) -> str:
    """Name the groups with the longest and shortest median of a metric."""
    with_data = [g for g in groups if g.stats[metric.key].count]
    if not with_data:
        needs = " and ".join(metric.needs)
        return f"No incident has both {needs} recorded."
    ordered = sorted(with_data, key=lambda g: g.stats[metric.key].median or timedelta())
    slowest, fastest = ordered[-1], ordered[0]
    slow_text = format_duration(slowest.stats[metric.key].median)
    if slowest is fastest:
        return f"Only {_group_name(slowest, kind)} has {metric.short} data: median {slow_text}."
    fast_text = format_duration(fastest.stats[metric.key].median)
    return (
        f"Median {metric.short} is longest for {_group_name(slowest, kind)} ({slow_text}) "
        f"and shortest for {_group_name(fastest, kind)} ({fast_text})."
    )


def over_time_section(metrics: SiteMetrics, key: str) -> ChartSection:
    """Build the chart of one metric per period: median, mean and any target."""
    metric = METRIC_BY_KEY[key]
    groups = metrics.by_period
    section = ChartSection(
        f"{key}-over-time", f"{metric.label} over time", metric,
        change_sentence(metric, groups), None, groups,
    )  # fmt: skip
    if not _has_data(groups, key):
        return section

    # The mean is drawn first and dotted because with one incident in a period
    # it equals the median, and the median line must stay visible on top.
    series = [
        Series("Mean", [_seconds(g.stats[key].mean) for g in groups], PALETTE["mean"], "dotted"),
        Series("Median", [_seconds(g.stats[key].median) for g in groups], PALETTE["median"]),
    ]  # fmt: skip
    description = (
        f"Line chart of median and mean {metric.label.lower()} per {metrics.period}"
    )
    target = getattr(metrics.targets, key, None)
    if target is not None:
        series.append(
            Series(
                "Target", [_seconds(target)] * len(groups), PALETTE["target"], "dashed"
            )
        )
        description += f", with the target of {format_duration(target)}"
    description += f". {section.sentence}"

    chart = duration_line_chart(
        section.id, section.title, description, [g.label for g in groups], series
    )
    _show_chart(section, chart)
    return section


def severity_series(metrics: SiteMetrics) -> list[tuple[Group, str]]:
    """Return each severity group with its chart colour."""
    result = []
    for group in metrics.by_severity:
        rank = group.incidents[0].postmortem.severity.rank
        result.append((group, PALETTE.get(f"sev{rank}", PALETTE["other"])))
    return result


def counts_section(metrics: SiteMetrics) -> ChartSection:
    """Build the stacked bar chart of incidents per period and severity."""
    groups = metrics.by_period
    unit = PERIOD_WORDS[metrics.period][0]
    section = ChartSection(
        "incidents-over-time", "Incidents over time", None,
        count_sentence(groups, unit), None, groups,
    )  # fmt: skip
    if not groups:
        return section
    series = []
    for severity, color in severity_series(metrics):
        counts = [
            sum(1 for i in g.incidents if i.postmortem.severity.key == severity.key)
            for g in groups
        ]
        series.append(Series(severity.key, counts, color))
    description = f"Stacked bar chart of incidents per {metrics.period}, by severity. {section.sentence}"
    section.svg = stacked_count_chart(
        section.id, section.title, description, [g.label for g in groups], series
    )
    return section


def grouped_section(
    section_id: str, title: str, key: str, groups: list[Group], kind: str
) -> ChartSection:
    """Build a bar chart of one metric's median and mean per group."""
    metric = METRIC_BY_KEY[key]
    sentence = extremes_sentence(metric, groups, kind)
    section = ChartSection(section_id, title, metric, sentence, None, groups)
    with_data = [g for g in groups if g.stats[key].count]
    charted = with_data[:MAX_CHART_GROUPS]
    section.left_out = len(with_data) - len(charted)
    if not charted:
        return section
    series = [
        Series("Median", [_seconds(g.stats[key].median) for g in charted], PALETTE["median"]),
        Series("Mean", [_seconds(g.stats[key].mean) for g in charted], PALETTE["mean"]),
    ]  # fmt: skip
    description = (
        f"Bar chart of median and mean {metric.label.lower()} per {kind}. {sentence}"
    )
    chart = duration_bar_chart(
        section.id, title, description, [g.label for g in charted], series
    )
    _show_chart(section, chart)
    return section


@dataclass
class GroupTable:
    """The rows of a by-service or by-trigger table, the smallest summed in one."""

    title: str
    anchor: str
    folder: str
    groups: list[Group]
    other: Group | None = None


def group_table(
    title: str,
    anchor: str,
    folder: str,
    groups: list[Group],
    noun: str,
    limit: int = MAX_TABLE_GROUPS,
) -> GroupTable:
    """Keep the ``limit`` largest groups and sum the others in one group."""
    if len(groups) <= limit:
        return GroupTable(title, anchor, folder, groups)
    rest = groups[limit:]
    seen: set[str] = set()
    members: list[IncidentMetrics] = []
    # An incident of two of the smaller groups counts once in their sum.
    for group in rest:
        for incident in group.incidents:
            if incident.postmortem.id not in seen:
                seen.add(incident.postmortem.id)
                members.append(incident)
    other = make_group("other", f"{len(rest)} other {noun}", members)
    return GroupTable(title, anchor, folder, groups[:limit], other)


def over_target(metrics: SiteMetrics) -> list[IncidentMetrics]:
    """Return the incidents over a time to detect or recover target, newest first."""
    return [
        i for i in metrics.incidents
        if any(i.within_target(key) is False for key in TARGETED)
    ]  # fmt: skip


def trends_context(metrics: SiteMetrics) -> dict[str, Any]:
    """Return everything the trends template shows."""
    over = over_target(metrics)
    by_severity = [
        grouped_section(f"{key}-by-severity", f"{METRIC_BY_KEY[key].label} by severity",
                        key, metrics.by_severity, "severity")
        for key in TARGETED
    ]  # fmt: skip
    by_category = [
        grouped_section(f"{key}-by-category", f"{METRIC_BY_KEY[key].label} by root cause",
                        key, metrics.by_category, "category")
        for key in TARGETED
    ]  # fmt: skip
    return {
        "metrics": metrics,
        "period_word": PERIOD_WORDS[metrics.period][1],
        "over_time": [
            over_time_section(metrics, key) for key in (*TARGETED, "duration")
        ],
        "counts": counts_section(metrics),
        "severity_colors": severity_series(metrics),
        "by_severity": by_severity,
        "by_category": by_category,
        "name_tables": [
            group_table("By service", "by-service", "services", metrics.by_service, "services"),
            group_table("By trigger", "by-trigger", "triggers", metrics.by_trigger, "triggers"),
        ],
        "over_target": over[:OVER_TARGET_ROWS],
        "over_target_total": len(over),
        "targeted": [METRIC_BY_KEY[key] for key in TARGETED],
    }  # fmt: skip


def over_target_pages(metrics: SiteMetrics) -> list[Page]:
    """Return ``trends/over-target/``: every incident over target, PAGE_SIZE per page."""
    pages = []
    title = "Incidents over target"
    for chunk, pagination in paginate(over_target(metrics), OVER_TARGET_FOLDER):
        context = {"metrics": metrics, "rows": chunk, "pagination": pagination}
        pages.append(
            Page(
                pagination.url,
                "over_target.html",
                page_title(title, pagination),
                context,
            )
        )
    return pages


def trends_pages(data: SiteData) -> list[Page]:
    """Return the trends page and the pages of incidents over target."""
    metrics = site_analysis(data).metrics
    page = Page("trends/", "trends.html", "Trends", trends_context(metrics))
    return [page, *over_target_pages(metrics)]

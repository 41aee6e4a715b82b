"""Incident metrics: time to detect and recover, aggregated over sets of incidents.

Definitions, per incident: time to detect (TTD) = detected - started, time to
recover (TTR) = resolved - detected, duration = resolved - started, time to
mitigate = mitigated - started. Each subtraction goes through UTC, so an
incident that spans a DST change gets its real length.

Aggregates: every set reports how many incidents had the value, how many
lacked the timestamps it needs (they are counted, never dropped), and the
mean, median, 90th percentile, minimum and maximum. Percentiles use linear
interpolation between closest ranks (Hyndman and Fan's type 7, the default of
numpy and of spreadsheet PERCENTILE): for n sorted values x[0..n-1] and a
fraction q, h = (n - 1) * q and the result is
x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)]). The median is
q = 0.5, so it is the mean of the two middle values when n is even.

Bucketing: an incident belongs to the month and quarter of its local start
date, the calendar date in the zone its times were written in (started, else
detected, else resolved), which is the date its own page shows. An incident
that started at 2025-04-01 07:00 in Asia/Seoul is an April and second-quarter
incident, although it was still 31 March in UTC. An incident with none of the
three times has no date and is counted under "no date".

Trends run per month when the dated incidents span at most two years and per
quarter otherwise, over at most 40 periods up to the latest incident, empty
periods included. Older incidents are gathered in one "earlier" group.

Rolling windows: "last 90 days" is the 90 days that end on today, today
included (today - 89 days to today). The previous 90 days end the day before
that window starts. Incidents dated after today are in neither window.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from generator.config import Config, Targets
from generator.model import Postmortem

WINDOW_DAYS = 90
# Data spanning at most this many months is shown per month, longer spans per quarter.
MONTHLY_MAX_MONTHS = 24
# The trends show at most this many periods (ten years of quarters). Older
# incidents are gathered in one "earlier" group.
MAX_PERIODS = 40
NO_VALUE = "none"


@dataclass(frozen=True)
class Metric:
    """One per-incident measure: its key, names and the timestamps it needs."""

    key: str
    label: str
    short: str
    mean_name: str
    needs: tuple[str, str]


METRICS = (
    Metric("time_to_detect", "Time to detect", "TTD", "MTTD", ("started", "detected")),
    Metric("time_to_recover", "Time to recover", "TTR", "MTTR", ("detected", "resolved")),
    Metric("time_to_mitigate", "Time to mitigate", "TTM", "MTTM", ("started", "mitigated")),
    Metric("duration", "Duration", "duration", "Mean duration", ("started", "resolved")),
)  # fmt: skip
METRIC_BY_KEY = {metric.key: metric for metric in METRICS}
TARGETED = ("time_to_detect", "time_to_recover")


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Return the percentile of sorted values by linear interpolation (type 7)."""
    if not sorted_values:
        raise ValueError("percentile of an empty sequence")
    position = (len(sorted_values) - 1) * fraction
    lower = math.floor(position)
    upper = min(lower + 1, len(sorted_values) - 1)
    weight = position - lower
    return sorted_values[lower] + weight * (sorted_values[upper] - sorted_values[lower])


@dataclass(frozen=True)
class Stats:
    """Count, missing count, mean, median, 90th percentile, min and max of a set."""

    count: int = 0
    missing: int = 0
    mean: timedelta | None = None
    median: timedelta | None = None
    p90: timedelta | None = None
    minimum: timedelta | None = None
    maximum: timedelta | None = None

    @property
    def total(self) -> int:
        """Return the number of incidents in the set, with or without a value."""
        return self.count + self.missing


def summarize(values: Iterable[timedelta | None]) -> Stats:
    """Aggregate durations, where None is an incident without the timestamps."""
    listed = list(values)
    seconds = sorted(value.total_seconds() for value in listed if value is not None)
    missing = len(listed) - len(seconds)
    if not seconds:
        return Stats(missing=missing)

    def delta(amount: float) -> timedelta:
        return timedelta(seconds=amount)

    return Stats(
        count=len(seconds),
        missing=missing,
        mean=delta(math.fsum(seconds) / len(seconds)),
        median=delta(percentile(seconds, 0.5)),
        p90=delta(percentile(seconds, 0.9)),
        minimum=delta(seconds[0]),
        maximum=delta(seconds[-1]),
    )


@dataclass
class IncidentMetrics:
    """The metrics of one incident, its bucket date and its targets."""

    postmortem: Postmortem
    values: dict[str, timedelta | None]
    targets: Targets
    local_date: date | None

    @property
    def time_to_detect(self) -> timedelta | None:
        """Return the incident's time to detect."""
        return self.values["time_to_detect"]

    @property
    def time_to_recover(self) -> timedelta | None:
        """Return the incident's time to recover."""
        return self.values["time_to_recover"]

    def target(self, metric_key: str) -> timedelta | None:
        """Return the target for a metric, or None for metrics without one."""
        return getattr(self.targets, metric_key, None)

    def within_target(self, metric_key: str) -> bool | None:
        """Tell whether a value met its target, or None when either is missing."""
        value, target = self.values[metric_key], self.target(metric_key)
        if value is None or target is None:
            return None
        return value <= target


def incident_metrics(postmortem: Postmortem, config: Config) -> IncidentMetrics:
    """Compute one incident's values and look up the targets of its severity."""
    values = {metric.key: getattr(postmortem, metric.key) for metric in METRICS}
    return IncidentMetrics(
        postmortem=postmortem,
        values=values,
        targets=config.targets_for(postmortem.severity.key),
        local_date=postmortem.date,
    )


@dataclass
class Group:
    """A set of incidents (a month, a severity, a service) and its aggregates."""

    key: str
    label: str
    incidents: list[IncidentMetrics]
    stats: dict[str, Stats] = field(default_factory=dict)

    @property
    def count(self) -> int:
        """Return the number of incidents in the set."""
        return len(self.incidents)

    def over_target(self, metric_key: str) -> list[IncidentMetrics]:
        """Return the incidents whose value exceeded their target."""
        return [i for i in self.incidents if i.within_target(metric_key) is False]

    def within_target_count(self, metric_key: str) -> int:
        """Return how many incidents met their target."""
        return sum(1 for i in self.incidents if i.within_target(metric_key))


def make_group(key: str, label: str, incidents: list[IncidentMetrics]) -> Group:
    """Aggregate every metric over a set of incidents."""
    stats = {
        metric.key: summarize(i.values[metric.key] for i in incidents)
        for metric in METRICS
    }
    return Group(key, label, incidents, stats)


def month_key(day: date) -> str:
    """Return the month bucket of a date, like '2025-01'."""
    return f"{day.year}-{day.month:02d}"


def quarter_key(day: date) -> str:
    """Return the quarter bucket of a date, like '2025-Q1'."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def period_key(day: date, unit: str) -> str:
    """Return the month or quarter bucket of a date."""
    return month_key(day) if unit == "month" else quarter_key(day)


def period_label(key: str) -> str:
    """Return how a bucket key is shown: 'Jan 2025' or 'Q1 2025'."""
    year, _, part = key.partition("-")
    if part.startswith("Q"):
        return f"{part} {year}"
    return date(int(year), int(part), 1).strftime("%b %Y")


def period_keys(first: date, last: date, unit: str) -> list[str]:
    """Return every month or quarter key from first to last, gaps included."""
    step = 1 if unit == "month" else 3
    month = first.month if unit == "month" else (first.month - 1) // 3 * 3 + 1
    year, keys = first.year, []
    while (year, month) <= (last.year, last.month):
        keys.append(period_key(date(year, month, 1), unit))
        month += step
        if month > 12:
            year, month = year + 1, month - 12
    return keys


def choose_period(dates: Sequence[date]) -> str:
    """Pick 'month' for data spanning up to two years, 'quarter' for longer."""
    if not dates:
        return "month"
    first, last = min(dates), max(dates)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    return "month" if months <= MONTHLY_MAX_MONTHS else "quarter"


def by_period(incidents: list[IncidentMetrics], unit: str) -> list[Group]:
    """Group dated incidents per month or quarter, listing only periods with any."""
    buckets: dict[str, list[IncidentMetrics]] = {}
    for incident in incidents:
        if incident.local_date is not None:
            key = period_key(incident.local_date, unit)
            buckets.setdefault(key, []).append(incident)
    return [make_group(k, period_label(k), buckets[k]) for k in sorted(buckets)]


def timeline(
    incidents: list[IncidentMetrics], unit: str, max_periods: int = MAX_PERIODS
) -> tuple[list[Group], Group | None]:
    """Return consecutive periods up to the latest incident, empty ones included.

    At most ``max_periods`` periods are returned. Incidents before them are
    gathered in a second, "earlier" group, which is None when there are none.
    """
    days = [i.local_date for i in incidents if i.local_date is not None]
    if not days:
        return [], None
    keys = period_keys(min(days), max(days), unit)[-max_periods:]
    buckets: dict[str, list[IncidentMetrics]] = {key: [] for key in keys}
    earlier: list[IncidentMetrics] = []
    for incident in incidents:
        if incident.local_date is None:
            continue
        key = period_key(incident.local_date, unit)
        buckets.get(key, earlier).append(incident)
    groups = [make_group(key, period_label(key), buckets[key]) for key in keys]
    if not earlier:
        return groups, None
    label = f"Before {period_label(keys[0])}"
    return groups, make_group("earlier", label, earlier)


def by_names(
    incidents: list[IncidentMetrics],
    names_of: Callable[[Postmortem], list[str]],
    order: Callable[[Group], tuple[Any, ...]] | None = None,
) -> list[Group]:
    """Group incidents by each name they carry (an incident may be in several)."""
    buckets: dict[str, list[IncidentMetrics]] = {}
    for incident in incidents:
        for name in names_of(incident.postmortem) or [NO_VALUE]:
            buckets.setdefault(name, []).append(incident)
    groups = [make_group(name, name, members) for name, members in buckets.items()]
    groups.sort(key=order or (lambda g: (-g.count, g.key.lower())))
    return groups


@dataclass
class Window:
    """A range of days and the incidents dated inside it."""

    label: str
    start: date
    end: date
    group: Group


def rolling_windows(
    incidents: list[IncidentMetrics], today: date, days: int = WINDOW_DAYS
) -> tuple[Window, Window]:
    """Return the last ``days`` days up to today and the same span before them."""
    current_start = today - timedelta(days=days - 1)
    previous_end = current_start - timedelta(days=1)
    previous_start = previous_end - timedelta(days=days - 1)

    def window(label: str, start: date, end: date) -> Window:
        members = [
            i for i in incidents if i.local_date and start <= i.local_date <= end
        ]
        return Window(label, start, end, make_group(label, label, members))

    return (
        window(f"Last {days} days", current_start, today),
        window(f"Previous {days} days", previous_start, previous_end),
    )


@dataclass
class SiteMetrics:
    """Every aggregate of a knowledge base, computed once per build."""

    today: date
    incidents: list[IncidentMetrics]
    overall: Group
    period: str
    by_period: list[Group]
    earlier: Group | None
    by_month: list[Group]
    by_quarter: list[Group]
    by_severity: list[Group]
    by_category: list[Group]
    by_service: list[Group]
    by_trigger: list[Group]
    current: Window
    previous: Window
    targets: Targets
    severity_targets: dict[str, Targets]

    @property
    def undated(self) -> list[IncidentMetrics]:
        """Return the incidents without any of started, detected and resolved."""
        return [i for i in self.incidents if i.local_date is None]

    def severity_group(self, severity_key: str) -> Group | None:
        """Return the group of one severity level."""
        return next((g for g in self.by_severity if g.key == severity_key), None)

    def __post_init__(self) -> None:
        self._by_id = {i.postmortem.id: i for i in self.incidents}

    def of(self, postmortem: Postmortem) -> IncidentMetrics | None:
        """Return the metrics of one report."""
        return self._by_id.get(postmortem.id)


def compute_metrics(
    postmortems: list[Postmortem], config: Config, today: date
) -> SiteMetrics:
    """Compute every aggregate of the published reports."""
    incidents = [incident_metrics(p, config) for p in postmortems]
    days = [i.local_date for i in incidents if i.local_date is not None]
    period = choose_period(days)
    periods, earlier = timeline(incidents, period)
    rank = {level.key: level.rank for level in config.severities}
    current, previous = rolling_windows(incidents, today)
    return SiteMetrics(
        today=today,
        incidents=incidents,
        overall=make_group("all", "All incidents", incidents),
        period=period,
        by_period=periods,
        earlier=earlier,
        by_month=by_period(incidents, "month"),
        by_quarter=by_period(incidents, "quarter"),
        by_severity=by_names(
            incidents,
            lambda p: [p.severity.key],
            order=lambda g: (rank.get(g.key, g.incidents[0].postmortem.severity.rank), g.key),
        ),
        by_category=by_names(incidents, lambda p: p.root_cause.categories or ["unknown"]),
        by_service=by_names(incidents, lambda p: p.services),
        by_trigger=by_names(incidents, lambda p: [p.trigger] if p.trigger else []),
        current=current,
        previous=previous,
        targets=config.targets,
        severity_targets=dict(config.severity_targets),
    )  # fmt: skip

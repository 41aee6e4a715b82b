"""The analysis of a whole knowledge base, computed once and shared by its pages.

The home page's headline numbers, the comparison on each report page, the
trends, recurring and action item pages, ``api/metrics.json`` and
``pmkb stats`` all read the same ``SiteAnalysis``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from generator.action_stats import ActionSummary, summarize_actions
from generator.config import Config
from generator.index import SiteIndex
from generator.metrics import (
    METRIC_BY_KEY,
    TARGETED,
    Metric,
    SiteMetrics,
    compute_metrics,
)
from generator.model import Postmortem
from generator.recurrence import (
    HeatMap,
    Recurrence,
    count_recent,
    heat_map,
    rank_recurrences,
    recurring,
    related_chains,
)

if TYPE_CHECKING:
    from generator.pages import SiteData

log = logging.getLogger(__name__)

CACHE_KEY = "analysis"
TOP_RECURRING = 5


@dataclass
class SiteAnalysis:
    """Metrics, recurrences and action items of the published reports."""

    metrics: SiteMetrics
    recurrences: list[Recurrence]
    chains: list[Recurrence]
    heat_map: HeatMap
    actions: ActionSummary
    min_incidents: int
    window_days: int

    @property
    def today(self) -> date:
        """Return the date that overdue items and rolling windows are measured from."""
        return self.metrics.today

    def active(self, recurrence: Recurrence) -> bool:
        """Tell whether an incident of a recurrence is within the window before today."""
        return recurrence.active

    @property
    def top_recurring(self) -> list[Recurrence]:
        """Return the recurrences the home page lists, one per category or service."""
        seen: set[tuple[str, str]] = set()
        top = []
        for recurrence in self.recurrences:
            if (recurrence.kind, recurrence.name) not in seen:
                seen.add((recurrence.kind, recurrence.name))
                top.append(recurrence)
        return top[:TOP_RECURRING]

    def recurrences_of(self, kind: str) -> list[Recurrence]:
        """Return the category or service recurrences."""
        return [r for r in self.recurrences if r.kind == kind]


def analyse(index: SiteIndex, config: Config, today: date) -> SiteAnalysis:
    """Compute the whole analysis of the published reports."""
    postmortems = index.postmortems
    categories = {
        p.id: [c for c in p.root_cause.categories if c != "unknown"]
        for p in postmortems
    }
    services = {p.id: list(p.services) for p in postmortems}

    window_days = config.recurrence_window_days
    found: list[Recurrence] = []
    for kind, names in (("category", categories), ("service", services)):
        found += recurring(
            postmortems, kind, names, config.recurrence_min_incidents, window_days
        )
    chains = related_chains(index)
    count_recent(found + chains, today, window_days)

    analysis = SiteAnalysis(
        metrics=compute_metrics(postmortems, config, today),
        recurrences=rank_recurrences(found),
        chains=rank_recurrences(chains),
        heat_map=heat_map(postmortems),
        actions=summarize_actions(postmortems, today),
        min_incidents=config.recurrence_min_incidents,
        window_days=window_days,
    )

    log.debug(
        "analysed %d incidents: %d recurrences, %d action items",
        len(postmortems),
        len(analysis.recurrences),
        len(analysis.actions.rows),
    )
    return analysis


def site_analysis(data: SiteData) -> SiteAnalysis:
    """Return the analysis of a site, computing it on first use."""
    cached = data.extra.get(CACHE_KEY)
    if isinstance(cached, SiteAnalysis):
        return cached
    analysis = analyse(data.index, data.config, data.today)
    data.extra[CACHE_KEY] = analysis
    return analysis


@dataclass
class Comparison:
    """One metric of a report against its target and its severity's median."""

    metric: Metric
    value: timedelta | None
    target: timedelta | None
    median: timedelta | None
    median_count: int

    @property
    def within_target(self) -> bool | None:
        """Tell whether the value met the target, or None when either is missing."""
        if self.value is None or self.target is None:
            return None
        return self.value <= self.target

    @property
    def from_median(self) -> timedelta | None:
        """Return the value minus the severity's median."""
        if self.value is None or self.median is None:
            return None
        return self.value - self.median


def report_metrics(data: SiteData, postmortem: Postmortem) -> list[Comparison]:
    """Compare a report's time to detect and recover with targets and its severity."""
    metrics = site_analysis(data).metrics
    incident = metrics.of(postmortem)
    group = metrics.severity_group(postmortem.severity.key)
    comparisons = []
    for key in TARGETED:
        stats = group.stats[key] if group else None
        comparisons.append(
            Comparison(
                metric=METRIC_BY_KEY[key],
                value=getattr(postmortem, key),
                target=incident.target(key) if incident else None,
                median=stats.median if stats else None,
                median_count=stats.count if stats else 0,
            )
        )
    return comparisons

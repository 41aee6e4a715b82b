"""``api/metrics.json``: every number of the trends, recurring, action item and
home pages, with durations in seconds.

The document has these keys:

- ``today``, ``period`` (month or quarter), ``percentile_method``,
  ``bucketing`` and ``targets_seconds`` (the default and per severity).
- ``overall``, ``windows`` (the last 90 days and the 90 before),
  ``trend_periods``, ``before_trend_periods``, ``by_month``, ``by_quarter``,
  ``by_severity``, ``by_category``, ``by_service`` and ``by_trigger``: groups
  of incidents. Each has its incident count and, per metric, the count,
  missing count, mean, median, 90th percentile, minimum and maximum. It also
  counts the incidents that met and missed their targets.
- ``incidents``: one row per report, a list of values named by
  ``incident_fields``: id, date, severity, categories, services, trigger,
  the four metrics in seconds and whether time to detect and recover met
  their targets. A report's page is its id followed by ``/`` under the
  site's address, and its targets are those of its severity.
  ``undated_incidents`` lists the ids without any time, and ``over_target``
  counts the incidents over a target.
- ``recurrence``: the settings, the heat map, and every recurrence and
  related chain as a summary: its page, whether it is active, its incidents
  within the window, first and latest date, median gap, the ids of its
  incidents in time order, and how many incidents still had action items
  open when it came back, with how many items. The recurring pages show
  those items at each incident; they are not repeated here.
- ``action_items``: the counts per status, per quarter and per owner. The
  items themselves, with owner, due date and status, are in
  ``api/postmortems.json``; an item is overdue when it is open or in
  progress and due before ``today``.

Each incident's values appear only once, in ``incidents``; everything else
names incidents by id. The file is written without indentation to keep it
small: 4.4 MB for the 10,000 reports that ``bench/make_corpus.py`` writes.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from generator.action_stats import ActionSummary
from generator.analysis import SiteAnalysis
from generator.config import Targets
from generator.metrics import METRICS, TARGETED, Group, IncidentMetrics, Stats, Window
from generator.recurrence import Recurrence
from generator.recurring_detail import run_url

PERCENTILE_METHOD = "linear interpolation between closest ranks (Hyndman-Fan type 7)"
BUCKETING = "local start date: the date in the zone the incident's times are written in"


def _seconds(delta: timedelta | None) -> float | None:
    return delta.total_seconds() if delta is not None else None


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def stats_record(stats: Stats) -> dict[str, Any]:
    """Return one aggregate as JSON data."""
    return {
        "count": stats.count,
        "missing": stats.missing,
        "mean_seconds": _seconds(stats.mean),
        "median_seconds": _seconds(stats.median),
        "p90_seconds": _seconds(stats.p90),
        "min_seconds": _seconds(stats.minimum),
        "max_seconds": _seconds(stats.maximum),
    }


def group_record(group: Group) -> dict[str, Any]:
    """Return a set of incidents with its aggregates and target counts."""
    return {
        "key": group.key,
        "label": group.label,
        "incidents": group.count,
        "metrics": {key: stats_record(stats) for key, stats in group.stats.items()},
        "within_target": {key: group.within_target_count(key) for key in TARGETED},
        "over_target": {key: len(group.over_target(key)) for key in TARGETED},
    }


def _targets(targets: Targets) -> dict[str, float | None]:
    return {key: _seconds(getattr(targets, key)) for key in TARGETED}


def _url(base_url: str, relative: str) -> str:
    return f"{base_url}{relative}" if base_url else relative


INCIDENT_FIELDS = (
    "id", "date", "severity", "categories", "services", "trigger",
    *(f"{metric.key}_seconds" for metric in METRICS),
    *(f"{key}_within_target" for key in TARGETED),
)  # fmt: skip


def incident_row(incident: IncidentMetrics) -> list[Any]:
    """Return one incident's values in the order of INCIDENT_FIELDS."""
    postmortem = incident.postmortem
    return [
        postmortem.id,
        _day(incident.local_date),
        postmortem.severity.key,
        postmortem.root_cause.categories,
        postmortem.services,
        postmortem.trigger or None,
        *(_seconds(incident.values[metric.key]) for metric in METRICS),
        *(incident.within_target(key) for key in TARGETED),
    ]


def _window(window: Window) -> dict[str, Any]:
    return {"start": _day(window.start), "end": _day(window.end)} | group_record(
        window.group
    )


def recurrence_record(recurrence: Recurrence, url: str) -> dict[str, Any]:
    """Return one recurrence: its summary numbers and the ids of its incidents."""
    return {
        "kind": recurrence.kind,
        "name": recurrence.name,
        "url": url,
        "active": recurrence.active,
        "recent_incidents": recurrence.recent,
        "first": _day(recurrence.first.date),
        "latest": _day(recurrence.latest.date),
        "median_gap_seconds": _seconds(recurrence.median_gap),
        "incidents": [p.id for p in recurrence.incidents],
        "fix_not_landed": recurrence.flagged,
        "incidents_with_open_items": len(recurrence.carried_over),
        "open_action_items": recurrence.carried_items,
    }


def actions_record(summary: ActionSummary) -> dict[str, Any]:
    """Return the action item counts, completion per quarter and counts per owner."""
    counts = summary.counts.by_status
    return {
        "total": len(summary.rows),
        "open": len(summary.open),
        "overdue": counts["overdue"],
        "missing_owner_or_due": counts["missing-details"],
        "by_status": {key: counts[key] for key in ("open", "in-progress", "done", "wont-do")},
        "by_quarter": [
            {"quarter": c.key, "raised": c.raised, "done": c.done, "open": c.open,
             "overdue": c.overdue, "wont_do": c.wont_do, "completion_rate": c.rate}
            for c in summary.by_quarter
        ],
        "by_owner": [
            {"owner": o.owner or None, "slug": o.slug, "total": o.total, "open": o.open,
             "overdue": o.overdue, "done": o.done, "wont_do": o.wont_do}
            for o in summary.by_owner
        ],
    }  # fmt: skip


def recurrence_document(analysis: SiteAnalysis, base_url: str) -> dict[str, Any]:
    """Return the recurrence settings, every recurrence and chain, and the heat map."""
    heat = analysis.heat_map

    def record(recurrence: Recurrence) -> dict[str, Any]:
        return recurrence_record(recurrence, _url(base_url, run_url(recurrence)))

    return {
        "min_incidents": analysis.min_incidents,
        "window_days": analysis.window_days,
        "recurring": [record(r) for r in analysis.recurrences],
        "related_chains": [record(r) for r in analysis.chains],
        "heat_map": {
            "columns": [key for key, _ in heat.columns],
            "rows": [{"category": n, "counts": c, "total": t} for n, c, t in heat.rows],
        },
    }


def metrics_document(analysis: SiteAnalysis, base_url: str) -> dict[str, Any]:
    """Return the whole metrics export as JSON data."""
    metrics = analysis.metrics
    return {
        "today": metrics.today.isoformat(),
        "percentile_method": PERCENTILE_METHOD,
        "bucketing": BUCKETING,
        "period": metrics.period,
        "targets_seconds": {
            "default": _targets(metrics.targets),
            "by_severity": {k: _targets(t) for k, t in metrics.severity_targets.items()},
        },
        "overall": group_record(metrics.overall),
        "undated_incidents": [i.postmortem.id for i in metrics.undated],
        "windows": {"current": _window(metrics.current), "previous": _window(metrics.previous)},
        "trend_periods": [group_record(g) for g in metrics.by_period],
        "before_trend_periods": group_record(metrics.earlier) if metrics.earlier else None,
        "by_month": [group_record(g) for g in metrics.by_month],
        "by_quarter": [group_record(g) for g in metrics.by_quarter],
        "by_severity": [group_record(g) for g in metrics.by_severity],
        "by_category": [group_record(g) for g in metrics.by_category],
        "by_service": [group_record(g) for g in metrics.by_service],
        "by_trigger": [group_record(g) for g in metrics.by_trigger],
        "incident_fields": list(INCIDENT_FIELDS),
        "incidents": [incident_row(i) for i in metrics.incidents],
        "over_target": sum(
            1 for i in metrics.incidents
            if any(i.within_target(key) is False for key in TARGETED)
        ),
        "recurrence": recurrence_document(analysis, base_url),
        "action_items": actions_record(analysis.actions),
    }  # fmt: skip


def metrics_json(analysis: SiteAnalysis, base_url: str) -> str:
    """Return ``api/metrics.json`` as text."""
    document = metrics_document(analysis, base_url)
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return text + "\n"

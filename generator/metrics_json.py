"""``api/metrics.json``: every number of the trends, recurring, action item and
home pages, with durations in seconds."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from generator.action_stats import ActionRow, ActionSummary
from generator.analysis import SiteAnalysis
from generator.config import Targets
from generator.metrics import METRICS, TARGETED, Group, IncidentMetrics, Stats, Window
from generator.recurrence import Recurrence

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


def incident_record(incident: IncidentMetrics, base_url: str) -> dict[str, Any]:
    """Return one incident's values, targets and target results."""
    postmortem = incident.postmortem
    return {
        "id": postmortem.id,
        "url": _url(base_url, f"{postmortem.id}/"),
        "date": _day(incident.local_date),
        "severity": postmortem.severity.key,
        "categories": postmortem.root_cause.categories,
        "services": postmortem.services,
        "trigger": postmortem.trigger or None,
        **{f"{m.key}_seconds": _seconds(incident.values[m.key]) for m in METRICS},
        "targets_seconds": _targets(incident.targets),
        "within_target": {key: incident.within_target(key) for key in TARGETED},
    }


def _window(window: Window) -> dict[str, Any]:
    return {"start": _day(window.start), "end": _day(window.end)} | group_record(
        window.group
    )


def recurrence_record(
    recurrence: Recurrence, analysis: SiteAnalysis, base_url: str
) -> dict[str, Any]:
    """Return one recurrence: its incidents, gaps and action items carried over."""
    return {
        "kind": recurrence.kind,
        "name": recurrence.name,
        "url": _url(base_url, f"recurring/#{recurrence.anchor}"),
        "active": analysis.active(recurrence),
        "incidents": [p.id for p in recurrence.incidents],
        "gaps_seconds": [_seconds(gap) for gap in recurrence.gaps],
        "fix_not_landed": recurrence.flagged,
        "open_action_items": [
            {
                "earlier": carried.earlier.id,
                "later": carried.later.id,
                "items": [item.anchor for item in carried.items],
            }
            for carried in recurrence.carried_over
        ],
    }


def _action(row: ActionRow, base_url: str) -> dict[str, Any]:
    item = row.item
    return {
        "postmortem": row.postmortem.id,
        "anchor": item.anchor,
        "url": _url(base_url, row.url),
        "task": item.task,
        "owner": item.owner or None,
        "due": _day(item.due),
        "done_on": _day(item.done_on),
        "status": item.status,
        "overdue": row.overdue,
        "missing_owner_or_due": row.missing_details,
    }


def actions_record(summary: ActionSummary, base_url: str) -> dict[str, Any]:
    """Return the action item counts, completion per quarter and every item."""
    return {
        "total": len(summary.rows),
        "open": len(summary.open),
        "overdue": len(summary.overdue),
        "missing_owner_or_due": len(summary.missing_details),
        "by_quarter": [
            {"quarter": c.key, "raised": c.raised, "done": c.done, "open": c.open,
             "overdue": c.overdue, "wont_do": c.wont_do, "completion_rate": c.rate}
            for c in summary.by_quarter
        ],
        "by_owner": [
            {"owner": o.owner or None, "total": o.total, "open": o.open,
             "overdue": o.overdue, "done": o.done, "wont_do": o.wont_do}
            for o in summary.by_owner
        ],
        "items": [_action(row, base_url) for row in summary.rows],
    }  # fmt: skip


def metrics_document(analysis: SiteAnalysis, base_url: str) -> dict[str, Any]:
    """Return the whole metrics export as JSON data."""
    metrics = analysis.metrics
    heat = analysis.heat_map
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
        "incidents": [incident_record(i, base_url) for i in metrics.incidents],
        "recurrence": {
            "min_incidents": analysis.min_incidents,
            "window_days": analysis.window_days,
            "recurring": [recurrence_record(r, analysis, base_url) for r in analysis.recurrences],
            "related_chains": [recurrence_record(r, analysis, base_url) for r in analysis.chains],
            "heat_map": {
                "columns": [key for key, _ in heat.columns],
                "rows": [{"category": n, "counts": c, "total": t} for n, c, t in heat.rows],
            },
        },
        "action_items": actions_record(analysis.actions, base_url),
    }  # fmt: skip


def metrics_json(analysis: SiteAnalysis, base_url: str) -> str:
    """Return ``api/metrics.json`` as text."""
    document = metrics_document(analysis, base_url)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

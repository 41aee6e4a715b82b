"""Machine-readable outputs: the JSON export of every report."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from generator.model import ActionItem, Postmortem
from generator.timeparse import zone_name


def _seconds(delta: timedelta | None) -> float | None:
    return delta.total_seconds() if delta is not None else None


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _action_item(item: ActionItem) -> dict[str, Any]:
    return {
        "anchor": item.anchor,
        "task": item.task,
        "owner": item.owner or None,
        "due": item.due.isoformat() if item.due else None,
        "done_on": item.done_on.isoformat() if item.done_on else None,
        "status": item.status,
        "group": item.group or None,
        "source": item.source,
    }


def postmortem_record(postmortem: Postmortem, url: str) -> dict[str, Any]:
    """Return one report as plain JSON data; durations are in seconds."""
    return {
        "id": postmortem.id,
        "url": url,
        "source_path": postmortem.source_path,
        "title": postmortem.title,
        "severity": postmortem.severity.key,
        "severity_label": postmortem.severity.label,
        "status": postmortem.status,
        "timezone": zone_name(postmortem.timezone),
        "started": _iso(postmortem.started),
        "detected": _iso(postmortem.detected),
        "mitigated": _iso(postmortem.mitigated),
        "resolved": _iso(postmortem.resolved),
        "time_to_detect_seconds": _seconds(postmortem.time_to_detect),
        "time_to_recover_seconds": _seconds(postmortem.time_to_recover),
        "time_to_mitigate_seconds": _seconds(postmortem.time_to_mitigate),
        "duration_seconds": _seconds(postmortem.duration),
        "impact": postmortem.impact,
        "summary": postmortem.summary or None,
        "users_affected": postmortem.users_affected,
        "root_cause": {
            "categories": postmortem.root_cause.categories,
            "summary": postmortem.root_cause.summary or None,
        },
        "trigger": postmortem.trigger or None,
        "contributing_factors": postmortem.contributing_factors,
        "services": postmortem.services,
        "tags": postmortem.tags,
        "authors": postmortem.authors,
        "related": postmortem.related,
        "aliases": postmortem.aliases,
        "action_items": [_action_item(item) for item in postmortem.action_items],
        "timeline": [
            {
                "anchor": e.anchor,
                "time": _iso(e.time),
                "time_text": e.time_text,
                "text": e.text,
            }
            for e in postmortem.timeline
        ],
        "extra": {key: str(value) for key, value in postmortem.extra.items()},
    }


def postmortems_json(postmortems: list[Postmortem], base_url: str, today: date) -> str:
    """Return ``api/postmortems.json``: every published report, newest first."""
    records = [
        postmortem_record(p, f"{base_url}{p.id}/" if base_url else f"{p.id}/")
        for p in postmortems
    ]
    document = {
        "today": today.isoformat(),
        "count": len(records),
        "postmortems": records,
    }
    # No indentation: on 10,000 reports it would add a third to the size.
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
